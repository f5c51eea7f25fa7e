"""One record per item: identity, ids and merging."""

from __future__ import annotations

import datetime as dt

from tests.samples import NOW, parse_sample
from ticker.model import Record
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


def test_a_re_punctuated_headline_is_the_same_item() -> None:
    printings = [
        "Paris – Berlin talks: ‘It’s too late’ for a deal",
        "Paris - Berlin talks : 'It's too late' for a deal",
        "PARIS — BERLIN TALKS: “It’s too late” for a deal",
        "Paris\u00a0\u2011 Berlin  talks:\u00a0'It's too late' for a deal",
    ]
    records = [parse(f"31/07/2025 {h}\n", now=NOW, source="France 24")[0] for h in printings]
    assert len({item_id(r) for r in records}) == 1
    assert len(unique(records)) == 1
    other = parse("31/07/2025 Paris - Berlin talks: 'It's too late' for a vote\n", now=NOW)[0]
    assert item_id(other) != item_id(records[0])


def _card(age: str, now: dt.datetime) -> Record:
    page = f"France 24\n{age}\n- France 24\nFerry strike ends after talks\n"
    (card,) = parse(page, now=now)
    return card


RAIL_31 = "31/07/2025\nFerry strike ends after talks\nEurope\n"
EVENING = dt.datetime(2025, 7, 31, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def test_an_hour_age_on_the_rails_day_gives_the_item_its_time() -> None:
    card = _card("2 hours ago", EVENING)
    (rail,) = parse(RAIL_31, now=EVENING, source="France 24")
    for merged in (unique([card, rail]), unique([rail, card])):
        (item,) = merged
        assert (item.date, item.published) == (dt.date(2025, 7, 31), card.published)


def test_an_age_in_days_or_on_another_day_gives_way_to_the_printed_date() -> None:
    (rail,) = parse(RAIL_31, now=EVENING, source="France 24")
    later = EVENING + dt.timedelta(days=9)
    for card in (_card("9 days ago", later), _card("2 hours ago", later)):
        for merged in (unique([card, rail]), unique([rail, card])):
            (item,) = merged
            assert (item.date, item.published) == (dt.date(2025, 7, 31), None)
            assert "age_resolved" not in item.flags


def test_the_younger_age_dates_an_item_whichever_is_seen_first() -> None:
    fresh = _card("2 hours ago", EVENING)  # 18:00 on Jul 31
    stale = _card("6 days ago", EVENING + dt.timedelta(days=6, hours=3))  # 23:00, by the clock
    for merged in (unique([stale, fresh]), unique([fresh, stale])):
        (item,) = merged
        assert (item.published, item.age) == (fresh.published, "2 hours ago")
