"""France 24 rails: ``DD/MM/YYYY`` starts an item; headline, kicker, tag, video length.

The steps here find the item dates, cut the block into frames at card headers, settle the
day/month order, read every item, and finally let page evidence settle the flat-text tag
boundaries the word before a tag could not. :func:`_read_rail` is the parser's hot path.
"""

from __future__ import annotations

import bisect
from collections.abc import Container

import regex

from . import dates
from .block import (
    DURATION_WORD,
    MAX_HEADLINE_WORDS,
    SENTENCE_END,
    Block,
    CardHeader,
    Frame,
    profile_order,
)
from .model import BOUNDARY_GUESSED, ORDER_INFERRED, REGION_AMBIGUOUS, Record
from .profiles import Vocabulary
from .text import (
    bare,
    collapse,
    ends_sentence_or_quote,
    headline_key,
    is_capitalised,
    original_length,
    repeated_title,
)

#: After a rail date, these characters may start a time ("17/02/2019 - 10:46")
_STAMP_GOES_ON = frozenset("0123456789-–|/@·•,")
_TIME_AFTER = regex.compile(r"[ \t]*(?:[-–|/@·•,][ \t]*)?\d{1,2}[:h]\d{2}(?!\d)")
_WEEKDAY_BEFORE = regex.compile(r"(?r)\b[^\W\d]{2,9}\.?, \Z")


def find_item_dates(block: Block) -> None:
    """Dates that start a rail item: a whole token, not prose ("met on 16/05/2025")."""
    text = block.text
    n = len(text)
    function_words = block.ctx.vocab.function_words
    append = block.dates.append
    timed: list[tuple[int, int]] = []
    for m in dates.RAIL_DATE.finditer(text):
        s, e = m.span()
        if e < n and not text[e].isspace():
            continue  # "31/07/2025," or "31/07/2025abc": part of prose or of a token
        if text[e + 1 : e + 2] in _STAMP_GOES_ON and _TIME_AFTER.match(text, e):
            if text[e] == " " and text[e + 1].isdigit():
                # "30/07/2025 10:30 ...": a stamp, or a rail date before a headline that
                # starts with a clock time ("10:30 curfew imposed"); the page decides
                timed.append((s, e))
            continue  # "17/02/2019 - 10:46": a date-and-time stamp, for the lists reader
        if text[s - 2 : s] == ", " and _WEEKDAY_BEFORE.search(text, max(0, s - 14), s):
            continue  # "Sun, 17/02/2019": likewise
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
    if timed:
        _rail_dates_before_times(block, timed)


def _rail_dates_before_times(block: Block, timed: list[tuple[int, int]]) -> None:
    """A date then a clock time, one space apart, is a rail date when its stretch of page
    (between two card headers) prints at least as many bare rail dates: a rail prints its
    dates alone, so there the time opens the headline ("30/07/2025 10:30 curfew imposed";
    flat text loses the line break between them). A list prints a time with every date:
    there they are its stamps, left to the lists reader."""
    cuts = [h.start for h in block.headers]
    bare: dict[int, int] = {}
    for s, _ in block.dates:
        k = bisect.bisect_right(cuts, s)
        bare[k] = bare.get(k, 0) + 1
    stretches: dict[int, list[tuple[int, int]]] = {}
    for d in timed:
        stretches.setdefault(bisect.bisect_right(cuts, d[0]), []).append(d)
    added = [d for k, ds in stretches.items() if bare.get(k, 0) >= len(ds) for d in ds]
    if added:
        block.dates[:] = sorted(block.dates + added)


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
            block.orders[source] = (profile_order(block.ctx.vocab, source), True)
        else:
            block.orders[source] = (order, False)


def read_rails(block: Block) -> None:
    """Read every rail item: the date, then the headline, kicker, tag and video length."""
    for f, frame in enumerate(block.frames):
        source = frame.header.source if frame.header else block.lead_source
        records: list[Record] = []
        block.rails.append(records)
        block.cards.append(None)
        if not frame.dates:
            continue
        if frame.header is not None:
            # a card's title and teaser, then a blank line: what follows is a page of its
            # own, whose source is not the card's
            brk = _page_break(block.text, frame)
            if brk is not None:
                block.page_breaks[f] = brk
                frame = Frame(brk, frame.hi, None, [d for d in frame.dates if d[0] > brk])
                source = block.ctx.source
            elif not _rail_follows_title(block.text, frame):
                continue  # the dates are inside a prose teaser
        _read_rail(block, f, frame, source, records)


#: A blank line: what separates two pages pasted one after the other.
_BLANK_LINE = regex.compile(r"(?r)\n[ \t\r]*\n")


def _page_break(text: str, frame: Frame) -> int | None:
    """Where a card ends and a page of its own begins: the last blank line before the first
    rail date, when a title and a teaser (two different lines) stand before it."""
    assert frame.header is not None and frame.dates
    m = _BLANK_LINE.search(text, frame.header.end, frame.dates[0][0])
    if m is None:
        return None
    lines = {collapse(ln) for ln in text[frame.header.end : m.start()].split("\n")}
    lines.discard("")
    return int(m.end()) if len(lines) >= 2 else None


def _rail_follows_title(text: str, frame: Frame) -> bool:
    """In a card, a rail must start right after the title (and its video length)."""
    assert frame.header is not None
    between = text[frame.header.end : frame.dates[0][0]]
    lines = {headline_key(ln) for ln in between.split("\n") if ln.strip()}
    lines = {ln for ln in lines if not DURATION_WORD.fullmatch(ln)}
    # the title (printed up to three times) and perhaps one more line; no long prose
    return len(lines) <= 2 and all(_title_like(ln) for ln in lines)


def _title_like(line: str) -> bool:
    """A title, perhaps printed two or three times on one line, then its video length."""
    c = collapse(line)
    if c.rsplit(" ", 1)[-1:] and DURATION_WORD.fullmatch(c.rsplit(" ", 1)[-1]):
        c = c.rsplit(" ", 1)[0]
    if c.count(" ") < MAX_HEADLINE_WORDS:
        return True
    first, last = repeated_title(c, MAX_HEADLINE_WORDS)
    return first > 0 and last >= len(c) - 1


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
    split = split_inline
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
                if "  " not in c and c.isprintable() and c.count(" ") < _RUN_ON:
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
    kicker = region = duration = None
    end = start
    if nl >= 0:
        kicker, region, duration, end = _field_lines(block, nl + 1, body_end)
    if kicker is not None or region is not None:
        # "31/07/2025 Headline" then a tag line: the layout shows the headline whole
        return (collapse(core), kicker, region, duration, end, (), None)
    long = len(core) > _QUICK or core.count(" ") >= _RUN_ON
    fields = _read_inline(text, core, start, vocab, cut=last or long)
    if fields is not None and duration is not None and fields[3] is None:
        fields = (*fields[:3], duration, end, *fields[5:])
    return fields


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
    headline, kicker, region, duration, end, more, alt = split_inline(c, vocab, start)
    if c is not core:  # spans index the original text: map the end back
        end = start + original_length(core, c)
    return headline, kicker, region, duration, end, more + flags, alt


def _read_lines(block: Block, pos: int, end: int) -> _Fields | None:
    """Line-broken item: the headline is the next line, then kicker/tag/length lines."""
    text = block.text
    vocab = block.ctx.vocab
    find = text.find
    while pos < end:
        nl = find("\n", pos, end)
        line_end = nl if nl >= 0 else end
        line = collapse(text[pos:line_end])
        if line and not vocab.is_furniture(line):
            if line.count(" ") >= MAX_HEADLINE_WORDS:
                return None
            above = None
            if line in vocab.kickers:  # a kicker printed above its headline
                headline = _next_line(block, line_end + 1, end)
                if headline is not None:
                    above = line
                    line, pos, line_end = headline
            head_end = pos + len(text[pos:line_end].rstrip())
            kicker, region, duration, item_end = _field_lines(block, line_end + 1, end)
            return line, kicker or above, region, duration, max(head_end, item_end), (), None
        pos = line_end + 1
    return None


def _next_line(block: Block, pos: int, end: int) -> tuple[str, int, int] | None:
    """The line right under ``pos`` if it can be a headline: its text, start and end."""
    text = block.text
    nl = text.find("\n", pos, end)
    line_end = nl if nl >= 0 else end
    line = collapse(text[pos:line_end])
    vocab = block.ctx.vocab
    if (
        not line
        or line.count(" ") >= MAX_HEADLINE_WORDS
        or line in vocab.regions
        or vocab.is_furniture(line)
        or DURATION_WORD.fullmatch(line)
    ):
        return None
    return line, pos, line_end


def _field_lines(
    block: Block, pos: int, end: int
) -> tuple[str | None, str | None, str | None, int]:
    """The kicker, tag and video-length lines under a headline, and where they end (0 if
    there are none).

    They stop at the first other line, or at a blank line: past it begins another page,
    and a video length there is its own title's.
    """
    text = block.text
    vocab = block.ctx.vocab
    kicker = region = duration = None
    item_end = 0  # nothing found
    find = text.find
    while pos < end:
        nl = find("\n", pos, end)
        line_end = nl if nl >= 0 else end
        line = collapse(text[pos:line_end])
        if not line:
            break
        if kicker is None and region is None and line in vocab.kickers:
            kicker = line
        elif region is None and line in vocab.regions:
            region = line
        elif duration is None and DURATION_WORD.fullmatch(line):
            duration = line
        elif not vocab.is_furniture(line):
            break
        else:
            pos = line_end + 1
            continue
        item_end = pos + len(text[pos:line_end].rstrip())
        pos = line_end + 1
    return kicker, region, duration, item_end


#: Words a flat item's text may have before it is suspected of running on into prose.
_RUN_ON = 24


def _cut_tail(vocab: Vocabulary, c: str) -> tuple[str, tuple[str, ...]]:
    """The last item of a flat rail may run on into what follows: cut it where it ends.

    At the first furniture phrase; then, if still longer than a headline, after the first
    tag that a capitalised word follows ("... floods France Some prose ..."), else at the
    first sentence end. A guessed end says ``boundary_guessed``.
    """
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
    words = c.split(" ")
    if len(words) <= _RUN_ON:
        return c, ()
    for i in range(3, min(len(words) - 1, MAX_HEADLINE_WORDS)):
        if not is_capitalised(words[i + 1]):
            continue
        for tag_words, tag in vocab.tags_by_last_word.get(words[i], ()):
            n = len(tag_words)
            if words[i - n + 1 : i + 1] == list(tag_words) and i - n >= 2:
                end = len(" ".join(words[: i + 1]))
                if tag_verdict(c[:end], end - len(tag) - 1, tag_words, vocab) != "keep":
                    return c[:end], (BOUNDARY_GUESSED,)
    if len(words) <= MAX_HEADLINE_WORDS:
        return c, ()
    m = SENTENCE_END.search(c)
    if m is None or len(c[: m.start()].split()) > MAX_HEADLINE_WORDS:
        return "", ()
    return c[: m.start()].rstrip(), (BOUNDARY_GUESSED,)


def split_inline(c: str, vocab: Vocabulary, start: int = 0, *, durations: bool = True) -> _Fields:
    """Take a flat item's kicker, trailing tag and video length off its headline.

    The kicker usually stands after the headline (:func:`split_tail`); a page that prints
    it above the headline gives, once flattened, ``Watch 'We will not leave': ...``: a
    known kicker as the first word, then a headline of three words or more that starts
    like one (a capital, a digit or a quote), is taken off too.
    """
    fields = split_tail(c, vocab, start, durations=durations)
    headline = fields[0]
    sp = headline.find(" ")
    if (
        sp > 0
        and fields[1] is None
        and headline[:sp] in vocab.kickers
        and headline.count(" ") >= 3
        and (
            headline[sp + 1].isupper() or headline[sp + 1].isdigit() or headline[sp + 1] in _QUOTES
        )
    ):
        alt = fields[6]
        if alt is not None and alt[0].startswith(headline[: sp + 1]):
            alt = (alt[0][sp + 1 :], alt[1])
        return (headline[sp + 1 :], headline[:sp], *fields[2:6], alt)
    return fields


_QUOTES = frozenset("'\"‘“«")


def split_tail(c: str, vocab: Vocabulary, start: int = 0, *, durations: bool = True) -> _Fields:
    """Take a flat item's trailing tag, kicker and video length off its headline.

    ``c`` is whitespace-collapsed. Work from the end: ``... headline [kicker] [tag]
    [MM:SS]``. Whether a trailing tag word is a tag or the headline's last word is decided
    by the word before it (:func:`tag_verdict`). A kicker word right after a name
    (:func:`_name_before`) may end that name ("... says Human Rights Watch"): the kicker
    reading is taken, flagged ``region_ambiguous``, and the page may show the other
    (:func:`resolve_boundaries`). The end offset returned is ``start`` plus the length of
    ``c``.
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
    if durations and last[-3:-2] == ":" and DURATION_WORD.fullmatch(last):
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
            verdict = tag_verdict(c, tag_start, words, vocab)
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
            word = _word_before(c, k_start)
            if bare(word) not in vocab.function_words:
                if alt is None and _name_before(word, k_start, tags_by_last_word):
                    # "... says Human Rights Watch": the kicker word may end a name; the
                    # kicker reading is taken, flagged, and the page may show the name's
                    flags = (REGION_AMBIGUOUS,)
                    alt = (c[:cut], region)
                elif alt is not None:
                    alt = (c[:k_start] + alt[0][cut:], alt[1])
                kicker = label
                cut = k_start
            break
    return c[:cut], kicker, region, duration, end, flags, alt


def _name_before(word: str, at: int, tags: Container[str]) -> bool:
    """Is ``word``, right before a kicker word at ``at``, a name the kicker word may end
    ("Human Rights Watch")? A capitalised word ending in a letter, neither the headline's
    first word nor a tag word (a headline often ends with a place: "... grips eastern
    Europe Watch Europe")."""
    return at > len(word) and word[-1:].isalpha() and is_capitalised(word) and word not in tags


def _word_before(c: str, at: int) -> str:
    return c[c.rfind(" ", 0, at) + 1 : at]


#: Regions that running text gives an article ("the Middle East"): after a word that is
#: neither a function word nor a place word they are a tag, never the headline's end.
_ARTICLE_REGIONS = frozenset({"middle-east", "americas", "asia-pacific"})


def tag_verdict(c: str, at: int, tag_words: tuple[str, ...], vocab: Vocabulary) -> str:
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
    if kind == "function" or kind == "place":
        # "across Europe", "the Middle East", "Asia, Europe"; "southern Europe", "storm
        # lashes France", "heatwave grips Middle East" (a headline drops the article)
        return "keep"
    if kind == "weak" and vocab.region_id(" ".join(tag_words)) in _ARTICLE_REGIONS:
        return "tag"  # "food Middle East": without "the" it cannot be the headline's
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


def resolve_boundaries(block: Block) -> None:
    """Settle flat-text tag boundaries from the same headline printed elsewhere on the page.

    The word before a tag word gave each such item a reading; when the page prints the
    other reading's headline unambiguously (a card title, a line-broken rail, an item with
    no tag word at its end) and not this one's, the other reading wins. A guess the page
    confirms loses its ``region_ambiguous`` flag. The same goes for a kicker word that may
    end a name: "Human Rights Watch" printed whole elsewhere makes "Watch" the headline's.
    """
    vocab = block.ctx.vocab
    for f, i, (headline, region) in block.choices:
        record = block.rails[f][i]
        if block.is_known(record.headline):
            if record.flags:
                block.rails[f][i] = record._replace(flags=())
        elif block.is_known(headline):
            kicker = record.kicker
            if kicker is not None and headline == f"{record.headline} {kicker}":
                kicker = None  # the kicker word ends a name: "Human Rights Watch"
            elif kicker is None and record.headline.startswith(headline + " "):
                rest = record.headline[len(headline) + 1 :]
                kicker = rest if rest in vocab.kickers else None
            block.rails[f][i] = record._replace(
                headline=headline,
                region=region,
                region_id=vocab.region_id(region) if region else None,
                kicker=kicker,
                flags=(),
            )
    if block.titles:
        block.memory.update(dict.fromkeys(block.titles))
