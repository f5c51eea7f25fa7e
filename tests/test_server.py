"""The feed server over real HTTP on a loopback port (uvicorn in a thread, httpx as the
client): media types, validators and 304s, HEAD, gzip, 404/405, RSSHub filters, the index
page and OPML, caching per archive change, and background ingest from a watched
directory and refreshed URLs. Also `ticker build` and `ticker serve` from the shell."""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import hashlib
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import feedparser
import httpx
import lxml.etree
import lxml.html
import pytest
from click.testing import CliRunner

from tests.live import LiveServer, PageServer, as_html, page
from tests.samples import NOW, SAMPLES, parse_sample, sample_names
from ticker.cli import DurationParam, main
from ticker.feeds import FORMATS, FeedInfo
from ticker.parsing import parse
from ticker.server import (
    ServeOptions,
    accepts_gzip,
    create_app,
    etag_matches,
    not_modified,
    retry_delay,
)
from ticker.site import Site
from ticker.store import Store

SEEN = dt.datetime(2025, 8, 1, 10, 0, tzinfo=dt.UTC)
#: the server's "now": later than every sample's dates
CLOCK = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC)
MEDIA = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
SEED = "000_14508f3cbf4abfa2"
FERRY = "Ferry workers end week-long strike after overnight talks"


def fill(path: Path) -> int:
    """The samples ingested into a new archive at ``path`` (one a minute); its size."""
    with Store(path) as store:
        for i, name in enumerate(sample_names()):
            store.ingest(parse_sample(name), seen=SEEN + dt.timedelta(minutes=i))
        return len(store)


def options(**kw: Any) -> ServeOptions:
    return ServeOptions(clock=lambda: CLOCK, **kw)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "samples.db"
    fill(path)
    return path


@pytest.fixture(scope="module")
def live(archive: Path) -> Iterator[LiveServer]:
    with LiveServer(create_app(archive, options())) as server:
        yield server


@pytest.fixture
def client(live: LiveServer) -> Iterator[httpx.Client]:
    with live.client() as c:
        yield c


def items_of(body: bytes, fmt: str) -> list[dict[str, Any]]:
    """Each entry's id, title, author and tags, read back as a reader would."""
    if fmt == "json":
        return [
            {
                "id": i["id"],
                "title": i["title"],
                "author": i.get("authors", [{}])[0].get("name"),
                "tags": i.get("tags", []),
            }
            for i in json.loads(body)["items"]
        ]
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.bozo_exception
    return [
        {
            "id": e.id,
            "title": e.title,
            "author": e.get("author"),
            "tags": [t.term for t in e.get("tags", [])],
        }
        for e in parsed.entries
    ]


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


# --- responses and validators ------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_first_get_is_200_with_media_type_and_validators(client: httpx.Client, fmt: str) -> None:
    r = client.get(f"/feeds/all.{fmt}")
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == MEDIA[fmt]
    assert re.fullmatch(r'"[0-9a-f]{40}(-gzip)?"', r.headers["etag"])
    assert r.headers["cache-control"] == "public, max-age=900"
    assert r.headers["vary"] == "Accept-Encoding, Host"  # self links follow Host
    modified = email.utils.parsedate_to_datetime(r.headers["last-modified"])
    assert SEEN < modified <= CLOCK
    assert len(items_of(r.content, fmt)) == 100  # the default --limit


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_repeat_with_either_validator_is_304(client: httpx.Client, fmt: str) -> None:
    first = client.get(f"/feeds/all.{fmt}")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        again = client.get(f"/feeds/all.{fmt}", headers=headers)
        assert again.status_code == 304, headers
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "public, max-age=900"
        assert again.headers["vary"] == "Accept-Encoding, Host"
        assert "content-type" not in again.headers


def test_if_none_match_wins_over_if_modified_since(client: httpx.Client) -> None:
    first = client.get("/feeds/all.rss")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    stale = '"0000000000000000000000000000000000000000"'
    r = client.get(
        "/feeds/all.rss", headers={"If-None-Match": stale, "If-Modified-Since": modified}
    )
    assert r.status_code == 200 and r.content == first.content
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    r = client.get("/feeds/all.rss", headers={"If-None-Match": etag, "If-Modified-Since": old})
    assert r.status_code == 304


def test_if_modified_since_before_the_change_or_unreadable_is_200(client: httpx.Client) -> None:
    for since in ("Mon, 01 Jan 2001 00:00:00 GMT", "yesterday", ""):
        assert (
            client.get("/feeds/all.atom", headers={"If-Modified-Since": since}).status_code == 200
        )


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        ('"abc"', True),
        ('W/"abc"', True),  # If-None-Match compares weakly
        ('"x", "abc"', True),
        ("*", True),
        ('"abcd"', False),
        ('"ab"', False),
        ("abc", False),
        ("", False),
    ],
)
def test_etag_matching(header: str, matches: bool) -> None:
    assert etag_matches(header, '"abc"') is matches


def test_not_modified_rules() -> None:
    when = dt.datetime(2025, 8, 1, 12, 0, 0, 500000, tzinfo=dt.UTC)  # a second's fraction
    same = "Fri, 01 Aug 2025 12:00:00 GMT"
    assert not_modified(None, same, '"e"', when)
    assert not not_modified(None, "Fri, 01 Aug 2025 11:59:59 GMT", '"e"', when)
    assert not not_modified(None, same, '"e"', None)  # no Last-Modified to compare with
    assert not not_modified('"other"', same, '"e"', when)


@pytest.mark.parametrize(
    ("header", "gzip_ok"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("deflate;q=1, GZIP;q=0.5", True),
        ("gzip;q=0", False),
        ("*", True),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
        ("identity", False),
        ("", False),
        ("x-gzip", True),
    ],
)
def test_accept_encoding(header: str, gzip_ok: bool) -> None:
    assert accepts_gzip(header) is gzip_ok


def test_head_has_the_headers_of_get_and_no_body(client: httpx.Client) -> None:
    for path in ("/feeds/all.rss", "/", "/feeds.opml"):
        get = client.get(path, headers={"Accept-Encoding": "identity"})
        head = client.head(path, headers={"Accept-Encoding": "identity"})
        assert head.status_code == 200 and head.content == b""
        for name in ("etag", "last-modified", "content-type", "cache-control", "content-length"):
            assert head.headers[name] == get.headers[name], name
        assert int(head.headers["content-length"]) == len(get.content)


def test_gzip_when_asked(client: httpx.Client) -> None:
    plain = client.get("/feeds/all.atom", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    with httpx.stream(
        "GET",
        client.base_url.join("/feeds/all.atom"),
        headers={"Accept-Encoding": "gzip"},
        trust_env=False,
    ) as raw:
        coded = b"".join(raw.iter_raw())
        headers = raw.headers
    assert headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(coded) < len(plain.content) / 2
    assert gzip.decompress(coded) == plain.content
    # a different representation: a different strong ETag, and its own 304
    assert headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    again = client.get(
        "/feeds/all.atom", headers={"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]}
    )
    assert again.status_code == 304
    other = client.get(
        "/feeds/all.atom", headers={"Accept-Encoding": "identity", "If-None-Match": headers["etag"]}
    )
    assert other.status_code == 200


def test_the_etag_is_the_hash_of_the_body(client: httpx.Client) -> None:
    r = client.get("/feeds/all.json", headers={"Accept-Encoding": "identity"})
    assert r.headers["etag"] == '"' + hashlib.sha256(r.content).hexdigest()[:40] + '"'


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/region/nowhere.rss",
        "/feeds/source/nobody.atom",
        "/feeds/all.xml",
        "/feeds/all",
        "/feeds/topic/europe.rss",
        "/feeds/region/europe/more.rss",
        "/nope",
        "/feeds/",
    ],
)
def test_unknown_feeds_and_paths_are_404(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/plain")


def test_nothing_a_client_sends_changes_the_archive(client: httpx.Client, archive: Path) -> None:
    with Store(archive, readonly=True) as store:
        before = store.contents()
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/feeds/all.rss", "/", "/feeds.opml", "/feeds/region/europe.json"):
            r = client.request(method, path, content=b"31/07/2025\nInjected headline\nEurope\n")
            assert r.status_code == 405, (method, path)
            assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD"}
    assert client.get("/feeds/all.rss?filter=Injected").status_code == 200
    with Store(archive, readonly=True) as store:
        assert store.contents() == before
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == digest


# --- what the feeds hold ------------------------------------------------------------------


def test_feeds_are_ordered_by_date_and_hold_the_newest(client: httpx.Client, archive: Path) -> None:
    parsed = feedparser.parse(client.get("/feeds/all.atom").content)
    times = [e.updated_parsed for e in parsed.entries]
    assert times == sorted(times, reverse=True) and len(set(times)) == len(times)
    everything = feedparser.parse(client.get("/feeds/all.atom?limit=100000").content)
    assert len(everything.entries) == 100  # ?limit never goes past --limit


def test_items_of_a_date_go_most_recently_first_seen_first() -> None:
    first = "31/07/2025\nAn early page's first item\nEurope\n31/07/2025\nIts second item\nEurope\n"
    later = "31/07/2025\nA later page's item\nAfrica\n30/07/2025\nA day older\nAfrica\n"
    with Store(":memory:") as store:
        store.ingest(parse(first, now=NOW), seen=SEEN)
        store.ingest(parse(later, now=NOW), seen=SEEN + dt.timedelta(hours=1))
        site = Site(store.contents())
    doc = site.feed("all", "json")
    assert doc is not None
    assert [i["title"] for i in items_of(doc.body, "json")] == [
        "A later page's item",
        "An early page's first item",
        "Its second item",
        "A day older",
    ]


def test_region_and_source_feeds(client: httpx.Client) -> None:
    europe = items_of(client.get("/feeds/region/europe.json").content, "json")
    assert europe and all("europe" in i["tags"] for i in europe)
    f24 = items_of(client.get("/feeds/source/france-24.rss").content, "rss")
    assert f24 and all(i["author"] == "France 24" for i in f24)
    title = feedparser.parse(client.get("/feeds/region/europe.atom").content).feed.title
    assert title == "ticker: Europe"


def test_the_self_link_is_the_url_asked_for(client: httpx.Client) -> None:
    atom = feedparser.parse(client.get("/feeds/region/europe.atom?filter=Ukraine&foo=bar").content)
    links = {link.rel: link.href for link in atom.feed.links}
    assert links["self"] == f"{client.base_url}feeds/region/europe.atom?filter=Ukraine"
    assert links["alternate"] == str(client.base_url)


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("filter=Trump", lambda i: "Trump" in i["title"]),
        ("filter_title=^Ukraine", lambda i: i["title"].startswith("Ukraine")),
        ("filter=trump&filter_case_sensitive=false", lambda i: "trump" in i["title"].lower()),
        ("filterout=Gaza", lambda i: "Gaza" not in i["title"]),
        ("filter_author=^France 24$", lambda i: i["author"] == "France 24"),
        ("filter_category=^middle-east$", lambda i: "middle-east" in i["tags"]),
        ("filterout_category=europe|france", lambda i: not {"europe", "france"} & set(i["tags"])),
        (
            "filter=Ukraine&filterout=parliament",
            lambda i: "Ukraine" in i["title"] and "parliament" not in i["title"],
        ),
    ],
)
def test_rsshub_filters(
    client: httpx.Client, query: str, check: Callable[[dict[str, Any]], bool]
) -> None:
    items = items_of(client.get(f"/feeds/all.json?{query}").content, "json")
    assert items, query
    assert all(check(i) for i in items), query
    unfiltered = items_of(client.get("/feeds/all.json").content, "json")
    assert [i["id"] for i in items] != [i["id"] for i in unfiltered]


def test_limit(client: httpx.Client) -> None:
    three = items_of(client.get("/feeds/all.rss?limit=3").content, "rss")
    assert [i["id"] for i in three] == [
        i["id"] for i in items_of(client.get("/feeds/all.rss").content, "rss")[:3]
    ]
    trumps = items_of(client.get("/feeds/all.rss?filter=Trump&limit=2").content, "rss")
    assert len(trumps) == 2 and all("Trump" in i["title"] for i in trumps)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "limit must be a positive whole number, not '0'"),
        ("limit=ten", "limit must be a positive whole number"),
        ("filter=(unclosed", "filter is not a regular expression"),
        ("filterout=" + "x" * 600, "filterout is longer than 500 characters"),
    ],
)
def test_bad_filters_are_400(client: httpx.Client, query: str, message: str) -> None:
    r = client.get(f"/feeds/all.rss?{query}")
    assert r.status_code == 400
    assert message in r.text


# --- index page and OPML ---------------------------------------------------------------


def test_the_index_page_lists_every_feed(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.text.startswith('<!DOCTYPE html>\n<html lang="en">')
    doc = lxml.html.document_fromstring(r.content)
    assert doc.find("head/meta").get("charset") == "utf-8"
    alternates = doc.xpath('//head/link[@rel="alternate"]')
    hrefs = [a.get("href") for a in alternates]
    assert len(hrefs) == len(set(hrefs)) and "feeds/all.rss" in hrefs
    assert {a.get("type") for a in alternates} == set(MEDIA.values())
    subscribe = {a.get("href") for a in doc.xpath("//body//a")}
    assert set(hrefs) | {"feeds.opml"} == subscribe
    assert client.get("/index.html").content == r.content
    for link in alternates:  # every feed listed is there, in the type the page says
        feed = client.get(link.get("href"))
        assert feed.status_code == 200
        assert feed.headers["content-type"].split(";")[0] == link.get("type")
    regions = {h.split("/")[2].split(".")[0] for h in hrefs if h.startswith("feeds/region/")}
    assert {"europe", "middle-east", "asia-pacific"} <= regions


def test_opml_lists_every_feed_once_by_absolute_url(client: httpx.Client) -> None:
    r = client.get("/feeds.opml")
    assert r.headers["content-type"] == "text/x-opml; charset=utf-8"
    root = lxml.etree.fromstring(r.content)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "ticker"
    email.utils.parsedate_to_datetime(root.findtext("head/dateModified"))
    feeds = root.xpath("//outline[@type='rss']")
    index = lxml.html.document_fromstring(client.get("/").content)
    rss_links = index.xpath('//head/link[@type="application/rss+xml"]/@href')
    assert sorted(f.get("xmlUrl") for f in feeds) == sorted(
        f"{client.base_url}{h}" for h in rss_links
    )
    assert all(f.get("text") for f in root.iter("outline"))
    assert client.get(feeds[-1].get("xmlUrl")).status_code == 200


# --- caching and concurrency --------------------------------------------------------------


def test_a_change_to_the_archive_shows_at_once(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Store(db) as store:
        store.ingest(parse_sample("f24-rail-lines"), seen=SEEN)
    with LiveServer(create_app(db, options())) as live, live.client() as client:
        first = client.get("/feeds/all.rss")
        assert (
            client.get(
                "/feeds/all.rss", headers={"If-None-Match": first.headers["etag"]}
            ).status_code
            == 304
        )
        with Store(db) as store:  # another process's `ticker ingest`, say
            store.ingest(parse("01/08/2025\nA brand new headline\nAfrica\n", now=NOW), seen=SEEN)
        again = client.get("/feeds/all.rss", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 200
        assert "A brand new headline" in again.text
        assert client.get("/feeds/region/africa.rss").status_code == 200


def test_concurrent_requests_get_the_same_bytes(live: LiveServer) -> None:
    paths = [
        f"/feeds/{key}.{fmt}"
        for key in ("all", "region/europe", "source/france-24")
        for fmt in FORMATS
    ]
    paths += [p + "?filter=a" for p in paths]

    def get(path: str) -> tuple[str, int, bytes]:
        with live.client() as c:
            r = c.get(path, headers={"Accept-Encoding": "identity"})
            return path, r.status_code, r.content

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(get, paths * 5))
    bodies: dict[str, set[bytes]] = {}
    for path, status, body in results:
        assert status == 200
        bodies.setdefault(path, set()).add(body)
    assert all(len(b) == 1 for b in bodies.values())


def test_cache_control_follows_the_ttl_and_last_modified_never_passes_now(archive: Path) -> None:
    early = dt.datetime(2025, 8, 1, 11, 0, tzinfo=dt.UTC)  # before the samples' newest dates
    opts = ServeOptions(info=FeedInfo(ttl=5, limit=7), clock=lambda: early)
    with LiveServer(create_app(archive, opts)) as live, live.client() as client:
        r = client.get("/feeds/all.rss")
        assert r.headers["cache-control"] == "public, max-age=300"
        assert "<ttl>5</ttl>" in r.text
        assert len(items_of(r.content, "rss")) == 7
        assert email.utils.parsedate_to_datetime(r.headers["last-modified"]) == early
    with LiveServer(create_app(archive, options(info=FeedInfo()))) as live, live.client() as client:
        r = client.get("/feeds/all.rss")
        assert r.headers["cache-control"] == "no-cache"  # no ttl: ask each time
        assert len(items_of(r.content, "rss")) == fill_size(archive)  # and no limit


# --- background work --------------------------------------------------------------------


def test_retry_delays_double_up_to_the_most() -> None:
    assert [retry_delay(n, 30, 600) for n in range(1, 8)] == [30, 60, 120, 240, 480, 600, 600]
    assert retry_delay(10_000, 1, 3600) == 3600


def titles(client: httpx.Client) -> list[str]:
    return [i["title"] for i in items_of(client.get("/feeds/all.json").content, "json")]


def test_a_changed_watched_file_shows_in_the_feed(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "rail.txt").write_text((SAMPLES / "f24-rail-lines.txt").read_text())
    (pages / ".hidden.txt").write_text("01/08/2025\nA hidden file is never read\nEurope\n")
    db = tmp_path / "new.db"  # made by serve, since there is something to watch
    opts = options(watch=(pages,), poll=0.05)
    with LiveServer(create_app(db, opts)) as live, live.client() as client:
        wait_for(lambda: FERRY in titles(client))
        before = client.get("/feeds/all.rss")
        with (pages / "rail.txt").open("a") as f:
            f.write("04/06/2025\nHarbour reopens after the storm\nFrance\n")
        wait_for(lambda: "Harbour reopens after the storm" in titles(client))
        assert (
            client.get(
                "/feeds/all.rss", headers={"If-None-Match": before.headers["etag"]}
            ).status_code
            == 200
        )
        (pages / "sub").mkdir()
        (pages / "sub" / "page.html").write_text(
            as_html("05/06/2025\nA saved web page is read too\nAfrica\n")
        )
        wait_for(lambda: "A saved web page is read too" in titles(client))
        assert "A hidden file is never read" not in titles(client)
        assert len(titles(client)) == len(set(titles(client)))


def test_a_failing_watched_file_is_logged_and_the_server_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (pages / "rail.txt").write_text((SAMPLES / "f24-rail-lines.txt").read_text())
    opts = options(watch=(pages,), poll=0.05, retry_first=0.1)
    with (
        caplog.at_level(logging.INFO, logger="ticker"),
        LiveServer(create_app(tmp_path / "a.db", opts)) as live,
        live.client() as client,
    ):
        wait_for(lambda: FERRY in titles(client))
        wait_for(lambda: caplog.text.count("binary data (a PNG image)") >= 2)  # retried
    assert "photo.txt: next try in 0.1 s" in caplog.text
    assert "photo.txt: next try in 0.2 s" in caplog.text


def test_refreshed_urls_are_fetched_on_the_interval_and_retried_on_failure(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rail = (SAMPLES / "f24-rail-lines.txt").read_text()
    with PageServer({"/news": page("<h1>Down for maintenance</h1>", status=503)}) as site:
        url = site.url + "/news"
        opts = options(refresh=(url,), every=0.2, retry_first=0.05)
        with (
            caplog.at_level(logging.INFO, logger="ticker"),
            LiveServer(create_app(tmp_path / "a.db", opts)) as live,
            live.client() as client,
        ):
            wait_for(lambda: site.hits["/news"] >= 3)
            assert client.get("/feeds/all.rss").status_code == 200  # still answering
            assert titles(client) == []
            site.routes["/news"] = page(as_html(rail))
            wait_for(lambda: FERRY in titles(client))
            hits = site.hits["/news"]
            wait_for(lambda: site.hits["/news"] >= hits + 2)  # and again, every 0.2 s
            # the same page again adds nothing
            wait_for(lambda: f"{url}: 0 added, 0 updated, " in caplog.text)
            assert len(titles(client)) == len(set(titles(client)))
    assert f"{url}: HTTP 503 Service Unavailable" in caplog.text
    assert f"{url}: next try in 0.05 s" in caplog.text
    assert f"{url}: next try in 0.1 s" in caplog.text
    assert re.search(rf"{re.escape(url)}: \d+ added, 0 updated, 0 unchanged", caplog.text)


def test_serving_needs_an_archive_unless_there_is_something_to_ingest(tmp_path: Path) -> None:
    from ticker.errors import StoreError

    with pytest.raises(StoreError, match="no archive there"):
        create_app(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


# --- ticker build and ticker serve ------------------------------------------------------


def test_build_writes_what_the_server_serves(
    archive: Path, live: LiveServer, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    runner = CliRunner()
    args = ["build", "--db", str(archive), "--out", str(out), "--base-url", live.url]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    written = first.stdout.splitlines()
    assert written[-1] == str(out / "index.html") and written[-2] == str(out / "feeds.opml")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert len(files) == len(written) and "feeds/region/europe.atom" in files
    with live.client() as client:
        for rel in files:
            served = client.get(rel, headers={"Accept-Encoding": "identity"})
            assert (out / rel).read_bytes() == served.content, rel
            stamp = email.utils.parsedate_to_datetime(served.headers["last-modified"]).timestamp()
            assert (out / rel).stat().st_mtime == stamp, rel
            assert oct((out / rel).stat().st_mode & 0o777) == "0o644"
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and again.stdout == ""
    assert f"0 files written, {len(files)} already up to date" in again.stderr


def test_build_without_a_base_url_links_relatively(archive: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--db", str(archive), "-o", str(tmp_path)])
    assert result.exit_code == 0
    opml = lxml.etree.parse(str(tmp_path / "feeds.opml"))
    assert opml.xpath("//outline/@xmlUrl")[0] == "feeds/all.rss"
    assert 'rel="self"' not in (tmp_path / "feeds/all.atom").read_text()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["build", "--db", "missing.db", "-o", "out"], 1, "missing.db: no archive there"),
        (["build", "--db", "x.db"], 2, "Missing option '-o' / '--out'"),
        (["build", "--db", "x.db", "-o", "o", "--base-url", "ftp://x/"], 2, "base URL must be"),
        (["serve", "--db", "missing.db"], 1, "missing.db: no archive there"),
        (["serve", "--every", "0s"], 2, "a duration must be more than zero"),
        (["serve", "--every", "soon"], 2, "'soon' is not a duration like 90s, 15m or 1h30m"),
        (["serve", "--refresh", "example.org"], 2, "'example.org' is not an http(s) URL"),
        (["serve", "--language", "not a tag"], 2, "is not a language tag"),
        (["serve", "--watch", "no-such-dir"], 2, "does not exist"),
    ],
)
def test_serve_and_build_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    assert message in result.stderr


def test_serve_on_a_port_in_use_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr == f"ticker: cannot listen on 127.0.0.1:{port}: Address already in use\n"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("90s", 90),
        ("15m", 900),
        ("1h30m", 5400),
        ("1h 30m", 5400),
        ("0.5s", 0.5),
        ("1d", 86400),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert DurationParam().convert(text, None, None) == seconds


@pytest.mark.parametrize("command", ["ingest", "serve", "build"])
def test_every_new_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "--db" in result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_ticker_serve_from_the_shell(archive: Path) -> None:
    port = free_port()
    ticker = Path(sys.executable).with_name("ticker")
    proc = subprocess.Popen(
        [str(ticker), "serve", "--db", str(archive), "--port", str(port), "--ttl", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/feeds/all.rss"

        def up() -> bool:
            try:
                return httpx.get(url, trust_env=False).status_code == 200
            except httpx.TransportError:
                return proc.poll() is not None

        wait_for(up)
        r = httpx.get(url, trust_env=False)
        assert r.headers["cache-control"] == "public, max-age=1800"
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=15)
    assert f"ticker: serving {archive}: {fill_size(archive)} items" in output
    assert f"Uvicorn running on http://127.0.0.1:{port}" in output


def fill_size(path: Path) -> int:
    with Store(path, readonly=True) as store:
        return len(store)
