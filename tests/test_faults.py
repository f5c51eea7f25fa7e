"""Faults: `ticker ingest` killed at any moment, ingest and serve at once, feed files
rebuilt while they are read.

- SIGKILL: `ticker ingest` of 200 inputs (each with its own 80 items) is killed at seeded
  random moments: a new archive's first run, then the run that resumes it, which is then
  run to the end. After each kill the archive passes ``PRAGMA integrity_check`` and holds
  exactly the items of the inputs it committed (every commit a reader had seen among
  them), each row equal to a clean ingest's; the run to the end gives the clean ingest's
  final state.
- Ingest and serve: the server (uvicorn in a thread, watching a directory too) answers
  GETs while `ticker ingest` processes and the watcher write: every answer is 200, none
  waits long, each client sees the archive only grow, and nothing is ``locked``.
- Files: `ticker build` runs again and again while readers read its files: every read
  parses whole (and the readers do catch a writer that is not atomic).

``TICKER_KILLS`` (default 10, even) sets how many kills; RELIABILITY.md has a run of 100.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import lxml.etree
import pytest
from click.testing import CliRunner

import ticker.store
from tests.live import LiveServer
from tests.samples import SAMPLES
from ticker.cli import main
from ticker.server import ServeOptions, create_app

TICKER = Path(sys.executable).with_name("ticker")
NOW = ("--now", "2025-08-01T12:00:00+02:00")
KILLS = int(os.environ.get("TICKER_KILLS", "10"))
INPUTS = 200
#: copies of the France 24 rail in one input: 80 items, each headline its own
COPIES = 10
#: the columns a clean ingest and a killed-then-resumed one must agree on (not the times)
COLUMNS = "seq, id, kind, source, source_id, headline, date, published, region_id, record, batch"

_RAIL = (SAMPLES / "f24-rail-lines.txt").read_text().splitlines()[1:]  # no video length
_HEADLINES = {line for line in _RAIL if len(line.split()) > 3}


def edition(i: int, copies: int = COPIES) -> str:
    """The rail ``copies`` times, each headline marked with its input and copy."""
    lines = [
        f"{line} (edition {i}.{c})" if line in _HEADLINES else line
        for c in range(copies)
        for line in _RAIL
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("inputs")
    names = []
    for i in range(INPUTS):
        path = folder / f"in{i:03}.txt"
        path.write_text(edition(i))
        names.append(str(path))
    return names


def ingest(db: Path, names: list[str], **kw: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(TICKER), "ingest", "--db", str(db), *NOW, *names],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,
    )


class State(NamedTuple):
    integrity: str
    generation: int
    rows: list[tuple[Any, ...]]


def state(db: Path) -> State:
    """What an archive holds, read as the next process to open it would (WAL replayed)."""
    if not db.exists():
        return State("ok", 0, [])
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            return State(integrity, 0, [])  # killed before the schema was committed
        generation = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        rows = conn.execute(f"SELECT {COLUMNS} FROM items ORDER BY seq").fetchall()
    conn.close()
    return State(integrity, int(generation[0]), rows)


class Observer:
    """Reads an archive's generation over and over from another connection while a
    writer works: the largest it saw was committed, whatever happens to the writer."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.seen = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch)
        self._thread.start()

    def _watch(self) -> None:
        wal = self.db.with_name(self.db.name + "-wal")
        while not self._stop.is_set():
            if wal.exists():  # WAL mode: reading never takes a lock the writer needs
                try:
                    conn = sqlite3.connect(f"{self.db.resolve().as_uri()}?mode=ro", uri=True)
                    try:
                        row = conn.execute("SELECT value FROM meta WHERE key='generation'")
                        self.seen = max(self.seen, int(row.fetchone()[0]))
                    finally:
                        conn.close()
                except sqlite3.Error:
                    pass  # no schema yet
            time.sleep(0.002)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.seen


def test_sigkill_at_any_moment_loses_nothing_committed(tmp_path: Path, inputs: list[str]) -> None:
    clean_db = tmp_path / "clean.db"
    started = time.monotonic()
    clean = ingest(clean_db, inputs)
    out, err = clean.communicate(timeout=120)
    clean_seconds = time.monotonic() - started
    assert clean.returncode == 0, err
    assert out.decode().startswith(f"{clean_db}: {INPUTS * COPIES * 8} added, 0 updated")
    final = state(clean_db)
    assert (final.integrity, final.generation) == ("ok", INPUTS)
    by_input = {g: [r for r in final.rows if r[-1] == g] for g in range(1, INPUTS + 1)}

    db = tmp_path / "killed.db"
    rng = random.Random(20250801)
    report = []
    for k in range(KILLS):
        if k % 2 == 0:  # a new archive: kill the first run, then the one that resumes it
            for path in tmp_path.glob("killed.db*"):
                path.unlink()
            # moments spread over the whole run: one in each of KILLS/2 equal slices
            moment = clean_seconds * (k // 2 + rng.random()) / (KILLS // 2 or 1)
        else:
            moment = rng.uniform(0, clean_seconds)
        observer = Observer(db)
        proc = ingest(db, inputs)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        committed = observer.stop()
        after = state(db)
        assert after.integrity == "ok"
        assert after.generation >= committed  # every commit a reader saw is still there
        expected = [row for g in range(1, after.generation + 1) for row in by_input[g]]
        assert after.rows == expected  # whole inputs, in order, each row the clean one
        report.append(f"{moment:.2f}s:{committed}/{after.generation}")
        if k % 2 == 1:  # the archive killed twice: run to the end
            rerun = ingest(db, inputs)
            out, err = rerun.communicate(timeout=120)
            assert rerun.returncode == 0 and b"locked" not in err, err
            assert state(db) == final
    print(
        f"\n{KILLS} kills (moment: inputs a reader saw committed / committed after the kill):"
        f" {' '.join(report)}; a clean run takes {clean_seconds:.2f} s"
    )


# --- ingest and serve at once -------------------------------------------------------------


def items_on(index: str) -> int:
    """How many items the index page says the archive holds."""
    found = re.search(r"\. (\d+) items?[;.]", index)
    assert found, index[:500]
    return int(found[1])


def test_ingest_and_serve_at_once_neither_block_nor_corrupt(
    tmp_path: Path, inputs: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "live.db"
    first = ingest(db, inputs[:10])
    assert first.wait(60) == 0
    watched = tmp_path / "watched"
    watched.mkdir()
    options = ServeOptions(watch=(watched,), poll=0.05)
    batches = [inputs[i : i + 19] for i in range(10, 200, 19)]
    failures: list[str] = []
    ingest_seconds: list[float] = []

    def ingest_in_turn() -> None:
        for k, batch in enumerate(batches):
            started = time.monotonic()
            proc = ingest(db, batch)
            _, err = proc.communicate(timeout=60)
            ingest_seconds.append(time.monotonic() - started)
            if proc.returncode != 0 or b"locked" in err:
                failures.append(f"ingest {k}: {proc.returncode} {err.decode()}")
            # meanwhile the server's watcher ingests too: a page a batch
            (watched / f"page{k}.txt").write_text(edition(1000 + k, 1))

    with (
        caplog.at_level(logging.INFO, logger="ticker"),
        LiveServer(create_app(db, options)) as live,
    ):
        writer = threading.Thread(target=ingest_in_turn)
        seen: dict[int, list[int]] = {}
        latencies: list[float] = []

        def read(k: int) -> None:
            counts = seen.setdefault(k, [])
            with live.client() as client:
                while writer.is_alive():
                    started = time.monotonic()
                    try:
                        r = client.get("/", timeout=10)
                    except httpx.HTTPError as exc:
                        failures.append(f"reader {k}: {exc!r}")
                        continue
                    latencies.append(time.monotonic() - started)
                    if r.status_code != 200:
                        failures.append(f"reader {k}: {r.status_code}")
                        continue
                    counts.append(items_on(r.text))

        writer.start()
        readers = [threading.Thread(target=read, args=(k,)) for k in range(4)]
        for t in readers:
            t.start()
        writer.join(300)
        for t in readers:
            t.join(30)
        expected = INPUTS * COPIES * 8 + len(batches) * 8

        def complete() -> bool:
            with live.client() as client:
                return items_on(client.get("/").text) == expected

        deadline = time.monotonic() + 20
        while not complete():  # the watcher's last page
            assert time.monotonic() < deadline, "the watched pages did not all arrive"
            time.sleep(0.1)
    print(
        f"\ningest+serve: {len(batches)} ingests ({max(ingest_seconds):.2f} s at most),"
        f" {len(latencies)} GETs, max {max(latencies) * 1000:.0f} ms"
    )
    assert failures == []
    for counts in seen.values():
        assert counts == sorted(counts)  # the archive only ever grows
        assert len(counts) >= 5
    assert max(latencies) < 5.0
    assert "locked" not in caplog.text and "Traceback" not in caplog.text
    assert state(db).integrity == "ok"


def test_an_archive_kept_locked_by_another_writer_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inputs: list[str]
) -> None:
    db = tmp_path / "busy.db"
    assert ingest(db, inputs[:1]).wait(60) == 0
    monkeypatch.setattr(ticker.store, "BUSY_TIMEOUT", 0.2)
    args = ["ingest", "--db", str(db), *NOW, inputs[1]]
    holder = sqlite3.connect(db, isolation_level=None)  # another writer, mid-transaction
    holder.execute("BEGIN IMMEDIATE")
    try:
        busy = CliRunner().invoke(main, args)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert isinstance(busy.exception, SystemExit) and busy.exit_code == 1
    assert busy.stderr == (
        f"ticker: {db}: busy: another process has been writing to it for 0.2 s; try again later\n"
    )
    assert state(db).generation == 1
    assert CliRunner().invoke(main, args).exit_code == 0
    assert state(db).generation == 2


# --- feed files are never seen half-written ---------------------------------------------


def parses(path: Path, data: bytes) -> None:
    """Raises unless ``data`` is a whole document of its kind."""
    if path.suffix == ".json":
        json.loads(data)
    elif path.suffix == ".html":
        assert data.endswith(b"</html>\n")
    else:
        lxml.etree.fromstring(data)


class Readers:
    """Threads reading every file under a directory over and over, as a web server
    would, until stopped; ``bad`` holds each read that did not parse whole."""

    def __init__(self, root: Path, n: int = 3) -> None:
        self.root = root
        self.reads = 0
        self.bad: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._read) for _ in range(n)]
        for t in self._threads:
            t.start()

    def _read(self) -> None:
        known: set[Path] = set()
        while not self._stop.is_set():
            for path in sorted(self.root.rglob("*")):
                if path.name.startswith(".") or path.is_dir():
                    continue  # a writer's temporary file is nobody's to serve
                known.add(path)
            for path in known:
                try:
                    data = path.read_bytes()
                    parses(path, data)
                except FileNotFoundError:
                    self.bad.append(f"{path}: gone")
                except Exception as exc:
                    self.bad.append(f"{path}: {exc!r}")
                self.reads += 1

    def stop(self) -> tuple[int, list[str]]:
        self._stop.set()
        for t in self._threads:
            t.join()
        return self.reads, self.bad


def test_a_feed_file_is_never_seen_half_written(tmp_path: Path, inputs: list[str]) -> None:
    db, out = tmp_path / "site.db", tmp_path / "site"
    assert ingest(db, inputs[:5]).wait(60) == 0
    build = [str(TICKER), "build", "--db", str(db), "--out", str(out)]
    subprocess.run(build, check=True, capture_output=True)
    readers = Readers(out)
    builds = written = 0
    try:
        for k in range(5, 45, 4):  # the archive changes before each build: files change
            assert ingest(db, inputs[k : k + 4]).wait(60) == 0
            done = subprocess.run(build, capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stderr
            builds += 1
            written += len(done.stdout.splitlines())
    finally:
        reads, bad = readers.stop()
    print(
        f"\nbuild: {builds} builds wrote {written} files; {reads} reads meanwhile, {len(bad)} bad"
    )
    assert written > builds * 10
    assert reads > 1000
    assert bad == []


def naive_save(path: Path, data: bytes) -> None:
    """A writer that is not atomic: truncate, write half, pause, write the rest."""
    with path.open("wb") as f:
        f.write(data[: len(data) // 2])
        f.flush()
        time.sleep(0.002)
        f.write(data[len(data) // 2 :])


def test_the_readers_catch_a_writer_that_is_not_atomic(tmp_path: Path) -> None:
    """The check above has teeth: the same readers see half files from a naive writer."""
    feed = (SAMPLES / "feeds" / "f24-rail-lines.atom").read_bytes()
    path = tmp_path / "feeds" / "all.atom"
    path.parent.mkdir()
    path.write_bytes(feed)
    readers = Readers(tmp_path)
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        naive_save(path, feed)
    _, bad = readers.stop()
    assert bad
