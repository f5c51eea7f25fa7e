"""The command line: ``ticker parse``, ``feed``, ``ingest``, ``serve`` and ``build``.

Each command gathers its options, calls the library, and prints. Errors the library raises
become one line on stderr and an exit code: 1 for bad input, 2 for usage.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import gc
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
import orjson

from . import __version__, site
from .errors import InputError, ProfileError, TickerError
from .explain import explain as explain_record
from .feeds import (
    DEFAULT_DESCRIPTION,
    DEFAULT_LINK,
    DEFAULT_TITLE,
    EPOCH,
    FORMATS,
    SPLITS,
    FeedInfo,
    format_of,
    write_feeds,
)
from .inputs import CAPTURED, FETCHED, is_url, reading
from .inputs import blocks as input_blocks
from .model import AGE_RESOLVED, Diagnostic, Record
from .output import WRITERS
from .parsing import make_context, residue
from .profiles import load_vocabulary
from .reading import ParsedBlock
from .store import Counts, Store
from .unique import unique

EXIT_INPUT = 1
#: more inputs than this get a progress bar
PROGRESS_MIN = 3


class ZoneParam(click.ParamType):  # type: ignore[type-arg]
    name = "ZONE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.tzinfo):
            return value
        if str(value).upper() in ("UTC", "Z"):
            return dt.UTC
        try:
            return ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(f"unknown time zone {value!r} (use an IANA name such as Europe/Paris)")


class DateTimeParam(click.ParamType):  # type: ignore[type-arg]
    name = "DATETIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date-time like 2025-07-31T14:00:00+02:00")


class DurationParam(click.ParamType):  # type: ignore[type-arg]
    """Seconds, from ``90``, ``90s``, ``15m``, ``1h30m`` or ``1d``."""

    name = "DURATION"
    UNITS: ClassVar[dict[str, int]] = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
    PART = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float | int):
            return float(value)
        text = "".join(str(value).lower().split())
        parts = self.PART.findall(text)
        if not parts or "".join(n + u for n, u in parts) != text:
            self.fail(f"{value!r} is not a duration like 90s, 15m or 1h30m")
        seconds = sum(float(n) * self.UNITS[u] for n, u in parts)
        if seconds <= 0:
            self.fail("a duration must be more than zero")
        return seconds


class _Run:
    """One command's reading of its inputs: context, references, failures, flags.

    The reference time for ages is ``--now``; without it, the capture time an input
    prints at its top; else the current time. ``finish`` says on stderr which was used
    and exits 1 if an input could not be read or drew a warning (a bad byte, a control
    character, an impossible date): what could be parsed is output all the same.
    """

    def __init__(
        self,
        now: dt.datetime | None,
        tz: dt.tzinfo,
        source: str | None,
        profiles: Sequence[str],
        encoding: str | None,
    ) -> None:
        try:
            vocab = load_vocabulary(profiles)
        except TickerError as exc:
            raise click.UsageError(str(exc)) from exc
        if now is None:
            reference, self.said = dt.datetime.now(tz), "the current time"
        elif now.tzinfo is None:
            reference, self.said = now.replace(tzinfo=tz), "--now, in --tz"
        else:
            reference, self.said = now, "--now"
        self.explicit = now is not None
        self.ctx = make_context(now=reference, tz=tz, source=source, vocab=vocab)
        self.encoding = encoding
        self.failures: list[str] = []
        self.warned: set[str] = set()
        #: input -> (reference time used, where it came from), for inputs with ages
        self.references: dict[str, tuple[dt.datetime, str]] = {}

    def blocks(self, files: Sequence[str]) -> Iterator[ParsedBlock]:
        """Parsed blocks of every input in turn (files, ``-``, HTML files and URLs); a
        bad input is reported and skipped."""
        for name in files or ("-",):
            used: list[tuple[dt.datetime, str]] = []
            try:
                with input_blocks(
                    name,
                    self.ctx,
                    own_time=not self.explicit,
                    warn=self.warner(name),
                    encoding=self.encoding,
                    on_reference=_recorder(used),
                ) as parsed:
                    for block in parsed:
                        if used and any(AGE_RESOLVED in r.flags for r in block.records):
                            self.note_reference(name, *used[0])
                        yield block
            except InputError as exc:
                click.echo(f"ticker: {exc}", err=True)
                self.failures.append(name)

    def warner(self, name: str) -> Callable[[Diagnostic], None]:
        """Where the warnings about ``name`` go: one line each on stderr."""

        def warn(d: Diagnostic) -> None:
            where = f"{name}:{d.line}:{d.column}" if d.line else name
            click.echo(f"ticker: warning: {where}: {d.message}", err=True)
            self.warned.add(name)

        return warn

    def note_reference(self, name: str, when: dt.datetime, how: str) -> None:
        """Ages of ``name`` were resolved against ``when``, which came from ``how``."""
        said = {CAPTURED: f"the capture time in {name}", FETCHED: f"the fetch time of {name}"}
        self.references[name] = (when, said.get(how, self.said))

    def records(self, files: Sequence[str]) -> Iterator[Record]:
        for block in self.blocks(files):
            yield from block.records

    def finish(self) -> None:
        for when, said in sorted(set(self.references.values()), key=lambda r: r[1]):
            click.echo(f"ticker: ages resolved against {when.isoformat()} ({said})", err=True)
        if self.failures or self.warned:
            sys.exit(EXIT_INPUT)


def _recorder(
    used: list[tuple[dt.datetime, str]],
) -> Callable[[dt.datetime, str], None]:
    def note(when: dt.datetime, how: str) -> None:
        used.append((when, how))

    return note


def _check_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            raise click.BadParameter(f"unknown encoding {value!r}") from None
    return value


def channel_options(
    ttl: int | None, limit: int | None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """What a feed says of itself: the options ``feed``, ``serve`` and ``build`` share."""
    options = [
        click.option("--title", default=DEFAULT_TITLE, show_default=True, help="Feed title."),
        click.option("--description", default=DEFAULT_DESCRIPTION, help="Feed description."),
        click.option("--language", help="Language tag of the headlines, e.g. en or fr-FR."),
        click.option(
            "--ttl",
            type=click.IntRange(min=1),
            default=ttl,
            show_default=ttl is not None,
            help="Minutes a reader may cache a feed (RSS ttl; served: HTTP max-age).",
        ),
        click.option(
            "--limit",
            type=click.IntRange(min=1),
            default=limit,
            show_default=limit is not None,
            help="At most this many items per feed, the newest.",
        ),
        click.option(
            "--link-template",
            help="Item link, e.g. 'https://duckduckgo.com/?q={headline}' "
            "({headline}, {source}, {id}).",
        ),
    ]

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def parse_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that parses text shares."""
    options = [
        # readable=False: an unreadable file is bad input (one line, skipped, exit 1), not
        # a usage error that stops the run before the readable ones are read
        click.argument("files", nargs=-1, type=click.Path(allow_dash=True, readable=False)),
        click.option(
            "--now",
            type=DateTimeParam(),
            help="Reference time for ages like '2 hours ago' (ISO 8601). "
            "Default: the current time.",
        ),
        click.option(
            "--tz",
            type=ZoneParam(),
            default="UTC",
            show_default=True,
            help="Time zone of sources whose profile has none.",
        ),
        click.option("--source", help="Source of rail items printed outside any card."),
        click.option(
            "--profile",
            "profiles",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="A TOML profile adding tags, sources, furniture (repeatable).",
        ),
        click.option(
            "--encoding",
            callback=_check_encoding,
            help="Input encoding instead of UTF-8 (a BOM is always honoured).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


class _Commands(click.Group):
    """The command group; an OS error no command handles (stdout on a full disk, say)
    becomes one line and exit 1, never a traceback. A closed pipe stays click's."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise
            where = exc.filename or "output"
            click.echo(f"ticker: {where}: {exc.strerror or exc}", err=True)
            # what is still buffered for stdout cannot be written either: drop it
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            os.dup2(sys.stdout.fileno(), 1)
            ctx.exit(EXIT_INPUT)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ticker")
def main() -> None:
    """Turn scraped news-teaser text into dated headline records and feeds."""
    # Parsing allocates a tuple or two per record and keeps almost none of them; none form
    # cycles. Leave what start-up built out of the collector's passes, and let it pass less
    # often: 12% less time on a 50 MB file, same memory (refcounting frees the rest).
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@main.command()
@parse_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(WRITERS)),
    default="jsonl",
    show_default=True,
    help="Output format.",
)
@click.option("--residue", "show_residue", is_flag=True, help="Print the pieces no record uses.")
@click.option(
    "--explain",
    is_flag=True,
    help="JSON Lines with, for each record, the printed tokens behind each field and why.",
)
@click.option(
    "--unique",
    "merge_items",
    is_flag=True,
    help="One record per item (same source and headline), merging what each occurrence knows.",
)
def parse(
    files: tuple[str, ...],
    now: dt.datetime | None,
    tz: dt.tzinfo,
    source: str | None,
    profiles: tuple[str, ...],
    encoding: str | None,
    fmt: str,
    show_residue: bool,
    merge_items: bool,
    explain: bool,
) -> None:
    """Parse teaser text (FILE... or - for stdin) into headline records."""
    run = _Run(now, tz, source, profiles, encoding)
    out = sys.stdout.buffer
    if show_residue:
        for block in run.blocks(files):
            _print_residue(block)
    elif explain:
        for block in run.blocks(files):
            for r in block.records:
                why = explain_record(block.text, r, run.ctx.vocab, block.base)
                out.write(orjson.dumps({**r.to_dict(), "explain": why}) + b"\n")
    elif fmt == "summary":
        for name in files or ("-",):  # one line per input: a folder reads as a list
            found = list(run.records([name]))
            if name not in run.failures:
                out.write(f"{name}: ".encode())
                WRITERS[fmt](unique(found) if merge_items else found, out)
    else:
        records = run.records(files)
        WRITERS[fmt](unique(records) if merge_items else records, out)
    out.flush()
    run.finish()


def _print_residue(block: ParsedBlock) -> None:
    """Each non-blank line of the pieces no record uses, as ``line:column<TAB>text``."""
    text, base = block.text, block.base
    for start, end in residue(text, block.records, base):
        pos = start
        for raw in text[start - base : end - base].split("\n"):
            piece = " ".join(raw.split())
            if piece:
                line, col = block.position(pos + len(raw) - len(raw.lstrip()))
                shown = piece if len(piece) <= 100 else piece[:99] + "…"
                click.echo(f"{line}:{col}\t{shown}")
            pos += len(raw) + 1


@main.command()
@parse_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    help="RSS 2.0, Atom 1.0 or JSON Feed 1.1. Default: from the -o file's suffix "
    "(.rss, .atom, .json), else rss.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (atomically) instead of stdout; with --split, a directory.",
)
@click.option(
    "--split",
    type=click.Choice(list(SPLITS)),
    help="Also write one feed per region (or source): DIR/all.SUFFIX, DIR/region/ID.SUFFIX.",
)
@click.option("--link", default=DEFAULT_LINK, show_default=True, help="Home page URL.")
@click.option(
    "--self-url", help="URL the feed is served at (with --split: of the output directory)."
)
@channel_options(ttl=None, limit=None)
def feed(
    files: tuple[str, ...],
    now: dt.datetime | None,
    tz: dt.tzinfo,
    source: str | None,
    profiles: tuple[str, ...],
    encoding: str | None,
    fmt: str | None,
    output: Path | None,
    split: str | None,
    **channel: Any,
) -> None:
    """Write a feed of the unique items in FILE... (or - for stdin).

    With -o, the file is replaced atomically, and only if an input could be read: a run
    whose every input failed (a site down, a file gone) leaves the last good feed alone.
    """
    if split and output is None:
        raise click.UsageError("--split writes several files: give -o DIR")
    if fmt is None:
        fmt = (format_of(output) if output is not None and not split else None) or "rss"
    run = _Run(now, tz, source, profiles, encoding)
    try:
        # undated items (when nothing is dated) and an empty feed: --now, else the epoch
        undated = run.ctx.now if now else EPOCH
        info = FeedInfo(zone=tz, profiles=profiles, undated=undated, **channel)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    items = unique(run.records(files))
    if output is not None and len(run.failures) == len(files or ("-",)):
        click.echo(f"ticker: no input could be read: {output} left as it was", err=True)
        sys.exit(EXIT_INPUT)
    if output is None:
        sys.stdout.buffer.write(FORMATS[fmt].write(items, info))
        sys.stdout.buffer.flush()
    else:
        try:
            for path in write_feeds(items, info, fmt, output, split):
                click.echo(path)
        except OSError as exc:
            click.echo(f"ticker: cannot write {exc.filename or output}: {exc.strerror}", err=True)
            sys.exit(EXIT_INPUT)
    run.finish()


# --- the archive -----------------------------------------------------------------------

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default="ticker.db",
    show_default=True,
    help="The archive (an SQLite file).",
)


def site_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """What the feeds of an archive say, and how their items are dated: serve and build."""
    options = [
        channel_options(ttl=site.DEFAULT_TTL, limit=site.DEFAULT_LIMIT),
        click.option(
            "--base-url",
            help="URL the site is served at, for self links and OPML "
            "(serve: default from each request).",
        ),
        click.option(
            "--tz",
            type=ZoneParam(),
            default="UTC",
            show_default=True,
            help="Time zone of dates whose source's profile has none.",
        ),
        click.option(
            "--profile",
            "profiles",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="A TOML profile adding tags, sources, zones (repeatable).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _site_info(
    tz: dt.tzinfo, profiles: tuple[str, ...], base_url: str | None, **channel: Any
) -> tuple[FeedInfo, str | None]:
    """What every feed of the site says (a usage error when an option is wrong), and the
    site's URL."""
    try:
        load_vocabulary(profiles)
        info = FeedInfo(zone=tz, profiles=profiles, **channel)
        return info, site.checked_base_url(base_url) if base_url else None
    except (ValueError, ProfileError) as exc:
        raise click.UsageError(str(exc)) from exc


@contextmanager
def _progress(names: Sequence[str]) -> Iterator[Sequence[str] | Any]:
    """``names`` as they are worked through: with a progress bar on stderr when many."""
    if len(names) <= PROGRESS_MIN:
        yield names
        return
    with click.progressbar(
        names, label="ingesting", file=sys.stderr, show_pos=True, item_show_func=lambda n: n
    ) as bar:
        yield bar


@main.command()
@parse_options
@db_option
def ingest(
    files: tuple[str, ...],
    now: dt.datetime | None,
    tz: dt.tzinfo,
    source: str | None,
    profiles: tuple[str, ...],
    encoding: str | None,
    db: Path,
) -> None:
    """Add the items of each FILE, URL or - (stdin) to the archive.

    Items are keyed by id (source + headline): an item already there is completed with
    what it lacked (a date, a region…) and never duplicated, so ingesting the same input
    twice changes nothing. Prints how many items were added, updated and unchanged.
    Ages in a fetched page are resolved against the time it was fetched.
    """
    run = _Run(now, tz, source, profiles, encoding)
    names = files or ("-",)
    total = Counts()
    try:
        with Store(db) as store:
            with _progress(names) as inputs:
                for name in inputs:
                    try:
                        with reading(
                            name,
                            run.ctx,
                            own_time=not run.explicit,
                            warn=run.warner(name),
                            encoding=encoding,
                        ) as input_:
                            seen = dt.datetime.now(dt.UTC)
                            total += store.ingest(input_.records, seen=seen)
                    except InputError as exc:
                        click.echo(f"ticker: {exc}", err=True)
                        run.failures.append(name)
                        continue
                    if input_.aged:
                        run.note_reference(name, input_.reference, input_.how)
            items = len(store)
    except TickerError as exc:
        click.echo(f"ticker: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    inputs_said = f"{len(names)} input{'s' if len(names) != 1 else ''}"
    click.echo(f"{db}: {total} ({inputs_said}; {items} items in the archive)")
    run.finish()


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--watch",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Ingest the new and changed files of this directory (repeatable).",
)
@click.option(
    "--refresh", multiple=True, metavar="URL", help="Fetch and ingest this page (repeatable)."
)
@click.option(
    "--every",
    type=DurationParam(),
    default="15m",
    show_default=True,
    help="How often to fetch the --refresh pages (a failing one is retried sooner).",
)
@click.option(
    "--poll",
    type=DurationParam(),
    default="2s",
    show_default=True,
    help="How often to look for changes in the --watch directories.",
)
@click.option("--source", help="Source of rail items printed outside any card.")
@click.option("--encoding", callback=_check_encoding, help="Encoding of watched files.")
@site_options
def serve(
    db: Path,
    host: str,
    port: int,
    watch: tuple[Path, ...],
    refresh: tuple[str, ...],
    every: float,
    poll: float,
    source: str | None,
    encoding: str | None,
    tz: dt.tzinfo,
    profiles: tuple[str, ...],
    **channel: Any,
) -> None:
    """Serve the archive's feeds over HTTP, with an index page and OPML.

    Feeds: /feeds/all.rss (.atom, .json), /feeds/region/ID.rss, /feeds/source/ID.rss;
    RSSHub's query filters work (?filter=…&filterout=…&limit=…). With --watch and
    --refresh, new items are ingested while the server answers.
    """
    for url in refresh:
        if not is_url(url):
            raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="--refresh")
    info, base_url = _site_info(tz, profiles, **channel)
    from . import server  # starlette and uvicorn load only for the command that serves

    options = server.ServeOptions(
        info=info,
        base_url=base_url,
        watch=watch,
        refresh=refresh,
        every=every,
        poll=poll,
        source=source,
        encoding=encoding,
    )
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("ticker: %(message)s"))
    logger = logging.getLogger("ticker")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        server.check_listen(host, port)
        app = server.create_app(db, options)
    except TickerError as exc:
        click.echo(f"ticker: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    server.run(app, host=host, port=port)


@main.command()
@db_option
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the site into.",
)
@site_options
def build(db: Path, out: Path, tz: dt.tzinfo, profiles: tuple[str, ...], **channel: Any) -> None:
    """Write the archive's feeds, index.html and feeds.opml as static files.

    The layout is the server's (DIR/feeds/all.rss…), for any web server or CDN. Each file
    is written atomically and only when it changed; the paths written are printed.
    """
    info, base_url = _site_info(tz, profiles, **channel)
    try:
        with Store(db, readonly=True) as store:
            contents = store.contents()
        built = site.build(site.Site(contents, info, base_url=base_url), out)
    except TickerError as exc:
        click.echo(f"ticker: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except OSError as exc:
        click.echo(f"ticker: cannot write {exc.filename or out}: {exc.strerror}", err=True)
        sys.exit(EXIT_INPUT)
    for path in built.written:
        click.echo(path)
    click.echo(
        f"ticker: {len(built.written)} files written, {len(built.unchanged)} already up to date",
        err=True,
    )
