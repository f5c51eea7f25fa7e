"""Reading input: files, stdin and bytes become text blocks the parser can take.

This is the adapter between the outside world and :mod:`ticker.parsing`: it opens paths,
refuses what is not text (binary data, directories), decodes UTF-8 (or a BOM's encoding,
or ``--encoding``) while noting every invalid byte, turns control characters into spaces
(offsets stay the same, so spans still point into the input), and cuts the text into
blocks so that memory does not grow with the input.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

import regex

from .errors import InputError
from .model import Diagnostic, Record
from .parsing import Context, Parser

#: bytes read at a time; a block is cut near this size
BLOCK_SIZE = 1 << 20
#: how many warnings of one kind are reported one by one before they are only counted
MAX_REPORTED = 5

_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_TO_SPACE = {c: " " for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]}
_CONTROL_TO_SPACE.update({c: " " for c in range(0x7F, 0xA0)})
_LAST_BLANK_LINE = regex.compile(r"(?r)\n[ \t\r]*\n")
_CUT_BEFORE_DATE = regex.compile(r"(?r)(?<![\d:]\s*)\s(?=\d{1,2}/\d{1,2}/\d{4}\s)")

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


@dataclass(slots=True)
class _Position:
    """Turns absolute character offsets into line and column as blocks go by."""

    line: int = 1  # line number at the start of the current block
    line_start: int = 0  # absolute offset where that line starts
    base: int = 0  # absolute offset of the current block
    text: str = ""

    def at(self, offset: int) -> tuple[int, int]:
        rel = offset - self.base
        if rel < 0 or rel > len(self.text):
            return self.line, offset - self.line_start + 1
        newlines = self.text.count("\n", 0, rel)
        if newlines == 0:
            return self.line, offset - self.line_start + 1
        last = self.text.rfind("\n", 0, rel)
        return self.line + newlines, rel - last

    def advance(self, text: str, base: int) -> None:
        """Move past the current block to one starting at ``base``."""
        newlines = self.text.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = self.base + self.text.rfind("\n") + 1
        self.base, self.text = base, text


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
    sample = head[:8192]
    if sample:
        nul = sample.find(b"\0")
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if nul >= 0 and controls * 10 > len(sample):
            raise InputError("binary data, not text", name=name, byte=nul)
    return "utf-8"


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


def _cut(text: str, final: bool) -> int:
    """Where to end a block in ``text``: a blank line, else between two rail items."""
    if final or len(text) < BLOCK_SIZE:
        return len(text) if final else -1
    half = len(text) // 2
    blank = _LAST_BLANK_LINE.search(text, half)
    if blank is not None:
        return int(blank.end())
    between = _CUT_BEFORE_DATE.search(text, half)
    if between is not None:
        return int(between.end())
    space = text.rfind(" ", half)
    return space + 1 if space >= 0 else len(text)


class Reader:
    """Reads one input as a sequence of text blocks, reporting odd bytes as it goes."""

    def __init__(self, stream: BinaryIO, name: str, warn: Warn, encoding: str | None = None):
        self.stream = stream
        self.name = name
        self.warn = warn
        self.encoding = encoding
        self.position = _Position()
        self._counts: dict[str, int] = {}
        self._byte_warnings: list[tuple[int, str]] = []

    def _note(self, message: str, offset: int, *, byte: bool = False) -> None:
        seen = self._counts.get(message, 0)
        self._counts[message] = seen + 1
        if seen < MAX_REPORTED:
            if byte:
                self.warn(Diagnostic(f"{message} at byte {offset}", offset, 0, 0))
            else:
                line, col = self.position.at(offset)
                self.warn(Diagnostic(message, offset, line, col))

    def blocks(self) -> Iterator[tuple[str, int]]:
        """(text, offset of its first character) for each block, in order."""
        head = self.stream.read(BLOCK_SIZE)
        encoding = _sniff(head, self.name, self.encoding)
        if encoding == "utf-8":
            chunks = self._utf8_chunks(head)
        else:
            chunks = self._codec_chunks(head, encoding)
        pending = ""
        base = 0
        for chunk, final in chunks:
            text = pending + chunk
            while True:
                cut = _cut(text, final)
                if cut < 0:
                    break
                block, text = text[:cut], text[cut:]
                if block:
                    yield self._clean(block, base)
                    base += len(block)
                if final and not text:
                    break
            pending = text
        self._summarise()

    def _utf8_chunks(self, head: bytes) -> Iterator[tuple[str, bool]]:
        data, byte_base = head, 0
        while True:
            more = self.stream.read(BLOCK_SIZE)
            final = not more
            cut = len(data) if final else _utf8_boundary(data)
            yield _decode_utf8(data[:cut], byte_base, self._byte_note), final
            if final:
                return
            byte_base += cut
            data = data[cut:] + more

    def _byte_note(self, offset: int, message: str) -> None:
        self._note(message, offset, byte=True)

    def _codec_chunks(self, head: bytes, encoding: str) -> Iterator[tuple[str, bool]]:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        data = head
        while True:
            more = self.stream.read(BLOCK_SIZE)
            final = not more
            text = decoder.decode(data, final=final)
            if "\ufffd" in text:
                self._note(f"bytes not valid {encoding} replaced", 0, byte=True)
            yield text, final
            if final:
                return
            data = more

    def _clean(self, block: str, base: int) -> tuple[str, int]:
        self.position.advance(block, base)
        if _CONTROL.search(block) is None:
            return block, base
        for m in _CONTROL.finditer(block):
            self._note(f"control character U+{ord(m[0]):04X} read as a space", base + m.start())
        return block.translate(_CONTROL_TO_SPACE), base

    def _summarise(self) -> None:
        for message, count in self._counts.items():
            if count > MAX_REPORTED:
                more = count - MAX_REPORTED
                self.warn(Diagnostic(f"... and {more} more: {message}", -1, 0, 0))


class ParsedBlock(NamedTuple):
    text: str
    base: int  # offset of the block's first character in the input
    records: list[Record]
    position: Callable[[int], tuple[int, int]]  # input offset -> (line, column)


def parse_blocks(
    stream: BinaryIO,
    ctx: Context,
    *,
    name: str = "<input>",
    warn: Warn | None = None,
    encoding: str | None = None,
) -> Iterator[ParsedBlock]:
    """Each block of one input with its records.

    Warnings (odd bytes, control characters, impossible dates) go to ``warn`` with their
    line and column; an input that is not text raises :class:`InputError`.
    """
    report: Warn = warn or (lambda d: None)
    reader = Reader(stream, name, report, encoding)
    parser = Parser(ctx)
    for text, base in reader.blocks():
        records = parser.feed(text, base)
        for offset, message in parser.warnings:
            line, col = reader.position.at(offset)
            report(Diagnostic(message, offset, line, col))
        parser.warnings.clear()
        yield ParsedBlock(text, base, records, reader.position.at)


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
