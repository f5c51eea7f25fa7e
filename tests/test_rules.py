"""Each parsing rule on its own, as small tables."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.samples import NOW
from ticker.dates import age_delta
from ticker.model import REGION_AMBIGUOUS
from ticker.parsing import parse
from ticker.profiles import slug


def one(text: str, **kw: object) -> tuple[str, str | None, str | None, tuple[str, ...]]:
    records = parse(text, now=NOW, **kw)  # type: ignore[arg-type]
    assert records, text
    r = records[0]
    return r.headline, r.region, r.kicker, r.flags


# The word before a trailing tag word decides, in flat text, whether it is the tag.
@pytest.mark.parametrize(
    ("body", "headline", "region"),
    [
        ("Talks on the future of Europe", "Talks on the future of Europe", None),
        ("Protests spread across Europe", "Protests spread across Europe", None),
        ("Drones strike across the Middle East", "Drones strike across the Middle East", None),
        ("Deal between Israel, Palestine Europe", "Deal between Israel, Palestine", "Europe"),
        ("Aid convoys reach Gaza Middle East", "Aid convoys reach Gaza", "Middle East"),
        ("Crowd seeking food Middle East", "Crowd seeking food", "Middle East"),
        ("Tariffs over Bolsonaro trial Americas", "Tariffs over Bolsonaro trial", "Americas"),
        ("'We will stop it' Middle East", "'We will stop it'", "Middle East"),
        ("Heatwave grips southern Europe", "Heatwave grips southern Europe", None),
        ("Drought hits East Africa", "Drought hits East Africa", None),
        ("Storm lashes France", "Storm lashes France", None),
        ("Famine spreads, UN agency warns Africa", "Famine spreads, UN agency warns", "Africa"),
        ("Talks go on across Europe Europe", "Talks go on across Europe", "Europe"),
        ("Leaders meet across Middle East Africa", "Leaders meet across Middle East", "Africa"),
        ("Trade talks with Asia, Europe", "Trade talks with Asia, Europe", None),
        ("Tariff rises to 25% Europe", "Tariff rises to 25%", "Europe"),
        (
            "Volcano forces 5,000 to flee Asia / Pacific",
            "Volcano forces 5,000 to flee",
            "Asia / Pacific",
        ),
        (
            "Markets rally in Asia-Pacific Asia-Pacific",
            "Markets rally in Asia-Pacific",
            "Asia-Pacific",
        ),
    ],
)
def test_flat_tag_boundary(body: str, headline: str, region: str | None) -> None:
    got = one(f"31/07/2025 {body} 30/07/2025 Next item")
    assert got[:2] == (headline, region)


def test_undecided_tag_boundary_is_flagged() -> None:
    headline, region, _, flags = one("31/07/2025 Why voters are deserting Europe 30/07/2025 X")
    assert (headline, region, flags) == ("Why voters are deserting", "Europe", (REGION_AMBIGUOUS,))


def test_page_evidence_settles_an_undecided_boundary() -> None:
    # the card title, printed twice, shows the tag word belongs to the headline
    page = (
        "France 24 2 hours ago - France 24 Why voters are deserting Europe "
        "Why voters are deserting Europe 01:12 31/07/2025 Why voters are deserting Europe "
        "31/07/2025 Court hears appeal"
    )
    rail = [r for r in parse(page, now=NOW) if r.kind == "rail"]
    assert (rail[0].headline, rail[0].region, rail[0].flags) == (
        "Why voters are deserting Europe",
        None,
        (),
    )


def test_page_evidence_beats_the_word_before() -> None:
    # "drags on Europe" would keep Europe ("on" is a preposition), but the card shows
    # the headline ends at "on"
    page = (
        "France 24\n2 hours ago\n- France 24\nHeat drags on\n01:00 31/07/2025 Court hears "
        "appeal 31/07/2025 Heat drags on Europe 30/07/2025 Vote held"
    )
    rail = [r for r in parse(page, now=NOW) if r.kind == "rail"]
    assert (rail[1].headline, rail[1].region) == ("Heat drags on", "Europe")


@pytest.mark.parametrize(
    ("layout", "headline", "region", "kicker"),
    [
        (
            "31/07/2025\nTalks on the future of Europe\n",
            "Talks on the future of Europe",
            None,
            None,
        ),
        (
            "31/07/2025\nTalks on the future of Europe\nEurope\n",
            "Talks on the future of Europe",
            "Europe",
            None,
        ),
        (
            "31/07/2025\nWhy voters are deserting Europe\n",
            "Why voters are deserting Europe",
            None,
            None,
        ),
        (
            "31/07/2025\nFerry strike ends\nAnalysis\nEurope\n",
            "Ferry strike ends",
            "Europe",
            "Analysis",
        ),
        (
            "31/07/2025 Ferry strike ends Analysis Europe\n",
            "Ferry strike ends",
            "Europe",
            "Analysis",
        ),
        ("31/07/2025 Ferry strike ends Watch\n", "Ferry strike ends", None, "Watch"),
        ("31/07/2025 Talks go on Europe\nEurope\n", "Talks go on Europe", "Europe", None),
        (
            "31/07/2025\nFerry strike ends\nAsia-Pacific\n",
            "Ferry strike ends",
            "Asia-Pacific",
            None,
        ),
    ],
)
def test_layout_shows_the_fields(
    layout: str, headline: str, region: str | None, kicker: str | None
) -> None:
    assert one(layout)[:3] == (headline, region, kicker)


@pytest.mark.parametrize(
    ("header", "source", "age", "date"),
    [
        ("France 24\n2 hours ago\n- France 24\n", "France 24", "2 hours ago", None),
        ("France 244 days ago\n- France 24\n", "France 24", "4 days ago", None),
        ("France 2412 hours ago\n• France 24\n", "France 24", "12 hours ago", None),
        ("LeMonde\ntime10 hours ago\n- LeMonde\n", "LeMonde", "10 hours ago", None),
        ("Axios12-03-2025\n- Axios\n", "Axios", None, dt.date(2025, 3, 12)),
        ("The Guardian\na day ago\n• The Guardian\n", "The Guardian", "a day ago", None),
        ("Euronews 39 minutes ago - Euronews ", "Euronews", "39 minutes ago", None),
        ("AFP an hour ago - AFP ", "AFP", "an hour ago", None),
        ("DW 1 hour 7 min ago - DW ", "DW", "1 hour 7 min ago", None),
        ("El País\nhace 5 horas\n- El País\n", "El País", "hace 5 horas", None),
        ("Le Figaro\nil y a 3 h\n- Le Figaro\n", "Le Figaro", "il y a 3 h", None),
        ("Le Monde\n2 hours ago\n- Le Monde\n", "LeMonde", "2 hours ago", None),
        (
            "The New York Times\njust now\n- The New York Times\n",
            "The New York Times",
            "just now",
            None,
        ),
    ],
)
def test_card_header(header: str, source: str, age: str | None, date: dt.date | None) -> None:
    records = parse(header + "Ferry strike ends after talks\nCrews return to port.", now=NOW)
    card = records[0]
    assert (card.kind, card.source, card.age, card.date) == ("card", source, age, date)
    assert card.headline == "Ferry strike ends after talks"
    assert card.summary == "Crews return to port."


@pytest.mark.parametrize(
    "prose",
    [
        "Delegations met in Istanbul on 16/05/2025 and talks went on.",
        "The ceasefire signed 19/01/2025, was broken within days.",
        "Prices rose since 01/01/2025 across the region.",
    ],
)
def test_dates_in_prose_are_not_items(prose: str) -> None:
    assert parse(prose, now=NOW) == []


@pytest.mark.parametrize(
    ("age", "delta"),
    [
        ("2 hours ago", dt.timedelta(hours=2)),
        ("an hour ago", dt.timedelta(hours=1)),
        ("a day ago", dt.timedelta(days=1)),
        ("39 minutes ago", dt.timedelta(minutes=39)),
        ("1 hour 7 min ago", dt.timedelta(hours=1, minutes=7)),
        ("4 days ago", dt.timedelta(days=4)),
        ("hace 5 horas", dt.timedelta(hours=5)),
        ("5 horas", dt.timedelta(hours=5)),
        ("1 día", dt.timedelta(days=1)),
        ("il y a 3 h", dt.timedelta(hours=3)),
        ("vor 2 Stunden", dt.timedelta(hours=2)),
        ("yesterday", dt.timedelta(days=1)),
        ("just now", dt.timedelta(0)),
        ("moments ago", dt.timedelta(0)),
    ],
)
def test_age_delta(age: str, delta: dt.timedelta) -> None:
    assert age_delta(age) == delta


def test_card_published_is_reference_time_minus_age() -> None:
    card = parse("AFP\n2 hours ago\n- AFP\nFerry strike ends\n", now=NOW)[0]
    assert card.published == NOW - dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Asia / Pacific", "asia-pacific"),
        ("Asia-Pacific", "asia-pacific"),
        ("Middle East", "middle-east"),
        ("Économie", "economie"),
        ("UK", "uk"),
    ],
)
def test_region_slug(label: str, expected: str) -> None:
    assert slug(label) == expected


def test_impossible_date_keeps_the_item() -> None:
    records = parse("31/02/2025 Ferry strike ends 30/01/2025 Court hears appeal", now=NOW)
    assert [(r.date, r.headline) for r in records] == [
        (None, "Ferry strike ends"),
        (dt.date(2025, 1, 30), "Court hears appeal"),
    ]


def test_video_length_belongs_to_the_title_before_it() -> None:
    page = "31/07/2025\nFerry strike ends\nEurope\n01:28\n30/07/2025\nCourt hears appeal\n"
    records = parse(page, now=NOW)
    assert [(r.headline, r.duration) for r in records] == [
        ("Ferry strike ends", "01:28"),
        ("Court hears appeal", None),
    ]


def test_leading_video_length_with_no_title_before_is_residue() -> None:
    records = parse("01:28\n31/07/2025\nFerry strike ends\n", now=NOW)
    assert [(r.headline, r.duration, r.span) for r in records] == [
        ("Ferry strike ends", None, (6, 34))
    ]


def test_an_impossible_date_does_not_settle_the_order() -> None:
    # 00/13/2025 is no date at all; 03/06 and 02/06 stay undecided (profile order, flagged)
    records = parse(
        "00/13/2025 Junk item 03/06/2025 Ferry strike ends 02/06/2025 Court hears appeal", now=NOW
    )
    assert [(r.date, r.headline) for r in records] == [
        (None, "Junk item"),
        (dt.date(2025, 6, 3), "Ferry strike ends"),
        (dt.date(2025, 6, 2), "Court hears appeal"),
    ]
    assert "order_inferred" in records[1].flags


@pytest.mark.parametrize("year", ["0001", "1899", "2200", "9999"])
def test_far_off_years_are_impossible_dates(year: str) -> None:
    r = parse(f"31/07/{year} Ferry strike ends 30/07/2025 Court hears appeal", now=NOW)[0]
    assert (r.date, r.headline) == (None, "Ferry strike ends")


@pytest.mark.parametrize("space", ["\u2009", "\u202f", "\u3000", "\u00a0", "\t"])
def test_any_unicode_space_separates_words(space: str) -> None:
    text = f"31/07/2025 Deal between Israel, Palestine{space}Europe 30/07/2025 Court hears appeal"
    assert one(text)[:2] == ("Deal between Israel, Palestine", "Europe")


def test_a_flat_item_running_on_into_prose_ends_at_its_tag() -> None:
    page = (
        "31/07/2025 'We will rebuild': mayor vows after floods France Some prose paragraph "
        "that follows the rail and talks about the floods in the south of France. It was "
        "written on 30/07/2025 by a reporter. Most read 29/07/2025 Ferry strike ends Europe"
    )
    records = parse(page, now=NOW)
    assert [(r.headline, r.region) for r in records] == [
        ("'We will rebuild': mayor vows after floods", "France"),
        ("Ferry strike ends", "Europe"),
    ]
    assert "boundary_guessed" in records[0].flags


def test_a_blank_line_after_a_prose_card_starts_a_page_of_its_own() -> None:
    page = (
        "LeMonde\n2 hours ago\n- LeMonde\nGreek islands ration water\n"
        "Tanker ships now deliver drinking water twice a week.\n\n"
        "01:28\n31/07/2025\nFerry strike ends after talks\nEurope\n30/07/2025\nCourt hears appeal\n"
    )
    got = [(r.kind, r.source, r.headline, r.summary, r.duration) for r in parse(page, now=NOW)]
    assert got == [
        (
            "card",
            "LeMonde",
            "Greek islands ration water",
            "Tanker ships now deliver drinking water twice a week.",
            None,
        ),
        ("rail", None, "Ferry strike ends after talks", None, None),
        ("rail", None, "Court hears appeal", None, None),
    ]


def test_a_video_length_past_a_blank_line_is_the_next_pages() -> None:
    page = "31/07/2025\nFerry strike ends\nEurope\n\n01:28\n30/07/2025\nCourt hears appeal\n"
    got = [(r.headline, r.region, r.duration) for r in parse(page, now=NOW)]
    assert got == [("Ferry strike ends", "Europe", None), ("Court hears appeal", None, None)]


def test_a_line_broken_card_title_stays_whole_whatever_the_page_knows() -> None:
    page = (
        "31/07/2025 Wine growers approve data centre project 30/07/2025 Court hears appeal\n\n"
        "AFP\n2 hours ago\n- AFP\nWine growers approve data centre project after cyberattack\n"
    )
    card = next(r for r in parse(page, now=NOW) if r.kind == "card")
    assert (card.headline, card.summary) == (
        "Wine growers approve data centre project after cyberattack",
        None,
    )
