"""Writing records out: JSON Lines, JSON, CSV and a table for people.

Each writer takes an iterable of records and a binary stream and writes as records
arrive, so ``ticker parse big.txt > out.jsonl`` holds no more than a block in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import BinaryIO

import orjson

from .model import FIELDS, Record


def _as_json(record: Record) -> bytes:
    # orjson writes dates and aware datetimes as ISO 8601 and tuples as arrays
    return orjson.dumps(dict(zip(FIELDS, record, strict=True)))


def write_jsonl(records: Iterable[Record], out: BinaryIO) -> int:
    n = 0
    dumps = orjson.dumps
    fields = FIELDS
    write = out.write
    for r in records:
        write(dumps(dict(zip(fields, r, strict=True)), option=orjson.OPT_APPEND_NEWLINE))
        n += 1
    return n


def write_json(records: Iterable[Record], out: BinaryIO) -> int:
    n = 0
    out.write(b"[")
    for r in records:
        out.write(b",\n" if n else b"\n")
        out.write(_as_json(r))
        n += 1
    out.write(b"\n]\n" if n else b"]\n")
    return n


def _csv_row(r: Record) -> list[str]:
    d = r.to_dict()
    d["span"] = f"{r.span[0]}-{r.span[1]}"
    d["flags"] = " ".join(r.flags)
    return ["" if d[k] is None else str(d[k]) for k in FIELDS]


def write_csv(records: Iterable[Record], out: BinaryIO) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(FIELDS)
    n = 0
    for r in records:
        writer.writerow(_csv_row(r))
        n += 1
    text.detach()
    return n


_COLUMNS = (("kind", 4), ("date", 10), ("time", 5), ("region", 14), ("source", 12))


def _cell(value: object, width: int) -> str:
    s = "" if value is None else str(value)
    return (s if len(s) <= width else s[: width - 1] + "…").ljust(width)


def write_table(records: Iterable[Record], out: BinaryIO) -> int:
    head = "  ".join(name.upper().ljust(w) for name, w in _COLUMNS) + "  HEADLINE\n"
    out.write(head.encode())
    n = 0
    for r in records:
        cells = [_cell(getattr(r, name), w) for name, w in _COLUMNS]
        headline = _cell(r.headline, 90).rstrip()
        out.write(("  ".join(cells) + "  " + headline + "\n").encode())
        n += 1
    return n


def write_summary(records: Iterable[Record], out: BinaryIO) -> int:
    """One line: how many records of each kind, sources, regions and the dates covered."""
    rows = list(records)
    kinds = {k: sum(1 for r in rows if r.kind == k) for k in ("rail", "card")}
    sources = sorted({r.source for r in rows if r.source})
    regions = sorted({r.region_id for r in rows if r.region_id})
    days = sorted({r.date for r in rows if r.date})
    span = f"{days[0]}..{days[-1]}" if days else "no dates"
    line = (
        f"{len(rows)} records ({kinds['rail']} rail, {kinds['card']} card); "
        f"sources: {', '.join(sources) or '-'}; regions: {', '.join(regions) or '-'}; {span}\n"
    )
    out.write(line.encode())
    return len(rows)


WRITERS: dict[str, Callable[[Iterable[Record], BinaryIO], int]] = {
    "jsonl": write_jsonl,
    "json": write_json,
    "csv": write_csv,
    "table": write_table,
    "summary": write_summary,
}
