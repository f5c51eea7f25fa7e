"""Fetching pages from a real HTTP server on a loopback port: HTML to text that keeps its
blocks, the fetch time as the reference for ages, and each way a fetch fails."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from tests.live import Handler, PageServer, as_html, page
from tests.samples import NOW, parse_sample, sample_names, text_of
from ticker.cli import main
from ticker.errors import FetchError
from ticker.fetch import Limits, fetch, html_to_text
from ticker.inputs import FETCHED, GIVEN, Stream, reading
from ticker.model import AGE_RESOLVED, Record
from ticker.parsing import make_context, parse
from ticker.store import Store
from ticker.unique import unique

SEED = "000_14508f3cbf4abfa2"
FETCHED_AT = dt.datetime(2025, 8, 2, 9, 30, tzinfo=dt.UTC)
FAST = Limits(connect=1, read=0.3, total=1.5, max_bytes=50_000, max_redirects=3)


def essence(r: Record) -> tuple[object, ...]:
    """A record without its span (offsets differ once HTML is turned into text)."""
    return r[:-2] + r[-1:]


def slow(h: BaseHTTPRequestHandler) -> None:
    time.sleep(1.5)
    page("late")(h)


def drip(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.end_headers()
    for _ in range(40):
        h.wfile.write(b"01/08/2025\nStill loading\n")
        h.wfile.flush()
        time.sleep(0.1)


def endless(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")  # no Content-Length: read until closed
    h.end_headers()
    for _ in range(100):
        h.wfile.write(b"x" * 10_000)


def redirect(to: str) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return handle


@pytest.fixture(scope="module")
def site() -> Iterator[PageServer]:
    routes = {
        "/seed.html": page(as_html(text_of(SEED))),
        "/rail.txt": page(text_of("f24-rail-lines"), "text/plain; charset=utf-8"),
        "/untyped": page(as_html(text_of("f24-rail-lines")), ""),
        "/latin1.html": page(
            "<p>31/07/2025</p><p>Café owners protest new terrace tax</p>".encode("latin-1"),
            "text/html; charset=iso-8859-1",
        ),
        "/moved": redirect("/seed.html"),
        "/loop": redirect("/loop"),
        "/error": page("<h1>Internal Server Error</h1>", status=500),
        "/gone": page("gone", status=404),
        "/slow": slow,
        "/drip": drip,
        "/big": page(b"x" * 60_000, "text/plain"),
        "/endless": endless,
        "/image.png": page(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png"),
    }
    with PageServer(routes) as server:
        yield server


# --- HTML to text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\nTwo\n"),
        ("<div>Split<br>here</div>", "Split\nhere\n"),
        ("<p>Run <b>in</b><i>line</i>  text\n across</p>", "Run inline text across\n"),
        ("<ul><li>a</li><li>b</li></ul><h2>c</h2>", "a\nb\nc\n"),
        ("<table><tr><td>31/07/2025</td><td>Headline</td></tr></table>", "31/07/2025\nHeadline\n"),
        ("<script>var x = 1;</script><style>p{}</style><p>kept</p>", "kept\n"),
        ("<nav><a>Home</a></nav>after the nav", "after the nav\n"),
        ("<p>shown <span hidden>hidden</span>too</p>", "shown too\n"),
        ("<p>a<!-- comment -->b</p>", "ab\n"),
        ("<pre>two\nlines</pre>", "two\nlines\n"),
        ("<p>caf&eacute;&nbsp;au&#160;lait &amp; co</p>", "café au lait & co\n"),
        ("<head><title>Title only in head</title></head><body><p>Body</p></body>", "Body\n"),
        ('<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>', "x\n"),
        ("", ""),
        ("   <!-- nothing -->  ", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html.encode()) == text


def test_html_encodings() -> None:
    assert html_to_text("<p>café</p>".encode("latin-1"), "iso-8859-1") == "café\n"
    assert html_to_text(b'<meta charset="windows-1252"><p>caf\xe9</p>') == "café\n"
    assert html_to_text(b"<meta charset=bogus><p>caf\xc3\xa9</p>") == "café\n"
    assert html_to_text("<p>utf-16</p>".encode("utf-16")) == "utf-16\n"
    assert html_to_text(b"<p>bad \xff byte</p>") == "bad \ufffd byte\n"


@pytest.mark.parametrize("name", sample_names())
def test_every_sample_as_a_web_page_gives_the_same_records(name: str) -> None:
    text = text_of(name)
    assert [essence(r) for r in parse(html_to_text(as_html(text)), now=NOW)] == [
        essence(r) for r in parse(text, now=NOW)
    ]


# --- fetching --------------------------------------------------------------------------


def read(name: str, now: dt.datetime = NOW, **options: Any) -> tuple[list[Record], Stream]:
    """Every record of an input, and what the stream says of its reference time."""
    with reading(name, make_context(now=now), **options) as stream:
        return list(stream.records), stream


def test_a_fetched_page_is_parsed_with_the_fetch_time_as_reference(site: PageServer) -> None:
    url = site.url + "/seed.html"
    records, stream = read(url, clock=lambda: FETCHED_AT)
    assert (stream.reference, stream.how) == (FETCHED_AT, FETCHED)
    expected = parse(text_of(SEED), now=FETCHED_AT)
    assert [essence(r) for r in records] == [essence(r) for r in expected]
    card = next(r for r in records if r.age == "2 hours ago")
    assert AGE_RESOLVED in card.flags
    assert card.published == FETCHED_AT - dt.timedelta(hours=2)


def test_the_given_time_wins_when_the_page_may_not_set_its_own(site: PageServer) -> None:
    _, stream = read(site.url + "/seed.html", own_time=False)
    assert (stream.reference, stream.how) == (NOW, GIVEN)


def test_fetch_follows_redirects_and_reads_text_and_untyped_html(site: PageServer) -> None:
    moved = fetch(site.url + "/moved", clock=lambda: FETCHED_AT)
    assert moved.final_url == site.url + "/seed.html"
    assert (moved.media_type, moved.fetched_at) == ("text/html", FETCHED_AT)
    plain = fetch(site.url + "/rail.txt")
    assert plain.text == text_of("f24-rail-lines")
    untyped = fetch(site.url + "/untyped")
    assert untyped.text.startswith("01:28\n03/06/2025\nMayors of riverside towns")
    assert "script knows" not in untyped.text and "Home" not in untyped.text


def test_the_charset_of_the_header_is_used(site: PageServer) -> None:
    records, _ = read(site.url + "/latin1.html")
    assert [r.headline for r in records] == ["Café owners protest new terrace tax"]


@pytest.mark.parametrize(
    ("path", "limits", "message"),
    [
        ("/error", FAST, r"/error: HTTP 500 Internal Server Error$"),
        ("/gone", FAST, r"/gone: HTTP 404 Not Found$"),
        ("/loop", FAST, r"/loop: too many redirects \(more than 3; a redirect loop\?\)$"),
        ("/slow", FAST, r"/slow: no data for 0\.3 s \(read timeout\)$"),
        ("/drip", FAST, r"/drip: took longer than 1\.5 s in all$"),
        ("/big", FAST, r"/big: larger than the limit of 50000 bytes \(it says 60000\)$"),
        ("/endless", FAST, r"/endless: larger than the limit of 50000 bytes \(the body grew"),
        ("/image.png", FAST, r"/image\.png: not a page of text or HTML \(image/png\)$"),
    ],
)
def test_each_failure_is_one_fetch_error_naming_url_and_reason(
    site: PageServer, path: str, limits: Limits, message: str
) -> None:
    with pytest.raises(FetchError, match=message) as caught:
        fetch(site.url + path, limits=limits)
    assert caught.value.name == site.url + path
    assert str(caught.value).startswith(site.url + path + ": ")


def test_a_closed_port_and_a_bad_url() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match=rf"^http://127\.0\.0\.1:{port}/: cannot connect"):
        fetch(f"http://127.0.0.1:{port}/", limits=FAST)
    with pytest.raises(FetchError, match=r"^ftp://example\.invalid/x: not an http or https URL$"):
        fetch("ftp://example.invalid/x")


def test_ticker_ingest_takes_urls(site: PageServer, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    runner = CliRunner()
    url = site.url + "/seed.html"
    first = runner.invoke(main, ["ingest", "--db", str(db), url, site.url + "/error"])
    assert first.exit_code == 1
    assert f"ticker: {site.url}/error: HTTP 500 Internal Server Error" in first.stderr
    assert f"(the fetch time of {url})" in first.stderr
    added = len(unique(parse_sample(SEED)))
    assert first.stdout.startswith(f"{db}: {added} added, 0 updated, 0 unchanged (2 inputs;")
    again = runner.invoke(main, ["ingest", "--db", str(db), url])
    assert again.exit_code == 0
    assert again.stdout.startswith(f"{db}: 0 added, 0 updated, {added} unchanged")
    with Store(db, readonly=True) as store:
        assert len(store) == added


def test_ticker_parse_and_feed_take_urls_and_html_files(site: PageServer, tmp_path: Path) -> None:
    runner = CliRunner()
    url = site.url + "/seed.html"
    parsed = runner.invoke(main, ["parse", "--format", "json", url])
    assert parsed.exit_code == 0
    assert [r["headline"] for r in json.loads(parsed.stdout)] == [
        r.headline for r in parse_sample(SEED)
    ]
    assert f"(the fetch time of {url})" in parsed.stderr
    page = tmp_path / "seed.html"
    page.write_bytes(httpx.get(url).content)
    local = runner.invoke(
        main, ["parse", "--format", "json", "--now", "2025-08-01T12:00:00+02:00", str(page)]
    )
    assert [r["headline"] for r in json.loads(local.stdout)] == [
        r.headline for r in parse_sample(SEED)
    ]
    fed = runner.invoke(main, ["feed", "--format", "json", url])
    assert fed.exit_code == 0 and len(json.loads(fed.stdout)["items"]) == len(
        unique(parse_sample(SEED))
    )
