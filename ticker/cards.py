"""Aggregator cards: ``SOURCE / AGE / - SOURCE / title / teaser``, in either layout.

Two steps: :func:`find_card_headers` finds the headers (they cut a block into frames),
and :func:`read_cards` reads each card's title, printed once or more, and its teaser: a
rail (read by :mod:`ticker.rails`) or prose, which becomes the card's summary.

A header is a source, an age (or a numeric date) and the source printed again after a
separator (``-``, ``•``, ``–``, ``—``, ``·``, ``|``); with no separator, the source must be
one the profiles know and the header must stand apart from prose (see
:func:`_find_unseparated_headers`).

In flat text, where nothing marks the end of a card's title, the title is the part the
text repeats, the part the page prints elsewhere as a headline (either reading of a flat
rail item whose tag word was a choice), or else a guess by
:func:`_title_boundary` (flagged ``boundary_guessed``): the teaser starts at a capital
(or, after a title of five words or more, a plain number) that opens a sentence-like
run — a sentence starter, a case change, a lowercase word next ("Vatican officials
said"), a name the title already named — in a title of about 5 to 16 words.
"""

from __future__ import annotations

import datetime as dt
import re

import regex

from . import dates
from .block import (
    MAX_HEADLINE_WORDS,
    SENTENCE_END,
    TRAILING_DURATION,
    Block,
    CardHeader,
)
from .model import AGE_RESOLVED, BOUNDARY_GUESSED, ORDER_INFERRED, Record
from .profiles import Source, Vocabulary
from .text import (
    bare,
    collapse,
    is_capitalised,
    nonblank_lines,
    original_length,
    repeated_title,
)

#: Searched backwards from a separator: an age or a date printed just before it (group
#: ``date`` for a date), perhaps after an icon label glued on ("time10 hours ago").
_AGE_BEFORE_ANY = regex.compile(
    rf"(?r)(?:{dates.AGE.pattern}|(?P<date>\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}}))\s*\Z",
    regex.X | regex.I,
)
#: The same for an English age only: most headers have one, and it is quicker to try
#: alone (it is what the first branch of the whole pattern would find).
_EN_AGE_BEFORE = regex.compile(rf"(?r)(?:{dates.EN_AGE}|(?P<date>(?!)))\s*\Z", regex.X | regex.I)


def _age_before(text: str, lo: int, hi: int) -> regex.Match[str] | None:
    """The age or date that ends text[lo:hi] (white space aside), if any."""
    return _EN_AGE_BEFORE.search(text, lo, hi) or _AGE_BEFORE_ANY.search(text, lo, hi)


_ICON_LABEL = regex.compile(r"(?r)(?:^|(?<=\s))time\s*\Z", regex.I)
#: The icon label glued to the source too ("Reuterstime10 hours ago").
_GLUED_ICON_LABEL = regex.compile(r"(?r)time\s*\Z", regex.I)
#: What stands between a card's age and the source printed again: a hyphen, a bullet, an
#: en or em dash, a middle dot or a bar, with white space before it. (The standard
#: library's engine scans a whole block for this class about twice as fast.)
_SEPARATOR = re.compile(r"[-•–—·|]")
_WORD = regex.compile(r"\S+")
#: The words that show where an age with no separator after it may be printed: "ago"
#: always, the word opening a French, German or Spanish age only on a page whose
#: separated headers print ages in that language. (Each is a plain ``str.count`` and
#: ``str.find`` over the block, skipped when all are in headers already found; each hit
#: is then read with ``dates.AGE``.)
_AGE_PREFIXES = ("il y a ", "hace ", "vor ")
_AGE_AT = regex.compile(rf"(?:{dates.AGE.pattern}|(?P<date>(?!)))", regex.X | regex.I)
#: The last numeric date before a point (a rail item's: ``27/07/2025 Headline Tag``).
_RAIL_DATE = regex.compile(r"(?r)(?<!\S)\d{1,2}/\d{1,2}/\d{4}(?=\s)")
_SENTENCE_CLOSERS = ".!?\"'”…"


def _name(word: str) -> str:
    """A capitalised word as a name: bare, without a possessive ("Spain's" is Spain)."""
    w = bare(word)
    return w[:-2] if w.endswith(("'s", "’s")) else w


#: A plain number opening a flat card's teaser ("3 people died", "40,000 homes").
_NUMBER = regex.compile(r"\d[\d,.]*")
#: What a number's unit looks like: a short all-capital symbol ("GW", "US", "C"), or one
#: of the usual unit and amount words ("km", "million", "%").
_UNIT_SYMBOL = regex.compile(r"[A-Z]{2,3}|[kMGT]Wh|[CF]|[%°].*")
_UNIT_WORDS = frozenset(
    (
        "km", "kg", "mm", "cm", "m", "ha", "mph",
        "million", "millions", "billion", "billions", "trillion", "bn",
        "milliard", "milliards", "millones", "millón", "mil", "millionen", "milliarden",
        "percent", "per", "pour", "por", "prozent", "degrees", "degrés", "grados",
        "hectares", "hectáreas",
    )
)  # fmt: skip


def _is_unit(word: str) -> bool:
    """Whether ``word``, after a number, is its unit ("78 GW", "5 million", "3 %")."""
    w = word.strip(",.;:!?()\"'“”‘’")
    return bool(w) and (_UNIT_SYMBOL.fullmatch(w) is not None or w.casefold() in _UNIT_WORDS)


# --------------------------------------------------------------------------- step 1


def find_card_headers(block: Block) -> None:
    """Find ``SOURCE / AGE / - SOURCE`` headers in either layout.

    Anchored on the separator (``-``, ``•``, ``–``, ``—``, ``·`` or ``|``, after white
    space): the text after it names the source, and the text before it must end with the
    same source and an age or date (``France 244 days ago`` is ``France 24`` + ``4 days
    ago`` because ``- France 24`` says so).
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
        age = _age_before(text, max(last_end, before_end - 60), before_end)
        if age is None:
            continue
        header = _match_header(text, age, last_end, m.end(), vocab)
        if header is not None:
            block.headers.append(header)
            last_end = header.end
    _find_unseparated_headers(block)


def _find_unseparated_headers(block: Block) -> None:
    """Headers with no separator line: ``Reuters / 3 hours ago / title``.

    With nothing printing the source again, the source must be one the profiles know,
    and the header must stand apart from prose: in line-broken text the source and the
    age are each a whole line and a title line follows; in flat text the source follows
    the block's start, a sentence end or furniture, and a capital (or a digit or a quote)
    opens the title after the age. ``…said 3 hours ago. Reuters…`` is prose: "said" is
    no source.
    """
    text = block.text
    vocab = block.ctx.vocab
    found: list[CardHeader] = []
    taken = [(h.start, h.end) for h in block.headers]
    t = 0
    ages = "\n".join([h.age for h in block.headers if h.age])
    words = ["ago"] + [w for w in _AGE_PREFIXES if w in ages]
    hits: list[tuple[int, str]] = []
    for word in words:
        if text.count(word) == ages.count(word):
            continue  # every one is in a header already found
        p = text.find(word)
        while p >= 0:
            hits.append((p, word))
            p = text.find(word, p + 1)
    hits.sort()
    for p, word in hits:
        while t < len(taken) and taken[t][1] <= p:
            t += 1
        if (t < len(taken) and taken[t][0] <= p) or (found and p < found[-1].end):
            continue
        if word == "ago":
            if text[p + 3 : p + 4].isalnum():
                continue
            age = _age_before(text, max(0, p - 60), p + 3)
        else:
            age = _AGE_AT.match(text, p)
        if age is None or age["date"] is not None:
            continue
        lo = max(taken[t - 1][1] if t else 0, found[-1].end if found else 0)
        header = _unseparated_header(text, age, lo, vocab)
        if header is not None:
            found.append(header)
    if found:
        block.headers.extend(found)
        block.headers.sort()


def _unseparated_header(
    text: str, age: regex.Match[str], lo: int, vocab: Vocabulary
) -> CardHeader | None:
    a, b = age.start(), age.end()
    label = _ICON_LABEL.search(text, max(lo, a - 8), a)
    head = label.start() if label is not None else a
    nl = text.find("\n", b, b + 200)
    after = text[b : nl if nl >= 0 else b + 200]
    if "\n" in text[max(lo, head - 1) : head]:
        # line-broken: the age is a line of its own, the source the line before
        if after.strip() or nl < 0 or _WORD.search(text, nl) is None:
            return None
        s_end = head - 1
        while s_end > lo and text[s_end - 1] in " \t\r":
            s_end -= 1
        s_start = text.rfind("\n", lo, s_end) + 1 or lo
        name = text[s_start:s_end].strip()
        if not name or vocab.source(name) is None:
            return None
        s_start = text.index(name, s_start)
        return _header(vocab, s_start, b, name, text[a:b], age)
    # flat: SOURCE AGE Title, after a sentence end or furniture
    nxt = after.lstrip()[:1]
    if not after[:1].isspace() or not (nxt.isupper() or nxt.isdigit() or nxt in "\"'‘“"):
        return None
    base = max(lo, head - 80)
    before = text[base:head].rstrip()
    for w in [m.start() for m in _WORD.finditer(before)][-6:]:  # longest name first
        name = before[w:]
        if vocab.source(name) is None:
            continue
        prior = text[max(lo, base + w - 120) : base + w].rstrip()
        if not prior or prior[-1] in _SENTENCE_CLOSERS or _ends_with_furniture(prior, vocab):
            return _header(vocab, base + w, b, name, text[a:b], age)
    return None


def _match_header(
    text: str, age: regex.Match[str], lo: int, after: int, vocab: Vocabulary
) -> CardHeader | None:
    """The header whose age (or date) is ``age``, if the source before it is the source
    printed after the separator."""
    q = after
    while q < len(text) and text[q] != "\n" and text[q].isspace():
        q += 1
    start = age.start()
    # the source ends before the age, spaces and an icon label ("time") aside; or it is
    # glued to it and keeps a digit or two of it ("France 244 days ago"). A label glued
    # to the source too ("Reuterstime10 hours ago") may be part of its name ("Showtime"):
    # both ends are tried.
    end0 = start
    ends = []
    if text[start - 1 : start].isalpha() or text[start - 5 : start - 1].lower() == "time":
        label = _ICON_LABEL.search(text, max(lo, start - 8), start)
        if label is None:
            label = _GLUED_ICON_LABEL.search(text, max(lo, start - 8), start)
            if label is not None and label.start() > lo:
                ends.append(label.start())
        else:
            end0 = label.start()
    while end0 > lo and text[end0 - 1].isspace():
        end0 -= 1
    ends.append(end0)
    if text[start : start + 1].isdigit():
        ends += [start + k for k in (1, 2) if text[start + k : start + k + 1].isdigit()]
    # Line-broken: the whole line names the source. Flat: the longest run of words after
    # the separator that the text before the age also ends with. (A source name is short:
    # look no further than 120 characters, whatever the line's length.) Names keep the
    # white space they are printed with ("France\u00a024").
    line_end = text.find("\n", q, q + 120)
    line = text[q : line_end if line_end >= 0 else q + 120].rstrip()
    words = line.split(None, 6)
    if line_end >= 0 and 1 < len(words) <= 6:
        found = _source_at(text, line, ends, lo, start, age)
        if found is not None:
            return _header(vocab, found[0], q + len(line), line, found[1], age)
    names = []
    w_end = 0
    for w in words[:6]:
        w_end = line.find(w, w_end) + len(w)
        names.append(line[:w_end])
    for name in reversed(names):
        found = _source_at(text, name, ends, lo, start, age)
        if found is not None:
            return _header(vocab, found[0], q + len(name), name, found[1], age)
    # the source printed by another of its names ("Deutsche Welle / 1 día / • DW")
    for name in reversed(names):
        src = vocab.source(name)
        if src is not None:
            found = _alias_at(text, src, ends, lo, start, age, vocab)
            if found is not None:
                return _header(vocab, found[0], q + len(name), name, found[1], age)
    return _unnamed_header(text, age, lo, q, line if line_end >= 0 else None, names, vocab)


def _unnamed_header(
    text: str,
    age: regex.Match[str],
    lo: int,
    q: int,
    line: str | None,
    names: list[str],
    vocab: Vocabulary,
) -> CardHeader | None:
    """A header with no source printed before its age (``time5 hours ago`` / ``- AP``).

    Only the separator names the source, so the age must stand alone: on a line of its
    own in line-broken text (the whole next line, after the separator, is the source;
    ``3 hours ago – officials said`` is prose), or in flat text after a sentence, a
    page's furniture or a rail item closed by its region tag (``27/07/2025 … from RSF
    Africa 10 hours ago - AP``),
    or with an icon label glued to the age (``time10 hours ago``), where the source must
    be one the profiles know.
    """
    if age["date"] is not None:  # "31/07/2025 - ..." is a stamp or a rail item, not a card
        return None
    head = age.start()
    label = _ICON_LABEL.search(text, max(lo, head - 8), head)
    if label is not None:
        head = label.start()
    before = text[lo:head].rstrip(" \t")
    alone = "\n" in text[age.end() : q]  # the separator starts the next line
    if line is not None and alone and (not before or before.endswith("\n")):
        if not line or len(line.split(None, 6)) > 6 or not line[0].isalnum():
            return None
        return _header(vocab, head, q + len(line), line, text[age.start() : age.end()], age)
    glued = label is not None and head + 4 == age.start()  # "time10 hours ago"
    if (
        before
        and before[-1] not in ".!?\"'”…"
        and not glued
        and not _ends_with_furniture(before, vocab)
        and not _ends_with_rail_item(before, vocab)
    ):
        return None
    for name in reversed(names):
        if vocab.source(name) is not None:
            return _header(vocab, head, q + len(name), name, text[age.start() : age.end()], age)
    return None


def _source_at(
    text: str, name: str, ends: list[int], lo: int, start: int, age: regex.Match[str]
) -> tuple[int, str] | None:
    """(where the source starts, the age as printed) if ``name`` ends at one of ``ends``."""
    for end in ends:
        begin = end - len(name)
        if begin >= lo and text.startswith(name, begin) and not text[begin - 1 : begin].isalnum():
            age_text = text[max(end, start) : age.end()].strip()
            if end <= start or regex.match(dates.AGE, age_text):
                return begin, age_text
    return None


def _alias_at(
    text: str,
    src: Source,
    ends: list[int],
    lo: int,
    start: int,
    age: regex.Match[str],
    vocab: Vocabulary,
) -> tuple[int, str] | None:
    """(where the source starts, the age as printed) if a name of ``src`` (any alias)
    ends at one of ``ends``: the longest such name, within one line."""
    for end in ends:
        seg_lo = max(lo, end - 60, text.rfind("\n", lo, end) + 1)
        for w in _WORD.finditer(text, seg_lo, end):
            begin = w.start()
            known = vocab.source(text[begin:end])
            if known is None or known.name != src.name or text[begin - 1 : begin].isalnum():
                continue
            age_text = text[max(end, start) : age.end()].strip()
            if end <= start or regex.match(dates.AGE, age_text):
                return begin, age_text
    return None


def _ends_with_rail_item(text: str, vocab: Vocabulary) -> bool:
    """Whether ``text`` ends with a rail item whose tag closes it: a numeric date, a
    headline (no sentence ends inside) and a known region tag (``27/07/2025 Sudan army
    says it retook key town from RSF Africa``). Prose that merely ends with a tag word
    ("… across Europe") has no date just before."""
    words = text[-40:].split()
    for tag_words, _tag in vocab.tags_by_last_word.get(words[-1], ()) if words else ():
        if tuple(words[-len(tag_words) :]) != tag_words:
            continue
        tag_start = len(text)
        for w in reversed(tag_words):
            tag_start = text.rindex(w, 0, tag_start)
        date = _RAIL_DATE.search(text, max(0, tag_start - 400), tag_start)
        if date is None:
            return False
        headline = collapse(text[date.end() : tag_start])
        if not headline or headline.count(" ") >= MAX_HEADLINE_WORDS:
            return False
        return all(m.end() == len(headline) for m in SENTENCE_END.finditer(headline))
    return False


def _ends_with_furniture(text: str, vocab: Vocabulary) -> bool:
    tail = text[-vocab.furniture_longest :].casefold()
    return any(
        tail.endswith(f.casefold()) and not tail[-len(f) - 1 : -len(f)].isalnum()
        for f in vocab.furniture
    )


def _header(
    vocab: Vocabulary, begin: int, end: int, name: str, printed: str, age: regex.Match[str]
) -> CardHeader:
    dated = age["date"] is not None
    return CardHeader(
        start=begin,
        end=end,
        source=vocab.canonical_source(name),
        age=None if dated else collapse(printed),
        date_raw=printed if dated else None,
    )


# --------------------------------------------------------------------------- step 5


def read_cards(block: Block) -> None:
    """Each card: its title (printed once or more), then a prose summary or a rail."""
    text = block.text
    for f, frame in enumerate(block.frames):
        h = frame.header
        if h is None:
            continue
        rail = block.rails[f]
        brk = block.page_breaks.get(f)
        teaser_rail = bool(rail) and brk is None
        teaser_end = brk if brk is not None else rail[0].span[0] - block.base if rail else frame.hi
        duration = None
        title_end = teaser_end
        if teaser_rail:
            m = TRAILING_DURATION.search(text, h.end, teaser_end)
            if m is not None:
                duration = m[1]
                title_end = m.start(1)
        title, summary, end, flags = _card_text(
            block, h.end, title_end, has_rail=teaser_rail, line_broken="\n" in text[h.start : h.end]
        )
        if duration is not None:
            end = title_end + len(duration)
        if not title:
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
        if delta is not None and ctx.now - dt.datetime.min.replace(tzinfo=dt.UTC) > delta:
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


def _card_text(
    block: Block, a: int, b: int, *, has_rail: bool, line_broken: bool
) -> tuple[str | None, str | None, int, tuple[str, ...]]:
    """Title, summary, end offset and flags of the card text in text[a:b].

    Under a line-broken header, a card of one line is its title, whatever headline the
    page prints elsewhere.
    """
    text = block.text
    vocab = block.ctx.vocab
    lines = [(s, t) for s, t in nonblank_lines(text, a, b) if not vocab.is_furniture(text[s:t])]
    if not lines:
        return None, None, a, ()
    if len(lines) == 1:
        s, t = lines[0]
        return _flat_card_text(block, s, t, has_rail=has_rail or line_broken)
    # line-broken: the title is the first line; repeats of it are skipped
    s, t = lines[0]
    title = collapse(text[s:t])
    end = t
    rest: list[tuple[int, int]] = []
    for s2, t2 in lines[1:]:
        line = collapse(text[s2:t2])
        if not rest and (line == title or _truncated_copy(line, title)):
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

    In order: the title printed twice or more (``Title Title Teaser``); with a rail teaser,
    everything before the rail; a headline the page prints elsewhere; otherwise the best
    boundary by :func:`_title_boundary`, flagged ``boundary_guessed``.
    """
    text = block.text
    vocab = block.ctx.vocab
    raw = text[s:t]
    c = _strip_furniture_tail(collapse(raw), vocab)
    n = c.count(" ") + 1
    # the title is c[:title_end]; the teaser starts at c[rest:]
    title_end, rest = repeated_title(c, MAX_HEADLINE_WORDS)
    if not title_end:
        title_end, rest = _truncated_repeat(c)
    flags: tuple[str, ...] = ()
    if not title_end and has_rail:
        title_end = rest = len(c)  # a rail teaser: all before it is the title
    if not title_end and (block.known() or block.memory or block.choices):
        title_end = rest = _known_title(block, c)
    if not title_end:
        if n <= MAX_HEADLINE_WORDS and SENTENCE_END.search(c) is None:
            title_end = rest = len(c)
        else:
            words = c.split(" ")
            k = _title_boundary(words, vocab)
            title_end = rest = len(" ".join(words[:k]))
            flags = (BOUNDARY_GUESSED,)
    title = c[:title_end]
    summary = c[rest:].lstrip() or None
    used = c if summary else c[:rest]
    end = len(used) if raw.startswith(used) else original_length(raw, used)
    return title, summary, s + end, flags


_ELLIPSES = ("…", "...")


def _truncated_copy(line: str, title: str) -> bool:
    """Whether ``line`` is ``title`` cut short and closed by an ellipsis ("Thailand and
    Cambodia agree ceasefire after…"): three words or more of it, as printed."""
    for ellipsis in _ELLIPSES:
        if line.endswith(ellipsis):
            stem = line[: -len(ellipsis)].rstrip()
            return stem.count(" ") >= 2 and len(stem) < len(title) and title.startswith(stem)
    return False


def _truncated_repeat(c: str) -> tuple[int, int]:
    """A title followed by a copy of it cut short (``Title Tit…``) at the start of ``c``:
    (end of the title, end of the copy), or (0, 0). The title has at most
    ``MAX_HEADLINE_WORDS`` words, so the copy ends within twice their length."""
    words = c.split(" ", MAX_HEADLINE_WORDS)
    if len(words) < 4:
        return 0, 0  # no title with a copy of three words or more
    limit = 2 * len(" ".join(words[:-1])) + 4
    for ellipsis in _ELLIPSES:
        e = c.find(ellipsis, 0, limit)
        while e > 0:
            end = e + len(ellipsis)
            if c[end : end + 1] in ("", " "):
                p = c.find(" ")
                while 0 < p < e:
                    if _truncated_copy(c[p + 1 : end], c[:p]):
                        return p, end
                    p = c.find(" ", p + 1)
            e = c.find(ellipsis, e + 1, limit)
    return 0, 0


def _known_title(block: Block, c: str) -> int:
    """The longest start of ``c`` the page prints elsewhere as a headline, where a capital
    opens what follows (a teaser's first word); 0 if none.

    A flat rail item whose tag word was a choice prints its headline one of two ways
    (``… electricity`` tagged ``Europe``, or ``… electricity Europe``): either reading is
    evidence here, since the card's own text says which one it prints.
    """
    readings = _choice_readings(block)
    best = 0
    p = c.find(" ")
    words = 1
    while p > 0 and words < MAX_HEADLINE_WORDS:
        nxt = c[p + 1 : p + 2]
        if (nxt.isupper() or nxt in "'\"‘“") and words >= 2:
            head = c[:p]
            if block.is_known(head) or head in readings:
                best = p
        p = c.find(" ", p + 1)
        words += 1
    if words < MAX_HEADLINE_WORDS and p < 0 and (block.is_known(c) or c in readings):
        best = len(c)
    return best


def _choice_readings(block: Block) -> set[str]:
    """Both readings of each flat rail item whose end was a choice (see ``Block.choices``)."""
    readings: set[str] = set()
    for f, i, (headline, _region) in block.choices:
        readings.add(headline)
        readings.add(block.rails[f][i].headline)
    return readings


def _strip_furniture_tail(c: str, vocab: Vocabulary) -> str:
    """``c`` without the furniture phrases it ends with (only the phrases whose last word
    is ``c``'s are tried: most texts end with none)."""
    changed = True
    while changed and c:
        changed = False
        for phrase in vocab.furniture_by_last_word.get(c[c.rfind(" ") + 1 :], ()):
            if c.endswith(phrase) and (len(c) == len(phrase) or c[-len(phrase) - 1] == " "):
                c = c[: -len(phrase)].rstrip()
                changed = True
                break
    return c


def _title_boundary(words: list[str], vocab: Vocabulary) -> int:
    """Where a flat card's title ends and its prose teaser begins (a documented heuristic).

    Candidates are word boundaries inside the first sentence where the teaser could start:

    - a capitalised word (or a quote) after a word that could end a headline (not a
      function word, no trailing comma or colon), unless it is a number's unit or symbol
      ("78 GW", "3 US citizens");
    - a plain number ("3 people died", "2025 has been…") after a word that could end a
      headline and is no number, once the title has 5 words or more (a number after a
      shorter start is the headline's own: "Typhoon kills 14 and injures 230"). A number
      followed by its unit ("78 GW mercredi", "5 million euros") goes on with the
      sentence it is in: -2, so an earlier capital that opens the teaser beats it.

    Each is scored: +3 when the next word usually starts a sentence ("The", "In", "A"...);
    +2 when a lowercase word is followed by a capital (a case change; a number before
    the capital is none); +2 when the word
    after the candidate is a lowercase word that is no function word (a sentence opens
    "Vatican officials said", "Temperatures passed", not "Zelensky at"); +1 when a
    capitalised candidate names what the title names (a teaser often opens with the
    title's subject: "Why Spain's economy is outpacing Germany | Spain grew…"); -1 for
    each word the title would have outside 5-16 words. The best score wins; ties go to
    the earlier boundary ("…disappoint Wall | Street closed…" stays undecided and takes
    "Wall"). With no candidate the first sentence is taken as the title.
    """
    n = len(words)
    first_end = n
    for i, w in enumerate(words):
        if i >= 2 and w.endswith((".", "!", "?")) and not w.endswith("..."):
            first_end = i + 1
            break
    named: dict[str, int] = {}  # capitalised word -> where first seen
    for i, w in enumerate(words[:first_end]):
        if is_capitalised(w):
            named.setdefault(_name(w), i)
    best, best_score = 0, -1e9
    for i in range(2, min(first_end, MAX_HEADLINE_WORDS)):
        prev, nxt = words[i - 1], words[i]
        if prev.endswith((",", ";", ":", "-", "–")) or bare(prev) in vocab.function_words:
            continue
        score = 0.0
        after = words[i + 1] if i + 1 < first_end else ""
        if is_capitalised(nxt) or nxt[:1] in "\"'“‘":
            if prev[-1:].isdigit() and _is_unit(nxt):
                continue  # "78 GW", "3 US citizens": the number's unit or noun
            if bare(nxt) in vocab.sentence_starters:
                score += 3
            if prev.lstrip("\"'“‘(")[:1].islower():  # a case change, not after a number
                score += 2
        elif _NUMBER.fullmatch(nxt) and i >= 5 and not prev[-1:].isdigit():
            if _is_unit(after):
                score -= 2  # "78 GW mercredi": the number goes on the sentence it is in
        else:
            continue
        if after[:1].islower() and bare(after) not in vocab.function_words:
            score += 2
        if is_capitalised(nxt) and named.get(_name(nxt), i) < i:
            score += 1
        if i < 5:
            score -= 5 - i
        elif i > 16:
            score -= i - 16
        if score > best_score:
            best, best_score = i, score
    return best or min(first_end, n)
