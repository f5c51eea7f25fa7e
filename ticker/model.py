"""The records ticker produces, and the diagnostics that come with them.

A :class:`Record` is immutable and cheap. It is a ``NamedTuple`` rather than a frozen
dataclass because the parser builds hundreds of thousands of them a second: a frozen,
slotted dataclass costs about 2 µs to construct (every field goes through
``object.__setattr__``), a named tuple about 0.3 µs, and both are immutable and carry no
``__dict__``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

#: Flags a record may carry, saying how a part of it was decided.
REGION_AMBIGUOUS = "region_ambiguous"  # flat text: tag/headline boundary not settled by evidence
BOUNDARY_GUESSED = "boundary_guessed"  # flat text: card title/teaser boundary found by heuristic
YEAR_INFERRED = "year_inferred"  # the printed date had no year
ORDER_INFERRED = "order_inferred"  # the printed dates left day/month order open: profile's
TZ_ASSUMED = "tz_assumed"  # no zone printed or in the source profile: --tz was used
AGE_RESOLVED = "age_resolved"  # published = reference time - age
DATE_INFERRED = "date_inferred"  # only a clock time was printed: the date is the reference's
Span = tuple[int, int]


class Record(NamedTuple):
    """One headline found in the input (see docs/RECORDS.md for every field)."""

    kind: str
    source: str | None
    date: dt.date | None
    time: str | None
    duration: str | None
    age: str | None
    published: dt.datetime | None
    headline: str
    region: str | None
    region_id: str | None
    kicker: str | None
    summary: str | None
    span: Span
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready values (ISO dates, lists for tuples)."""
        d = self._asdict()
        d["date"] = self.date.isoformat() if self.date else None
        d["published"] = self.published.isoformat() if self.published else None
        d["span"] = list(self.span)
        d["flags"] = list(self.flags)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        """The inverse of :meth:`to_dict`; missing optional keys become None."""
        date = d.get("date")
        published = d.get("published")
        span = d.get("span") or (0, 0)
        return cls(
            kind=d["kind"],
            source=d.get("source"),
            date=dt.date.fromisoformat(date) if date else None,
            time=d.get("time"),
            duration=d.get("duration"),
            age=d.get("age"),
            published=dt.datetime.fromisoformat(published) if published else None,
            headline=d["headline"],
            region=d.get("region"),
            region_id=d.get("region_id"),
            kicker=d.get("kicker"),
            summary=d.get("summary"),
            span=(int(span[0]), int(span[1])),
            flags=tuple(d.get("flags") or ()),
        )


FIELDS: tuple[str, ...] = Record._fields


class Diagnostic(NamedTuple):
    """A warning about odd input that parsing survived (bad bytes, control characters...)."""

    message: str
    offset: int  # character offset into the decoded text, or byte offset where said
    line: int
    column: int

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"
