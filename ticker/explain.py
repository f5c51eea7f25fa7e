"""Provenance: which printed tokens gave a record its date, time, region and boundaries.

Built after the fact from a record and the text its span covers, so the parser's hot path
carries nothing extra: each field's value is looked up again inside the span (with any
run of whitespace matching any other), and the tag boundary of a flat item is re-judged
by the same rule the parser used.
"""

from __future__ import annotations

from typing import Any

import regex

from . import stamps
from .model import (
    AGE_RESOLVED,
    BOUNDARY_GUESSED,
    DATE_INFERRED,
    ORDER_INFERRED,
    REGION_AMBIGUOUS,
    TZ_ASSUMED,
    YEAR_INFERRED,
    Record,
)
from .profiles import Vocabulary
from .rails import tag_verdict

_WHY = {
    REGION_AMBIGUOUS: "nothing on the page settles whether the last word is the tag",
    BOUNDARY_GUESSED: "title and teaser split by the documented heuristic",
    YEAR_INFERRED: "no year printed: the reference year, never more than a day ahead",
    ORDER_INFERRED: "the printed dates fit both day/month orders: the profile's order",
    TZ_ASSUMED: "no zone printed or in the source profile: --tz",
    AGE_RESOLVED: "published = reference time - age",
    DATE_INFERRED: (
        "only a clock time printed: the latest such time at or before the reference; in a"
        " list printed newest first, the first item's day, then the day before wherever"
        " the clock goes up (past midnight)"
    ),
}


#: why an item of a flat dated list has a guessed boundary (the last item, or one before
#: page furniture that a second list follows)
_LAST_ITEM_CUT = (
    "flat list: the item ran on into what the page prints after it (after the list, or"
    " between two lists); cut where page furniture, a footer or a sentence end starts"
)


def _find(text: str, value: str, lo: int, hi: int, *, last: bool = False) -> tuple[int, int] | None:
    """Where ``value`` (whitespace-collapsed) is printed in text[lo:hi]."""
    pattern = r"\s+".join(regex.escape(w) for w in value.split())
    found = list(regex.finditer(pattern, text[lo:hi]))
    if not found:
        return None
    m = found[-1] if last else found[0]
    return lo + m.start(), lo + m.end()


def explain(text: str, record: Record, vocab: Vocabulary, base: int = 0) -> dict[str, Any]:
    """For each field the record has, the printed token and its span; with the reasons."""
    lo, hi = record.span[0] - base, record.span[1] - base
    out: dict[str, Any] = {}

    def token(name: str, value: str | None, *, last: bool = False) -> None:
        if value:
            at = _find(text, value, lo, hi, last=last)
            if at is not None:
                out[name] = {"text": text[at[0] : at[1]], "span": [at[0] + base, at[1] + base]}

    token("headline", record.headline)
    token("region", record.region, last=True)
    token("kicker", record.kicker, last=True)
    token("duration", record.duration)
    token("age", record.age)
    token("source", record.source)
    if record.date is not None or record.time is not None:
        head = out.get("headline", {}).get("span", [hi + base, hi + base])
        for s in stamps.find(text, vocab, lo, hi):
            if not head[0] - base <= s.start < head[1] - base:
                out["date" if s.has_date else "time"] = {
                    "text": text[s.start : s.end],
                    "span": [s.start + base, s.end + base],
                }
                break
    reasons = {flag: _WHY[flag] for flag in record.flags if flag in _WHY}
    if BOUNDARY_GUESSED in reasons and record.kind == "rail":
        reasons[BOUNDARY_GUESSED] = _LAST_ITEM_CUT
    between = ""
    above = False
    if "headline" in out and "region" in out:
        between = text[out["headline"]["span"][1] - base : out["region"]["span"][0] - base]
        above = out["region"]["span"][1] <= out["headline"]["span"][0]
    if above:
        boundary: str | None = f"{record.region!r} printed before the headline as its label"
    else:
        boundary = _boundary(record, vocab, same_line=between.strip(" \t") == "")
    if boundary:
        reasons["boundary"] = boundary
    if reasons:
        out["why"] = reasons
    return out


def _boundary(record: Record, vocab: Vocabulary, *, same_line: bool) -> str | None:
    """Why a flat item's last words were (not) taken as its tag."""
    if record.region and not same_line:
        return f"{record.region!r} printed as a label of its own"
    if record.region and record.kind == "rail":
        c = f"{record.headline} {record.region}"
        verdict = tag_verdict(c, len(record.headline), tuple(record.region.split()), vocab)
        word = record.headline.rsplit(" ", 1)[-1]
        if verdict == "tag":
            return f"{record.region!r} is the tag: {word!r} before it cannot end in it"
        if verdict == "weak":
            return f"{record.region!r} taken as the tag after the plain word {word!r}"
        return f"{record.region!r} printed on its own line or confirmed by the page"
    last = record.headline.rsplit(" ", 1)[-1]
    if record.kind == "rail" and last in vocab.regions:
        return f"{last!r} kept in the headline: the layout or the word before it says so"
    return None
