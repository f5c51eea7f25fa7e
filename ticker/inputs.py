"""Inputs: a file, standard input, an HTML file or a URL, read into parsed blocks.

``ticker parse``, ``feed`` and ``ingest`` and the server's ``--watch`` and ``--refresh``
read their inputs here, so a page gives the same records whichever way it arrives. Text
files are streamed through :mod:`ticker.reading`; HTML files and fetched pages are first
turned into text by :func:`ticker.fetch.html_to_text`.

The reference time for ages ("2 hours ago") is, when the input may set it (``own_time``),
the time the input says it was captured (a ``Captured:`` line at its top) or, for a URL,
the time it was fetched; otherwise ``ctx.now``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

import httpx

from .errors import InputError
from .fetch import Clock, Limits, fetch, html_to_text, utc_now
from .model import AGE_RESOLVED, Record
from .parsing import Context
from .reading import ParsedBlock, Warn, open_input, parse_blocks

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_URL = re.compile(r"https?://", re.I)

#: where a reference time came from
GIVEN, CAPTURED, FETCHED = "given", "captured", "fetched"


def is_url(name: str) -> bool:
    return _URL.match(name) is not None


class Stream:
    """One input being read: its records come as they are parsed, so an input of any size
    is read in bounded memory; the reference time is known once reading has begun."""

    def __init__(self, blocks: Iterator[Record], reference: dt.datetime, how: str) -> None:
        self.reference = reference
        #: GIVEN (``ctx.now``), CAPTURED (its capture line) or FETCHED (a URL's fetch time)
        self.how = how
        #: whether any record's age was resolved (against ``reference``)
        self.aged = False
        self._records = blocks

    @property
    def records(self) -> Iterator[Record]:
        for r in self._records:
            if not self.aged and AGE_RESOLVED in r.flags:
                self.aged = True
            yield r

    def note(self, when: dt.datetime, how: str) -> None:
        """The reference time used, and where it came from (GIVEN, CAPTURED, FETCHED)."""
        self.reference, self.how = when, how


@contextmanager
def blocks(
    name: str,
    ctx: Context,
    *,
    own_time: bool = True,
    warn: Warn | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
    clock: Clock = utc_now,
    transport: httpx.BaseTransport | None = None,
    on_reference: Callable[[dt.datetime, str], None] | None = None,
) -> Iterator[Iterator[ParsedBlock]]:
    """The parsed blocks of ``name`` (a URL, a path, or ``-`` for standard input).

    A URL is fetched and an HTML file read whole, both turned into text; other files are
    streamed. ``on_reference`` hears the reference time used and whether it was GIVEN,
    CAPTURED or FETCHED. Raises :class:`~ticker.errors.InputError` for an input that
    cannot be read (:class:`~ticker.errors.FetchError` for a URL), here or as blocks come.
    """
    use_capture = own_time
    how = GIVEN
    if is_url(name):
        page = fetch(name, limits=limits, clock=clock, transport=transport)
        if own_time:
            ctx, how = dataclasses.replace(ctx, now=page.fetched_at.astimezone(ctx.tz)), FETCHED
        stream: BinaryIO = io.BytesIO(page.text.encode())
        use_capture, encoding = False, None
    else:
        stream = open_input(name)
        if name.lower().endswith(HTML_SUFFIXES):  # a page is turned into text whole
            raw = stream
            try:
                stream = io.BytesIO(html_to_text(raw.read(), encoding).encode())
            finally:
                if name != "-":
                    raw.close()
            encoding = None

    def heard(when: dt.datetime, said: str) -> None:
        if on_reference is not None:
            on_reference(when, CAPTURED if said == "captured" else how)

    try:
        yield _not_empty(
            name,
            parse_blocks(
                stream,
                ctx,
                name=name,
                warn=warn,
                encoding=encoding,
                use_capture=use_capture,
                on_reference=heard,
            ),
        )
    finally:
        if name != "-":
            stream.close()


def _not_empty(name: str, parsed: Iterator[ParsedBlock]) -> Iterator[ParsedBlock]:
    """The blocks of ``parsed``; then :class:`InputError` if they held no text at all (an
    empty file, or only blank lines or a BOM): nothing to parse is bad input too."""
    blank = True
    for block in parsed:
        if blank and block.text and not block.text.isspace():
            blank = False
        yield block
    if blank:
        raise InputError("empty, no text", name=name, byte=0)


@contextmanager
def reading(
    name: str,
    ctx: Context,
    *,
    own_time: bool = True,
    warn: Warn | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
    clock: Clock = utc_now,
    transport: httpx.BaseTransport | None = None,
) -> Iterator[Stream]:
    """The records of the input ``name`` as a :class:`Stream` (see :func:`blocks`)."""
    state = Stream(iter(()), ctx.now, GIVEN)
    with blocks(
        name,
        ctx,
        own_time=own_time,
        warn=warn,
        encoding=encoding,
        limits=limits,
        clock=clock,
        transport=transport,
        on_reference=state.note,
    ) as parsed:
        state._records = (r for block in parsed for r in block.records)
        yield state
