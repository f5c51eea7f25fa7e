"""The feed server: an archive's site (:mod:`ticker.site`) over HTTP, kept current.

:func:`create_app` builds the ASGI app (starlette) for an archive file; :func:`serve`
runs it with uvicorn. Routes (GET and HEAD; any other method is 405)::

    /  and  /index.html           the index page
    /feeds.opml                   every feed, OPML 2.0
    /feeds/all.{rss,atom,json}    every item
    /feeds/region/ID.{…}          one region
    /feeds/source/ID.{…}          one source

Anything else is 404, and so is a feed the archive has no items for. Query filters as
RSSHub has them (see :class:`ticker.site.Filters`); a bad one is 400.

Requests only read. Each thread has its own read-only SQLite connection; with WAL they
never wait for the background writer. A request first reads the archive's generation
(one small query): documents rendered for the current generation are answered from
memory, others are rendered once, in a worker thread, and kept (a bounded LRU, emptied
when the generation moves); requests wanting the same one at once await that one
render. feedgen renders under the lock in :mod:`ticker.feeds`.

HTTP (RFC 9110): a strong ETag from the body's SHA-256 (with ``-gzip`` for the
gzip-coded representation, a different one); ``Last-Modified`` from the newest item
(:class:`ticker.site.Document`, never later than now); ``If-None-Match`` is honoured
first and, when present, ``If-Modified-Since`` is ignored; a 304 repeats ETag,
Cache-Control and Vary. ``Cache-Control: public, max-age`` is the feeds' ttl. Bodies are
gzip-coded when the client accepts it (compressed once per document, not per request;
starlette's GZipMiddleware would compress each response and leave the ETag unchanged).

Abuse: a request's target and headers may take :data:`MAX_HEAD` bytes together; a larger
head is 400 (h11 stops buffering it) or 431. uvicorn runs h11 for that (:data:`UVICORN`).

Background work, started and stopped with the app: ``watch`` directories are scanned
every ``poll`` seconds and a new or changed file is ingested once it has held still for
one scan (a file being written is not read half-way); ``refresh`` URLs are fetched every
``every`` seconds. A failing input is logged and tried again after ``retry_first``
seconds, doubling up to ``retry_max``; nothing that goes wrong there stops the server.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import email.utils
import functools
import gzip
import hashlib
import logging
import re
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import anyio.to_thread
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import FilterError, InputError, TickerError
from .feeds import ATOM_TYPE, FORMATS, RSS_TYPE, FeedInfo
from .fetch import Clock, Limits, utc_now
from .inputs import reading
from .model import Diagnostic
from .parsing import Context, make_context
from .profiles import load_vocabulary
from .site import DEFAULT_INFO, Document, Filters, Site, checked_base_url
from .store import Counts, Store

log = logging.getLogger("ticker.server")

#: bodies shorter than this are not worth compressing
GZIP_MIN = 512
METHODS = ["GET", "HEAD"]
#: Bytes a request's target and header fields may take together: a feed reader's GET
#: needs well under 1 KB (nginx allows 4 x 8 KB). A larger head is refused, with 400 by
#: h11 when it has not ended within this many buffered bytes, else with 431 by
#: :class:`_HeadLimit` (a head that arrived whole in one read).
MAX_HEAD = 16 * 1024
#: How uvicorn runs the app. h11, not httptools (uvicorn's choice when it is installed):
#: httptools buffers a header of any size, and a client sending a 200 MB header held the
#: event loop until other clients' requests timed out.
UVICORN: dict[str, Any] = {"http": "h11", "h11_max_incomplete_event_size": MAX_HEAD}


@dataclass(frozen=True, slots=True, kw_only=True)
class ServeOptions:
    """How the server answers, and what it ingests in the background."""

    #: what the feeds say and hold (see :class:`ticker.site.Site`); ``ttl`` is also max-age
    info: FeedInfo = DEFAULT_INFO
    #: the site's URL; by default each request's own
    base_url: str | None = None
    #: directories whose new or changed files are ingested
    watch: tuple[Path, ...] = ()
    #: URLs fetched and ingested every ``every`` seconds
    refresh: tuple[str, ...] = ()
    every: float = 15 * 60.0
    #: seconds between two scans of the watched directories
    poll: float = 2.0
    #: seconds before the first retry of a failing input; doubles up to ``retry_max``
    retry_first: float = 30.0
    retry_max: float = 3600.0
    #: parsing of ingested inputs (the zone and profiles are the feeds')
    source: str | None = None
    encoding: str | None = None
    limits: Limits = field(default_factory=Limits)
    #: documents kept rendered
    cache_size: int = 256
    #: the time of ingests and the "now" no Last-Modified may pass
    clock: Clock = utc_now


def retry_delay(failures: int, first: float, most: float) -> float:
    """Seconds to wait after the ``failures``-th failure in a row: first, twice, 4×… ≤ most."""
    return float(min(most, first * 2 ** min(failures - 1, 62)))


# --- HTTP ------------------------------------------------------------------------------


class Cached(NamedTuple):
    """A rendered document with what every response of it needs."""

    doc: Document
    etag: str
    gzipped: bytes | None

    @classmethod
    def of(cls, doc: Document) -> Cached:
        digest = hashlib.sha256(doc.body).hexdigest()[:40]
        small = len(doc.body) < GZIP_MIN
        return cls(doc, f'"{digest}"', None if small else gzip.compress(doc.body, mtime=0))


_ETAG = re.compile(r'(?:W/)?"[^"]*"')


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110 §13.1.2): ``*`` or any tag, W/ ignored."""
    if header.strip() == "*":
        return True
    return any(tag.removeprefix("W/") == etag for tag in _ETAG.findall(header))


def not_modified(
    if_none_match: str | None,
    if_modified_since: str | None,
    etag: str,
    modified: dt.datetime | None,
) -> bool:
    """Whether a GET with these headers gets 304 (RFC 9110 §13.2.2: If-None-Match, when
    present, decides alone; If-Modified-Since only against a known Last-Modified)."""
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    if if_modified_since is None or modified is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False  # an invalid date is ignored
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    return modified.replace(microsecond=0) <= since


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (``gzip``/``x-gzip`` or ``*`` with q>0)."""
    weights: dict[str, float] = {}
    for part in header.split(","):
        token, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for p in params:
            name, _, value = p.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if token:
            weights[token.lower()] = weight
    for name in ("gzip", "x-gzip", "*"):
        if name in weights:
            return weights[name] > 0
    return False


def http_date(when: dt.datetime) -> str:
    return email.utils.format_datetime(when.astimezone(dt.UTC), usegmt=True)


def _content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in (RSS_TYPE, ATOM_TYPE) else media_type


# --- the archive as the server sees it -------------------------------------------------


class _Documents:
    """The current :class:`Site` of the archive and the documents rendered from it.

    The site is loaded once per generation and each document rendered once from it,
    however many requests want it at once: they await the same load or render (a
    request that goes away does not cancel it). No lock: requests queued on one were
    let through one per turn of the event loop, behind every request ready in that
    turn, and under load the first requests after a change waited seconds.
    """

    def __init__(self, path: Path, options: ServeOptions) -> None:
        self.path = path
        self.options = options
        self._local = threading.local()
        self._site: Site | None = None
        self._cache: OrderedDict[Hashable, Cached] = OrderedDict()
        self._loading: asyncio.Future[Site] | None = None
        self._rendering: dict[Hashable, asyncio.Future[Cached | None]] = {}

    def _reader(self) -> Store:
        """This thread's read-only connection."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.path, readonly=True)
        return store

    def _load(self) -> Site:
        return Site(self._reader().contents(), self.options.info, base_url=self.options.base_url)

    async def _current(self) -> Site:
        """The site of the archive's generation now (or a later one)."""
        generation = self._reader().generation()
        while self._site is None or self._site.generation < generation:
            if self._loading is None:
                self._loading = asyncio.ensure_future(anyio.to_thread.run_sync(self._load))
            loading = self._loading
            try:
                site = await asyncio.shield(loading)
            finally:
                if self._loading is loading and loading.done():
                    self._loading = None
            if self._site is None or site.generation > self._site.generation:
                self._site = site
                self._cache.clear()
                self._rendering.clear()  # renders of the old site finish, unkept
        return self._site

    async def get(self, key: Hashable, make: Callable[[Site], Document | None]) -> Cached | None:
        """The document ``make`` renders from the current site, rendered once per
        generation of the archive; None when ``make`` says there is no such document."""
        site = await self._current()
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        rendering = self._rendering.get(key)
        if rendering is None:

            def render() -> Cached | None:
                doc = make(site)
                return None if doc is None else Cached.of(doc)

            rendering = asyncio.ensure_future(anyio.to_thread.run_sync(render))
            self._rendering[key] = rendering
            rendering.add_done_callback(functools.partial(self._rendered, site, key))
        return await asyncio.shield(rendering)

    def _rendered(self, site: Site, key: Hashable, done: asyncio.Future[Cached | None]) -> None:
        """Keep a document rendered from the current site; forget the finished render."""
        if self._rendering.get(key) is done:
            del self._rendering[key]
        if site is not self._site or done.cancelled() or done.exception() is not None:
            return
        cached = done.result()
        if cached is not None:
            self._cache[key] = cached
            while len(self._cache) > self.options.cache_size:
                self._cache.popitem(last=False)


class _Server:
    """The request handlers and background work of one app."""

    def __init__(self, path: Path, options: ServeOptions) -> None:
        self.path = path
        self.options = options
        self.docs = _Documents(path, options)
        ttl = options.info.ttl
        # no ttl: a cache may keep a feed but must ask (and gets a 304) each time
        self.cache_control = f"public, max-age={ttl * 60}" if ttl else "no-cache"
        self.base = checked_base_url(options.base_url) if options.base_url else None
        self.ctx = make_context(
            now=options.clock(),
            tz=options.info.zone,
            source=options.source,
            vocab=load_vocabulary(options.info.profiles),
        )

    # --- requests ---

    def respond(self, request: Request, cached: Cached) -> Response:
        doc = cached.doc
        zipped = cached.gzipped is not None and accepts_gzip(
            request.headers.get("accept-encoding", "")
        )
        etag = cached.etag[:-1] + '-gzip"' if zipped else cached.etag
        headers = {
            "ETag": etag,
            "Cache-Control": self.cache_control,
            # without --base-url, self links come from the request's Host: a shared cache
            # must keep one copy per host
            "Vary": "Accept-Encoding" if self.base else "Accept-Encoding, Host",
        }
        modified = doc.last_modified
        if modified is not None:
            modified = min(modified, self.options.clock())
        if_none_match = ", ".join(request.headers.getlist("if-none-match")) or None
        if not_modified(if_none_match, request.headers.get("if-modified-since"), etag, modified):
            return Response(status_code=304, headers=headers)
        if modified is not None:
            headers["Last-Modified"] = http_date(modified)
        body = cached.gzipped if zipped and cached.gzipped is not None else doc.body
        if zipped:
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        content = b"" if request.method == "HEAD" else body
        return Response(content, headers=headers, media_type=_content_type(doc.media_type))

    def base_url(self, request: Request) -> str:
        return self.base or str(request.base_url)

    async def index(self, request: Request) -> Response:
        cached = await self.docs.get("index", Site.index)
        assert cached is not None
        return self.respond(request, cached)

    async def opml(self, request: Request) -> Response:
        base = self.base_url(request)
        cached = await self.docs.get(("opml", base), lambda site: site.opml(base))
        assert cached is not None
        return self.respond(request, cached)

    async def feed(self, request: Request) -> Response:
        group = request.path_params.get("group")
        stem, dot, fmt = request.path_params["name"].rpartition(".")
        if not dot or fmt not in FORMATS:
            return _not_found(request)
        key = f"{group}/{stem}" if group else stem
        base = self.base_url(request)
        try:
            filters = Filters.from_query(request.query_params)
            cached = await self.docs.get(
                ("feed", key, fmt, filters, base),
                lambda site: site.feed(key, fmt, base_url=base, filters=filters),
            )
        except FilterError as exc:
            return PlainTextResponse(f"{exc}\n", status_code=400)
        if cached is None:
            return _not_found(request)
        return self.respond(request, cached)

    # --- background ---

    def ingest(self, name: str) -> Counts:
        """Read one input and add it to the archive (in a worker thread)."""
        now = self.options.clock()
        ctx: Context = dataclasses.replace(self.ctx, now=now.astimezone(self.ctx.tz))

        def warn(d: Diagnostic) -> None:
            where = f"{name}:{d.line}:{d.column}" if d.line else name
            log.warning("%s: %s", where, d.message)

        with (
            reading(
                name,
                ctx,
                warn=warn,
                encoding=self.options.encoding,
                limits=self.options.limits,
                clock=self.options.clock,
            ) as input_,
            Store(self.path) as store,
        ):
            return store.ingest(input_.records, seen=now)

    async def attempt(self, name: str) -> bool:
        """Ingest ``name``, logging what came of it; False when it failed."""
        try:
            counts = await anyio.to_thread.run_sync(self.ingest, name, abandon_on_cancel=True)
        except TickerError as exc:
            log.warning("%s", exc)
            return False
        except Exception:
            log.exception("ingesting %s failed", name)
            return False
        log.info("%s: %s", name, counts)
        return True

    async def watch(self, directory: Path) -> None:
        """Ingest the new or changed files of ``directory``, forever (see the module doc)."""
        done: dict[Path, tuple[int, int]] = {}  # what each file was when last ingested
        waiting: dict[Path, tuple[int, int]] = {}  # changed, to be read if still the same
        failed: dict[Path, tuple[int, float]] = {}  # failures in a row, when to retry
        o = self.options
        while True:
            try:
                files = await anyio.to_thread.run_sync(_scan, directory)
                for gone in set(done) - set(files):
                    done.pop(gone, None)
                    failed.pop(gone, None)
                for path, signature in sorted(files.items()):
                    failures, retry_at = failed.get(path, (0, 0.0))
                    due = failures > 0 and time.monotonic() >= retry_at
                    if done.get(path) == signature and not due:
                        continue
                    if waiting.get(path) != signature and not due:
                        waiting[path] = signature  # seen changing: wait one scan
                        continue
                    waiting.pop(path, None)
                    done[path] = signature
                    if await self.attempt(str(path)):
                        failed.pop(path, None)
                    else:
                        delay = retry_delay(failures + 1, o.retry_first, o.retry_max)
                        failed[path] = (failures + 1, time.monotonic() + delay)
                        log.info("%s: next try in %g s", path, delay)
            except Exception:
                log.exception("watching %s failed; trying again", directory)
            await asyncio.sleep(o.poll)

    async def refresh(self, url: str) -> None:
        """Fetch and ingest ``url`` every ``every`` seconds, backing off while it fails."""
        o = self.options
        failures = 0
        while True:
            if await self.attempt(url):
                failures, delay = 0, o.every
            else:
                failures += 1
                delay = retry_delay(
                    failures, min(o.retry_first, o.every), max(o.retry_max, o.every)
                )
                log.info("%s: next try in %g s", url, delay)
            await asyncio.sleep(delay)

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        with Store(self.path, readonly=True) as store:
            log.info("serving %s: %d items", self.path, len(store))
        tasks = [asyncio.create_task(self.watch(d)) for d in self.options.watch]
        tasks += [asyncio.create_task(self.refresh(u)) for u in self.options.refresh]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


def _scan(directory: Path) -> dict[Path, tuple[int, int]]:
    """Each regular file under ``directory`` with its (mtime_ns, size); hidden files
    (``.name``, as editors' and ticker's own temporary files are) and backups (``name~``)
    are left out."""
    found = {}
    for path in directory.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(directory).parts):
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file() and not path.name.endswith("~"):
            found[path] = (st.st_mtime_ns, st.st_size)
    return found


class _HeadLimit:
    """ASGI middleware: 431 for a request whose target and headers pass :data:`MAX_HEAD`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = len(scope["raw_path"]) + len(scope["query_string"])
            size += sum(len(name) + len(value) for name, value in scope["headers"])
            if size > MAX_HEAD:
                too_large = PlainTextResponse("request header fields too large\n", 431)
                await too_large(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _not_found(request: Request) -> Response:
    return PlainTextResponse(f"no such feed or page: {request.url.path}\n", status_code=404)


def create_app(db: str | Path, options: ServeOptions | None = None) -> Starlette:
    """The ASGI app serving the archive at ``db``.

    A missing archive is created when there is something to ingest into it (``watch``
    or ``refresh``); otherwise it is a :class:`~ticker.errors.StoreError`, as is a file
    that is not an archive.
    """
    options = options or ServeOptions()
    path = Path(db)
    if not path.exists() and (options.watch or options.refresh):
        Store(path).close()
    Store(path, readonly=True).close()  # fail now, not at the first request
    for directory in options.watch:
        if not directory.is_dir():
            raise InputError("not a directory to watch", name=str(directory))
    server = _Server(path, options)
    routes = [
        Route("/", server.index, methods=METHODS),
        Route("/index.html", server.index, methods=METHODS),
        Route("/feeds.opml", server.opml, methods=METHODS),
        Route("/feeds/{name}", server.feed, methods=METHODS),
        Route("/feeds/{group:str}/{name}", server.feed, methods=METHODS),
    ]
    return Starlette(routes=routes, lifespan=server.lifespan, middleware=[Middleware(_HeadLimit)])


def check_listen(host: str, port: int) -> None:
    """Raise :class:`TickerError` if ``host:port`` cannot be listened on (a name that does
    not resolve, an address not on this machine, a port in use), so the user gets one
    line, not uvicorn's log and exit 3."""
    where = f"{host}:{port}"
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as exc:  # socket.gaierror is one
        raise TickerError(f"cannot listen on {where}: {exc.strerror or exc}") from None


def run(app: Starlette, *, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve ``app`` with uvicorn until interrupted."""
    uvicorn.run(app, host=host, port=port, log_level="info", **UVICORN)
