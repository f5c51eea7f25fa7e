"""Reading input: files, stdin and bytes become text blocks the parser can take.

This is the adapter between the outside world and :mod:`ticker.parsing`: it opens paths,
refuses what is not text (binary data, directories), decodes UTF-8 (or a BOM's encoding,
or ``--encoding``) while noting every invalid byte, turns control characters into spaces
(offsets stay the same, so spans still point into the input), and cuts the text into
blocks so that memory does not grow with the input.
"""

from __future__ import annotations

import bisect
import codecs
import dataclasses
import datetime as dt
import email.utils
import io
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterator
from typing import BinaryIO, NamedTuple

import regex

from .errors import InputError
from .model import Diagnostic, Record
from .parsing import Context, Parser

#: bytes read at a time; the parser settles text in blocks of about this size
BLOCK_SIZE = 1 << 20
#: text held unsettled at most before it is cut at a space regardless
MAX_PENDING = 8 * BLOCK_SIZE
#: how many warnings of one kind are reported one by one before they are only counted
MAX_REPORTED = 5

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: the same in UTF-8 bytes: C0 controls (and DEL) alone, C1 controls as \xc2\x80-\xc2\x9f
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_CONTROL_TO_SPACE = {c: " " for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]}
_CONTROL_TO_SPACE.update({c: " " for c in range(0x7F, 0xA0)})

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "gzip data",
    b"\x7fELF": "an executable",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"SQLite format 3": "an SQLite database",
}

Warn = Callable[[Diagnostic], None]


class _Lines:
    """Turns absolute character offsets into (line, column) as decoded text goes by.

    Keeps the line starts of the recent text only, so memory stays bounded; an offset
    older than that is answered with its line unknown (0).
    """

    KEEP = 16 << 20  # characters of history

    def __init__(self) -> None:
        self.first_line = 1  # line number of starts[0]
        self.starts = [0]

    def add(self, text: str, base: int) -> None:
        starts = self.starts
        lines = text.split("\n")
        if len(lines) > 1:
            # the start of each line after a newline: running sums of (length + 1), in C
            after = itertools.accumulate(map((1).__add__, map(len, lines[:-1])), initial=base)
            next(after)
            starts.extend(after)
        horizon = base + len(text) - self.KEEP
        if starts[0] < horizon and len(starts) > 1:
            drop = bisect.bisect_left(starts, horizon) - 1
            if drop > 0:
                del starts[:drop]
                self.first_line += drop

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return 0, 0
        return self.first_line + i, offset - self.starts[i] + 1


def open_input(name: str) -> BinaryIO:
    """A binary stream for a path or ``-`` (stdin), or an InputError saying why not."""
    if name == "-":
        return sys.stdin.buffer
    try:
        if os.path.isdir(name):
            raise InputError("is a directory, not a text file", name=name)
        return open(name, "rb")
    except FileNotFoundError:
        raise InputError("no such file", name=name) from None
    except PermissionError:
        raise InputError("permission denied", name=name) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", name=name) from None


def _sniff(head: bytes, name: str, encoding: str | None) -> str:
    """The encoding to read with, or an InputError for data that is not text."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", name=name) from None
        return encoding
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"binary data ({what}), not text", name=name, byte=0)
    # Judge by how the input starts: binary files show it in their first bytes. A text
    # that starts as text is read as text, junk further in included (its control
    # characters are warned of and read as spaces), so nothing around the junk is lost.
    lead = head[:_LEAD]
    nul = lead.find(b"\0")
    if nul >= 0:
        controls = sum(1 for b in lead if b < 9 or 13 < b < 32)
        if nul < 16 or controls * 10 > len(lead):
            hint = _utf16_hint(head[:8192])
            raise InputError(f"binary data, not text{hint}", name=name, byte=nul)
    return "utf-8"


#: how many bytes at an input's start tell binary data from text
_LEAD = 512


def _utf16_hint(sample: bytes) -> str:
    """A hint when NULs fall on every other byte: UTF-16 text that lost its BOM."""
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) > 0.9 * len(zeros) and other.count(0) < 0.1 * len(other):
            return f" (UTF-16 without a BOM? try --encoding {name})"
    return ""


def _decode_utf8(data: bytes, byte_base: int, warn: Callable[[int, str], None]) -> str:
    """Decode UTF-8, replacing each invalid sequence with U+FFFD and reporting its byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    pos = 0
    while pos < len(data):
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(data[pos : pos + exc.start].decode("utf-8"))
            parts.append("\ufffd")
            warn(byte_base + pos + exc.start, "invalid UTF-8 byte")
            pos += exc.end
    return "".join(parts)


def _utf8_boundary(data: bytes) -> int:
    """The largest cut <= len(data) that does not split a UTF-8 sequence."""
    end = len(data)
    for back in range(1, 4):
        if end - back < 0:
            break
        b = data[end - back]
        if b < 0x80:
            return end
        if b >= 0xC0:  # a lead byte: is its sequence complete?
            need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            return end if back >= need else end - back
    return end


class Reader:
    """Reads one input as a sequence of text blocks, reporting odd bytes as it goes."""

    def __init__(self, stream: BinaryIO, name: str, warn: Warn, encoding: str | None = None):
        self.stream = stream
        self.name = name
        self.warn = warn
        self.encoding = encoding
        self.lines = _Lines()
        self._counts: dict[str, int] = {}
        self._byte_warnings: list[tuple[int, str]] = []

    def note(self, message: str, offset: int, *, byte: bool = False) -> None:
        """Report a warning, the first few of each kind one by one (the kind is what comes
        before a quoted detail: "impossible date '31/02/2025'" is an "impossible date";
        every control character is one kind, "control character")."""
        kind = message.split(" '", 1)[0]
        if kind.startswith("control character"):  # one kind, whatever the character
            kind = "control character"
        seen = self._counts.get(kind, 0)
        self._counts[kind] = seen + 1
        if seen < MAX_REPORTED:
            if byte:
                self.warn(Diagnostic(f"{message} at byte {offset}", offset, 0, 0))
            else:
                line, col = self.lines.at(offset)
                self.warn(Diagnostic(message, offset, line, col))

    def chunks(self) -> Iterator[tuple[str, bool]]:
        """(decoded text, is it the last) for each chunk read, control characters as spaces."""
        head = self.stream.read(BLOCK_SIZE)
        encoding = _sniff(head, self.name, self.encoding)
        if encoding == "utf-8":
            decoded = self._utf8_chunks(head)
        else:
            decoded = self._codec_chunks(head, encoding)
        base = 0
        for text, final, clean in decoded:
            if "\r" in text:
                # CRLF reads as " \n" and a lone CR (old Mac files) as "\n": lines stay lines
                # and offsets stay the same
                text = text.replace("\r\n", " \n").replace("\r", "\n")
            self.lines.add(text, base)
            yield (text if clean else self._clean(text, base)), final
            base += len(text)

    def _utf8_chunks(self, head: bytes) -> Iterator[tuple[str, bool, bool]]:
        """(text, is it the last, is it free of control characters) per chunk.

        Whether a chunk has control characters is asked of its bytes, several times
        faster than of its text.
        """
        data, byte_base = head, 0
        while True:
            more = self.stream.read(BLOCK_SIZE)
            final = not more
            cut = len(data) if final else _utf8_boundary(data)
            chunk = data[:cut]
            clean = len(chunk.translate(None, _C0_BYTES)) == cut and not _C1_UTF8.search(chunk)
            yield _decode_utf8(chunk, byte_base, self._byte_note), final, clean
            if final:
                return
            byte_base += cut
            data = data[cut:] + more

    def _byte_note(self, offset: int, message: str) -> None:
        self.note(message, offset, byte=True)

    def _codec_chunks(self, head: bytes, encoding: str) -> Iterator[tuple[str, bool, bool]]:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        data = head
        while True:
            more = self.stream.read(BLOCK_SIZE)
            final = not more
            text = decoder.decode(data, final=final)
            if "\ufffd" in text:
                self.note(f"bytes not valid {encoding} replaced", 0, byte=True)
            yield text, final, False
            if final:
                return
            data = more

    def _clean(self, text: str, base: int) -> str:
        if _CONTROL.search(text) is None:
            return text
        for m in _CONTROL.finditer(text):
            self.note(f"control character U+{ord(m[0]):04X} read as a space", base + m.start())
        return text.translate(_CONTROL_TO_SPACE)

    def summarise(self) -> None:
        """Say how many warnings of each kind went unreported."""
        for message, count in self._counts.items():
            if count > MAX_REPORTED:
                more = count - MAX_REPORTED
                self.warn(Diagnostic(f"... and {more} more: {message}", -1, 0, 0))


class ParsedBlock(NamedTuple):
    text: str
    base: int  # offset of the block's first character in the input
    records: list[Record]
    position: Callable[[int], tuple[int, int]]  # input offset -> (line, column)


#: A capture time the input carries in its first lines: "Captured: 2025-07-31T14:05:00Z",
#: "Fetched at 2025-07-31 14:05 +02:00", or a saved HTTP "Date:" header.
_CAPTURE = regex.compile(
    r"""^[ \t]*(?i:captured|capture[ _]?time|captured[ _]at|fetched|retrieved|scraped|date)
        (?: [ \t]+at[ \t]*[:=]?[ \t]* | [ \t]*[:=][ \t]* )
        (?P<when>[^\n]{10,40}?)[ \t]*\r?$""",
    regex.M | regex.X,
)


def capture_time(head: str, zone: dt.tzinfo) -> dt.datetime | None:
    """The capture time printed in the first lines of an input, if any (naive: ``zone``)."""
    for m in _CAPTURE.finditer(head, 0, min(len(head), 2048)):
        when = m["when"].strip()
        try:
            value = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            try:
                value = email.utils.parsedate_to_datetime(when)
            except (TypeError, ValueError, IndexError):
                continue
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return None


def parse_blocks(
    stream: BinaryIO,
    ctx: Context,
    *,
    name: str = "<input>",
    warn: Warn | None = None,
    encoding: str | None = None,
    use_capture: bool = False,
    on_reference: Callable[[dt.datetime, str], None] | None = None,
) -> Iterator[ParsedBlock]:
    """Each block of one input with its records.

    Warnings (odd bytes, control characters, impossible dates) go to ``warn`` with their
    line and column; an input that is not text raises :class:`InputError`. With
    ``use_capture``, a capture time printed at the top of the input replaces ``ctx.now``
    as the reference for ages; ``on_reference`` hears which reference was used.
    """
    report: Warn = warn or (lambda d: None)
    reader = Reader(stream, name, report, encoding)
    parser: Parser | None = None
    pending, base = "", 0
    retry = BLOCK_SIZE  # parse what is pending once it is this long
    for chunk, final in reader.chunks():
        if parser is None:
            captured = capture_time(chunk, ctx.tz) if use_capture else None
            if captured is not None:
                ctx = dataclasses.replace(ctx, now=captured)
            if on_reference is not None:
                on_reference(ctx.now, "captured" if captured else "given")
            parser = Parser(ctx)
        pending += chunk
        while pending and (final or len(pending) >= retry):
            if not final and len(pending) >= MAX_PENDING:
                # nothing has settled in all this (no card, no rail to cut between): cut
                # it, at a space if there is one, leaving a block's worth for later
                keep = len(pending) - BLOCK_SIZE
                space = pending.rfind(" ", keep // 2, keep) + 1
                cut, records = parser.settle(pending[: space or keep], base, final=True)
            else:
                cut, records = parser.settle(pending, base, final=final)
            if cut == 0:
                # nothing settles yet: parse again only once twice as much is pending, so
                # a text that never settles is parsed about twice, not once per chunk
                retry = min(2 * len(pending), MAX_PENDING)
                break
            retry = BLOCK_SIZE
            for offset, message in parser.warnings:
                reader.note(message, offset)
            parser.warnings.clear()
            yield ParsedBlock(pending[:cut], base, records, reader.lines.at)
            pending, base = pending[cut:], base + cut
    reader.summarise()


def parse_stream(
    stream: BinaryIO,
    ctx: Context,
    *,
    name: str = "<input>",
    warn: Warn | None = None,
    encoding: str | None = None,
) -> Iterator[Record]:
    """Records of one input, block by block."""
    for block in parse_blocks(stream, ctx, name=name, warn=warn, encoding=encoding):
        yield from block.records


def parse_bytes(data: bytes, ctx: Context, *, name: str = "<input>") -> list[Record]:
    """Records of an in-memory input (tests, fetched pages)."""
    return list(parse_stream(io.BytesIO(data), ctx, name=name))
