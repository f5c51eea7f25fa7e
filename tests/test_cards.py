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


def test_a_french_age_is_not_read_as_a_spanish_one() -> None:
    # searched backwards from its end, "il y a 45 min" must be taken whole
    m = AGE.search("Reuters il y a 45 min")
    assert m is not None and m[0] == "il y a 45 min" and m["fr"]
