"""Aggregator cards: headers (source, age, separator) and their ages, in both layouts."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.samples import NOW
from ticker.dates import AGE, age_delta
from ticker.model import Record
from ticker.parsing import parse

_BEFORE = (
    "Related Articles\nAFP\n2 hours ago\n- AFP\nDockers strike at Le Havre port\n"
    "Unions said the walkout would last 48 hours.\n"
)
_AFTER = "Copper hits record high on supply fears\nPrices rose sharply.\n"


def flat(text: str) -> str:
    return " ".join(text.split()) + "\n"


def cards(text: str) -> list[Record]:
    return [r for r in parse(text, now=NOW) if r.kind == "card"]


def both_layouts(header: str) -> list[list[tuple[str | None, str | None, str, str | None]]]:
    """The (source, age, headline, summary) of each card, line-broken then flat, with the
    header between an AFP card and a card body."""
    page = _BEFORE + header + _AFTER
    return [
        [(r.source, r.age, r.headline, r.summary) for r in cards(t)] for t in (page, flat(page))
    ]


_AFP = (
    "AFP",
    "2 hours ago",
    "Dockers strike at Le Havre port",
    "Unions said the walkout would last 48 hours.",
)


@pytest.mark.parametrize(
    ("age", "delta"),
    [
        ("il y a 45 min", dt.timedelta(minutes=45)),
        ("il y a 1 h 7 min", dt.timedelta(hours=1, minutes=7)),
        ("il y a une heure", dt.timedelta(hours=1)),
        ("il y a un jour", dt.timedelta(days=1)),
        ("il y a un an", dt.timedelta(days=365)),
        ("hace 3 h", dt.timedelta(hours=3)),
        ("hace 45 min", dt.timedelta(minutes=45)),
        ("hace una hora y 5 minutos", dt.timedelta(hours=1, minutes=5)),
        ("1 hour and 7 minutes ago", dt.timedelta(hours=1, minutes=7)),
        ("2 hours and 5 minutes ago", dt.timedelta(hours=2, minutes=5)),
        ("a day and 2 hours ago", dt.timedelta(days=1, hours=2)),
        ("1 hour, 7 minutes ago", dt.timedelta(hours=1, minutes=7)),
        ("1h7m ago", dt.timedelta(hours=1, minutes=7)),
        ("vor einer Stunde", dt.timedelta(hours=1)),
        ("vor 2 Stunden", dt.timedelta(hours=2)),
        ("vor einem Tag", dt.timedelta(days=1)),
        ("vor 3 Tagen", dt.timedelta(days=3)),
        ("vor 5 Min.", dt.timedelta(minutes=5)),
        ("yesterday", dt.timedelta(days=1)),
    ],
)
def test_age_in_a_header_is_found_whole_and_resolved(age: str, delta: dt.timedelta) -> None:
    assert age_delta(age) == delta
    want = [
        _AFP,
        ("Reuters", age, "Copper hits record high on supply fears", "Prices rose sharply."),
    ]
    assert both_layouts(f"Reuters\n{age}\n- Reuters\n") == [want, want]
    card = cards(_BEFORE + f"Reuters\n{age}\n- Reuters\n" + _AFTER)[1]
    assert card.published == NOW - delta


@pytest.mark.parametrize("word", ["and", "sand", "Band"])
def test_and_is_never_an_amount_and_a_unit(word: str) -> None:
    # "and" is not "an d" (one day): the amount is a whole word and the unit ends its word
    assert age_delta(f"1 hour {word} 7 minutes ago") in (None, dt.timedelta(hours=1, minutes=7))
    assert age_delta(f"{word} ago") is None


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("timean hour ago", "an hour ago"),
        ("France 24a day ago", "a day ago"),
        ("in Panama day ago", None),  # a letter before "a" makes it part of a word
        ("Gaza day ago", None),
    ],
)
def test_a_written_amount_glued_to_an_icon_label_or_a_digit(text: str, age: str | None) -> None:
    m = AGE.search(text)
    assert (m[0] if m is not None else None) == age


def test_a_french_age_is_not_read_as_a_spanish_one() -> None:
    # searched backwards from its end, "il y a 45 min" must be taken whole
    m = AGE.search("Reuters il y a 45 min")
    assert m is not None and m[0] == "il y a 45 min" and m["fr"]


_REUTERS = (
    "Reuters",
    "3 hours ago",
    "Copper hits record high on supply fears",
    "Prices rose sharply.",
)


@pytest.mark.parametrize("sep", ["-", "•", "–", "—", "·", "|"])
def test_any_usual_separator_before_the_source_printed_again(sep: str) -> None:
    assert both_layouts(f"Reuters\n3 hours ago\n{sep} Reuters\n") == [[_AFP, _REUTERS]] * 2


@pytest.mark.parametrize(
    ("header", "source", "age"),
    [
        ("Reuterstime10 hours ago\n- Reuters\n", "Reuters", "10 hours ago"),
        ("Reuters time10 hours ago\n- Reuters\n", "Reuters", "10 hours ago"),
        ("Showtime\n2 hours ago\n- Showtime\n", "Showtime", "2 hours ago"),
        ("Showtime2 hours ago\n- Showtime\n", "Showtime", "2 hours ago"),
        ("France\u00a0244 days ago\n- France\u00a024\n", "France 24", "4 days ago"),
        ("France\u00a024\n2 hours ago\n–\u00a0France\u00a024\n", "France 24", "2 hours ago"),
        ("Le\u00a0Monde\u00a0il y a 45 min\n-\u00a0Le\u00a0Monde\n", "LeMonde", "il y a 45 min"),
        # a written amount glued to the icon label or to a source ending in a digit
        ("Reuters\ntimean hour ago\n- Reuters\n", "Reuters", "an hour ago"),
        ("Reuters\ntimea day ago\n- Reuters\n", "Reuters", "a day ago"),
        ("Reuterstimea minute ago\n- Reuters\n", "Reuters", "a minute ago"),
        ("France 24an hour ago\n- France 24\n", "France 24", "an hour ago"),
        ("France 24a day ago\n• France 24\n", "France 24", "a day ago"),
    ],
)
def test_glued_and_nbsp_headers(header: str, source: str, age: str) -> None:
    want = [_AFP, (source, age, "Copper hits record high on supply fears", "Prices rose sharply.")]
    assert both_layouts(header) == [want] * 2


@pytest.mark.parametrize(
    ("header", "source", "age"),
    [
        ("Deutsche Welle\n1 día\n• DW\n", "DW", "1 día"),
        ("DW\n2 hours ago\n- Deutsche Welle\n", "DW", "2 hours ago"),
        ("Deutsche Welle1 día\n• DW\n", "DW", "1 día"),
        ("Associated Press\ntime2 hours ago\n- AP\n", "AP", "2 hours ago"),
        ("BBC News2 hours ago\n- BBC\n", "BBC", "2 hours ago"),
        ("Guardian\n3 hours ago\n• The Guardian\n", "The Guardian", "3 hours ago"),
    ],
)
def test_a_header_naming_its_source_by_two_of_its_names(header: str, source: str, age: str) -> None:
    want = [_AFP, (source, age, "Copper hits record high on supply fears", "Prices rose sharply.")]
    assert both_layouts(header) == [want] * 2


_RAIL_CARD = (
    "Related Articles\nFrance 24\n4 days ago\n- France 24\n"
    "Paris Olympics one year on: what became of the venues?\n"
    "00:58 28/07/2025 Tour de France ends with sprint finish France 27/07/2025 Analysis "
    "Sudan army says it retook key town from RSF"
)


@pytest.mark.parametrize(
    ("glue", "region"),
    [
        (" Africa\ntime10 hours ago\n", "Africa"),
        (" Africa\n10 hours ago\n", "Africa"),
        (" Asia / Pacific\ntime10 hours ago\n", "Asia / Pacific"),
        ("\ntime10 hours ago\n", None),
    ],
)
def test_an_unnamed_header_right_after_a_rail_item(glue: str, region: str | None) -> None:
    """``… from RSF Africa time10 hours ago - AP``: in flat text the rail item's tag, or
    the icon label glued to the age, shows the header starts there."""
    page = _RAIL_CARD + glue + "- AP\n" + _AFTER
    for text in (page, flat(page)):
        got = parse(text, now=NOW)
        assert [(r.kind, r.source) for r in got][-2:] == [("rail", "France 24"), ("card", "AP")]
        item, card = got[-2:]
        assert (item.headline, item.region, item.kicker) == (
            "Sudan army says it retook key town from RSF",
            region,
            "Analysis",
        )
        assert (card.age, card.headline, card.summary) == (
            "10 hours ago",
            "Copper hits record high on supply fears",
            "Prices rose sharply.",
        )


@pytest.mark.parametrize(
    "prose",
    [
        "Heat records fell across Europe 10 hours ago - AP reported it.\n",
        "Heat records fell on 31/07/2025. Across Europe 10 hours ago - AP reported it.\n",
        "The minister said 3 hours ago – officials confirmed it.\n",
        "The minister spoke\n3 hours ago – officials confirmed it.\n",
        "Talks ended 2 hours ago | sources say more are planned.\n",
        "Reuters reported it 3 hours ago - Reuters said prices rose.\n",
    ],
)
def test_prose_with_an_age_and_a_dash_is_no_card(prose: str) -> None:
    page = _BEFORE + prose
    for text in (page, flat(page)):
        got = cards(text)
        assert [(r.source, r.headline) for r in got] == [(_AFP[0], _AFP[2])]


@pytest.mark.parametrize(
    ("header", "source", "age"),
    [
        ("Reuters\n3 hours ago\n", "Reuters", "3 hours ago"),
        ("Reuters\ntime3 hours ago\n", "Reuters", "3 hours ago"),
        ("Le Monde\n1 hour and 7 minutes ago\n", "LeMonde", "1 hour and 7 minutes ago"),
    ],
)
def test_a_header_with_no_separator_names_a_known_source(
    header: str, source: str, age: str
) -> None:
    want = [_AFP, (source, age, "Copper hits record high on supply fears", "Prices rose sharply.")]
    assert both_layouts(header) == [want] * 2


def test_a_prefixed_age_with_no_separator_on_a_page_printing_that_language() -> None:
    page = (
        "Le Figaro\nil y a 2 h\n- Le Figaro\nDockers strike at Le Havre port\n"
        "Unions said the walkout would last 48 hours.\nReuters\nil y a 45 min\n" + _AFTER
    )
    for text in (page, flat(page)):
        got = [(r.source, r.age, r.headline) for r in cards(text)]
        assert got[1] == ("Reuters", "il y a 45 min", "Copper hits record high on supply fears")


@pytest.mark.parametrize(
    "prose",
    [
        # no known source before the age
        "Officials\n3 hours ago\nThe port reopened.\n",
        "The port reopened 3 hours ago. Officials said so.\n",
        # a known source, but inside a sentence
        "Shares fell after Reuters 3 hours ago Reported losses.\n",
        # a known source and an age, but no title after them
        "It was confirmed by Reuters\n3 hours ago\n",
        "Unions met. Reuters 3 hours ago reported it.\n",
    ],
)
def test_an_age_with_no_separator_in_prose_is_no_card(prose: str) -> None:
    page = _BEFORE + prose
    for text in (page, flat(page)):
        assert [r.source for r in cards(text)] == ["AFP"]


@pytest.mark.parametrize(
    ("body", "title"),
    [
        (
            "Storm knocks out power to thousands 3 people died and 40,000 homes lost power.",
            "Storm knocks out power to thousands",
        ),
        (
            "Wildfire season starts early in Greece 2025 has already been the driest year.",
            "Wildfire season starts early in Greece",
        ),
        (
            "Pope Leo meets Zelensky at Castel Gandolfo Vatican officials said the talks lasted.",
            "Pope Leo meets Zelensky at Castel Gandolfo",
        ),
        (
            "Heatwave grips southern Europe Temperatures passed 45C in parts of Spain.",
            "Heatwave grips southern Europe",
        ),
        (
            "Why Spain's economy is outpacing Germany Spain grew 0.7% in the second quarter.",
            "Why Spain's economy is outpacing Germany",
        ),
        # a number after a short start is the headline's own
        (
            "Typhoon kills 14 and injures 230 in the Philippines Rescuers are still searching.",
            "Typhoon kills 14 and injures 230 in the Philippines",
        ),
        # a capital after a number is its unit ("78 GW"), and an earlier capital that opens
        # the teaser beats a later number
        (
            "La canicule pousse la consommation d'électricité à un record RTE a enregistré"
            " un pic de 78 GW mercredi après-midi.",
            "La canicule pousse la consommation d'électricité à un record",
        ),
        # a number followed by its unit goes on with the sentence it is in
        (
            "Drought ruins harvests across Andalusia Farmers in Seville lost 5 million euros.",
            "Drought ruins harvests across Andalusia",
        ),
        # two capitals in a row with nothing else to decide: the earlier boundary
        (
            "Stocks slide as tech earnings disappoint Wall Street closed lower on Wednesday.",
            "Stocks slide as tech earnings disappoint",
        ),
    ],
)
def test_flat_card_title_boundary(body: str, title: str) -> None:
    card = cards(f"Related Articles Euronews a day ago - Euronews {body}\n")[0]
    assert card.headline == title
    assert card.summary == body[len(title) :].strip()
    assert "boundary_guessed" in card.flags


@pytest.mark.parametrize("cut", ["after…", "after...", "aft…"])
def test_a_truncated_copy_of_the_title_is_a_repeat(cut: str) -> None:
    header = (
        "Reuters\n3 hours ago\n- Reuters\nCopper hits record high after mine cuts output\n"
        f"Copper hits record high {cut}\n"
    )
    page = _BEFORE + header + "Prices rose sharply.\n"
    for text in (page, flat(page)):
        card = cards(text)[1]
        assert (card.headline, card.summary) == (
            "Copper hits record high after mine cuts output",
            "Prices rose sharply.",
        )
