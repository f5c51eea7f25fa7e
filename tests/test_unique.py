"""One record per item: identity, ids and merging."""

from __future__ import annotations

import datetime as dt

from tests.samples import NOW, parse_sample
from ticker.parsing import parse
from ticker.unique import ID_PREFIX, item_id, unique


def test_card_and_rail_occurrences_merge() -> None:
    merged = unique(parse_sample("000_14508f3cbf4abfa2"))
    by_headline = {r.headline: r for r in merged}
    assert len(merged) == 11
    la = by_headline["Los Angeles: Some undocumented migrants scared to leave homes"]
    # the card gave the age and video length, the rail the date
    assert (la.kind, la.duration, la.age, la.date) == (
        "card",
        "01:45",
        "2 hours ago",
        dt.date(2025, 7, 31),
    )


def test_ids_are_stable_and_iri_safe() -> None:
    a = parse("31/07/2025 Ferry strike ends", now=NOW, source="France 24")[0]
    b = parse("Ferry  strike ends\n", now=NOW)  # no date: no record
    assert b == []
    c = parse("France 24\n2 hours ago\n- France 24\nFerry strike ends\n", now=NOW)[0]
    assert item_id(a) == item_id(c)
    assert item_id(a).startswith(ID_PREFIX + "france-24/")
    assert item_id(a).isascii() and " " not in item_id(a)


def test_same_headline_from_other_sources_stays_apart() -> None:
    a = parse("31/07/2025 Ferry strike ends", now=NOW, source="France 24")[0]
    b = parse("31/07/2025 Ferry strike ends", now=NOW, source="AFP")[0]
    assert item_id(a) != item_id(b)
    assert len(unique([a, b])) == 2
