"""The parse state of one block of text, and what every parsing step shares."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from . import dates
from .model import BOUNDARY_GUESSED, Record
from .profiles import Vocabulary

#: A headline longer than this (in words) is prose, not a headline.
MAX_HEADLINE_WORDS = 40

TRAILING_DURATION = regex.compile(r"(?<![\w:])(\d{1,2}:\d{2}(?::\d{2})?)\s*\Z")
DURATION_WORD = regex.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
#: A sentence end inside flat prose: ". " then a capital, a quote or a digit.
SENTENCE_END = regex.compile(
    r"(?<!\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|U\.S|U\.K|No))[.!?]['\"”’]?(?=\ [\p{Lu}\"'“‘\d]|\Z)"
)


@dataclass(frozen=True, slots=True)
class Context:
    """What the parser is told rather than finds out."""

    vocab: Vocabulary
    #: reference time for ages ("2 hours ago"); aware
    now: dt.datetime
    #: zone for sources without a profile zone
    tz: dt.tzinfo = dt.UTC
    #: source of rail items outside any card
    source: str | None = None


class CardHeader(NamedTuple):
    start: int
    end: int
    source: str
    age: str | None
    date_raw: str | None


class Frame(NamedTuple):
    """A card (header and what follows it up to the next card) or the page before cards."""

    lo: int
    hi: int
    header: CardHeader | None
    dates: list[tuple[int, int]]


@dataclass(slots=True)
class Block:
    """The parse state of one block of text."""

    text: str
    base: int
    ctx: Context
    #: headlines printed unambiguously in earlier blocks
    memory: dict[str, None]
    #: day/month order -> printed date -> date, shared by the blocks of one input
    date_cache: dict[str, dict[str, object]]
    #: source of rail items before the first card header (a rail cut from its card by
    #: the previous block carries the card's source over)
    lead_source: str | None = None
    headers: list[CardHeader] = field(default_factory=list)
    dates: list[tuple[int, int]] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    #: per frame: its card record (or None) and its rail records
    cards: list[Record | None] = field(default_factory=list)
    rails: list[list[Record]] = field(default_factory=list)
    #: (frame, index in rails[frame], the other reading) of items whose tag boundary was
    #: a choice between the tag word ending the headline and it being the tag
    choices: list[tuple[int, int, tuple[str, str | None]]] = field(default_factory=list)
    #: card titles whose boundary the page itself shows
    titles: set[str] = field(default_factory=set)
    #: frame -> where a card's prose teaser gives way to a page of its own (a blank line)
    page_breaks: dict[int, int] = field(default_factory=dict)
    #: source -> (day/month order of its numeric dates, whether only the profile said so)
    orders: dict[str | None, tuple[str, bool]] = field(default_factory=dict)
    #: (offset into text, message)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    _known: set[str] | None = None

    def records(self) -> list[Record]:
        """The block's records in page order, spans disjoint.

        The readers never produce overlapping spans on real pages; on garbage (fuzzed
        input) two readers can claim the same text, and then the later record gives way
        (its text stays in the residue, with a warning) so that spans and residue always
        tile the input.
        """
        out: list[Record] = []
        for card, rail in zip(self.cards, self.rails, strict=True):
            if card is not None:
                out.append(card)
            out.extend(rail)
        if any(a.span[1] > b.span[0] for a, b in itertools.pairwise(out)):
            out.sort(key=lambda r: r.span)
            kept: list[Record] = []
            for r in out:
                if kept and r.span[0] < kept[-1].span[1]:
                    self.warnings.append((r.span[0] - self.base, "overlapping item left out"))
                    continue
                kept.append(r)
            out = kept
        return out

    def known(self) -> set[str]:
        """Headlines the page prints unambiguously: evidence for boundaries.

        Built once the rails are read; card titles join as they are decided. A headline
        whose end was a choice (a tag word kept or taken, see ``choices``) or a guess
        (``boundary_guessed``) is no evidence: it would only echo the guess.
        """
        if self._known is None:
            chosen = {(f, i) for f, i, _ in self.choices}
            self._known = {
                r.headline
                for f, rail in enumerate(self.rails)
                for i, r in enumerate(rail)
                if (f, i) not in chosen and BOUNDARY_GUESSED not in r.flags
            }
            self._known |= self.titles
        return self._known

    def add_title(self, title: str) -> None:
        self.titles.add(title)
        if self._known is not None:
            self._known.add(title)

    def is_known(self, headline: str) -> bool:
        return headline in self.known() or headline in self.memory

    def order(self, source: str | None) -> tuple[str, bool]:
        """The day/month order for a source's numeric dates in this block, and whether it
        is only the profile's (the printed dates did not settle it)."""
        if source not in self.orders:
            self.orders[source] = (profile_order(self.ctx.vocab, source), True)
        return self.orders[source]

    def date_of(self, raw: str, source: str | None, offset: int) -> dt.date | None:
        """The date a printed numeric date means for this source (cached per input)."""
        a, b, y = dates.numeric_parts(raw) or (0, 0, 0)
        order = dates.decide_order([[(a, b, y)]]) or self.order(source)[0]
        cache = self.date_cache.setdefault(order, {})
        if raw not in cache:
            cache[raw] = dates.numeric_date(raw, order)
        value = cache[raw]
        if value is None:
            self.warnings.append((offset, f"impossible date {raw!r}"))
        return value  # type: ignore[return-value]


def profile_order(vocab: Vocabulary, source: str | None) -> str:
    profile = vocab.source(source)
    return (profile.date_order if profile else None) or vocab.date_order
