"""The site of an archive: every feed it has, an index page and an OPML list of them.

The server (:mod:`ticker.server`) answers with these documents and ``ticker build``
writes them as files, laid out the same way::

    index.html                      every feed, with autodiscovery links and subscribe links
    feeds.opml                      OPML 2.0: every feed (its RSS), for a reader's import
    feeds/all.{rss,atom,json}       every item
    feeds/region/ID.{rss,atom,json} the items of one region (ID: the region id's slug)
    feeds/source/ID.{rss,atom,json} the items of one source (ID: ticker.profiles.slug)

A :class:`Site` is one state of the archive (:meth:`ticker.store.Store.contents`). Its
items are timed once, together (:func:`ticker.feeds.timeline`), so an item shows the same
time in every feed and format. Feeds hold the newest ``limit`` items, newest first; items
of the same time go most recently first seen first, then in page order.

Feed URLs take the query filters RSSHub users know (:class:`Filters`): ``filter``,
``filter_title|description|author|category``, ``filterout`` (and the same four),
``filter_case_sensitive`` and ``limit``.

A document's ``last_modified`` is its newest entry's time or the last time one of the
feed's items was added or completed, whichever is later: a feed whose items only gained
a date still reads as modified.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urljoin, urlsplit

import regex

from .errors import FilterError
from .feeds import (
    DEFAULT_LINK,
    DEFAULT_TITLE,
    EPOCH,
    FORMATS,
    FeedInfo,
    categories,
    clean,
    save,
    split,
)
from .model import Record
from .store import Contents

ALL = "all"
#: the groups a site has a feed for, besides ``all``, and their headings on the index
GROUPS = {"region": "Regions", "source": "Sources"}
FEEDS_DIR = "feeds"
INDEX = "index.html"
OPML = "feeds.opml"
HTML_TYPE = "text/html; charset=utf-8"
OPML_TYPE = "text/x-opml; charset=utf-8"
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}

DEFAULT_TTL = 15
DEFAULT_LIMIT = 100


#: what the feeds of a site say and hold unless told otherwise
DEFAULT_INFO = FeedInfo(ttl=DEFAULT_TTL, limit=DEFAULT_LIMIT)


def checked_base_url(url: str) -> str:
    """``url`` if it can be a site's URL (absolute http(s), no query), ending in ``/``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or " " in url:
        raise ValueError(f"the base URL must be an absolute http(s) URL, not {url!r}")
    return url if url.endswith("/") else url + "/"


class Document(NamedTuple):
    """One document of the site, ready to send or write."""

    body: bytes
    media_type: str
    last_modified: dt.datetime | None


class Feed(NamedTuple):
    """One feed of the site, in every format: its key (``all``, ``region/uk``), what it
    says of itself, all its items (timed, newest first), and when one last changed."""

    key: str
    info: FeedInfo
    items: list[Record]
    changed: dt.datetime | None


# --- filters ---------------------------------------------------------------------------

#: the fields a filter can look at, as RSSHub names them
FILTER_FIELDS = ("title", "description", "author", "category")
#: seconds all the regular expressions of one request may take together
FILTER_BUDGET = 0.5
MAX_PATTERN = 500


@dataclass(frozen=True, slots=True)
class Filters:
    """RSSHub's query filters (its ``lib/middleware/parameter.ts``), over an item's
    title (headline), description (summary, else headline), author (source) and
    categories (region and kicker, slug or label).

    - ``filter``: keep items where the regular expression matches any of the four;
      ``filter_title``… (ignored when ``filter`` is given): keep items where each given
      one matches its field;
    - ``filterout``: drop items whose title or description matches (``filterout_title``
      and ``filterout_description`` replace it for their field); ``filterout_author``,
      ``filterout_category``: drop items whose field matches;
    - ``filter_case_sensitive=false``: all of them ignore case;
    - ``limit``: at most this many items (never more than the site's limit).

    Filters apply before the limit: a filtered feed holds the newest matching items.
    """

    filter: str | None = None
    filter_title: str | None = None
    filter_description: str | None = None
    filter_author: str | None = None
    filter_category: str | None = None
    filterout: str | None = None
    filterout_title: str | None = None
    filterout_description: str | None = None
    filterout_author: str | None = None
    filterout_category: str | None = None
    filter_case_sensitive: bool = True
    limit: int | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        """The filters of a URL's query; other parameters are ignored. FilterError says
        what is wrong with a bad one."""
        values: dict[str, str | bool | int | None] = {}
        for f in fields(cls):
            raw = query.get(f.name)
            if raw is None or raw == "":
                continue
            if f.name == "limit":
                if not raw.isdigit() or int(raw) < 1:
                    raise FilterError(f"limit must be a positive whole number, not {raw!r}")
                values["limit"] = int(raw)
            elif f.name == "filter_case_sensitive":
                values[f.name] = raw.lower() != "false"
            else:
                values[f.name] = _checked(f.name, raw)
        return cls(**values)  # type: ignore[arg-type]

    def query(self) -> str:
        """The filters as a canonical query string ('' for none)."""
        params: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "filter_case_sensitive":
                if not value:
                    params.append((f.name, "false"))
            elif value is not None:
                params.append((f.name, str(value)))
        return urlencode(params)

    def apply(self, items: Sequence[Record], limit: int | None) -> list[Record]:
        """The items that pass, at most ``limit`` and ``self.limit`` of them, in order.
        FilterError when the expressions take longer than :data:`FILTER_BUDGET`."""
        limit = min(n for n in (limit, self.limit, len(items)) if n is not None)
        given = {name: getattr(self, name) for name in _PATTERNS if getattr(self, name)}
        if not given:
            return list(items[:limit])
        if limit == 0:
            return []
        flags = 0 if self.filter_case_sensitive else regex.IGNORECASE
        match = _Matcher({name: regex.compile(p, flags) for name, p in given.items()})
        kept = []
        for r in items:
            if match.passes(r):
                kept.append(r)
                if len(kept) == limit:
                    break
        return kept


class _Matcher:
    """Compiled filters, and the time they may still take."""

    def __init__(self, patterns: dict[str, regex.Pattern[str]]) -> None:
        self.patterns = patterns
        self.deadline = time.monotonic() + FILTER_BUDGET

    def passes(self, r: Record) -> bool:
        title = clean(r.headline)
        fields = {
            "title": [title],
            "description": [clean(r.summary) or title],
            "author": [clean(r.source)],
            "category": [v for c in categories(r) for v in (c.term, c.label)],
        }
        if "filter" in self.patterns:
            if not any(self.found("filter", fields[f]) for f in FILTER_FIELDS):
                return False
        else:
            for f in FILTER_FIELDS:
                name = f"filter_{f}"
                if name in self.patterns and not self.found(name, fields[f]):
                    return False
        for f in FILTER_FIELDS:
            name = f"filterout_{f}"
            if name not in self.patterns and f in ("title", "description"):
                name = "filterout"
            if name in self.patterns and self.found(name, fields[f]):
                return False
        return True

    def found(self, name: str, texts: list[str]) -> bool:
        """Whether pattern ``name`` is found in one of ``texts``."""
        pattern = self.patterns[name]
        for text in texts:
            remaining = self.deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise TimeoutError
                if pattern.search(text, timeout=remaining):
                    return True
            except TimeoutError:
                raise FilterError("the filters take too long; simplify them") from None
        return False


_PATTERNS = tuple(
    f"{kind}{suffix}"
    for kind in ("filter", "filterout")
    for suffix in ("", *(f"_{f}" for f in FILTER_FIELDS))
)


def _checked(name: str, pattern: str) -> str:
    if len(pattern) > MAX_PATTERN:
        raise FilterError(f"{name} is longer than {MAX_PATTERN} characters")
    try:
        regex.compile(pattern)
    except regex.error as exc:
        raise FilterError(f"{name} is not a regular expression ({exc})") from None
    return pattern


# --- the site --------------------------------------------------------------------------


class Site:
    """Every document of one state of the archive.

    ``info`` is what every feed says of itself (its title, description, language, ttl),
    how items are dated (zone, profiles) and linked, and ``info.limit`` the newest items
    a feed holds; each feed gets its own key, title (``title: Europe``) and self link.
    ``base_url`` is where the site is served, when known beforehand.
    """

    def __init__(
        self, contents: Contents, info: FeedInfo = DEFAULT_INFO, *, base_url: str | None = None
    ) -> None:
        self.generation = contents.generation
        self.info = info
        self.base_url = checked_base_url(base_url) if base_url else None
        stored = contents.items
        # an archive where nothing has a date dates its items when they were last added
        undated = max((s.first_seen for s in stored), default=EPOCH)
        info = replace(info, undated=undated)
        # stored items are unique, so source and headline as stored tell them apart
        changed = {(s.record.source, s.record.headline): s.changed for s in stored}
        regions = split([s.record for s in stored], info, "region", "")  # all, then regions
        parts = regions + split(regions[0].items, info, "source", "")[1:]  # already timed
        self.feeds: dict[str, Feed] = {}
        for p in parts:
            when = max((changed[r.source, r.headline] for r in p.items), default=None)
            self.feeds[p.path] = Feed(p.path, p.info, p.items, when)

    def feed(
        self, key: str, fmt: str, *, base_url: str | None = None, filters: Filters | None = None
    ) -> Document | None:
        """The feed ``key`` in format ``fmt``, or None when the site has no such feed.

        ``base_url`` is where the site is served when the options do not say (the
        server's, from the request): it makes the feed's self link and home page.
        """
        feed = self.feeds.get(key)
        if feed is None or fmt not in FORMATS:
            return None
        filters = filters or Filters()
        form = FORMATS[fmt]
        base_url = self.base_url or base_url
        items = filters.apply(feed.items, self.info.limit)
        self_url = None
        if base_url:
            query = filters.query()
            self_url = urljoin(base_url, feed_path(key, fmt)) + (f"?{query}" if query else "")
        info = replace(feed.info, self_url=self_url, link=base_url or DEFAULT_LINK)
        newest = items[0].published if items else None
        return Document(form.write(items, info), form.media_type, _later(newest, feed.changed))

    def index(self) -> Document:
        """The index page: plain HTML5 listing every feed in every format."""
        info = self.info
        head = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_text(info.title)}</title>",
        ]
        for feed in self.feeds.values():
            for fmt, form in FORMATS.items():
                head.append(
                    f'<link rel="alternate" type="{form.media_type}"'
                    f' title="{_attr(feed.info.title)} ({FORMAT_NAMES[fmt]})"'
                    f' href="{_attr(feed_path(feed.key, fmt))}">'
                )
        head.append(f'<link rel="outline" type="text/x-opml" title="OPML" href="{OPML}">')
        head.append(
            "<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;"
            "padding:0 1rem;line-height:1.4}table{border-collapse:collapse;width:100%}"
            "th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ddd}"
            "td.n{text-align:right}</style>"
        )
        total = len(self.feeds[ALL].items)
        newest = f"; each feed holds the newest {info.limit}" if info.limit else ""
        body = [
            "</head>",
            "<body>",
            f"<h1>{_text(info.title)}</h1>",
            f"<p>{_text(info.description)}. {total} item{'s' if total != 1 else ''}{newest}.</p>",
            f'<p>Subscribe to a feed below, or import <a href="{OPML}">every feed (OPML)</a>'
            " into your reader.</p>",
        ]
        sections = [("All items", [self.feeds[ALL]])]
        for group, heading in GROUPS.items():
            sections.append((heading, [f for k, f in self.feeds.items() if _group(k) == group]))
        for heading, feeds in sections:
            if not feeds:
                continue
            body += [
                f"<h2>{heading}</h2>",
                "<table>",
                "<thead><tr><th>Feed</th><th>Items</th><th>Subscribe</th></tr></thead>",
                "<tbody>",
            ]
            for feed in feeds:
                links = " · ".join(
                    f'<a href="{_attr(feed_path(feed.key, fmt))}" type="{form.media_type}">'
                    f"{FORMAT_NAMES[fmt]}</a>"
                    for fmt, form in FORMATS.items()
                )
                body.append(
                    f"<tr><td>{_text(feed.info.title)}</td>"
                    f'<td class="n">{len(feed.items)}</td><td>{links}</td></tr>'
                )
            body += ["</tbody>", "</table>"]
        body += ["</body>", "</html>", ""]
        page = "\n".join(head + body).encode()
        return Document(page, HTML_TYPE, self._last_modified())

    def opml(self, base_url: str | None = None) -> Document:
        """OPML 2.0 listing every feed (as RSS), grouped as on the index page. Feed URLs
        are absolute when the site's URL is known, else relative to the OPML file."""
        base_url = self.base_url or base_url
        title = clean(self.info.title) or DEFAULT_TITLE
        root = ET.Element("opml", version="2.0")
        head = ET.SubElement(root, "head")
        ET.SubElement(head, "title").text = title
        modified = self._last_modified()
        if modified is not None:
            ET.SubElement(head, "dateModified").text = email.utils.format_datetime(modified)
        ET.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
        body = ET.SubElement(root, "body")

        def outline(parent: ET.Element, feed: Feed) -> None:
            name = clean(feed.info.title) or title
            url = feed_path(feed.key, "rss")
            attrs = {"text": name, "title": name, "type": "rss"}
            attrs["xmlUrl"] = urljoin(base_url, url) if base_url else url
            if base_url:
                attrs["htmlUrl"] = base_url
            ET.SubElement(parent, "outline", attrs)

        outline(body, self.feeds[ALL])
        for group, heading in GROUPS.items():
            members = [f for k, f in self.feeds.items() if _group(k) == group]
            if members:
                folder = ET.SubElement(body, "outline", {"text": heading, "title": heading})
                for feed in members:
                    outline(folder, feed)
        ET.indent(root)
        data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
        return Document(data, OPML_TYPE, modified)

    def _last_modified(self) -> dt.datetime | None:
        feed = self.feeds[ALL]
        return _later(feed.items[0].published if feed.items else None, feed.changed)

    def documents(self) -> Iterable[tuple[str, Document]]:
        """Every document of the site with its path: the feeds, then OPML and index."""
        for key in self.feeds:
            for fmt in FORMATS:
                doc = self.feed(key, fmt)
                assert doc is not None
                yield feed_path(key, fmt), doc
        yield OPML, self.opml()
        yield INDEX, self.index()


def feed_path(key: str, fmt: str) -> str:
    """Where feed ``key`` in format ``fmt`` is, relative to the site: feeds/all.rss."""
    return f"{FEEDS_DIR}/{key}{FORMATS[fmt].suffix}"


def _group(key: str) -> str:
    return key.partition("/")[0] if "/" in key else ""


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    known = [t for t in (a, b) if t is not None]
    return max(known) if known else None


def _text(s: str) -> str:
    return html.escape(clean(s), quote=False)


def _attr(s: str) -> str:
    return html.escape(clean(s), quote=True)


class Built(NamedTuple):
    written: list[Path]
    unchanged: list[Path]


def build(site: Site, out: Path) -> Built:
    """Write every document of ``site`` under ``out``.

    Each file is written atomically (:func:`ticker.feeds.save`), feeds first and the
    index last, so a web server serving ``out`` meanwhile never shows half a file or a
    link to a feed not yet there. A file whose bytes are already right is left alone; a
    written one gets its document's time as its modification time, so a static server's
    Last-Modified is the one ``ticker serve`` would send.
    """
    built = Built([], [])
    for rel, doc in site.documents():
        path = out / rel
        try:
            if path.read_bytes() == doc.body:
                built.unchanged.append(path)
                continue
        except OSError:
            pass
        save(path, doc.body)
        if doc.last_modified is not None:
            stamp = doc.last_modified.timestamp()
            os.utime(path, (stamp, stamp))
        built.written.append(path)
    return built
