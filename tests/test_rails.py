"""France 24 rails in flat text: clock-time headlines, multi-word tags after place words,
kicker words that end a name, and the printed spellings of multi-word tags."""

from __future__ import annotations

import pytest

from tests.samples import NOW
from ticker.model import REGION_AMBIGUOUS
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


@pytest.mark.parametrize(
    ("body", "headline", "region"),
    [
        ("Heatwave grips Middle East", "Heatwave grips Middle East", None),
        ("Typhoon hits Asia-Pacific", "Typhoon hits Asia-Pacific", None),
        ("Unrest sweeps Middle East", "Unrest sweeps Middle East", None),
        ("Pope visits Asia-Pacific", "Pope visits Asia-Pacific", None),
        ("Storm lashes Asia / Pacific", "Storm lashes Asia / Pacific", None),
        ("Heatwave grips Europe", "Heatwave grips Europe", None),
        ("Trump tours Middle East Middle East", "Trump tours Middle East", "Middle East"),
        ("Crowd seeking food Middle East", "Crowd seeking food", "Middle East"),
    ],
)
def test_a_place_word_keeps_a_multiword_tag_like_a_one_word_one(
    body: str, headline: str, region: str | None
) -> None:
    got = rows(f"31/07/2025 {body} 30/07/2025 Court hears appeal")
    assert got[0][0] == headline
    assert got[0][2] == region


def test_a_kept_tag_word_is_no_evidence_for_another_item() -> None:
    # neither "Heatwave grips" reading may settle the other item
    page = "01/08/2025 Heatwave grips Middle East 01/08/2025 Heatwave grips Europe 31/07/2025 X"
    assert [g[:3] for g in rows(page)] == [
        ("Heatwave grips Middle East", None, None),
        ("Heatwave grips Europe", None, None),
        ("X", None, None),
    ]


@pytest.mark.parametrize(
    ("body", "headline", "kicker", "region"),
    [
        (
            "Gulf camps unsafe, says Human Rights Watch Middle East",
            "Gulf camps unsafe, says Human Rights",
            "Watch",
            "Middle East",
        ),
        (
            "Egypt jails activists, says Human Rights Watch",
            "Egypt jails activists, says Human Rights",
            "Watch",
            None,
        ),
        ("Talks resume in Kyiv Analysis Europe", "Talks resume in Kyiv", "Analysis", "Europe"),
    ],
)
def test_a_kicker_word_after_a_name_is_flagged(
    body: str, headline: str, kicker: str, region: str | None
) -> None:
    got = rows(f"31/07/2025 {body} 30/07/2025 Court hears appeal")
    assert got[0] == (
        headline,
        kicker,
        region,
        region and region.lower().replace(" ", "-"),
        (REGION_AMBIGUOUS,),
    )


@pytest.mark.parametrize(
    "body",
    [
        "Heat spreads as heatwave grips eastern Europe Watch Europe",  # a tag word before
        "Strike ends at last Watch Europe",  # a plain word before
    ],
)
def test_a_kicker_word_after_no_name_is_not_flagged(body: str) -> None:
    got = rows(f"31/07/2025 {body} 30/07/2025 Court hears appeal")
    assert (got[0][1], got[0][2], got[0][4]) == ("Watch", "Europe", ())


def test_the_page_settles_a_kicker_word_that_ends_a_name() -> None:
    page = (
        "01/08/2025\nGulf camps unsafe, says Human Rights Watch\nMiddle East\n"
        "31/07/2025 Gulf camps unsafe, says Human Rights Watch Middle East 30/07/2025 X"
    )
    assert rows(page)[1] == (
        "Gulf camps unsafe, says Human Rights Watch",
        None,
        "Middle East",
        "middle-east",
        (),
    )


@pytest.mark.parametrize("tag", ["Asia/Pacific", "Asia - Pacific", "Asia-pacific", "ASIA-PACIFIC"])
@pytest.mark.parametrize("sep", ["\n", " "])
def test_spellings_of_a_multiword_tag_are_one_region(tag: str, sep: str) -> None:
    page = sep.join(["01/08/2025", "Myanmar junta extends emergency rule", tag, "31/07/2025", "X"])
    assert rows(page)[0] == ("Myanmar junta extends emergency rule", None, tag, "asia-pacific", ())


def test_a_spelling_variant_after_a_function_word_stays_in_the_headline() -> None:
    got = rows("31/07/2025 Markets rally across Asia/Pacific 30/07/2025 X")
    assert got[0][:3] == ("Markets rally across Asia/Pacific", None, None)
