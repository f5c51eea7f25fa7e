"""The command line: ``ticker parse`` (and, as they land, ``feed``, ``ingest``, ``serve``).

Each command gathers its options, calls the library, and prints. Errors the library raises
become one line on stderr and an exit code: 1 for bad input, 2 for usage.
"""

from __future__ import annotations

import codecs
import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
import orjson

from . import __version__
from .errors import InputError, TickerError
from .explain import explain as explain_record
from .feeds import (
    DEFAULT_DESCRIPTION,
    DEFAULT_LINK,
    DEFAULT_TITLE,
    EPOCH,
    FORMATS,
    SPLITS,
    FeedInfo,
    write_feeds,
)
from .model import AGE_RESOLVED, Diagnostic, Record
from .output import WRITERS
from .parsing import make_context, residue
from .profiles import load_vocabulary
from .reading import ParsedBlock, open_input, parse_blocks
from .unique import unique

EXIT_INPUT = 1


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


def _warner(name: str) -> Callable[[Diagnostic], None]:
    def warn(d: Diagnostic) -> None:
        where = f"{name}:{d.line}:{d.column}" if d.line else name
        click.echo(f"ticker: warning: {where}: {d.message}", err=True)

    return warn


class _Run:
    """One command's reading of its inputs: context, references, failures, flags.

    The reference time for ages is ``--now``; without it, the capture time an input
    prints at its top; else the current time. ``finish`` says on stderr which was used
    and exits 1 if an input could not be read.
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
        #: input -> (reference time used, where it came from), for inputs with ages
        self.references: dict[str, tuple[dt.datetime, str]] = {}

    def blocks(self, files: Sequence[str]) -> Iterator[ParsedBlock]:
        """Parsed blocks of every input in turn; a bad input is reported and skipped."""
        for name in files or ("-",):
            used: list[tuple[dt.datetime, str]] = []

            def note(
                when: dt.datetime, how: str, used: list[tuple[dt.datetime, str]] = used
            ) -> None:
                used.append((when, how))

            try:
                with _opened(name) as stream:
                    for block in parse_blocks(
                        stream,
                        self.ctx,
                        name=name,
                        warn=_warner(name),
                        encoding=self.encoding,
                        use_capture=not self.explicit,
                        on_reference=note,
                    ):
                        if used and any(AGE_RESOLVED in r.flags for r in block.records):
                            when, how = used[0]
                            said = f"the capture time in {name}" if how == "captured" else self.said
                            self.references[name] = (when, said)
                        yield block
            except InputError as exc:
                click.echo(f"ticker: {exc}", err=True)
                self.failures.append(name)

    def records(self, files: Sequence[str]) -> Iterator[Record]:
        for block in self.blocks(files):
            yield from block.records

    def finish(self) -> None:
        for when, said in sorted(set(self.references.values()), key=lambda r: r[1]):
            click.echo(f"ticker: ages resolved against {when.isoformat()} ({said})", err=True)
        if self.failures:
            sys.exit(EXIT_INPUT)


def _recorder(
    used: list[tuple[dt.datetime, str]],
) -> Callable[[dt.datetime, str], None]:
    def note(when: dt.datetime, how: str) -> None:
        used.append((when, how))

    return note


@contextmanager
def _opened(name: str) -> Iterator[BinaryIO]:
    stream = open_input(name)
    try:
        yield stream
    finally:
        if name != "-":
            stream.close()


def _check_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            raise click.BadParameter(f"unknown encoding {value!r}") from None
    return value


def parse_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that parses text shares."""
    options = [
        click.argument("files", nargs=-1, type=click.Path(allow_dash=True)),
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ticker")
def main() -> None:
    """Turn scraped news-teaser text into dated headline records and feeds."""


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
    default="rss",
    show_default=True,
    help="RSS 2.0, Atom 1.0 or JSON Feed 1.1.",
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
@click.option("--title", default=DEFAULT_TITLE, show_default=True, help="Feed title.")
@click.option("--link", default=DEFAULT_LINK, show_default=True, help="Home page URL.")
@click.option(
    "--self-url", help="URL the feed is served at (with --split: of the output directory)."
)
@click.option("--description", default=DEFAULT_DESCRIPTION, help="Feed description.")
@click.option("--language", help="Language tag of the headlines, e.g. en or fr-FR.")
@click.option("--ttl", type=click.IntRange(min=1), help="Minutes a reader may cache (RSS).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many items, the newest.")
@click.option(
    "--link-template",
    help="Item link, e.g. 'https://duckduckgo.com/?q={headline}' ({headline}, {source}, {id}).",
)
def feed(
    files: tuple[str, ...],
    now: dt.datetime | None,
    tz: dt.tzinfo,
    source: str | None,
    profiles: tuple[str, ...],
    encoding: str | None,
    fmt: str,
    output: Path | None,
    split: str | None,
    **channel: Any,
) -> None:
    """Write a feed of the unique items in FILE... (or - for stdin)."""
    if split and output is None:
        raise click.UsageError("--split writes several files: give -o DIR")
    run = _Run(now, tz, source, profiles, encoding)
    try:
        # undated items (when nothing is dated) and an empty feed: --now, else the epoch
        undated = run.ctx.now if now else EPOCH
        info = FeedInfo(zone=tz, profiles=profiles, undated=undated, **channel)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    items = unique(run.records(files))
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
