"""An atheris fuzz target for the parser and the feed writers (``make fuzz``).

Each input is read the way ``ticker parse`` reads a file (bytes: decoding, binary
refusal, control characters), parsed, checked (spans and residue tile the text), and
its items written as RSS, Atom and JSON Feed, each of which must parse back. Anything
else raising is a crash atheris reports, with the input that caused it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import atheris

with atheris.instrument_imports():
    from lxml import etree

    from ticker.errors import InputError
    from ticker.feeds import FORMATS, FeedInfo
    from ticker.parsing import make_context, residue
    from ticker.reading import parse_blocks
    from ticker.unique import unique

NOW = dt.datetime(2025, 8, 1, 12, tzinfo=dt.UTC)
CTX = make_context(now=NOW)
INFO = FeedInfo(undated=NOW)


def check(data: bytes) -> None:
    records = []
    try:
        for block in parse_blocks(io.BytesIO(data), CTX, name="fuzz"):
            pieces = sorted(
                [r.span for r in block.records] + residue(block.text, block.records, block.base)
            )
            position = block.base
            for start, end in pieces:
                assert start == position and end > start, (start, end, position)
                position = end
            assert position == block.base + len(block.text)
            records += block.records
    except InputError:
        return  # refused as not text: the CLI's one-line error
    items = unique(records)
    for name, fmt in FORMATS.items():
        body = fmt.write(items, INFO)
        if name == "json":
            assert len(json.loads(body)["items"]) == len(items)
        else:
            etree.fromstring(body)  # well-formed XML or it raises


def main() -> None:
    atheris.Setup(sys.argv, lambda data: check(data))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
