"""Feeds of the unique items: RSS 2.0, Atom 1.0 (through feedgen) and JSON Feed 1.1.

Every writer has one signature, ``(items, info) -> bytes``; :data:`FORMATS` maps a format
name to its writer, media type and file suffix. feedgen is imported here and nowhere else.
What the three formats share is decided once, by pure functions:

Ids
    :func:`ticker.unique.item_id`, a ``tag:`` URI from the source and the normalized
    headline (not the date: an item first seen undated keeps its id once a date turns up).
    The same item has the same id in every run, format and file.

Times (:func:`timeline`)
    An item's time is its ``published`` when the record has one (an age resolved against
    ``--now``, or a printed date and clock time); else its ``date`` (and ``time``) in its
    source's zone from the profiles, else in the feed's zone (``--tz``, default UTC). An
    item known only to the day is dated 00:00:00 that day in that zone. An item with no
    date at all takes the newest time in the feed (``info.undated``, the Unix epoch unless
    the CLI's ``--now`` was given, when nothing has one).

    Items go newest first, ties in page order. Then, from the bottom of the feed up, an
    item whose time is not later than the one below it moves to one second after it. So
    every entry has its own ``updated``, strictly decreasing down the feed, and a reader
    that sorts by date shows page order: the three items of one day printed on a page get
    00:00:02, 00:00:01 and 00:00:00, the first printed latest. The feed's own time (RSS
    ``lastBuildDate``, Atom ``updated``) is its newest entry's, never the clock's: the
    same input gives the same bytes.

Text (:func:`clean`)
    Characters XML 1.0 forbids or discourages (C0 and C1 controls, lone surrogates,
    noncharacters) are removed, whitespace runs collapsed, the result NFC, so no record
    can crash a writer or make a feed malformed.

Categories (:func:`categories`)
    A region and a kicker each become a category whose term is a slug
    (``middle-east``, ``analysis``): stable across the spellings pages print
    (``Asia / Pacific``, ``Asia-Pacific``) and free of the ``/`` RSS reads as hierarchy. The
    taxonomy is named by a ``tag:`` URI (:data:`REGION_SCHEME`, :data:`KICKER_SCHEME`);
    the printed label is kept where the format has room for it (Atom ``label``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import os
import re
import stat
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, urljoin, urlsplit

import orjson
from feedgen.feed import FeedGenerator

from .model import Record
from .profiles import Vocabulary, load_vocabulary, slug
from .unique import ID_PREFIX, item_id, unique

_TAG = ID_PREFIX.removesuffix("item/")  # tag:ticker.invalid,2025:
#: The taxonomies of the categories (RSS ``domain``, Atom ``scheme``).
REGION_SCHEME = _TAG + "region"
KICKER_SCHEME = _TAG + "kicker"
#: Atom feed ids, when there is no self URL: this plus the feed's key (``all``, ``region/uk``).
FEED_ID_PREFIX = _TAG + "feed/"

DEFAULT_TITLE = "ticker"
DEFAULT_DESCRIPTION = "Headlines ticker found in news-teaser text"
#: A reserved name (RFC 6761) that never resolves: honest for "no home page", and valid.
DEFAULT_LINK = "https://ticker.invalid/"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
UNTITLED = "(untitled)"

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

#: The fields a ``--link-template`` may use; each value is percent-encoded.
LINK_FIELDS = ("headline", "source", "id")

# feedgen formats RSS dates by switching the process-wide locale: one render at a time.
_RENDER = threading.Lock()

_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*\Z")


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedInfo:
    """What a feed says about itself, and how its items are dated and linked."""

    title: str = DEFAULT_TITLE
    #: the home page (RSS ``link``, Atom ``link rel=alternate``, JSON ``home_page_url``)
    link: str = DEFAULT_LINK
    #: where the feed itself is served; with a split, the URL of the output directory
    self_url: str | None = None
    description: str = DEFAULT_DESCRIPTION
    #: a language tag such as ``en`` or ``fr-FR``
    language: str | None = None
    #: minutes a reader may cache the feed (RSS only)
    ttl: int | None = None
    #: at most this many items, the newest
    limit: int | None = None
    #: a URL with ``{headline}``, ``{source}`` or ``{id}``: each item's link
    link_template: str | None = None
    #: the zone of dates whose source has no zone in the profiles
    zone: dt.tzinfo = dt.UTC
    #: profile files whose sources' zones date the items (besides the built-in ones)
    profiles: tuple[str, ...] = ()
    #: the time of undated items and of an empty feed when no item has a time
    undated: dt.datetime = EPOCH
    #: which feed of a split this is: its file name and the end of its Atom id
    key: str = "all"

    def __post_init__(self) -> None:
        for name in ("link", "self_url"):
            url = getattr(self, name)
            if url is not None and not _is_absolute(url):
                raise ValueError(f"{name} must be an absolute http(s) URL, not {url!r}")
        if self.link_template is not None:
            sample = dict.fromkeys(LINK_FIELDS, "x")
            try:
                url = self.link_template.format_map(sample)
            except (KeyError, IndexError, ValueError) as exc:
                fields = ", ".join(f"{{{f}}}" for f in LINK_FIELDS)
                raise ValueError(f"link template may use only {fields} ({exc})") from exc
            if not _is_absolute(url):
                raise ValueError(f"link template must make absolute http(s) URLs, not {url!r}")
        if self.language is not None and not _LANGUAGE.match(self.language):
            raise ValueError(f"{self.language!r} is not a language tag like en or fr-FR")
        for name in ("ttl", "limit"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be a positive number")
        if self.undated.tzinfo is None:
            raise ValueError("the time of undated items must be timezone-aware")


def _is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


# --- text and categories ---------------------------------------------------------------


def _unsafe() -> re.Pattern[str]:
    """Characters XML 1.0 forbids (C0 controls but tab/newline/CR, surrogates, U+FFFE/FFFF)
    or discourages (DEL, C1 controls, the other noncharacters)."""
    ranges = ["\x00-\x08\x0b\x0c\x0e-\x1f", "\x7f-\x9f", "\ud800-\udfff", "\ufdd0-\ufdef"]
    ranges += [chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)]
    return re.compile(f"[{''.join(ranges)}]")


_UNSAFE = _unsafe()


def clean(text: str | None) -> str:
    """``text`` made safe for any feed: unsafe characters removed, whitespace collapsed, NFC."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", _UNSAFE.sub("", text)).split())


class Category(NamedTuple):
    """A category in the three formats' common shape (Atom's: scheme, term, label)."""

    scheme: str
    term: str
    label: str


def categories(record: Record) -> tuple[Category, ...]:
    """The record's region, then its kicker, as categories (see the module docstring)."""
    found = []
    for scheme, term, label in (
        (REGION_SCHEME, record.region_id or record.region, record.region),
        (KICKER_SCHEME, record.kicker, record.kicker),
    ):
        key = slug(clean(term))
        if key:
            found.append(Category(scheme, key, clean(label) or key))
    return tuple(found)


# --- times -----------------------------------------------------------------------------

_SECOND = dt.timedelta(seconds=1)
# Instants are kept where every format can write them with a four-digit year.
_EARLIEST = dt.datetime(1000, 1, 1, tzinfo=dt.UTC)
_LATEST = dt.datetime(9998, 12, 31, tzinfo=dt.UTC)


def _zone(record: Record, info: FeedInfo, vocab: Vocabulary) -> dt.tzinfo:
    known = vocab.source(record.source)
    return known.zone if known is not None and known.zone is not None else info.zone


def _clock(text: str | None) -> dt.time:
    try:
        return dt.time.fromisoformat(text) if text else dt.time()
    except ValueError:
        return dt.time()


def _instant(record: Record, info: FeedInfo, vocab: Vocabulary) -> dt.datetime | None:
    """What the record says of its time, aware, in the zone it should be shown in."""
    if record.published is not None:
        p = record.published
        return p if p.tzinfo is not None else p.replace(tzinfo=_zone(record, info, vocab))
    if record.date is not None:
        zone = _zone(record, info, vocab)
        return dt.datetime.combine(record.date, _clock(record.time), tzinfo=zone)
    return None


def _utc(when: dt.datetime) -> dt.datetime:
    """``when`` in UTC, whole seconds, inside the years every format can write."""
    try:
        utc = when.astimezone(dt.UTC)
    except OverflowError:
        return _EARLIEST if when.year < 5000 else _LATEST
    return min(max(utc, _EARLIEST), _LATEST).replace(microsecond=0)


def _shown(utc: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """The instant in the item's zone, unless that zone's offset is not whole minutes
    (RFC 822 and RFC 3339 cannot say it: old local mean times) or leaves the years."""
    local = utc.astimezone(zone)
    offset = local.utcoffset()
    if offset is None or offset % dt.timedelta(minutes=1) or not 1000 <= local.year <= 9998:
        return utc
    return local


def timeline(items: Sequence[Record], info: FeedInfo) -> list[Record]:
    """The unique items newest first, each with its own feed time as ``published``.

    See "Times" in the module docstring. Items are merged by :func:`~ticker.unique.unique`
    first, so no two entries share an id. Running it again on its result, or on any part
    of it, changes nothing: a split feed shows each item at the same time as the full one.
    """
    items = unique(items)
    vocab = load_vocabulary(info.profiles)
    instants = [_instant(r, info, vocab) for r in items]
    known = [t for t in instants if t is not None]
    undated = max(known, key=_utc) if known else info.undated
    moments = [t or undated for t in instants]
    utc = [_utc(t) for t in moments]
    order = sorted(range(len(items)), key=utc.__getitem__, reverse=True)  # stable
    floor: dt.datetime | None = None
    for i in reversed(order):
        if floor is not None and utc[i] <= floor:
            utc[i] = floor + _SECOND
        floor = utc[i]
    return [items[i]._replace(published=_shown(utc[i], moments[i].tzinfo)) for i in order]


# --- entries ---------------------------------------------------------------------------


class Entry(NamedTuple):
    """One item as every writer sees it: ids, times and text already decided."""

    id: str
    when: dt.datetime
    title: str
    #: the text every entry carries: the summary, else the headline
    content: str
    summary: str | None
    source: str | None
    categories: tuple[Category, ...]
    link: str | None


def _link(template: str | None, record: Record, ident: str) -> str | None:
    if template is None:
        return None
    values = {"headline": clean(record.headline), "source": clean(record.source), "id": ident}
    return template.format_map({k: quote(v, safe="") for k, v in values.items()})


def entries(items: Sequence[Record], info: FeedInfo) -> list[Entry]:
    """The entries of a feed of ``items``: newest first, at most ``info.limit``."""
    timed = timeline(items, info)[: info.limit]
    out = []
    for r in timed:
        assert r.published is not None  # timeline dates every item
        ident = item_id(r)
        title = clean(r.headline) or UNTITLED
        summary = clean(r.summary) or None
        out.append(
            Entry(
                id=ident,
                when=r.published,
                title=title,
                content=summary or title,
                summary=summary,
                source=clean(r.source) or None,
                categories=categories(r),
                link=_link(info.link_template, r, ident),
            )
        )
    return out


def _updated(es: Sequence[Entry], info: FeedInfo) -> dt.datetime:
    return es[0].when if es else _shown(_utc(info.undated), info.undated.tzinfo)


def _feed_id(info: FeedInfo) -> str:
    return info.self_url or FEED_ID_PREFIX + info.key


# --- writers ---------------------------------------------------------------------------


def _generator(info: FeedInfo, es: Sequence[Entry], media_type: str) -> Any:
    """A feedgen generator with the channel fields both XML formats share."""
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    title = clean(info.title) or DEFAULT_TITLE
    fg.title(title)
    fg.id(_feed_id(info))
    if info.self_url:
        fg.link(href=info.self_url, rel="self", type=media_type)
    fg.link(href=info.link, rel="alternate")  # last: feedgen's RSS <link> is the last link
    fg.description(clean(info.description) or DEFAULT_DESCRIPTION)  # Atom: subtitle
    if info.language:
        fg.language(info.language)
    fg.generator("ticker")
    updated = _updated(es, info)
    fg.updated(updated)  # feedgen would stamp "now" into both otherwise
    fg.lastBuildDate(updated)
    fg.author(name=title)  # Atom: entries without a source inherit it
    return fg


def _render(fg: Any, method: str) -> bytes:
    with _RENDER:
        data: bytes = getattr(fg, method)(pretty=True, encoding="UTF-8")
    return data


def write_rss(items: Sequence[Record], info: FeedInfo) -> bytes:
    """RSS 2.0 (RSS Advisory Board spec).

    Channel: ``title``, ``link`` and ``description`` (all three required) from ``info``;
    ``atom:link rel="self"`` from ``info.self_url`` (the Board's best practice);
    ``language``, ``ttl``; ``lastBuildDate`` is the newest item's time, never the clock.

    Item, from a record:

    - ``headline`` → ``title``;
    - :func:`~ticker.unique.item_id` → ``guid isPermaLink="false"``: a stable id, not a URL;
    - feed time (see :func:`timeline`) → ``pubDate``, RFC 822 with the numeric offset of
      the item's zone, so a date-only item reads as that day where it was printed;
    - ``region_id`` and kicker slug → ``category`` with ``domain`` naming the taxonomy;
    - ``summary`` → ``description``, HTML-escaped (readers take descriptions as HTML);
    - ``source`` → ``dc:creator`` (RSS ``author`` must be an e-mail address);
    - ``info.link_template`` → ``link``. Items have no link of their own otherwise.
    """
    es = entries(items, info)
    fg = _generator(info, es, RSS_TYPE)
    if info.ttl:
        fg.ttl(info.ttl)
    for e in es:
        fe = fg.add_entry(order="append")  # feedgen prepends by default
        fe.guid(e.id, permalink=False)
        fe.title(e.title)
        fe.pubDate(e.when)
        if e.summary:
            fe.description(html.escape(e.summary, quote=False))
        for c in e.categories:
            fe.category(term=c.term, scheme=c.scheme)  # no label: RSS would print it
        if e.source:
            fe.dc.dc_creator(e.source)
        if e.link:
            fe.link(href=e.link, rel="alternate")
    return _render(fg, "rss_str")


def write_atom(items: Sequence[Record], info: FeedInfo) -> bytes:
    """Atom 1.0 (RFC 4287).

    Feed: ``id`` is ``info.self_url`` or ``tag:ticker.invalid,2025:feed/<key>``; ``title``,
    ``subtitle`` (the description), ``link rel="alternate"`` and ``rel="self"``,
    ``xml:lang``; ``author`` is the feed title, so entries without a source still have
    one (RFC 4287 §4.1.2); ``updated`` is the newest entry's time, never the clock.

    Entry, from a record:

    - :func:`~ticker.unique.item_id` → ``id`` (a ``tag:`` URI, a valid IRI);
    - ``headline`` → ``title`` (type text);
    - feed time → ``updated`` and ``published``, RFC 3339 with the item zone's offset;
    - ``summary``, else ``headline`` → ``content`` (type text): an entry without an
      alternate link must carry content (§4.1.1), and items have no link of their own;
    - ``source`` → ``author/name``;
    - ``region_id``/``region`` and kicker → ``category`` ``term``/``label`` with ``scheme``;
    - ``info.link_template`` → ``link rel="alternate"``.
    """
    es = entries(items, info)
    fg = _generator(info, es, ATOM_TYPE)
    for e in es:
        fe = fg.add_entry(order="append")
        fe.id(e.id)
        fe.title(e.title)
        fe.updated(e.when)
        fe.published(e.when)
        fe.content(e.content, type="text")
        if e.source:
            fe.author(name=e.source)
        for c in e.categories:
            fe.category(term=c.term, scheme=c.scheme, label=c.label)
        if e.link:
            fe.link(href=e.link, rel="alternate")
    return _render(fg, "atom_str")


def write_json(items: Sequence[Record], info: FeedInfo) -> bytes:
    """JSON Feed 1.1.

    Feed: ``version``, ``title``, ``home_page_url`` (``info.link``), ``feed_url``
    (``info.self_url``), ``description``, ``language``. JSON Feed has no feed-level date.

    Item, from a record:

    - :func:`~ticker.unique.item_id` → ``id``, the same string as the RSS guid and Atom id;
    - ``headline`` → ``title``; ``summary``, else ``headline`` → ``content_text`` (an item
      needs ``content_text`` or ``content_html``);
    - feed time → ``date_published`` (RFC 3339);
    - region and kicker category terms → ``tags``;
    - ``source`` → ``authors[0].name``; ``info.link_template`` → ``url``.
    """
    es = entries(items, info)
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": clean(info.title) or DEFAULT_TITLE,
        "home_page_url": info.link,
    }
    if info.self_url:
        feed["feed_url"] = info.self_url
    feed["description"] = clean(info.description) or DEFAULT_DESCRIPTION
    if info.language:
        feed["language"] = info.language
    feed["items"] = [_json_item(e) for e in es]
    return orjson.dumps(feed, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def _json_item(e: Entry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": e.id}
    if e.link:
        item["url"] = e.link
    item["title"] = e.title
    item["content_text"] = e.content
    item["date_published"] = e.when.isoformat()
    tags = list(dict.fromkeys(c.term for c in e.categories))
    if tags:
        item["tags"] = tags
    if e.source:
        item["authors"] = [{"name": e.source}]
    return item


Writer = Callable[[Sequence[Record], FeedInfo], bytes]


class Format(NamedTuple):
    write: Writer
    media_type: str
    suffix: str


FORMATS: dict[str, Format] = {
    "rss": Format(write_rss, RSS_TYPE, ".rss"),
    "atom": Format(write_atom, ATOM_TYPE, ".atom"),
    "json": Format(write_json, JSON_FEED_TYPE, ".json"),
}


# --- splits and files ------------------------------------------------------------------

#: What a split groups by: the attribute whose slug names the file, and the printed label.
SPLITS = {"region": ("region_id", "region"), "source": ("source", "source")}


class Part(NamedTuple):
    """One feed of a run: its path under the output directory, what it says, its items."""

    path: str
    info: FeedInfo
    items: list[Record]


def split(items: Sequence[Record], info: FeedInfo, by: str, suffix: str) -> list[Part]:
    """``all<suffix>`` with every item, then ``<by>/<slug><suffix>`` for each region (or
    source), in slug order. Items with no region (source) are only in ``all``.

    Items are timed once, over everything, so each shows the same time in every file.
    With a split, ``info.self_url`` is the URL of the output directory.
    """
    timed = timeline(items, info)
    key_field, label_field = SPLITS[by]
    groups: dict[str, list[Record]] = {}
    labels: dict[str, str] = {}
    for r in timed:
        key = slug(clean(getattr(r, key_field)))
        if key:
            groups.setdefault(key, []).append(r)
            labels.setdefault(key, clean(getattr(r, label_field)) or key)
    parts = [_part(info, "all", suffix, info.title, timed)]
    for key in sorted(groups):
        title = f"{info.title}: {labels[key]}"
        parts.append(_part(info, f"{by}/{key}", suffix, title, groups[key]))
    return parts


def _part(info: FeedInfo, key: str, suffix: str, title: str, items: list[Record]) -> Part:
    path = key + suffix
    self_url = urljoin(info.self_url, path) if info.self_url else None
    return Part(path, replace(info, key=key, title=title, self_url=self_url), items)


def save(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file beside it, then a rename, so
    a reader never sees half a feed. A new file is world-readable (it is meant to be
    served); an existing one keeps its mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_feeds(
    items: Sequence[Record], info: FeedInfo, fmt: str, target: Path, by: str | None = None
) -> list[Path]:
    """Write the feed to the file ``target``, or with ``by`` the split feeds under the
    directory ``target`` (see :func:`split`). Returns the paths written."""
    form = FORMATS[fmt]
    if by is None:
        save(target, form.write(items, info))
        return [target]
    written = []
    for part in split(items, info, by, form.suffix):
        path = target / part.path
        save(path, form.write(part.items, part.info))
        written.append(path)
    # a region (or source) no longer in the input must not keep serving its old items: the
    # split's own folder holds only ticker's feeds, so its stale ones of this format go
    for old in sorted((target / by).glob(f"*{form.suffix}")):
        if old not in written:
            old.unlink()
    return written


def format_of(path: Path) -> str | None:
    """The feed format a file name asks for by its suffix (``feed.atom`` → atom), if any."""
    name = path.name.lower()
    for fmt, form in FORMATS.items():
        if name.endswith(form.suffix) or name.endswith(f".{fmt}"):
            return fmt
    return None
