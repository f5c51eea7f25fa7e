"""Dated lists beyond France 24 rails: orientation, labels, teasers, prose."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.samples import NOW
from ticker.explain import explain
from ticker.parsing import parse, residue
from ticker.profiles import load_vocabulary


def rows(text: str) -> list[tuple[str, dt.date | None, str | None, str | None]]:
    return [(r.headline, r.date, r.time, r.region) for r in parse(text, now=NOW)]


def test_stamp_above_each_headline() -> None:
    page = "19 January 2026\nFerry strike ends\n18 January 2026\nCourt hears appeal\n"
    assert rows(page) == [
        ("Ferry strike ends", dt.date(2026, 1, 19), None, None),
        ("Court hears appeal", dt.date(2026, 1, 18), None, None),
    ]


def test_stamp_under_each_headline() -> None:
    page = "Ferry strike ends\nNov 07 2025\nCourt hears appeal\nNov 06 2025\n"
    assert rows(page) == [
        ("Ferry strike ends", dt.date(2025, 11, 7), None, None),
        ("Court hears appeal", dt.date(2025, 11, 6), None, None),
    ]


def test_leftover_text_decides_orientation() -> None:
    # a page title above a stamp-first list: the title is left over, not the last item
    page = "Latest news\n19 January 2026\nFerry strike ends\n18 January 2026\nCourt hears appeal\n"
    assert [r[0] for r in rows(page)] == ["Ferry strike ends", "Court hears appeal"]


@pytest.mark.parametrize("layout", ["lines", "flat"])
def test_bullet_region_reading_time_and_teaser(layout: str) -> None:
    page = (
        "Ferry strike ends\nEurope • 9:40 AM\n1 min\nCrews return on Friday.\nRead the article\n"
        "Court hears appeal\nUK • 9:05 AM\n2 min\nJudges sit again.\nRead the article\n"
    )
    if layout == "flat":
        page = " ".join(page.split())
    got = [(r.headline, r.region, r.time, r.summary) for r in parse(page, now=NOW)]
    assert got == [
        ("Ferry strike ends", "Europe", "09:40", "Crews return on Friday."),
        ("Court hears appeal", "UK", "09:05", "Judges sit again."),
    ]


def test_section_label_above_and_time_after() -> None:
    page = "POLITICS\nBudget vote delayed\n07:05\nSPORT\nQualifier stuns seed\n06:50\n"
    assert rows(page) == [
        ("Budget vote delayed", dt.date(2025, 8, 1), "07:05", "POLITICS"),
        ("Qualifier stuns seed", dt.date(2025, 8, 1), "06:50", "SPORT"),
    ]


def test_prose_dates_are_not_items() -> None:
    prose = (
        "Delegations met in Istanbul on July 30, and again on Monday, March 3, at 10:30 the "
        "talks resumed. The ministers said on 30/07/2025 that nothing had changed."
    )
    assert parse(prose, now=NOW) == []


def test_times_inside_headlines_of_a_dated_list_are_not_stamps() -> None:
    page = (
        "01.08.2025 / 09:05 Trains cut between 6:00 and 9:00 on the line "
        "31.07.2025 / 18:03 Jackpot climbs to 35 million"
    )
    assert [r.headline for r in parse(page, now=NOW)] == [
        "Trains cut between 6:00 and 9:00 on the line",
        "Jackpot climbs to 35 million",
    ]


def test_stamp_zone_gives_published() -> None:
    r = parse(
        "Ferry strike ends\nDec. 09, 2021 06:20 AM EST\nCourt hears appeal\nDec. 08, 2021 11:45 PM EST\n",
        now=NOW,
    )[0]
    assert r.published == dt.datetime(
        2021, 12, 9, 6, 20, tzinfo=dt.timezone(dt.timedelta(hours=-5))
    )
    assert "tz_assumed" not in r.flags


@pytest.mark.parametrize(
    "page",
    [
        "Wed 30 Jul 2025 14.05 BST\nMinisters approve plan\nWed 30 Jul 2025 11.40 BST\nRail strike called off\n",
        "Mittwoch, 30. Juli 2025, 14:05 Uhr\nMinisters approve plan\nMittwoch, 30. Juli 2025, 11:40 Uhr\nRail strike called off\n",
    ],
)
def test_stamp_lines_with_zone_or_uhr_suffix(page: str) -> None:
    assert [(r.headline, r.date, r.time) for r in parse(page, now=NOW)] == [
        ("Ministers approve plan", dt.date(2025, 7, 30), "14:05"),
        ("Rail strike called off", dt.date(2025, 7, 30), "11:40"),
    ]


@pytest.mark.parametrize("layout", ["lines", "flat"])
@pytest.mark.parametrize(
    ("suffix", "offset"),
    [("GMT+1", 1), ("UTC+3", 3), ("UTC+02:00", 2), ("GMT+0300", 3), ("(GMT)", 0)],
)
def test_zone_suffix_stays_out_of_the_headline(layout: str, suffix: str, offset: int) -> None:
    page = (
        f"31/07/2025 14:30 {suffix}\nSwiss franc hits 10-year high\n"
        f"30/07/2025 09:05 {suffix}\nShipping group orders 12 LNG carriers\n"
    )
    if layout == "flat":
        page = " ".join(page.split())
    got = [(r.headline, r.published) for r in parse(page, now=NOW)]
    tz = dt.timezone(dt.timedelta(hours=offset))
    assert got == [
        ("Swiss franc hits 10-year high", dt.datetime(2025, 7, 31, 14, 30, tzinfo=tz)),
        ("Shipping group orders 12 LNG carriers", dt.datetime(2025, 7, 30, 9, 5, tzinfo=tz)),
    ]


def _both(page: str) -> list[str]:
    return [page, " ".join(page.split())]


@pytest.mark.parametrize(
    ("page", "stamps"),
    [
        (
            "Updated 1 August 2025\nFerry operator adds late sailings\n"
            "Published 31 July 2025\nFish market moves to new site\n"
            "Published 30 July 2025\nHarbour dredging to begin\n",
            [
                (dt.date(2025, 8, 1), None),
                (dt.date(2025, 7, 31), None),
                (dt.date(2025, 7, 30), None),
            ],
        ),
        (
            "Publié le 01/08/2025 à 10h12\nFerry operator adds late sailings\n"
            "Publié le 31/07/2025 à 18h45\nFish market moves to new site\n",
            [(dt.date(2025, 8, 1), "10:12"), (dt.date(2025, 7, 31), "18:45")],
        ),
        (
            "Fr., 01.08.2025, 10:46\nFerry operator adds late sailings\n"
            "Do., 31.07.2025, 18:20\nFish market moves to new site\n",
            [(dt.date(2025, 8, 1), "10:46"), (dt.date(2025, 7, 31), "18:20")],
        ),
        (
            "ven. 1 août 2025\nFerry operator adds late sailings\n"
            "jeu. 31 juil. 2025\nFish market moves to new site\n",
            [(dt.date(2025, 8, 1), None), (dt.date(2025, 7, 31), None)],
        ),
        (
            "vie, 1 ago 2025 10:15\nFerry operator adds late sailings\n"
            "jue, 31 jul 2025 21:40\nFish market moves to new site\n",
            [(dt.date(2025, 8, 1), "10:15"), (dt.date(2025, 7, 31), "21:40")],
        ),
        (  # stamp after the headline
            "Ferry operator adds late sailings\nPosted on Jul 31, 2025\n"
            "Fish market moves to new site\nPosted on Jul 30, 2025\n",
            [(dt.date(2025, 7, 31), None), (dt.date(2025, 7, 30), None)],
        ),
    ],
)
def test_words_printed_before_every_stamp_belong_to_it(
    page: str, stamps: list[tuple[dt.date, str | None]]
) -> None:
    for text in _both(page):
        got = parse(text, now=NOW)
        heads = [r.headline for r in got]
        assert heads[:2] == ["Ferry operator adds late sailings", "Fish market moves to new site"]
        assert [(r.date, r.time) for r in got] == stamps
        assert all(not text[a:b].strip() for a, b in residue(text, got))


def test_a_word_before_one_date_in_prose_is_not_a_prefix() -> None:
    prose = "Delegations met on July 30 in Istanbul and again on July 31 in Ankara."
    assert parse(prose, now=NOW) == []


def test_a_longer_prefix_alone_on_the_stamp_line() -> None:
    page = (
        "Publié le 01/08/2025 à 10h12\nIncendie dans l'Aude\n"
        "Mis à jour le 31/07/2025 à 18h45\nLe Tour de France s'élance\n"
        "Publié le 30/07/2025 à 21h30\nUn requin aperçu au large\n"
    )
    assert [r.headline for r in parse(page, now=NOW)] == [
        "Incendie dans l'Aude",
        "Le Tour de France s'élance",
        "Un requin aperçu au large",
    ]


@pytest.mark.parametrize(
    ("page", "heads"),
    [
        (  # headlines ending in a weekday, stamps after them, none with a weekday
            "Ferry operator adds late sailings on Sunday\nJul 31 2025\n"
            "Polls to open early on Friday\nJul 30 2025\n"
            "Markets closed Monday\nJul 28 2025\n"
            "Teachers strike planned for Thursday\nJul 25 2025\n",
            [
                "Ferry operator adds late sailings on Sunday",
                "Polls to open early on Friday",
                "Markets closed Monday",
                "Teachers strike planned for Thursday",
            ],
        ),
        (  # stamps above, clock times only
            "09:15\nLast ferry moved to 23:15 from Monday\n08:50\nPatients wait 12 hours in A&E\n"
            "08:20\nTram line reopens after repairs\n",
            [
                "Last ferry moved to 23:15 from Monday",
                "Patients wait 12 hours in A&E",
                "Tram line reopens after repairs",
            ],
        ),
        (  # a weekday with a comma, or with no headline seen ending in one: the stamp's
            "1. August 2025, 09:40 Uhr\nHochwasser am Rhein\n"
            "Mittwoch, 30. Juli 2025\nLufthansa streicht 120 Flüge\n"
            "12. März 2025\nBundesrat stimmt zu\n",
            ["Hochwasser am Rhein", "Lufthansa streicht 120 Flüge", "Bundesrat stimmt zu"],
        ),
        (
            "31 juillet 2025 à 18:40\nBac : le taux de réussite atteint 91,8 %\n"
            "vendredi 25 juillet 2025\nTour de France : victoire d'étape\n"
            "23 juil. 2025\nParis 2024, un an après\n",
            [
                "Bac : le taux de réussite atteint 91,8 %",
                "Tour de France : victoire d'étape",
                "Paris 2024, un an après",
            ],
        ),
        (  # a weekday that is not its date's (31 July 2025 is a Thursday): the headline's
            "Le Sénat vote le budget\n1 août 2025\n"
            "La SNCF promet 1 train sur 2 samedi\n31 juillet 2025\n"
            "Air France ouvre 12 lignes\n30 juillet 2025\n",
            [
                "Le Sénat vote le budget",
                "La SNCF promet 1 train sur 2 samedi",
                "Air France ouvre 12 lignes",
            ],
        ),
        (  # every stamp carries a weekday
            "Sun, 17/02/2019 - 10:46\nFerry strike ends on Monday\n"
            "Sat, 16/02/2019 - 09:00\nCourt hears appeal\n",
            ["Ferry strike ends on Monday", "Court hears appeal"],
        ),
    ],
)
def test_a_weekday_before_a_stamp(page: str, heads: list[str]) -> None:
    for text in _both(page):
        assert [r.headline for r in parse(text, now=NOW)] == heads


@pytest.mark.parametrize(
    ("times", "days"),
    [
        # the first time is after the reference's clock (10:00 UTC): yesterday; the list
        # goes back past midnight once, where the clock goes up
        (["11:20", "09:15", "23:58"], [31, 31, 30]),
        (["09:40", "07:05", "00:30", "23:48", "22:44"], [1, 1, 1, 31, 31]),
        (["11:42", "09:58", "08:40"], [31, 31, 31]),
        # not in time order (the clock goes up twice in four items): each read alone
        (["08:00", "09:30", "07:00", "11:00"], [1, 1, 1, 31]),
    ],
)
def test_bare_times_follow_the_lists_order(times: list[str], days: list[int]) -> None:
    heads = ["Dockers vote to end strike", "Floods cut rail link", "Border fire exchanged"]
    heads += ["Court hears appeal", "Ferry strike ends"]
    page = "".join(f"{t}\n{h}\n" for t, h in zip(times, heads, strict=False))
    for text in _both(page):
        got = parse(text, now=NOW)
        assert [r.time for r in got] == times
        assert [r.date.day if r.date else None for r in got] == days
        assert all("date_inferred" in r.flags for r in got)


def test_cjk_dated_list() -> None:
    page = "7月31日 下午3:56\n暴雨致多条高铁线路部分车次停运\n7月30日 上午9:10\n女排3:1逆转对手 晋级八强\n"
    for text in _both(page):
        got = [(r.headline, r.date, r.time) for r in parse(text, now=NOW)]
        assert got == [
            ("暴雨致多条高铁线路部分车次停运", dt.date(2025, 7, 31), "15:56"),
            ("女排3:1逆转对手 晋级八强", dt.date(2025, 7, 30), "09:10"),
        ]


@pytest.mark.parametrize(
    "before",
    [
        "Most read\n",
        "Latest news\n",
        "Harbour dredging to begin this winter\n"
        "The port authority said the work would deepen the channel by 3 metres.\n",
    ],
)
def test_text_before_a_stamp_after_list_is_not_its_first_headline(before: str) -> None:
    page = before + (
        "Ferry operator adds late sailings\nJul 31 2025\n"
        "Fish market moves to new site after 80 years\nJul 30 2025\n"
    )
    for text in _both(page):
        assert [r.headline for r in parse(text, now=NOW)] == [
            "Ferry operator adds late sailings",
            "Fish market moves to new site after 80 years",
        ]


def test_unknown_label_before_a_bullet() -> None:
    page = (
        "Wildfire near Los Angeles 40% contained\nTravel • 9:20 AM\n"
        "Heat dome to linger over Midwest\nWeather • 8:30 AM\n"
        "Senate confirms new trade envoy\nPolitics • 7:52 AM\n"
    )
    for text in _both(page):
        got = parse(text, now=NOW)
        assert [(r.headline, r.region) for r in got] == [
            ("Wildfire near Los Angeles 40% contained", "Travel"),
            ("Heat dome to linger over Midwest", "Weather"),
            ("Senate confirms new trade envoy", "Politics"),
        ]
        assert all(not text[a:b].strip() for a, b in residue(text, got))


def test_flat_label_above_is_inside_the_record() -> None:
    page = "TRAVEL Airport queues hit 2 hours at peak 09:41 WEATHER Storm warning for 3 coastal counties 09:15\n"
    got = parse(page, now=NOW)
    assert [(r.headline, r.region) for r in got] == [
        ("Airport queues hit 2 hours at peak", "TRAVEL"),
        ("Storm warning for 3 coastal counties", "WEATHER"),
    ]
    assert all(not page[a:b].strip() for a, b in residue(page, got))
    why = explain(page, got[0], load_vocabulary())
    assert why["region"] == {"text": "TRAVEL", "span": [0, 6]}
    assert why["why"]["boundary"] == "'TRAVEL' printed before the headline as its label"


@pytest.mark.parametrize(
    "page",
    [
        "Ferry operator adds late sailings\n2 hours ago\nFish market moves to new site after 80 years\n"
        "5 hours ago\nLighthouse keeper's cottage sold\nyesterday\n",
        "Noticias\nhace 2 horas\nFerry operator adds late sailings\nhace 5 horas\n"
        "Fish market moves to new site after 80 years\nhace 1 día\nLighthouse keeper's cottage sold\n",
        "Ferry operator adds late sailings\nEurope • 2 hours ago\n"
        "Fish market moves to new site after 80 years\nUK • 5 hours ago\n"
        "Lighthouse keeper's cottage sold\nUK • 1 day ago\n",
    ],
)
def test_lists_dated_by_ages(page: str) -> None:
    for text in _both(page):
        got = parse(text, now=NOW)
        assert [r.headline for r in got] == [
            "Ferry operator adds late sailings",
            "Fish market moves to new site after 80 years",
            "Lighthouse keeper's cottage sold",
        ]
        assert [r.published for r in got] == [
            NOW - dt.timedelta(hours=2),
            NOW - dt.timedelta(hours=5),
            NOW - dt.timedelta(days=1),
        ]
        assert all(r.age and r.flags == ("age_resolved",) for r in got)


def test_ages_in_prose_are_not_a_list() -> None:
    prose = "The blast happened 2 hours ago, officials said. Rescuers arrived 3 hours ago and left."
    assert parse(prose, now=NOW) == []


def test_a_furniture_word_inside_a_word_does_not_cut_the_last_headline() -> None:
    # "Share" is furniture; "Shares" is a word of the headline
    page = (
        "01/08/2025 10:12 Minister resigns over expenses row "
        "01/08/2025 09:40 Tech Shares tumble after profit warning Related stories Share\n"
    )
    assert [r[0] for r in rows(page)] == [
        "Minister resigns over expenses row",
        "Tech Shares tumble after profit warning",
    ]


def test_related_stories_heading_is_not_part_of_the_first_headline() -> None:
    page = (
        "Related stories Ferry strike ends after talks 31 July 2025 "
        "Court hears appeal in bank case 30 July 2025\n"
    )
    assert [r[0] for r in rows(page)] == [
        "Ferry strike ends after talks",
        "Court hears appeal in bank case",
    ]
