"""Dated lists: which end of the list has text left over, footers after it, labels over
stamps that the vocabulary does not know."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.samples import NOW
from ticker.explain import explain
from ticker.model import BOUNDARY_GUESSED
from ticker.parsing import parse
from ticker.profiles import load_vocabulary

LAYOUTS = ["lines", "flat"]


def laid_out(page: str, layout: str) -> str:
    return " ".join(page.split()) + "\n" if layout == "flat" else page


def rows(page: str) -> list[tuple[str, dt.date | None, str | None, str | None, str | None]]:
    return [(r.headline, r.date, r.time, r.region, r.summary) for r in parse(page, now=NOW)]


BELOW = (
    "Harbour cranes idle as dockworkers vote on deal\n31 July 2025\n"
    "Wildfire smoke reaches Scandinavia, says weather agency\n30 July 2025\n"
    "Central bank governor to step down in October\n29 July 2025\n"
)
BELOW_ROWS = [
    ("Harbour cranes idle as dockworkers vote on deal", dt.date(2025, 7, 31), None, None, None),
    (
        "Wildfire smoke reaches Scandinavia, says weather agency",
        dt.date(2025, 7, 30),
        None,
        None,
        None,
    ),
    ("Central bank governor to step down in October", dt.date(2025, 7, 29), None, None, None),
]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_bullet_label_above_the_headline(layout: str) -> None:
    # nothing before the first stamp, a headline after the last: stamps above, bullets or not
    page = (
        "Europe • 11:05 AM\nRail union calls national strike for next Tuesday\n"
        "UK • 10:20 AM\nBank of England holds rates as inflation sticks\n"
    )
    assert rows(laid_out(page, layout)) == [
        (
            "Rail union calls national strike for next Tuesday",
            dt.date(2025, 7, 31),
            "11:05",
            "Europe",
            None,
        ),
        (
            "Bank of England holds rates as inflation sticks",
            dt.date(2025, 7, 31),
            "10:20",
            "UK",
            None,
        ),
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_heading_over_a_bullet_list_is_not_a_headline(layout: str) -> None:
    # "Latest" left over at the top reads less like a headline than the last line
    page = (
        "Latest\nEurope • 11:05 AM\nRail union calls national strike for next Tuesday\n"
        "UK • 10:20 AM\nBank of England holds rates as inflation sticks\n"
        "Africa • 9:10 AM\nNigeria launches hotline for flood victims\n"
    )
    got = rows(laid_out(page, layout))
    assert [(h, t, r) for h, _, t, r, _ in got] == [
        ("Rail union calls national strike for next Tuesday", "11:05", "Europe"),
        ("Bank of England holds rates as inflation sticks", "10:20", "UK"),
        ("Nigeria launches hotline for flood victims", "09:10", "Africa"),
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(
    "footer",
    [
        "Page 2 of 10",
        "Seite 1 von 25",
        "Cookie settings",
        "Cookie preferences\nTerms",
        "Previous entries",
        "Load more",
        "© 2025 Northern Post. All rights reserved.",
        "Cookie settings\nPage 2 of 10\n© 2025 Northern Post. All rights reserved.",
    ],
)
def test_a_footer_after_stamps_under_headlines(layout: str, footer: str) -> None:
    got = parse(laid_out(BELOW + footer + "\n", layout), now=NOW)
    assert [(r.headline, r.date, r.time, r.region, r.summary) for r in got] == BELOW_ROWS


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_last_stamp_without_a_year_in_a_list_with_years(layout: str) -> None:
    page = BELOW.replace("29 July 2025", "Jul 29")
    got = parse(laid_out(page, layout), now=NOW)
    assert [(r.headline, r.date) for r in got] == [(h, d) for h, d, *_ in BELOW_ROWS]
    assert "year_inferred" in got[-1].flags
    assert "year_inferred" not in got[0].flags


def test_a_date_without_a_year_inside_a_headline_stays_in_it() -> None:
    page = "31 July 2025\nFerry timetable changes from Aug 14 onwards\n30 July 2025\nCourt hears appeal\n"
    assert [(r.headline, r.date) for r in parse(page, now=NOW)] == [
        ("Ferry timetable changes from Aug 14 onwards", dt.date(2025, 7, 31)),
        ("Court hears appeal", dt.date(2025, 7, 30)),
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_two_word_footer_line_loses_to_a_headline(layout: str) -> None:
    # an unknown footer line after stamps under their headlines reads less like a headline,
    # and is no teaser where no other item has one
    got = rows(laid_out(BELOW + "Contact newsroom\n", layout))
    assert got == BELOW_ROWS


@pytest.mark.parametrize(
    "footer",
    [
        "Meistgelesen Seite 1 von 25",
        "Cookie settings Page 2 of 10 © 2025 Northern Post. All rights reserved.",
        "Cookie preferences Terms",
        "Previous entries",
    ],
)
def test_flat_footer_is_cut_from_the_last_headline_with_a_flag(footer: str) -> None:
    page = (
        "Politik 01.08.2025 / 11:42 Bundestag debattiert über neues Heizungsgesetz "
        f"Wirtschaft 31.07.2025 / 22:48 Unwetter legt Bahnstrecke lahm {footer}\n"
    )
    got = parse(page, now=NOW)
    assert [(r.headline, r.region) for r in got] == [
        ("Bundestag debattiert über neues Heizungsgesetz", "Politik"),
        ("Unwetter legt Bahnstrecke lahm", "Wirtschaft"),
    ]
    assert BOUNDARY_GUESSED not in got[0].flags
    assert BOUNDARY_GUESSED in got[-1].flags
    why = explain(page, got[-1], load_vocabulary())["why"][BOUNDARY_GUESSED]
    assert "furniture" in why


def test_flat_footer_after_a_teaser_is_cut_with_a_flag() -> None:
    page = (
        "Ferry strike ends Europe • 9:40 AM Crews return on Friday. Read the article "
        "Court hears appeal UK • 9:05 AM Judges sit again. Cookie settings Privacy policy\n"
    )
    got = parse(page, now=NOW)
    assert [(r.headline, r.summary) for r in got] == [
        ("Ferry strike ends", "Crews return on Friday."),
        ("Court hears appeal", "Judges sit again."),
    ]
    assert BOUNDARY_GUESSED in got[-1].flags


def test_a_one_word_furniture_phrase_inside_the_last_headline_stays() -> None:
    page = (
        "01/08/2025 10:12 Minister resigns over expenses row "
        "01/08/2025 09:40 Unions and ministers agree to Terms\n"
    )
    got = parse(page, now=NOW)
    assert [r.headline for r in got][-1] == "Unions and ministers agree to Terms"
    assert BOUNDARY_GUESSED not in got[-1].flags


UNKNOWN_LABELS = (
    "Politik\n01.08.2025 / 11:42\nBundestag debattiert über neues Heizungsgesetz\n"
    "Panorama\n31.07.2025 / 22:48\nUnwetter legt Bahnstrecke lahm\n"
    "Ausland\n31.07.2025 / 16:05\nEU-Gipfel: Einigung auf Migrationspakt erwartet\n"
)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_labels_the_vocabulary_does_not_know_over_every_stamp(layout: str) -> None:
    got = rows(laid_out(UNKNOWN_LABELS, layout))
    assert [(h, r) for h, _, _, r, _ in got] == [
        ("Bundestag debattiert über neues Heizungsgesetz", "Politik"),
        ("Unwetter legt Bahnstrecke lahm", "Panorama"),
        ("EU-Gipfel: Einigung auf Migrationspakt erwartet", "Ausland"),
    ]


def test_unknown_labels_line_broken_without_a_known_one() -> None:
    page = UNKNOWN_LABELS.replace("Politik", "Inland")
    assert [r.region for r in parse(page, now=NOW)] == ["Inland", "Panorama", "Ausland"]


def test_two_word_headlines_over_their_stamps_are_not_labels() -> None:
    page = (
        "Markets rally\n31 July 2025\nFerries return\n30 July 2025\nCourt Adjourns\n29 July 2025\n"
    )
    got = parse(page, now=NOW)
    assert [(r.headline, r.region) for r in got] == [
        ("Markets rally", None),
        ("Ferries return", None),
        ("Court Adjourns", None),
    ]


def test_flat_headlines_ending_in_a_capitalised_noun_keep_it() -> None:
    # no known label anywhere: the last capitalised word of each headline stays in it
    page = (
        "Schlagzeilen 01.08.2025 / 11:42 Bundestag debattiert über Heizungsgesetz "
        "31.07.2025 / 22:48 Unwetter trifft Bayern 31.07.2025 / 16:05 Gipfel endet ohne Einigung\n"
    )
    assert [(r.headline, r.region) for r in parse(page, now=NOW)] == [
        ("Bundestag debattiert über Heizungsgesetz", None),
        ("Unwetter trifft Bayern", None),
        ("Gipfel endet ohne Einigung", None),
    ]


def test_flat_title_case_headlines_keep_their_last_word() -> None:
    page = (
        "Politics 01.08.2025 / 11:42 Minister Quits Over Leaked Memo "
        "31.07.2025 / 22:48 Rescuers Reach Trapped Miners 31.07.2025 / 16:05 Storm Hits Coast\n"
    )
    got = parse(page, now=NOW)
    assert [r.headline for r in got] == [
        "Minister Quits Over Leaked Memo",
        "Rescuers Reach Trapped Miners",
        "Storm Hits Coast",
    ]


ABOVE_READ = (
    "Live updates\n"
    "Europe • 11:48 AM\nSpain declares emergency as wildfires spread in Extremadura\n"
    "Middle East • 11:02 AM\nCeasefire talks resume in Cairo with Qatari mediators\n"
    "Americas • 9:30 AM\nCanada's wildfire season on track to be second-worst on record\n"
    "Read the article\n"
)
ABOVE_READ_ROWS = [
    ("Spain declares emergency as wildfires spread in Extremadura", "11:48", "Europe"),
    ("Ceasefire talks resume in Cairo with Qatari mediators", "11:02", "Middle East"),
    ("Canada's wildfire season on track to be second-worst on record", "09:30", "Americas"),
]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("heading", ["Live updates\n", ""])
def test_read_the_article_after_the_last_headline_of_stamps_above(
    layout: str, heading: str
) -> None:
    # one "Read the article" after the last headline fits both orientations: the list's
    # ends decide (a heading, or nothing, before the first stamp; a headline after the last)
    page = ABOVE_READ.replace("Live updates\n", heading)
    got = rows(laid_out(page, layout))
    assert [(h, t, r) for h, _, t, r, _ in got] == ABOVE_READ_ROWS


@pytest.mark.parametrize("layout", LAYOUTS)
def test_read_the_article_closing_each_item_of_stamps_above(layout: str) -> None:
    # "Read the article" right before the next stamp, no headline after it: stamps above
    page = (
        "Europe • 11:48 AM\nSpain declares emergency as wildfires spread\n"
        "Crews from four regions join the effort.\nRead the article\n"
        "Middle East • 11:02 AM\nCeasefire talks resume in Cairo\n"
        "Qatari mediators arrive on Sunday.\nRead the article\n"
    )
    got = rows(laid_out(page, layout))
    assert [(t, r) for _, _, t, r, _ in got] == [("11:48", "Europe"), ("11:02", "Middle East")]
    if layout == "lines":  # flat text cannot tell the headline from its teaser
        assert [h for h, *_ in got] == [
            "Spain declares emergency as wildfires spread",
            "Ceasefire talks resume in Cairo",
        ]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("preamble", ["", "Subscribe for €1\n"])
def test_a_capitals_heading_over_the_first_headline_is_no_label(layout: str, preamble: str) -> None:
    # labels repeat across a list: one over the first headline only is the page's heading
    page = preamble + "WORLD NEWS ARCHIVE\n" + BELOW
    got = parse(laid_out(page, layout), now=NOW)
    assert [(r.headline, r.date, r.time, r.region, r.summary) for r in got] == BELOW_ROWS
    text = laid_out(page, layout)
    assert got[0].span[0] == text.index("Harbour")  # the heading is residue


@pytest.mark.parametrize("layout", LAYOUTS)
def test_capitals_labels_over_every_headline_stay_labels(layout: str) -> None:
    page = (
        "POLITICS\nHarbour cranes idle as dockworkers vote on deal\n31 July 2025\n"
        "SCIENCE\nWildfire smoke reaches Scandinavia, says weather agency\n30 July 2025\n"
    )
    assert [r.region for r in parse(laid_out(page, layout), now=NOW)] == ["POLITICS", "SCIENCE"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_footer_link_between_two_lists_is_cut_from_the_headline_before(layout: str) -> None:
    page = (
        "Tue, 29 Jul 2025 23:55:01 GMTMarkets close lower after weak US jobs data\n"
        "Previous entries\n"
        "Sun, 27/07/2025 - 10:46\nVolunteers clean up beaches after oil spill in Brittany\n"
        "Sat, 26/07/2025 - 18:20\nMayor of Naples resigns over budget row\n"
    )
    got = parse(laid_out(page, layout), now=NOW)
    assert [(r.headline, r.date, r.time) for r in got] == [
        ("Markets close lower after weak US jobs data", dt.date(2025, 7, 29), "23:55"),
        (
            "Volunteers clean up beaches after oil spill in Brittany",
            dt.date(2025, 7, 27),
            "10:46",
        ),
        ("Mayor of Naples resigns over budget row", dt.date(2025, 7, 26), "18:20"),
    ]
    assert (BOUNDARY_GUESSED in got[0].flags) == (layout == "flat")
    assert "Previous" not in laid_out(page, layout)[got[0].span[0] : got[0].span[1]]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_heading_over_stamps_with_glued_labels_is_residue(layout: str) -> None:
    page = (
        "SCORES & LIVE\nSports11:40\nTour de France: Pogacar extends lead on Alpine stage\n"
        "Politics10:55\nSenate delays vote on border funding until September\n"
    )
    text = laid_out(page, layout)
    got = parse(text, now=NOW)
    assert [(r.headline, r.region) for r in got] == [
        ("Tour de France: Pogacar extends lead on Alpine stage", "Sports"),
        ("Senate delays vote on border funding until September", "Politics"),
    ]
    assert got[0].span[0] == text.index("Sports11:40")
