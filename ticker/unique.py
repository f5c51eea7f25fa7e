"""One record per item: identity, stable ids, and merging what each occurrence knows.

A page often prints one item several times: as a card (with its age and video length) and
as a rail entry elsewhere (with its date). The item is the same when the source and the
normalized headline are the same. Its id is built from exactly that, so it is stable
across runs, formats and files, and stays the same when a later page adds a date to an
item first seen without one (the archive relies on this).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from .model import Record
from .profiles import slug
from .text import headline_key

#: The tag URI prefix of every item id (RFC 4151: tag:authority,date:specific).
ID_PREFIX = "tag:ticker.invalid,2025:item/"


def item_key(record: Record) -> tuple[str, str]:
    """What makes two records the same item: source and normalized headline."""
    return (record.source or "").casefold(), headline_key(record.headline)


def item_id(record: Record) -> str:
    """A stable, IRI-safe id: ``tag:ticker.invalid,2025:item/france-24/1c9f...``.

    The readable part is the source's slug; the digest covers source and headline.
    """
    source, headline = item_key(record)
    digest = hashlib.sha256(f"{source}\n{headline}".encode()).hexdigest()[:20]
    return f"{ID_PREFIX}{slug(source) or 'unknown'}/{digest}"


def merge(first: Record, other: Record) -> Record:
    """``first`` completed with what ``other`` knows and ``first`` does not."""
    updates = {
        name: getattr(other, name)
        for name in (
            "date",
            "time",
            "duration",
            "age",
            "published",
            "region",
            "region_id",
            "kicker",
            "summary",
        )
        if getattr(first, name) is None and getattr(other, name) is not None
    }
    flags = first.flags + tuple(f for f in other.flags if f not in first.flags)
    if flags != first.flags:
        updates["flags"] = flags
    return first._replace(**updates) if updates else first


def unique(records: Iterable[Record]) -> list[Record]:
    """Each item once, at its first occurrence, with what all its occurrences know."""
    seen: dict[tuple[str, str], int] = {}
    out: list[Record] = []
    for r in records:
        key = item_key(r)
        i = seen.get(key)
        if i is None:
            seen[key] = len(out)
            out.append(r)
        else:
            out[i] = merge(out[i], r)
    return out
