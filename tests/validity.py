"""Is this feed valid? What a program can check of RSS 2.0, Atom 1.0 and JSON Feed 1.1.

- Every format: well-formed (lxml's strict parser; ``json.loads``), read by feedparser
  without ``bozo`` (XML), one entry per item, item ids present and unique.
- RSS 2.0: ``rss version="2.0"``, one ``channel`` with ``title``, ``link``,
  ``description``; each item a ``title`` or ``description`` and a ``guid``; every date
  RFC 822 with a zone.
- Atom 1.0: valid against the RELAX NG schema of RFC 4287 (``tests/atom.rng``), plus the
  prose rules the schema leaves out: one ``id``, ``title`` and ``updated`` per feed and
  entry, ids absolute IRIs, an author for every entry, content or an alternate link,
  dates RFC 3339 with a zone (xsd:dateTime allows none).
- JSON Feed 1.1: :func:`tests.test_feeds.check_json_feed`.

:func:`check_feed` raises AssertionError saying what is wrong, or returns the entry ids.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from pathlib import Path

import feedparser
import lxml.etree

from tests.test_feeds import RFC3339, check_json_feed

ATOM = "{http://www.w3.org/2005/Atom}"
RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" \d{4} \d\d:\d\d:\d\d [+-]\d{4}\Z"
)
_SCHEMA = lxml.etree.RelaxNG(lxml.etree.parse(str(Path(__file__).with_name("atom.rng"))))


def check_feed(data: bytes, fmt: str) -> list[str]:
    """The ids of the feed's entries, in order, once ``data`` passes every check of
    ``fmt`` (``rss``, ``atom`` or ``json``)."""
    if fmt == "json":
        return [str(item["id"]) for item in check_json_feed(data)["items"]]
    root = lxml.etree.fromstring(data)  # strict: raises on anything not well-formed
    ids = check_rss(root) if fmt == "rss" else check_atom(root)
    assert len(set(ids)) == len(ids), "entry ids must be unique"
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.id for e in parsed.entries] == ids
    return ids


def _one(parent: lxml.etree._Element, tag: str) -> lxml.etree._Element:
    found = parent.findall(tag)
    assert len(found) == 1, f"{parent.tag} must have one {tag}, has {len(found)}"
    return found[0]


def _rfc822(text: str | None) -> dt.datetime:
    assert text is not None and RFC822.match(text), f"not an RFC 822 date: {text!r}"
    return email.utils.parsedate_to_datetime(text)


def _rfc3339(text: str | None) -> dt.datetime:
    assert text is not None and RFC3339.match(text), f"not an RFC 3339 date: {text!r}"
    return dt.datetime.fromisoformat(text)


def check_rss(root: lxml.etree._Element) -> list[str]:
    assert root.tag == "rss" and root.get("version") == "2.0", root.tag
    channel = _one(root, "channel")
    for tag in ("title", "link", "description"):
        assert _one(channel, tag).text, f"empty channel {tag}"
    assert re.match(r"https?://", channel.findtext("link") or "")
    for tag in ("lastBuildDate", "pubDate"):
        if channel.find(tag) is not None:
            _rfc822(channel.findtext(tag))
    ids = []
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description"), "item without text"
        guid = _one(item, "guid")
        assert guid.text and guid.text.strip(), "empty guid"
        ids.append(guid.text)
        if item.find("pubDate") is not None:
            _rfc822(item.findtext("pubDate"))
        for category in item.findall("category"):
            assert category.text, "empty category"
    return ids


def check_atom(root: lxml.etree._Element) -> list[str]:
    assert _SCHEMA.validate(root), _SCHEMA.error_log
    assert root.tag == f"{ATOM}feed", root.tag
    feed_authors = root.findall(f"{ATOM}author")
    _check_atom_common(root)
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        ids.append(_check_atom_common(entry))
        assert feed_authors or entry.findall(f"{ATOM}author"), "entry without an author"
        alternate = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert entry.find(f"{ATOM}content") is not None or alternate, "no content, no link"
        for tag in ("published",):
            if entry.find(f"{ATOM}{tag}") is not None:
                _rfc3339(entry.findtext(f"{ATOM}{tag}"))
    return ids


def _check_atom_common(element: lxml.etree._Element) -> str:
    """The rules feed and entry share; returns the id."""
    ident = _one(element, f"{ATOM}id").text or ""
    assert re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S", ident), f"id is not an absolute IRI: {ident!r}"
    _one(element, f"{ATOM}title")
    _rfc3339(_one(element, f"{ATOM}updated").text)
    alternates = [
        (link.get("type"), link.get("hreflang"))
        for link in element.findall(f"{ATOM}link")
        if link.get("rel", "alternate") == "alternate"
    ]
    assert len(set(alternates)) == len(alternates), "two alternate links of one type"
    return ident
