"""France 24 rails in flat text: clock-time headlines, multi-word tags after place words,
kicker words that end a name, and the printed spellings of multi-word tags."""

from __future__ import annotations

import pytest

from tests.samples import NOW
from ticker.parsing import parse

Row = tuple[str, str | None, str | None, str | None, tuple[str, ...]]


def rows(text: str) -> list[Row]:
    return [(r.headline, r.kicker, r.region, r.region_id, r.flags) for r in parse(text, now=NOW)]


@pytest.mark.parametrize(
    "headline",
    [
        "10:30 curfew imposed after protests in Nairobi",
        "9:30 am: Markets open lower in Tokyo",
        "20:00 deadline passes without a deal in Brussels",
    ],
)
def test_a_headline_starting_with_a_clock_time_is_its_own_item(headline: str) -> None:
    # flat text lost the line break between the date and the headline: the rail's other
    # dates stand alone, so this one does too and the time opens the headline
    page = f"31/07/2025 G7 ministers meet in Rome Europe 30/07/2025 {headline} Africa 30/07/2025 X"
    got = rows(page)
    assert [g[0] for g in got] == ["G7 ministers meet in Rome", headline, "X"]
    assert got[1][2] == "Africa"


def test_a_list_with_a_time_after_every_date_keeps_its_stamps() -> None:
    page = (
        "Latest 31/07/2025 17:40 Court hears appeal in bank case 31/07/2025 16:05 Ferry "
        "strike ends at Calais 30/07/2025 09:12 Markets open lower"
    )
    records = parse(page, now=NOW)
    assert [(r.time, r.headline) for r in records] == [
        ("17:40", "Court hears appeal in bank case"),
        ("16:05", "Ferry strike ends at Calais"),
        ("09:12", "Markets open lower"),
    ]
