"""The parser: teaser text in, headline records out.

Text is parsed block by block (a page, or a slice of a huge flat line cut between two rail
items). Each block goes through :data:`STEPS`, small named functions over one
:class:`Block` state:

1. ``find_card_headers`` – aggregator card headers (``France 24 / 2 hours ago / - France 24``);
2. ``find_item_dates``   – dates that start a rail item (``31/07/2025`` not inside prose);
3. ``make_frames``       – cut the block at card headers: a frame is a card (or the page
   before the first card) with the rail dates inside it;
4. ``read_rails``        – each date and the text up to the next one: headline, kicker,
   tag, video length;
5. ``read_cards``        – each card's title and teaser (prose summary or rail);
6. ``resolve_boundaries``– flat-text tag boundaries that only page evidence can settle.

The parser never reads files or the clock: text, the reference time and zones come in
through :class:`Context`. Offsets are tracked everywhere; a record's ``span`` points back
into the input and whatever no record covers is residue (see :func:`residue`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from . import dates
from .model import (
    AGE_RESOLVED,
    BOUNDARY_GUESSED,
    ORDER_INFERRED,
    REGION_AMBIGUOUS,
    Record,
    Span,
)
from .profiles import Vocabulary, load_vocabulary
from .text import bare, collapse, ends_sentence_or_quote, headline_key, is_capitalised

#: A headline longer than this (in words) is prose, not a headline.
MAX_HEADLINE_WORDS = 40

#: The end of a card header: optional icon label, then an age or a date, glued or not.
_HEADER_TAIL = regex.compile(
    rf"\s*(?:time\s*)?(?:(?P<age>{dates.AGE.pattern})|(?P<date>\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}}))\s*",
    regex.X | regex.I,
)
#: Searched backwards from a ``-``/``•`` separator: is an age or date printed just before?
_AGE_BEFORE = regex.compile(
    rf"(?r)(?:{dates.AGE.pattern}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}})\s*\Z",
    regex.X | regex.I,
)
_SEPARATOR = regex.compile(r"[-•]")
_TRAILING_DURATION = regex.compile(r"(?<![\w:])(\d{1,2}:\d{2}(?::\d{2})?)\s*\Z")
_DURATION_WORD = regex.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
#: A sentence end inside flat prose: ". " then a capital, a quote or a digit.
_SENTENCE_END = regex.compile(
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
    #: source -> (day/month order of its numeric dates, whether only the profile said so)
    orders: dict[str | None, tuple[str, bool]] = field(default_factory=dict)
    #: (offset into text, message)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    _known: set[str] | None = None

    def records(self) -> list[Record]:
        out: list[Record] = []
        for card, rail in zip(self.cards, self.rails, strict=True):
            if card is not None:
                out.append(card)
            out.extend(rail)
        return out

    def known(self) -> set[str]:
        """Headlines the page prints unambiguously: evidence for boundaries.

        Built once the rails are read; card titles join as they are decided.
        """
        if self._known is None:
            chosen = {(f, i) for f, i, _ in self.choices}
            self._known = {
                r.headline
                for f, rail in enumerate(self.rails)
                for i, r in enumerate(rail)
                if (f, i) not in chosen
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
            self.orders[source] = (_profile_order(self.ctx.vocab, source), True)
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


def _profile_order(vocab: Vocabulary, source: str | None) -> str:
    profile = vocab.source(source)
    return (profile.date_order if profile else None) or vocab.date_order


# --------------------------------------------------------------------------- step 1


def find_card_headers(block: Block) -> None:
    """Find ``SOURCE / AGE / - SOURCE`` headers in either layout.

    Anchored on the ``-`` or ``•`` separator: the text after it names the source, and the
    text before it must end with the same source and an age or date (``France 244 days
    ago`` is ``France 24`` + ``4 days ago`` because ``- France 24`` says so).
    """
    text = block.text
    vocab = block.ctx.vocab
    last_end = 0
    for m in _SEPARATOR.finditer(text):
        p = m.start()
        if p < last_end or (p > 0 and not text[p - 1].isspace()):
            continue
        before_end = p
        while before_end > 0 and text[before_end - 1].isspace():
            before_end -= 1
        lo = max(last_end, before_end - 160)
        if _AGE_BEFORE.search(text, lo, before_end) is None:
            continue
        header = _match_header(text, lo, before_end, m.end(), vocab)
        if header is not None:
            block.headers.append(header)
            last_end = header.end


def _match_header(
    text: str, lo: int, before_end: int, after: int, vocab: Vocabulary
) -> CardHeader | None:
    q = after
    while q < len(text) and text[q] in " \t":
        q += 1
    line_end = text.find("\n", q)
    if line_end < 0:
        line_end = len(text)
    line = text[q:line_end].rstrip()
    # Line-broken: the whole line names the source. Flat: try the longest run of words
    # after the separator that the text before it also ends with.
    words = line.split()
    candidates = [line] if 0 < len(words) <= 6 else []
    candidates += [" ".join(words[:k]) for k in range(min(6, len(words)), 0, -1)]
    window = text[lo:before_end]
    for name in candidates:
        i = window.rfind(name)
        while i >= 0:
            if i == 0 or not window[i - 1].isalnum():
                tail = _HEADER_TAIL.fullmatch(window, i + len(name))
                if tail is not None:
                    age = collapse(tail["age"]) if tail["age"] else None
                    return CardHeader(
                        start=lo + i,
                        end=q + len(name) if line.startswith(name) else q + len(line),
                        source=vocab.canonical_source(name),
                        age=age,
                        date_raw=tail["date"],
                    )
            i = window.rfind(name, 0, i)
    return None


# --------------------------------------------------------------------------- step 2


def find_item_dates(block: Block) -> None:
    """Dates that start a rail item: a whole token, not prose ("met on 16/05/2025")."""
    text = block.text
    n = len(text)
    function_words = block.ctx.vocab.function_words
    append = block.dates.append
    for m in dates.RAIL_DATE.finditer(text):
        s, e = m.span()
        if e < n and not text[e].isspace():
            continue  # "31/07/2025," or "31/07/2025abc": part of prose or of a token
        if s:
            c = text[s - 1]
            if c == " ":
                # a function word before the date makes it prose: "met on 16/05/2025"
                before = text[s - 12 if s > 12 else 0 : s - 1]
                word = before[max(before.rfind(" "), before.rfind("\n")) + 1 :]
                if word.lower() in function_words:
                    continue
            elif c != "\n" and not c.isspace() and c not in "|•·–—([":
                continue
        append((s, e))


# --------------------------------------------------------------------------- step 3


def make_frames(block: Block) -> None:
    """Cut the block at card headers; hand each frame the item dates inside it."""
    text_end = len(block.text)
    bounds: list[tuple[int, CardHeader | None]] = [(0, None)]
    bounds += [(h.start, h) for h in block.headers]
    it = iter(block.dates)
    pending = next(it, None)
    for i, (lo, header) in enumerate(bounds):
        hi = bounds[i + 1][0] if i + 1 < len(bounds) else text_end
        start = header.end if header else lo
        inside: list[tuple[int, int]] = []
        while pending is not None and pending[0] < hi:
            if pending[0] >= start:
                inside.append(pending)
            pending = next(it, None)
        if header is None and hi == lo:
            continue
        block.frames.append(Frame(lo, hi, header, inside))


def decide_orders(block: Block) -> None:
    """Settle the day/month order of each source's rail dates from the block's own dates
    (a field above 12, newest-first order); else the source profile's, flagged."""
    text = block.text
    by_source: dict[str | None, list[list[tuple[int, int, int | None]]]] = {}
    parts: dict[str, tuple[int, int, int | None]] = {}
    for frame in block.frames:
        if not frame.dates:
            continue
        source = frame.header.source if frame.header else block.lead_source
        seq = []
        for s, e in frame.dates:
            raw = text[s:e]
            p = parts.get(raw)
            if p is None:
                a, b, y = dates.numeric_parts(raw) or (0, 0, 0)
                p = parts[raw] = (a, b, y)
            seq.append(p)
        by_source.setdefault(source, []).append(seq)
    for source, sequences in by_source.items():
        order = dates.decide_order(sequences)
        if order is None:
            block.orders[source] = (_profile_order(block.ctx.vocab, source), True)
        else:
            block.orders[source] = (order, False)


# --------------------------------------------------------------------------- step 4


def read_rails(block: Block) -> None:
    """Read every rail item: the date, then the headline, kicker, tag and video length."""
    for f, frame in enumerate(block.frames):
        source = frame.header.source if frame.header else block.lead_source
        records: list[Record] = []
        block.rails.append(records)
        block.cards.append(None)
        if not frame.dates:
            continue
        if frame.header is not None and not _rail_follows_title(block.text, frame):
            continue  # the dates are inside a prose teaser
        _read_rail(block, f, frame, source, records)


def _rail_follows_title(text: str, frame: Frame) -> bool:
    """In a card, a rail must start right after the title (and its video length)."""
    assert frame.header is not None
    between = text[frame.header.end : frame.dates[0][0]]
    lines = {headline_key(ln) for ln in between.split("\n") if ln.strip()}
    lines = {ln for ln in lines if not _DURATION_WORD.fullmatch(ln)}
    # the title (printed up to three times) and perhaps one more line; no long prose
    return len(lines) <= 2 and all(len(ln.split()) <= MAX_HEADLINE_WORDS for ln in lines)


#: What an item's text yields: headline, kicker, region, video length, end offset, flags,
#: and the other reading (headline, region) when the tag boundary was a choice.
_Alt = tuple[str, str | None]
_Fields = tuple[str, str | None, str | None, str | None, int, tuple[str, ...], _Alt | None]

#: Longest item text (after the date) read by the quick flat path; longer ones may run on
#: into what follows the rail and take the careful path.
_QUICK = 240


def _read_rail(block: Block, f: int, frame: Frame, source: str | None, out: list[Record]) -> None:
    """The items of one frame's rail. This loop is the parser's hot path: keep it lean.

    The common item — a short one on one line, single spaces, between two dates — is read
    inline; anything else (line breaks, the rail's last item, odd spacing) goes to
    :func:`_read_body`.
    """
    text = block.text
    base = block.base
    vocab = block.ctx.vocab
    region_id = vocab.region_id
    split = _split_inline
    choices = block.choices
    append = out.append
    order, inferred = block.order(source)
    cache = block.date_cache.setdefault(order, {})
    ds = frame.dates
    n = len(ds)
    for i in range(n):
        s, e = ds[i]
        last = i + 1 == n
        body_end = frame.hi if last else ds[i + 1][0]
        fields = None
        if not last and body_end - e <= _QUICK:
            c = text[e:body_end]
            if "\n" not in c:
                c = c.strip()
                if not c:
                    continue
                if not ("  " in c or "\t" in c or "\xa0" in c or "\r" in c):
                    start = e + 1 if text[e] == " " else e + text[e:body_end].index(c[0])
                    fields = split(c, vocab, start)
        if fields is None:
            fields = _read_body(block, e, body_end, last)
            if fields is None:
                continue
        headline, kicker, region, duration, end, flags, alt = fields
        raw = text[s:e]
        date = cache.get(raw, _MISSING)
        if date is _MISSING:
            date = cache[raw] = dates.numeric_date(raw, order)
        if date is None:
            block.warnings.append((s, f"impossible date {raw!r}"))
        if inferred:
            flags += (ORDER_INFERRED,)
        if alt is not None:
            choices.append((f, len(out), alt))
        append(
            Record(
                "rail",
                source,
                date,  # type: ignore[arg-type]
                None,
                duration,
                None,
                None,
                headline,
                region,
                region_id(region) if region else None,
                kicker,
                None,
                (base + s, base + end),
                flags,
            )
        )


_MISSING = object()


def _read_body(block: Block, e: int, body_end: int, last: bool) -> _Fields | None:
    """The careful path: line-broken items, and items that may run on past the rail."""
    text = block.text
    vocab = block.ctx.vocab
    nl = text.find("\n", e, body_end)
    first = text[e : nl if nl >= 0 else body_end]
    core = first.strip()
    if not core:
        return _read_lines(block, nl + 1 if nl >= 0 else body_end, body_end)
    start = e + first.index(core[0])
    if nl >= 0 and not _is_blank_or_length(text[nl + 1 : body_end]):
        follow = _read_lines(block, nl + 1, body_end)
        # "31/07/2025 Headline" then a tag line: the layout shows the headline whole
        if follow is not None and follow[0] in vocab.regions:
            return (collapse(core), None, follow[0], None, follow[4], (), None)
    return _read_inline(text, core, start, vocab, cut=last or len(core) > _QUICK)


def _is_blank_or_length(rest: str) -> bool:
    """Only whitespace, or a video length waiting for the next date, follows the line."""
    rest = rest.strip()
    return not rest or (len(rest) <= 8 and _DURATION_WORD.fullmatch(rest) is not None)


def _read_inline(
    text: str, core: str, start: int, vocab: Vocabulary, *, cut: bool
) -> _Fields | None:
    """An item whose headline shares the date's line (flat text, or one item a line)."""
    c = collapse(core)
    flags: tuple[str, ...] = ()
    if cut:
        c, flags = _cut_tail(vocab, c)
        if not c:
            return None
    headline, kicker, region, duration, end, more, alt = _split_inline(c, vocab, start)
    if c is not core:  # spans index the original text: map the end back
        end = start + _original_length(core, c)
    return headline, kicker, region, duration, end, more + flags, alt


def _read_lines(block: Block, pos: int, end: int) -> _Fields | None:
    """Line-broken item: the headline is the next line, then kicker/tag/length lines."""
    text = block.text
    vocab = block.ctx.vocab
    headline: str | None = None
    kicker = region = duration = None
    item_end = pos
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = nl if nl >= 0 else end
        line = collapse(text[pos:line_end])
        if line:
            if headline is None:
                if not vocab.is_furniture(line):
                    if len(line.split()) > MAX_HEADLINE_WORDS:
                        return None
                    headline = line
                    item_end = pos + len(text[pos:line_end].rstrip())
            elif kicker is None and region is None and line in vocab.kickers:
                kicker = line
            elif region is None and line in vocab.regions:
                region = line
            elif duration is None and _DURATION_WORD.fullmatch(line):
                duration = line
            elif not vocab.is_furniture(line):
                break
            else:
                line = ""
            if line and headline is not None and line is not headline:
                item_end = pos + len(text[pos:line_end].rstrip())
        pos = line_end + 1
    if headline is None:
        return None
    return headline, kicker, region, duration, item_end, (), None


def _original_length(core: str, prefix: str) -> int:
    """Length in ``core`` of the words making up collapsed ``prefix`` (spans stay exact)."""
    words = len(prefix.split())
    pos = 0
    for m in regex.finditer(r"\S+", core):
        words -= 1
        pos = m.end()
        if words == 0:
            break
    return pos


def _cut_tail(vocab: Vocabulary, c: str) -> tuple[str, tuple[str, ...]]:
    """The last item of a flat rail runs on into what follows: cut at furniture or prose."""
    cut = len(c)
    for phrase in vocab.furniture:
        i = c.find(phrase)
        while i >= 0:
            j = i + len(phrase)
            if (i == 0 or c[i - 1] == " ") and (j == len(c) or c[j] == " "):
                cut = min(cut, i)
                break
            i = c.find(phrase, j)
    c = c[:cut].rstrip()
    if len(c.split()) <= MAX_HEADLINE_WORDS:
        return c, ()
    m = _SENTENCE_END.search(c)
    if m is None or len(c[: m.start()].split()) > MAX_HEADLINE_WORDS:
        return "", ()
    return c[: m.start()].rstrip(), (BOUNDARY_GUESSED,)


def _split_inline(c: str, vocab: Vocabulary, start: int = 0) -> _Fields:
    """Take a flat item's trailing tag, kicker and video length off its headline.

    ``c`` is whitespace-collapsed. Work from the end: ``... headline [kicker] [tag]
    [MM:SS]``. Whether a trailing tag word is a tag or the headline's last word is decided
    by the word before it (:func:`_tag_verdict`). The end offset returned is ``start`` plus
    the length of ``c``.
    """
    cut = len(c)
    end = start + cut
    duration = kicker = region = None
    alt: tuple[str, str | None] | None = None
    flags: tuple[str, ...] = ()
    sp = c.rfind(" ")
    if sp < 0:
        return c, None, None, None, end, flags, None
    last = c[sp + 1 :]
    tags_by_last_word = vocab.tags_by_last_word
    if (
        last not in tags_by_last_word
        and last not in vocab.kickers_by_last_word
        and last[-3:-2] != ":"
    ):
        return c, None, None, None, end, flags, None  # the common case: nothing to take off
    if last[-3:-2] == ":" and _DURATION_WORD.fullmatch(last):
        duration = last
        cut = sp
        sp = c.rfind(" ", 0, cut)
        last = c[sp + 1 : cut]
    tags = tags_by_last_word.get(last)
    if tags is not None and sp > 0:
        for words, tag in tags:
            tag_start = cut - len(tag) - 1
            if tag_start <= 0 or c[tag_start] != " " or not c.startswith(tag, tag_start + 1):
                continue
            verdict = _tag_verdict(c, tag_start, words, vocab)
            if verdict == "keep":
                alt = (c[:tag_start], tag)
            else:
                if verdict == "weak":
                    flags = (REGION_AMBIGUOUS,)
                    alt = (c[:cut], None)
                region = tag
                cut = tag_start
            break
        sp = c.rfind(" ", 0, cut)
        last = c[sp + 1 : cut]
    kickers = vocab.kickers_by_last_word.get(last)
    if kickers is not None and sp > 0:
        for _words, label in kickers:
            k_start = cut - len(label) - 1
            if k_start <= 0 or c[k_start] != " " or not c.startswith(label, k_start + 1):
                continue
            if bare(_word_before(c, k_start)) not in vocab.function_words:
                kicker = label
                if alt is not None:
                    alt = (c[:k_start] + alt[0][cut:], alt[1])
                cut = k_start
            break
    return c[:cut], kicker, region, duration, end, flags, alt


def _word_before(c: str, at: int) -> str:
    return c[c.rfind(" ", 0, at) + 1 : at]


#: Tags that running text gives an article ("the Middle East"): after any other word they
#: are a tag, never the headline's end.
_ARTICLE_TAGS = frozenset({("Middle", "East"), ("Americas",), ("Asia", "/", "Pacific")})


def _tag_verdict(c: str, at: int, tag_words: tuple[str, ...], vocab: Vocabulary) -> str:
    """Is the tag word at ``c[at+1:]`` a tag ("tag"), the headline's ("keep"), or a guess ("weak")?

    Decided by the word before it, strongest evidence first. Page evidence may later
    overturn a "keep" or a "weak" (see :func:`resolve_boundaries`); a "tag" after a name,
    a number, a quote or another tag stands.
    """
    word = c[c.rfind(" ", 0, at) + 1 : at]
    if word in vocab.tags_by_last_word:
        for _words, tag in vocab.tags_by_last_word[word]:
            if c.endswith(tag, 0, at) and (at == len(tag) or c[at - len(tag) - 1] == " "):
                return "tag"  # after another tag word: "... across Europe Europe"
    kind = vocab.word_kinds.get(word) or _word_kind(word, vocab)
    if kind == "function":
        return "keep"  # "across Europe", "the Middle East", "Asia, Europe"
    if tag_words in _ARTICLE_TAGS or tag_words[0].endswith("-Pacific"):
        return "tag"  # "food Middle East": without "the" it cannot be the headline's
    if kind == "place":
        return "keep"  # "southern Europe", "storm lashes France"
    return kind  # "tag" after a name, a number or a closing quote; else "weak"


def _word_kind(word: str, vocab: Vocabulary) -> str:
    """What a word says about a tag word right after it; cached on the vocabulary, since
    the words that end headlines repeat."""
    if word.endswith((",", ";", "-", "–", "—")):
        kind = "function"  # a list or a dash clause: "Asia, Europe"
    elif (b := bare(word)) in vocab.function_words:
        kind = "function"
    elif b in vocab.keep_after:
        kind = "place"
    elif ends_sentence_or_quote(word) or word.endswith(":"):
        kind = "tag"  # "... stop it' Middle East"
    elif is_capitalised(word) or word[-1:].isdigit() or word.endswith("%"):
        kind = "tag"  # "Palestine Europe": two names do not run together in a headline
    else:
        kind = "weak"
    if len(vocab.word_kinds) > 50_000:
        vocab.word_kinds.clear()
    vocab.word_kinds[word] = kind
    return kind


# --------------------------------------------------------------------------- step 5


def read_cards(block: Block) -> None:
    """Each card: its title (printed once or more), then a prose summary or a rail."""
    text = block.text
    for f, frame in enumerate(block.frames):
        h = frame.header
        if h is None:
            continue
        rail = block.rails[f]
        teaser_end = rail[0].span[0] - block.base if rail else frame.hi
        duration = None
        title_end = teaser_end
        if rail:
            m = _TRAILING_DURATION.search(text, h.end, teaser_end)
            if m is not None:
                duration = m[1]
                title_end = m.start(1)
        title, summary, end, flags = _card_text(block, h.end, title_end, has_rail=bool(rail))
        if duration is not None:
            end = title_end + len(duration)
        if title is None:
            continue
        if BOUNDARY_GUESSED not in flags:
            block.add_title(title)
        block.cards[f] = _card_record(block, h, title, summary, duration, end, flags)


def _card_record(
    block: Block,
    h: CardHeader,
    title: str,
    summary: str | None,
    duration: str | None,
    end: int,
    flags: tuple[str, ...],
) -> Record:
    ctx = block.ctx
    date = None
    if h.date_raw:
        date = block.date_of(h.date_raw, h.source, h.start)
        a, b, _ = dates.numeric_parts(h.date_raw) or (0, 0, 0)
        if block.order(h.source)[1] and a <= 12 and b <= 12:
            flags += (ORDER_INFERRED,)
    published = None
    if h.age is not None:
        delta = dates.age_delta(h.age)
        if delta is not None:
            published = ctx.now - delta
            flags += (AGE_RESOLVED,)
    return Record(
        kind="card",
        source=h.source,
        date=date,
        time=None,
        duration=duration,
        age=h.age,
        published=published,
        headline=title,
        region=None,
        region_id=None,
        kicker=None,
        summary=summary,
        span=(block.base + h.start, block.base + end),
        flags=flags,
    )


def _lines(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line in text[a:b], trimmed."""
    pos = a
    while pos < b:
        nl = text.find("\n", pos, b)
        line_end = nl if nl >= 0 else b
        s = pos
        while s < line_end and text[s].isspace():
            s += 1
        t = line_end
        while t > s and text[t - 1].isspace():
            t -= 1
        if t > s:
            yield s, t
        pos = line_end + 1


def _card_text(
    block: Block, a: int, b: int, *, has_rail: bool
) -> tuple[str | None, str | None, int, tuple[str, ...]]:
    """Title, summary, end offset and flags of the card text in text[a:b]."""
    text = block.text
    vocab = block.ctx.vocab
    lines = [(s, t) for s, t in _lines(text, a, b) if not vocab.is_furniture(text[s:t])]
    if not lines:
        return None, None, a, ()
    if len(lines) == 1:
        s, t = lines[0]
        return _flat_card_text(block, s, t, has_rail=has_rail)
    # line-broken: the title is the first line; repeats of it are skipped
    s, t = lines[0]
    title = collapse(text[s:t])
    key = headline_key(title)
    end = t
    rest: list[tuple[int, int]] = []
    for s2, t2 in lines[1:]:
        if not rest and headline_key(text[s2:t2]) == key:
            end = t2
            continue
        rest.append((s2, t2))
    if not rest:
        return title, None, end, ()
    summary = collapse(" ".join(text[s2:t2] for s2, t2 in rest))
    return title, summary, rest[-1][1], ()


def _flat_card_text(
    block: Block, s: int, t: int, *, has_rail: bool
) -> tuple[str | None, str | None, int, tuple[str, ...]]:
    """A card on one line: find where the title ends and the teaser begins.

    In order: the title printed twice or more (``Title Title Teaser``); a headline the page
    prints elsewhere; with a rail teaser, everything before the rail; otherwise the best
    boundary by :func:`_title_boundary`, flagged ``boundary_guessed``.
    """
    text = block.text
    vocab = block.ctx.vocab
    raw = text[s:t]
    c = collapse(raw)
    c = _strip_furniture_tail(c, vocab)
    words = c.split(" ")
    n = len(words)
    title_words = 0
    skip = 0
    flags: tuple[str, ...] = ()
    for k in range(2, min(MAX_HEADLINE_WORDS, n // 2) + 1):
        if words[:k] == words[k : 2 * k]:
            title_words, skip = k, 2 * k
            while words[skip : skip + k] == words[:k]:
                skip += k
            break
    if not title_words:
        for k in range(min(MAX_HEADLINE_WORDS, n), 1, -1):
            if block.is_known(" ".join(words[:k])):
                title_words = skip = k
                break
    if not title_words:
        if has_rail or (n <= MAX_HEADLINE_WORDS and _SENTENCE_END.search(c) is None):
            title_words = skip = n
        else:
            title_words = skip = _title_boundary(words, vocab)
            flags = (BOUNDARY_GUESSED,)
    title = " ".join(words[:title_words])
    summary = " ".join(words[skip:]) or None
    used = c if summary else " ".join(words[:skip])
    return title, summary, s + _original_length(raw, used), flags


def _strip_furniture_tail(c: str, vocab: Vocabulary) -> str:
    changed = True
    while changed and c:
        changed = False
        for phrase in vocab.furniture:
            if c.endswith(phrase) and (len(c) == len(phrase) or c[-len(phrase) - 1] == " "):
                c = c[: -len(phrase)].rstrip()
                changed = True
    return c


def _title_boundary(words: list[str], vocab: Vocabulary) -> int:
    """Where a flat card's title ends and its prose teaser begins (a documented heuristic).

    Candidates are word boundaries inside the first sentence where a capitalised word
    follows a word that could end a headline (not a function word, no trailing comma or
    colon). Each is scored: +3 when the next word usually starts a sentence ("The", "In",
    "A"...), +2 when a lowercase word is followed by a capital (a case change), -1 for
    each word the title would have outside 5-16 words. The best score wins; ties go to the
    earlier boundary. With no candidate the first sentence is taken as the title.
    """
    n = len(words)
    first_end = n
    for i, w in enumerate(words):
        if i >= 2 and w.endswith((".", "!", "?")) and not w.endswith("..."):
            first_end = i + 1
            break
    best, best_score = 0, -1e9
    for i in range(2, min(first_end, MAX_HEADLINE_WORDS)):
        prev, nxt = words[i - 1], words[i]
        if not is_capitalised(nxt) and nxt[:1] not in "\"'“‘":
            continue
        if prev.endswith((",", ";", ":", "-", "–")) or bare(prev) in vocab.function_words:
            continue
        score = 0.0
        if bare(nxt) in vocab.sentence_starters:
            score += 3
        if not is_capitalised(prev):
            score += 2
        if i < 5:
            score -= 5 - i
        elif i > 16:
            score -= i - 16
        if score > best_score:
            best, best_score = i, score
    return best or min(first_end, n)


# --------------------------------------------------------------------------- step 6


def resolve_boundaries(block: Block) -> None:
    """Settle flat-text tag boundaries from the same headline printed elsewhere on the page.

    The word before a tag word gave each such item a reading; when the page prints the
    other reading's headline unambiguously (a card title, a line-broken rail, an item with
    no tag word at its end) and not this one's, the other reading wins. A guess the page
    confirms loses its ``region_ambiguous`` flag.
    """
    vocab = block.ctx.vocab
    for f, i, (headline, region) in block.choices:
        record = block.rails[f][i]
        if block.is_known(record.headline):
            if record.flags:
                block.rails[f][i] = record._replace(flags=())
        elif block.is_known(headline):
            block.rails[f][i] = record._replace(
                headline=headline,
                region=region,
                region_id=vocab.region_id(region) if region else None,
                flags=(),
            )
    if block.titles:
        block.memory.update(dict.fromkeys(block.titles))


STEPS: tuple[Callable[[Block], None], ...] = (
    find_card_headers,
    find_item_dates,
    make_frames,
    decide_orders,
    read_rails,
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
    last item of the one rail that fills it; 0 when nothing is settled yet."""
    frames = block.frames
    if not frames:
        return 0
    last = frames[-1]
    if last.lo > 0:
        return last.lo
    if len(last.dates) >= 2:
        return last.dates[-1][0]
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
