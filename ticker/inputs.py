"""The inputs of an archive: a file, standard input or a URL, read into records.

``ticker ingest`` and the server's ``--watch`` and ``--refresh`` read their inputs here,
so a page gives the same records whichever way it arrives. Text files go through
:mod:`ticker.reading` as for ``ticker parse``; HTML files and fetched pages are first
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
from typing import BinaryIO, NamedTuple

import httpx

from .fetch import Clock, Limits, fetch, html_to_text, utc_now
from .model import Record
from .parsing import Context
from .reading import Warn, open_input, parse_blocks

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_URL = re.compile(r"https?://", re.I)

#: where a reference time came from
GIVEN, CAPTURED, FETCHED = "given", "captured", "fetched"


class Reading(NamedTuple):
    """The records of one input, and the reference time their ages were resolved against."""

    records: list[Record]
    reference: dt.datetime
    #: GIVEN (``ctx.now``), CAPTURED (the input's capture line) or FETCHED (a URL's fetch time)
    how: str


def is_url(name: str) -> bool:
    return _URL.match(name) is not None


def read(
    name: str,
    ctx: Context,
    *,
    own_time: bool = True,
    warn: Warn | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
    clock: Clock = utc_now,
    transport: httpx.BaseTransport | None = None,
) -> Reading:
    """Every record of the input ``name``: a URL, a path, or ``-`` for standard input.

    Raises :class:`~ticker.errors.InputError` for an input that cannot be read
    (:class:`~ticker.errors.FetchError` for a URL).
    """
    if is_url(name):
        page = fetch(name, limits=limits, clock=clock, transport=transport)
        how = GIVEN
        if own_time:
            ctx, how = dataclasses.replace(ctx, now=page.fetched_at.astimezone(ctx.tz)), FETCHED
        records = _parse(io.BytesIO(page.text.encode()), ctx, name, warn, None, False)[0]
        return Reading(records, ctx.now, how)
    html = name.lower().endswith(HTML_SUFFIXES)
    stream = open_input(name)
    try:
        if html:
            converted = io.BytesIO(html_to_text(stream.read(), encoding).encode())
        else:
            records, used = _parse(stream, ctx, name, warn, encoding, own_time)
    finally:
        if name != "-":
            stream.close()
    if html:
        records, used = _parse(converted, ctx, name, warn, None, own_time)
    when, how = used or (ctx.now, GIVEN)
    return Reading(records, when, how)


def _parse(
    stream: BinaryIO,
    ctx: Context,
    name: str,
    warn: Warn | None,
    encoding: str | None,
    use_capture: bool,
) -> tuple[list[Record], tuple[dt.datetime, str] | None]:
    used: list[tuple[dt.datetime, str]] = []

    def note(when: dt.datetime, how: str) -> None:
        used.append((when, CAPTURED if how == "captured" else GIVEN))

    records = [
        r
        for block in parse_blocks(
            stream,
            ctx,
            name=name,
            warn=warn,
            encoding=encoding,
            use_capture=use_capture,
            on_reference=note,
        )
        for r in block.records
    ]
    return records, (used[0] if used else None)
