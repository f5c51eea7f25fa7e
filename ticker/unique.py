"""One record per item: identity, stable ids, and merging what each occurrence knows.

A page often prints one item several times: as a card (with its age and video length) and
as a rail entry elsewhere (with its date). The item is the same when the source and the
normalized headline are the same. Its id is built from exactly that, so it is stable
across runs, formats and files, and stays the same when a later page adds a date to an
item first seen without one (the archive relies on this).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from . import dates
from .model import AGE_RESOLVED, Record
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
    """``first`` completed with what ``other`` knows and ``first`` does not; its time
    from whichever occurrence dates it best (:func:`_timing`)."""
    return _timing(_filled(first, other), first, other)


def _filled(first: Record, other: Record) -> Record:
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


def _age_of(r: Record) -> dt.timedelta | None:
    """How old ``r`` said it was, when its ``published`` came from that age."""
    if r.published is None or r.age is None or AGE_RESOLVED not in r.flags:
        return None
    return dates.age_delta(r.age)


def _timing(merged: Record, first: Record, other: Record) -> Record:
    """The item's ``published`` (and ``age``) from the occurrence that dates it best.

    A printed time beats an age, and a younger age an older one ("2 hours ago" says the
    hour, "6 days ago" only the day, and the time of day it gives is the reader's clock).
    A printed date is exact: an age that says only the day, or that lands on another day,
    gives way to it, and the item is dated by its day (as an item known only to the day).
    """
    timed = [r for r in (first, other) if r.published is not None]
    if not timed:
        return merged
    best = min(timed, key=_vagueness)
    published, age = best.published, best.age if best.age is not None else merged.age
    delta = _age_of(best)
    day = merged.date
    if delta is not None and day and published and (delta >= _DAY or published.date() != day):
        published = None
    flags = merged.flags
    if published is None and AGE_RESOLVED in flags:
        flags = tuple(f for f in flags if f != AGE_RESOLVED)
    if (published, age, flags) == (merged.published, merged.age, merged.flags):
        return merged
    return merged._replace(published=published, age=age, flags=flags)


_DAY = dt.timedelta(days=1)


def _vagueness(r: Record) -> float:
    """How loosely ``r`` is timed: 0 for a printed time, else the age in seconds."""
    delta = _age_of(r)
    return delta.total_seconds() if delta is not None else 0.0


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
