"""`ticker serve` under load and abuse, on loopback and bounded in count and time.

The server runs as the real command (`ticker serve`, uvicorn as :data:`ticker.server.UVICORN`
sets it up) in its own process, so the clients here do not share its interpreter. They
speak HTTP over raw sockets: many at once, slow ones trickling their headers, huge heads,
path traversal, unknown methods. The server must keep answering the others, with the
right status, never show a file outside its feeds, leave the archive as it was, and
listen on 127.0.0.1 unless told otherwise.

``TICKER_LOAD_REQUESTS`` (requests per client, default 10) makes the load test longer;
RELIABILITY.md has the figures of such a run.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import inspect
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.test_faults import edition
from tests.test_server import fill
from ticker import server
from ticker.cli import main
from ticker.server import MAX_HEAD, ServeOptions, _Documents
from ticker.site import Document, Site
from ticker.store import Contents, Store

HOST = "127.0.0.1"
TICKER = Path(sys.executable).with_name("ticker")
#: what no answer may ever hold: /etc/passwd's first line, an SQLite file's header
SECRETS = (b"root:x:0:0", b"root:*:0:0", b"SQLite format 3")
CLIENTS = 200
REQUESTS = int(os.environ.get("TICKER_LOAD_REQUESTS", "10"))
PATHS = (
    "/",
    "/feeds.opml",
    "/feeds/all.rss",
    "/feeds/all.atom",
    "/feeds/all.json",
    "/feeds/region/europe.rss",
    "/feeds/source/france-24.atom",
    "/feeds/all.json?filter=Ukraine&limit=3",
)


class Served(NamedTuple):
    port: int
    archive: Path
    #: the archive file's SHA-256 and contents before any request
    digest: str
    contents: Contents
    log: Path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def exchange(port: int, data: bytes, timeout: float = 10.0) -> bytes:
    """Send ``data`` on a new connection while reading everything the server answers
    until it closes (it may answer, and close, before all of ``data`` is sent)."""
    with socket.create_connection((HOST, port), timeout=timeout) as s:

        def send() -> None:
            with contextlib.suppress(OSError):  # refused part-way: what it said is read below
                s.sendall(data)

        sender = threading.Thread(target=send)
        sender.start()
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
        sender.join(timeout)
    return b"".join(chunks)


def status(answer: bytes) -> int:
    """The status code of a raw HTTP answer (0 for none)."""
    parts = answer.split(b" ", 2)
    return int(parts[1]) if answer.startswith(b"HTTP/1.") and len(parts) > 2 else 0


def get(port: int, target: str = "/feeds/all.rss") -> bytes:
    return exchange(port, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())


@contextlib.contextmanager
def ticker_serve(archive: Path, log: Path) -> Iterator[int]:
    """`ticker serve` of ``archive`` on a free port (yielded), its output in ``log``."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(TICKER), "serve", "--db", str(archive), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1"},
        )
    try:
        deadline = time.monotonic() + 20
        while status(_try_get(port)) != 200:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "ticker serve did not start"
            time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(15)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`ticker serve` on the samples' archive."""
    base = tmp_path_factory.mktemp("abuse")
    archive = base / "samples.db"
    fill(archive)
    with Store(archive, readonly=True) as store:
        contents = store.contents()
    digest = sha256(archive)
    with ticker_serve(archive, base / "serve.log") as port:
        yield Served(port, archive, digest, contents, base / "serve.log")


def _try_get(port: int) -> bytes:
    try:
        return get(port, "/")
    except OSError:
        return b""


def assert_still_serving(served: Served) -> None:
    answer = get(served.port)
    assert status(answer) == 200 and answer.rstrip().endswith(b"</rss>")


# --- where it listens --------------------------------------------------------------------


def listening(port: int) -> list[str]:
    """The local addresses (hex, as /proc/net/tcp* has them) listening on ``port``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.append(address)
    return found


def test_it_binds_loopback_unless_told_otherwise(served: Served) -> None:
    host = next(p for p in main.commands["serve"].params if p.name == "host")
    assert host.default == "127.0.0.1"
    assert inspect.signature(server.run).parameters["host"].default == "127.0.0.1"
    if Path("/proc/net/tcp").exists():
        assert listening(served.port) == ["0100007F"]  # 127.0.0.1, and nothing else
    assert f"Uvicorn running on http://127.0.0.1:{served.port}" in served.log.read_text()


# --- huge heads ----------------------------------------------------------------------------

REQUEST = b"GET /feeds/all.rss HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("one 17 KB header", b"X-Big: " + b"a" * (17 << 10) + b"\r\n"),
        ("one 64 KB header", b"X-Big: " + b"a" * (64 << 10) + b"\r\n"),
        ("one 1 MB header", b"X-Big: " + b"a" * (1 << 20) + b"\r\n"),
        ("2000 headers, 120 KB", b"".join(b"X-%d: %s\r\n" % (i, b"v" * 50) for i in range(2000))),
        ("no end of headers, 8 MB", b"X-Big: " + b"a" * (8 << 20)),
    ],
)
def test_a_huge_head_is_refused_and_the_server_goes_on(
    served: Served, name: str, head: bytes
) -> None:
    answer = exchange(served.port, REQUEST + head + b"\r\n")
    assert status(answer) in (400, 431), answer[:80]
    assert_still_serving(served)


def test_a_long_target_is_refused(served: Served) -> None:
    assert status(get(served.port, "/feeds/all.rss?filter=" + "a" * (64 << 10))) in (400, 414, 431)
    assert status(get(served.port, "/feeds/all.rss?filter=" + "a" * 400)) == 200


def test_a_head_just_under_the_limit_is_served(served: Served) -> None:
    head = b"X-Big: " + b"a" * (MAX_HEAD - 200) + b"\r\n"
    assert status(exchange(served.port, REQUEST + head + b"\r\n")) == 200


def test_a_64_mb_header_does_not_stall_the_others(served: Served) -> None:
    """The bug uvicorn's httptools had: it buffered a head of any size, and a client
    sending a 200 MB header held the event loop until other requests timed out."""
    big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 << 20) + b"\r\n\r\n"
    answers: list[bytes] = []
    sender = threading.Thread(target=lambda: answers.append(exchange(served.port, big, 30)))
    started = time.monotonic()
    sender.start()
    worst = 0.0
    while sender.is_alive() and time.monotonic() - started < 30:
        t = time.monotonic()
        assert status(get(served.port, "/feeds/all.json")) == 200
        worst = max(worst, time.monotonic() - t)
    sender.join(30)
    assert status(answers[0]) == 400
    assert time.monotonic() - started < 10
    assert worst < 1.0, f"a normal request waited {worst:.2f} s"


# --- path traversal ----------------------------------------------------------------------


TRAVERSALS = [
    "/etc/passwd",
    "//etc/passwd",
    "/feeds/../../etc/passwd",
    "/feeds/../../../../../../etc/passwd",
    "/feeds/..%2f..%2fetc%2fpasswd",
    "/feeds/%2e%2e/%2e%2e/etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/feeds/%252e%252e/%252e%252e/etc/passwd",
    "/feeds/region/..%2f..%2f..%2fetc%2fpasswd.rss",
    "/feeds/all.rss/../../../../etc/passwd",
    "/index.html/../../../etc/passwd",
    "/feeds/..\\..\\..\\etc\\passwd",
    "/feeds/%5c..%5c..%5cetc%5cpasswd",
    "/feeds/all.rss%00.txt",
    "/feeds/%00/../../etc/passwd",
    "/samples.db",
    "/../samples.db",
    "/feeds/../samples.db",
    "/feeds/%2e%2e/samples.db",
    "/ticker/server.py",
    "http://evil.example/etc/passwd",
    "http://127.0.0.1/../../etc/passwd",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_path_traversal_is_404_or_400_never_a_file(served: Served, target: str) -> None:
    answer = get(served.port, target)
    assert status(answer) in (400, 404), answer[:200]
    assert not any(secret in answer for secret in SECRETS)


def test_a_raw_nul_or_space_in_the_target_is_400(served: Served) -> None:
    for target in (b"/feeds/\x00/etc/passwd", b"/feeds/all.rss\x00", b"/a b/../etc/passwd"):
        answer = exchange(served.port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status(answer) in (400, 404)
        assert not any(secret in answer for secret in SECRETS)
    assert sha256(served.archive) == served.digest


# --- methods -------------------------------------------------------------------------------

BODY = b"31/07/2025\nInjected headline\nEurope\n"


@pytest.mark.parametrize(
    "method",
    ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "FOO", "get"],
)
@pytest.mark.parametrize("target", ["/feeds/all.rss", "/", "/feeds.opml", "/feeds/nowhere.rss"])
def test_unknown_methods_are_refused_and_change_nothing(
    served: Served, method: str, target: str
) -> None:
    request = (
        f"{method} {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        f"Cookie: secret=do-not-echo\r\nContent-Length: {len(BODY)}\r\n\r\n"
    ).encode() + BODY
    answer = exchange(served.port, request)
    assert status(answer) in (400, 404, 405, 501), answer[:200]
    assert b"do-not-echo" not in answer  # TRACE echoes nothing back


@pytest.mark.parametrize(
    "line",
    [
        b"G\x01T / HTTP/1.1",
        b"GET /",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello
        b"CONNECT 127.0.0.1:22 HTTP/1.1",
        b"GET / HTTP/1.1 extra",
        b"/ GET HTTP/1.1",
        b"A" * 300 + b" / HTTP/1.1",
    ],
)
def test_garbage_request_lines_are_400_or_refused(served: Served, line: bytes) -> None:
    answer = exchange(served.port, line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status(answer) in (0, 400, 404, 405, 501, 505), answer[:200]  # 0: closed at once


def test_abuse_leaves_the_archive_as_it_was(served: Served) -> None:
    with Store(served.archive, readonly=True) as store:
        assert store.contents() == served.contents
    assert sha256(served.archive) == served.digest
    assert b"Injected headline" not in get(served.port, "/feeds/all.rss?filter=Injected")


# --- load ----------------------------------------------------------------------------------


class Load(NamedTuple):
    latencies: list[float]
    failures: list[str]
    bodies: dict[str, set[str]]
    seconds: float

    def summary(self) -> str:
        ms = sorted(t * 1000 for t in self.latencies)
        p50, p99 = statistics.median(ms), ms[int(len(ms) * 0.99) - 1]
        return (
            f"{len(ms)} answered, {len(self.failures)} failed in {self.seconds:.2f} s"
            f" ({len(ms) / self.seconds:.0f} req/s); p50 {p50:.1f} ms, p99 {p99:.1f} ms,"
            f" max {ms[-1]:.1f} ms"
        )


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status(head), await reader.readexactly(length)


async def _client(k: int, port: int, load: Load, requests: int) -> None:
    """One keep-alive connection doing ``requests`` GETs in turn."""
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
    except OSError as exc:
        load.failures.append(f"connect: {exc}")
        return
    try:
        for i in range(requests):
            path = PATHS[(k + i) % len(PATHS)]
            started = time.perf_counter()
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n".encode()
            )
            code, body = await _response(reader)
            load.latencies.append(time.perf_counter() - started)
            if code != 200:
                load.failures.append(f"{path}: {code}")
            load.bodies.setdefault(path, set()).add(hashlib.sha256(body).hexdigest())
    except (OSError, asyncio.IncompleteReadError) as exc:
        load.failures.append(f"client {k}: {exc!r}")
    finally:
        writer.close()


def run_load(port: int, clients: int = CLIENTS, requests: int = REQUESTS) -> Load:
    load = Load([], [], {}, 0.0)

    async def everyone() -> None:
        await asyncio.wait_for(
            asyncio.gather(*(_client(k, port, load, requests) for k in range(clients))),
            timeout=120,
        )

    started = time.perf_counter()
    asyncio.run(everyone())
    return load._replace(seconds=time.perf_counter() - started)


def test_200_concurrent_clients_are_all_served(served: Served) -> None:
    load = run_load(served.port)
    print(f"\nload: {CLIENTS} clients x {REQUESTS} requests: {load.summary()}")
    assert load.failures == []
    assert len(load.latencies) == CLIENTS * REQUESTS
    assert all(len(b) == 1 for b in load.bodies.values())  # every client got the same bytes
    assert max(load.latencies) < 10.0
    assert sha256(served.archive) == served.digest


def test_requests_for_one_document_wait_for_its_render_not_for_each_other(
    served: Served,
) -> None:
    """200 requests for 4 documents of a new site: one load, one render each, and every
    request for a document answered in the same turn of the event loop as the others
    (they used to queue on a lock, one per turn, behind everything ready in that turn:
    seconds under load)."""
    docs = _Documents(served.archive, ServeOptions())
    renders: Counter[int] = Counter()

    def maker(key: int) -> Callable[[Site], Document | None]:
        def make(site: Site) -> Document | None:
            renders[key] += 1
            time.sleep(0.02)
            return site.index()

        return make

    async def everyone() -> dict[int, list[int]]:
        turns = 0
        answered: dict[int, list[int]] = {}

        async def spin() -> None:
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        async def request(k: int) -> None:
            await docs.get(k % 4, maker(k % 4))
            answered.setdefault(k % 4, []).append(turns)

        spinner = asyncio.create_task(spin())
        await asyncio.gather(*(request(k) for k in range(200)))
        spinner.cancel()
        return answered

    answered = asyncio.run(everyone())
    assert renders == {0: 1, 1: 1, 2: 1, 3: 1}
    assert {key: max(t) - min(t) for key, t in answered.items()} == {0: 0, 1: 0, 2: 0, 3: 0}


def test_the_archive_changing_under_load_holds_no_one_up(tmp_path: Path) -> None:
    """Each change of the archive sends the requests to load and render anew, while the
    others go on: no one waits long (RELIABILITY.md has the figures before the fix the
    test above guards)."""
    archive = tmp_path / "changing.db"
    fill(archive)
    pages = []
    for i in range(40):  # 80 new items a page: each change makes every feed new
        page = tmp_path / f"page{i}.txt"
        page.write_text(edition(i))
        pages.append(str(page))
    done = threading.Event()
    changes: list[int] = []

    def change() -> None:
        for page in pages:
            if done.is_set():
                break
            ingest = [str(TICKER), "ingest", "--db", str(archive), page]
            changes.append(subprocess.run(ingest, capture_output=True).returncode)
            time.sleep(0.3)

    with ticker_serve(archive, tmp_path / "serve.log") as port:
        changer = threading.Thread(target=change)
        changer.start()
        try:
            load = run_load(port, requests=60)
        finally:
            done.set()
            changer.join()
    print(f"\nload while the archive changed {len(changes)} times: {load.summary()}")
    assert load.failures == [] and set(changes) == {0} and len(changes) >= 3
    assert max(load.latencies) < 1.5


# --- slow clients --------------------------------------------------------------------------

SLOW = 100
#: seconds between two bytes of a slow client
TRICKLE = 0.1
SLOW_REQUEST = b"GET /feeds/all.rss HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


async def _trickle(port: int) -> int:
    """Send a request one byte every TRICKLE seconds; the status of the answer."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for i in range(len(SLOW_REQUEST)):
            writer.write(SLOW_REQUEST[i : i + 1])
            await writer.drain()
            await asyncio.sleep(TRICKLE)
        code, _ = await _response(reader)
        return code
    finally:
        writer.close()


async def _prompt(port: int, until: float, latencies: list[float]) -> list[int]:
    """GETs one after the other until ``until``, each on a new connection."""
    codes = []
    while time.perf_counter() < until:
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(b"GET /feeds/all.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        code, _ = await _response(reader)
        writer.close()
        latencies.append(time.perf_counter() - started)
        codes.append(code)
        await asyncio.sleep(0.02)
    return codes


def test_slow_clients_trickling_headers_do_not_hold_up_the_others(served: Served) -> None:
    latencies: list[float] = []

    async def both() -> tuple[list[int], list[int]]:
        trickling = [asyncio.create_task(_trickle(served.port)) for _ in range(SLOW)]
        await asyncio.sleep(0.5)  # every slow client is connected and sending
        until = time.perf_counter() + len(SLOW_REQUEST) * TRICKLE - 1.5
        prompt = await _prompt(served.port, until, latencies)
        return prompt, await asyncio.wait_for(asyncio.gather(*trickling), timeout=30)

    prompt, slow = asyncio.run(both())
    print(
        f"\nslow: {SLOW} clients at one byte per {TRICKLE} s; meanwhile {len(prompt)} GETs,"
        f" max {max(latencies) * 1000:.1f} ms"
    )
    assert len(prompt) >= 10 and set(prompt) == {200}
    assert max(latencies) < 1.0
    assert slow == [200] * SLOW  # and the slow ones are answered too, once they are done


def test_the_server_logged_no_errors(served: Served) -> None:
    assert_still_serving(served)
    log = served.log.read_text()
    assert "Traceback" not in log and "Exception in ASGI application" not in log
