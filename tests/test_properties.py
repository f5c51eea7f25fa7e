"""Property tests: generated rails parse back to the records they were made from, and no
text whatever makes the parser raise or lose a character."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.samples import NOW
from ticker.parsing import parse, residue
from ticker.profiles import load_vocabulary

VOCAB = load_vocabulary()
TAGS = sorted(VOCAB.regions)
KICKERS = sorted(VOCAB.kickers)

# Headline material: plain words, tag words, colons, quotes, numbers, date-like tokens.
OPENERS = ["Court", "Mayors", "Ferry", "Gaza:", "'It's", "Trump", "UN", "9/11", "France,", "EU"]
WORDS = (
    "strike ends after talks vote on river plan hears appeal in bank case killing 6 and "
    "injuring 52 tariff 25% 24/7 part 2/4 Kyiv Europe France Africa Middle East Americas UK "
    "'dreadful blow' rivals: leaders warn court rules of the Asia-Pacific crisis over"
).split()
FUNCTION_WORDS = ["across", "of", "in", "for", "to", "the"]


@st.composite
def headlines(draw: st.DrawFn, *, flat: bool, tagged: bool) -> str:
    words = [draw(st.sampled_from(OPENERS))]
    words += draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=12))
    ending = draw(st.sampled_from(["word", "tagword"]))
    if ending == "tagword":
        # a headline that ends with a tag word: in flat text only the word before it can
        # say it belongs to the headline, so a function word goes first
        words += [draw(st.sampled_from(FUNCTION_WORDS)), draw(st.sampled_from(TAGS))]
    else:
        words.append(draw(st.sampled_from(["talks", "plan", "crisis", "52", "'blow'", "Kyiv"])))
    if flat and tagged and words[-1].casefold() in VOCAB.keep_after:
        words.append("talks")
    return " ".join(words)


@st.composite
def rails(draw: st.DrawFn, *, flat: bool) -> list[tuple[dt.date, str, str | None, str | None]]:
    n = draw(st.integers(1, 8))
    day = dt.date(2025, 7, 31)
    items = []
    for _ in range(n):
        day -= dt.timedelta(days=draw(st.integers(0, 2)))  # newest first
        region = draw(st.none() | st.sampled_from(TAGS))
        kicker = draw(st.none() | st.sampled_from(KICKERS))
        headline = draw(headlines(flat=flat, tagged=region is not None or kicker is not None))
        items.append((day, headline, kicker, region))
    return items


def render(items: list[tuple[dt.date, str, str | None, str | None]], *, flat: bool) -> str:
    lines: list[str] = []
    for day, headline, kicker, region in items:
        lines += [day.strftime("%d/%m/%Y"), headline]
        lines += [x for x in (kicker, region) if x]
    return " ".join(lines) if flat else "\n".join(lines) + "\n"


def read_back(text: str) -> list[tuple[dt.date | None, str, str | None, str | None]]:
    return [(r.date, r.headline, r.kicker, r.region) for r in parse(text, now=NOW)]


@given(rails(flat=False))
def test_line_broken_rails_parse_back(items) -> None:
    assert read_back(render(items, flat=False)) == items


@given(rails(flat=True))
def test_flat_rails_parse_back(items) -> None:
    assert read_back(render(items, flat=True)) == items


# Fragments that exercise every rule: dates, lengths, ages, separators, tags, furniture.
FRAGMENTS = st.sampled_from(
    [
        "31/07/2025",
        "1/2/2025",
        "31/02/2025",
        "01:45",
        "2 hours ago",
        "France 24",
        "France 244 days ago",
        "- France 24",
        "• LeMonde",
        "time10 hours ago",
        "Axios12-03-2025",
        "Europe",
        "Middle East",
        "Asia / Pacific",
        "Analysis",
        "Hashtags",
        "Related Articles",
        "Read the article",
        "on",
        "the",
        "across",
        "Headline about talks",
        "'quoted: text'",
        "Prose sentence. Another one.",
        "\n",
        "\n\n",
        " ",
        "\t",
        "\r\n",
        "\u00a0",
        "9/11",
        "-",
        "•",
        ":",
        "/",
        "\ufffd",
        "é",
    ]
)


def _tiles(text: str) -> None:
    records = parse(text, now=NOW)
    spans = [r.span for r in records]
    assert spans == sorted(spans)
    pieces = sorted(spans + residue(text, records))
    assert sum(e - s for s, e in pieces) == len(text)
    position = 0
    for start, end in pieces:
        assert start == position and end > start
        position = end
    for r in records:
        assert r.headline and r.headline == " ".join(r.headline.split())


@given(st.lists(FRAGMENTS, max_size=60).map(" ".join))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_any_fragment_soup_tiles_the_input(text: str) -> None:
    _tiles(text)


@given(st.lists(FRAGMENTS, max_size=60).map("".join))
def test_glued_fragments_tile_the_input(text: str) -> None:
    _tiles(text)


@given(st.text(max_size=400))
def test_any_text_tiles_the_input(text: str) -> None:
    _tiles(text)


def test_generated_flat_rail_of_every_tag_pair() -> None:
    """Every tag after every other tag word: the second is always the tag."""
    for first, second in itertools.product(TAGS, TAGS):
        text = f"31/07/2025 Talks go on across {first} {second} 30/07/2025 Next item"
        got = read_back(text)
        assert got[0] == (dt.date(2025, 7, 31), f"Talks go on across {first}", None, second)
