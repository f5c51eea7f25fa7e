"""The parser: teaser text in, headline records out.

Text is parsed block by block (a page, or a slice of a huge input cut before its last
card or rail item). Each block goes through :data:`STEPS`, small named functions over one
:class:`~ticker.block.Block` state:

1. ``find_card_headers`` (cards) – ``France 24 / 2 hours ago / - France 24`` headers;
2. ``find_item_dates`` (rails)   – dates that start a rail item (``31/07/2025``, not prose);
3. ``make_frames`` (rails)       – cut the block at card headers: a frame is a card, or
   the page before the first card, with the rail dates inside it;
4. ``decide_orders`` (rails)     – day/month order of each source's numeric dates;
5. ``read_rails`` (rails)        – each date and the text up to the next: headline,
   kicker, tag, video length;
6. ``read_cards`` (cards)        – each card's title and teaser (prose summary or rail);
7. ``resolve_boundaries`` (rails)– flat-text tag boundaries only page evidence settles.

The parser never reads files or the clock: text, the reference time and zones come in
through :class:`~ticker.block.Context`. Offsets are tracked everywhere; a record's
``span`` points back into the input and whatever no record covers is residue (see
:func:`residue`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from .block import Block, Context
from .cards import find_card_headers, read_cards
from .lists import read_lists
from .model import Record, Span
from .profiles import Vocabulary, load_vocabulary
from .rails import decide_orders, find_item_dates, make_frames, read_rails, resolve_boundaries

__all__ = ["STEPS", "Context", "Parser", "make_context", "parse", "residue"]

STEPS: tuple[Callable[[Block], None], ...] = (
    find_card_headers,
    find_item_dates,
    make_frames,
    decide_orders,
    read_rails,
    read_lists,
    read_cards,
    resolve_boundaries,
)


# --------------------------------------------------------------------------- API


class Parser:
    """Parses one input block by block, keeping what crosses block boundaries: card
    titles as page evidence, the date cache, and the source of a rail cut from its card.
    """

    #: how many distinct headlines the evidence remembers before starting afresh
    MEMORY = 100_000

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.memory: dict[str, None] = {}
        self.date_cache: dict[str, dict[str, object]] = {}
        self.warnings: list[tuple[int, str]] = []
        self.lead_source = ctx.source

    def feed(self, text: str, base: int = 0) -> list[Record]:
        """Records of one whole block whose first character is at offset ``base``."""
        return self._parse(text, base).records()

    def _parse(self, text: str, base: int) -> Block:
        if len(self.memory) > self.MEMORY:
            self.memory.clear()
        if sum(len(d) for d in self.date_cache.values()) > self.MEMORY:
            self.date_cache.clear()
        block = Block(text, base, self.ctx, self.memory, self.date_cache, self.lead_source)
        for step in STEPS:
            step(block)
        return block

    def settle(self, text: str, base: int, *, final: bool) -> tuple[int, list[Record]]:
        """Parse ``text`` and say how much of it is settled: (cut, records before cut).

        The text after ``cut`` — the last card, or the last rail item when one card or rail
        fills the text — may still change with what comes next, so the caller hands it
        back with the next chunk. Warnings of the settled part go to :attr:`warnings`.
        """
        block = self._parse(text, base)
        cut = len(text) if final else _settled_prefix(block)
        records = block.records()
        if cut < len(text):
            records = [r for r in records if r.span[1] <= base + cut]
            last = block.frames[-1] if block.frames else None
            if last is not None and last.lo < cut:  # cut inside the last frame's rail
                self.lead_source = last.header.source if last.header else block.lead_source
            else:
                self.lead_source = self.ctx.source
        self.warnings.extend((base + off, msg) for off, msg in block.warnings if off < cut)
        return cut, records


def _settled_prefix(block: Block) -> int:
    """Where the settled part of a block ends: before its last frame, or else before the
    last item of the one rail or list that fills it; 0 when nothing is settled yet."""
    frames = block.frames
    if not frames:
        return 0
    last = frames[-1]
    if last.lo > 0:
        return last.lo
    items = block.rails[-1]
    if len(items) >= 2:
        return items[-1].span[0] - block.base
    return 0


def make_context(
    *,
    now: dt.datetime,
    tz: dt.tzinfo = dt.UTC,
    source: str | None = None,
    vocab: Vocabulary | None = None,
) -> Context:
    if now.tzinfo is None:
        raise ValueError("the reference time must be timezone-aware")
    return Context(vocab=vocab or load_vocabulary(), now=now, tz=tz, source=source)


def parse(
    text: str,
    *,
    now: dt.datetime,
    tz: dt.tzinfo = dt.UTC,
    source: str | None = None,
    vocab: Vocabulary | None = None,
) -> list[Record]:
    """Every record in ``text``, in page order."""
    return Parser(make_context(now=now, tz=tz, source=source, vocab=vocab)).feed(text)


def residue(text: str, records: Iterable[Record], base: int = 0) -> list[Span]:
    """The spans of ``text`` no record covers: together with the records they tile it."""
    out: list[Span] = []
    pos = base
    for r in sorted(records, key=lambda r: r.span):
        if r.span[0] > pos:
            out.append((pos, r.span[0]))
        pos = max(pos, r.span[1])
    if pos < base + len(text):
        out.append((pos, base + len(text)))
    return out
