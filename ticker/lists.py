"""Dated lists beyond France 24 rails: any date or time form, before or after the headline.

Pages print a list's stamp (``19 January 2026``, ``Europe • 10:44 AM``, ``17.02.2019 /
10:46``, ``Sports07:05``, ``Wed, 11 Feb 2026 09:39:16 GMT``...) either above each headline
(stamp first) or under it (stamp after), sometimes with a section label above the
headline and a teaser below that ends in "Read the article". :func:`read_lists` reads
such lists in the frames the France 24 rail reader left alone (no ``DD/MM/YYYY`` rail, no
card header):

1. find the stamps (:mod:`ticker.stamps`) that stand where a list puts them, not in prose
   ("met on July 30", "July 30, the minister...");
2. line-broken text: classify each line (stamp, stamp + headline, label, kicker, reading
   time, "Read the article", furniture, text) and pair stamps with headlines; flat text
   (a line holding several stamps): the text between two stamps holds one item's parts;
3. decide the orientation from the evidence: a label before "•" with the time, reading
   times and teasers, which end of the list has text left over;
4. resolve every stamp under the block's day/month order and the reference time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import NamedTuple

import regex

from . import dates, stamps
from .block import MAX_HEADLINE_WORDS, SENTENCE_END, Block, Frame, profile_order
from .model import (
    AGE_RESOLVED,
    BOUNDARY_GUESSED,
    DATE_INFERRED,
    ORDER_INFERRED,
    TZ_ASSUMED,
    YEAR_INFERRED,
    Record,
)
from .profiles import Vocabulary
from .rails import split_inline
from .stamps import READING_TIME, Stamp
from .text import collapse, is_capitalised, nonblank_lines, original_length


class _Line(NamedTuple):
    start: int
    end: int
    kind: str  # S stamp, SH stamp+headline, L label, K kicker, R reading time,
    #           T teaser end, F furniture, X text
    stamp: Stamp | None = None
    label: str | None = None  # label printed with the stamp ("Europe •", "Sports07:05")
    rest: tuple[int, int] | None = None  # the headline after an SH stamp


class _Item(NamedTuple):
    stamp: Stamp
    headline: str
    start: int
    end: int
    region: str | None = None
    kicker: str | None = None
    summary: str | None = None
    flags: tuple[str, ...] = ()


def read_lists(block: Block) -> None:
    """Read the stamped lists of every frame without a rail or a card header."""
    for f, frame in enumerate(block.frames):
        if frame.header is None and not frame.dates:
            items = _frame_items(block, frame)
            if items:
                block.rails[f] = _records(block, items)


def _frame_items(block: Block, frame: Frame) -> list[_Item]:
    text, vocab = block.text, block.ctx.vocab
    found = [
        s
        for s in _with_prefixes(
            text, _weekdays(text, stamps.find(text, vocab, frame.lo, frame.hi), vocab), vocab
        )
        if _where_lists_put_it(text, s, vocab)
    ]
    if not found:
        found = _ages(text, frame.lo, frame.hi)
    if not found:
        return []
    found = _consistent(text, found, frame.lo, frame.hi, vocab)
    items: list[_Item] = []
    lines: list[_Line] = []
    pending = iter(found)
    stamp = next(pending, None)
    for s, t in nonblank_lines(text, frame.lo, frame.hi):
        on_line: list[Stamp] = []
        while stamp is not None and stamp.start < t:
            if stamp.start >= s:
                on_line.append(stamp)
            stamp = next(pending, None)
        if len(on_line) >= 2:
            items += _flat_items(block, s, t, on_line)
            lines.append(_Line(s, t, "F"))  # read: nothing more to pair on this line
        else:
            lines.append(_classify(text, s, t, on_line[0] if on_line else None, vocab))
    items += _line_items(block, lines)
    items.sort(key=lambda i: i.start)
    return items


def _ages(text: str, lo: int, hi: int) -> list[Stamp]:
    """A list dated by relative ages ("2 hours ago", "hace 5 horas", "Europe • 2 hours
    ago"), as stamps, two at least: ages that say they are ages ("ago", "hace", "il y a",
    "vor"), and others ("yesterday", "1 día") where a list puts its stamps: alone on their
    line (after a label and a bullet at most), or, in flat text, between two explicit
    ones, right before the next headline's capital or at the text's end."""
    found: list[tuple[Stamp, bool, bool]] = []
    for m in dates.AGE.finditer(text, lo, hi):
        a, b = m.span()
        a = _age_start(text, a, b)
        if (a > 0 and text[a - 1].isalnum()) or (b < len(text) and text[b].isalnum()):
            continue
        printed = collapse(text[a:b])
        if dates.age_delta(printed) is None:
            continue
        explicit = printed.casefold().startswith(("hace ", "il y a", "vor ")) or bool(
            m.group("en") or m.group("de")
        )
        line_start = text.rfind("\n", 0, a) + 1
        line_end = text.find("\n", b)
        before = text[line_start:a].strip()
        after = text[b : len(text) if line_end < 0 else line_end].strip()
        if after[:1] in (".", ",", ";", ":") or after[:1].islower():
            continue  # prose: "the blast happened 2 hours ago, officials said"
        alone = not after and (not before or before.endswith(("•", "·")))
        where = alone or (bool(before) and (not after or is_capitalised(after)))
        stamp = Stamp(a, b, None, None, None, None, "", None, None, None, age=printed)
        found.append((stamp, explicit, alone or where))
    if not any(explicit for _, explicit, _ in found):
        return []  # "yesterday", "1 día" alone do not make a list
    kept = [s for s, explicit, where in found if explicit or where]
    return kept if len(kept) >= 2 else []


def _age_start(text: str, a: int, b: int) -> int:
    """Where an age printed in ``text[a:b]`` starts: on its own line ("... after 80 years"
    / "5 hours ago"), and without a leading amount of a unit no age pairs with the next
    ("after 80 years 5 hours ago": "1 hour 7 min ago" pairs, "80 years 5 hours" does not)."""
    nl = text.rfind("\n", a, b)
    if nl >= 0:
        a = nl + 1 + len(text[nl + 1 : b]) - len(text[nl + 1 : b].lstrip())
    parts = list(_AGE_PART.finditer(text, a, b))
    for first, second in itertools.pairwise(parts):
        big = dates.age_delta(f"1 {first.group(2)} ago")
        small = dates.age_delta(f"1 {second.group(2)} ago")
        if big is not None and small is not None and big > 60 * small:
            a = second.start()
    return a


#: one amount and unit of an age ("80 years", "5 hours")
_AGE_PART = regex.compile(r"(\d+|an?|one)\s*([^\W\d]+)(?=\s)", regex.I)


def _weekdays(text: str, found: list[Stamp], vocab: Vocabulary) -> list[Stamp]:
    """Stamps with the weekday printed before them only where the list prints weekdays.

    A weekday after a function word ends a headline ("... early on Friday Jul 30 2025").
    One that starts a line (or the text) or has a comma after it ("Mittwoch, 30. Juli
    2025") is the stamp's, and so is every weekday of a list whose stamps all carry one.
    Otherwise (flat text) a weekday that is not its date's ("... en Occitanie samedi 31
    juillet 2025": a Thursday) ends the headline before it, and so does every undecided
    one when the page shows headlines ending in weekdays ("Markets closed Monday Jul 28
    2025" after "... on Sunday Jul 31 2025"); else it is the stamp's."""
    decided: list[Stamp | None] = []
    for s in found:
        if s.bare_start is None:
            decided.append(s)
            continue
        before = text[max(0, s.start - 24) : s.start].split()
        line_start = text.rfind("\n", 0, s.start) + 1
        if before and before[-1].casefold() in vocab.function_words:
            decided.append(_bare(s))
        elif not text[line_start : s.start].strip() or "," in text[s.start : s.bare_start]:
            decided.append(s)
        elif stamps.weekday_agrees(text[s.start : s.bare_start], s) is False:
            decided.append(_bare(s))
        else:
            decided.append(None)
    listed = [d for d in decided if d is None or _where_lists_put_it(text, d, vocab)]
    if all(d is None or d.bare_start is not None for d in listed):
        return found  # the list prints a weekday before every stamp (prose aside)
    # headlines seen to end in a weekday (prose aside)
    ends = any(d not in (s, None) and d in listed for d, s in zip(decided, found, strict=True))
    return [
        d if d is not None else _bare(s) if ends else s for s, d in zip(found, decided, strict=True)
    ]


def _bare(s: Stamp) -> Stamp:
    assert s.bare_start is not None
    return s._replace(start=s.bare_start, bare_start=None)


#: A weekday abbreviation the vocabulary may not know: "Fr.,", "jeu.", "vie,", "mié,"
_ABBREVIATION = regex.compile(r"[^\W\d]{2,4}(?:\.,?|,)")


def _with_prefixes(text: str, found: list[Stamp], vocab: Vocabulary) -> list[Stamp]:
    """Stamps with the words a list prints before each of them ("Updated 1 August 2025",
    "Publié le 01/08/2025 à 10h12", "Posted on Jul 31, 2025", "Fr., 01.08.2025"): one or
    two words on the stamp's line, the same before most stamps of the list (or, for
    weekday abbreviations, the same shape), are part of the stamp. One-off words before a
    date ("met on July 30") are not: prose does not repeat itself before every date."""
    if len(found) < 2:
        return found
    candidates: list[list[tuple[str, int]]] = []
    alone: list[int | None] = []  # where the words before a stamp start, if they start a line
    counts: dict[str, int] = {}
    for s in found:
        window = text[max(0, s.start - 40) : s.start]
        nl = window.rfind("\n")
        window = window[nl + 1 :]
        words = window.split()
        if window[-1:].isalnum():
            words = []  # glued to the stamp ("Sports07:05"): a label's business
        options: list[tuple[str, int]] = []
        for n in (2, 1):
            if len(words) < n:
                continue
            phrase = words[-n:]
            if not _prefix_words(phrase, vocab):
                continue
            key = " ".join(phrase).casefold()
            if n == 1 and _ABBREVIATION.fullmatch(phrase[0]):
                key = "<abbreviation>"
            options.append((key, s.start - len(window) + window.rfind(phrase[0])))
        candidates.append(options)
        starts_line = nl >= 0 or s.start - len(window) == 0
        # a line's first words ("Mis à jour le 31/07/2025"): the line break shows where
        # the prefix starts, so it may be longer than two words
        whole = starts_line and 1 <= len(words) <= 4 and _prefix_words(words, vocab)
        alone.append(s.start - len(window) + window.find(words[0]) if whole else None)
        for key in {k for k, _ in options}:
            counts[key] = counts.get(key, 0) + 1
    chosen = [next((at for k, at in c if counts[k] >= 2), None) for c in candidates]
    if sum(1 for at in chosen if at is not None) * 2 <= len(found):
        return found
    # once the list shows its prefixes, one printed alone before a stamp on its line is one
    # too ("Updated 1 August 2025" over "Published 31 July 2025", "Published 30 July 2025")
    chosen = [at if at is not None else a for at, a in zip(chosen, alone, strict=True)]
    return [s if at is None else s._replace(start=at) for s, at in zip(found, chosen, strict=True)]


def _prefix_words(words: list[str], vocab: Vocabulary) -> bool:
    """Words that may stand before a stamp: letters only, not all function words, not a
    label or tag (a label before a stamp is a region)."""
    if not all(any(c.isalpha() for c in w) and not any(c.isdigit() for c in w) for w in words):
        return False
    if all(w.casefold() in vocab.function_words for w in words):
        return False
    if any(c in "•·|" for w in words for c in w):
        return False
    if words[-1].rstrip(".,") in vocab.weekdays:
        return False  # a weekday the vocabulary knows: see _weekdays
    phrase = " ".join(words)
    return not (_is_label(phrase, vocab) or _is_label(phrase.rstrip(".,:"), vocab))


def _consistent(text: str, found: list[Stamp], lo: int, hi: int, vocab: Vocabulary) -> list[Stamp]:
    """A list prints its stamps alike: where most carry a date, a bare clock time is part
    of a headline ("trains cut between 6:00 and 9:00"); where most carry a year, a date
    without one is too ("from 14.08."), unless it stands where the list's stamps stand: a
    date of the same form alone on its line as they are ("Jul 29" under the last headline
    of a list of "31 July 2025"), or, in flat text, at the end of a list whose stamps
    follow their headlines (page furniture after it aside), or at the start of one whose
    stamps lead them."""
    dated = [s for s in found if s.has_date]
    if len(dated) * 2 > len(found):
        found = dated
        with_year = [s for s in found if s.year is not None]
        if len(with_year) * 2 > len(found):
            forms = {s.numeric for s in with_year}
            places = {_place(text, s) for s in with_year} - {(False, False)}
            first, last = found[0], found[-1]
            tail = collapse(text[last.end : hi])
            flat_end = (
                bool(text[lo : first.start].strip())
                and not tail[: _footer_cut(tail, vocab, at_start=True)].strip()
            )
            flat_start = bool(text[last.end : hi].strip()) and not text[lo : first.start].strip()

            def where_listed(s: Stamp) -> bool:
                return s.numeric in forms and (
                    _place(text, s) in places
                    or (s is last and flat_end)
                    or (s is first and flat_start)
                )

            found = [s for s in found if s.year is not None or where_listed(s)]
    return found


def _place(text: str, s: Stamp) -> tuple[bool, bool]:
    """Whether a stamp starts its line and whether it ends it."""
    line_start = text.rfind("\n", 0, s.start) + 1
    line_end = text.find("\n", s.end)
    after = text[s.end : len(text) if line_end < 0 else line_end]
    return not text[line_start : s.start].strip(), not after.strip()


def _where_lists_put_it(text: str, s: Stamp, vocab: Vocabulary) -> bool:
    """A stamp in prose ("met on July 30", "July 30, the day...") is not a list stamp."""
    # where the stamp's line starts, if that is near (a stamp far into a long line is not
    # at a line's start; looking no further keeps long lines linear)
    near = max(0, s.start - 200)
    line_start = text.rfind("\n", near, s.start) + 1 or (0 if near == 0 else near - 1)
    before = text[max(line_start, s.start - 24) : s.start].split()
    full = s.year is not None and s.hour is not None  # "31.07.2025 / 18:03": never prose
    if before and before[-1].casefold() in vocab.function_words and not full:
        return False
    after = text[s.end : s.end + 3]
    if after[:1] == ",":
        return False
    if s.year is None and s.month is None and s.a is not None:
        # a yearless numeric date (24/12) only where a stamp stands: a line's start, or
        # right before a headline's capital ("24/7 coverage" is not one)
        at_start = line_start >= near and not text[line_start : s.start].strip()
        return at_start or (after[:1] == " " and (after[1:2].isupper() or after[1:2] in "'\"‘“"))
    return not (after[:1] == " " and after[1:2].islower())


def _classify(text: str, s: int, t: int, stamp: Stamp | None, vocab: Vocabulary) -> _Line:
    line = collapse(text[s:t])
    if stamp is None:
        if READING_TIME.fullmatch(line):
            return _Line(s, t, "R")
        if line in vocab.terminators:
            return _Line(s, t, "T")
        if vocab.is_furniture(line) or _is_footer(line):
            return _Line(s, t, "F")
        if _is_label(line, vocab):
            return _Line(s, t, "L")
        if line in vocab.kickers:
            return _Line(s, t, "K")
        return _Line(s, t, "X")
    prefix = collapse(text[s : stamp.start])
    suffix = collapse(text[stamp.end : t])
    label = prefix.rstrip("•·|").strip() or None
    if label is not None and not _is_label(label, vocab) and prefix == label:
        return _Line(s, t, "X")  # text before the stamp that is not a label: prose or a title
    if not suffix or READING_TIME.fullmatch(suffix):
        return _Line(s, t, "S", stamp, label)
    if len(suffix.split()) > MAX_HEADLINE_WORDS or label is not None:
        return _Line(s, t, "X")
    rest_start = stamp.end + len(text[stamp.end : t]) - len(text[stamp.end : t].lstrip())
    return _Line(s, t, "SH", stamp, None, (rest_start, t))


#: Page furniture no vocabulary can list: pagination ("Page 2 of 10", "Seite 1 von 25")
#: and copyright lines ("© 2025 Northern Post. All rights reserved.")
_PAGINATION = r"(?:Page|Seite|Página|Pagina|Pág\.)\s+\d+\s+(?:of|von|de|sur|di)\s+\d+(?!\w)"
_COPYRIGHT = r"(?:©|(?:\(c\)|Copyright)\s*(?:©\s*)?(?=\d{4}\b))"
_FOOTER_LINE = regex.compile(rf"{_PAGINATION}|{_COPYRIGHT}.*", regex.I)
_FOOTER_AT = regex.compile(rf"(?<!\w)(?:{_PAGINATION}|{_COPYRIGHT})", regex.I)


def _is_footer(line: str) -> bool:
    """A pagination or copyright line."""
    return _FOOTER_LINE.fullmatch(line) is not None


def _is_label(text: str, vocab: Vocabulary) -> bool:
    """A region tag, a section label, or a short label in capitals ("POLITICS")."""
    if vocab.is_label(text):
        return True
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 24 and len(text.split()) <= 3 and all(c.isupper() for c in letters)


def _headline_score(text: str) -> int:
    """How much a left-over line reads like a headline: 0 not at all (one word, a
    sentence, page furniture), 1 barely (two words, mostly numbers: "Cookie settings",
    "Page 2 of 10"), 2 like one."""
    words = text.split()
    if (
        not 2 <= len(words) <= MAX_HEADLINE_WORDS
        or text.endswith(".")
        or not (is_capitalised(words[0]) or not words[0][:1].isalpha())
        or _is_footer(text)
    ):
        return 0
    digits = sum(1 for w in words if any(c.isdigit() for c in w))
    return 1 if len(words) == 2 or digits * 3 >= len(words) else 2


def _line_items(block: Block, lines: list[_Line]) -> list[_Item]:
    text, vocab = block.text, block.ctx.vocab
    items: list[_Item] = []
    for i, ln in enumerate(lines):
        if ln.kind == "SH" and ln.stamp is not None and ln.rest is not None:
            items.append(_stamp_first(text, lines, i, ln.stamp, ln.rest, vocab))
    marks = [i for i, ln in enumerate(lines) if ln.kind == "S"]
    if not marks:
        return items
    lines = _unknown_labels(text, lines, marks, vocab)
    if _stamp_after(text, lines, marks):
        items += _after_items(text, lines, marks, vocab)
        return items
    over = _labels_over_stamps(lines, marks)
    for i in marks:
        # the headline follows the stamp, perhaps after a section label ("09:52 / Monde")
        nxt = next((j for j in range(i + 1, len(lines)) if lines[j].kind in "SX"), None)
        if nxt is None or lines[nxt].kind != "X":
            continue
        stamp = lines[i].stamp
        assert stamp is not None
        labels = [ln for ln in lines[i + 1 : nxt] if ln.kind == "L"]
        start = lines[i].start
        if over and lines[i].label is None:  # "Politik" / "01.08.2025 / 10:12" / headline
            # (a stamp printed with its own label, "Sports11:40", has no label above it)
            p = _previous(lines, i)
            if p is not None and lines[p].kind == "L":
                labels, start = [lines[p]], lines[p].start
        above = collapse(text[labels[0].start : labels[0].end]) if labels else None
        head = (lines[nxt].start, lines[nxt].end)
        item = _stamp_first(text, lines, nxt, stamp, head, vocab, tags=not over)
        region = item.region or lines[i].label or above
        items.append(item._replace(start=start, region=region))
    return items


def _unknown_labels(
    text: str, lines: list[_Line], marks: list[int], vocab: Vocabulary
) -> list[_Line]:
    """Section labels the vocabulary does not know ("Panorama", "Ausland"): a short
    capitalised line standing right above every stamp of the list, with a headline
    between it and the stamp before (and a headline after every stamp), is a label."""
    if len(marks) < 2:
        return lines
    above: list[int] = []
    for n, i in enumerate(marks):
        p = _previous(lines, i)
        nxt = next((j for j in range(i + 1, len(lines)) if lines[j].kind != "F"), None)
        if p is None or lines[p].kind not in "LX" or nxt is None or lines[nxt].kind != "X":
            return lines
        if lines[p].kind == "X" and not _label_shaped(
            collapse(text[lines[p].start : lines[p].end]), vocab
        ):
            return lines
        if n and not any(ln.kind == "X" for ln in lines[marks[n - 1] + 1 : p]):
            return lines  # nothing between this line and the stamp before: a headline
        above.append(p)
    out = list(lines)
    for p in above:
        out[p] = out[p]._replace(kind="L")
    return out


def _label_shaped(phrase: str, vocab: Vocabulary) -> bool:
    """One or two capitalised words, letters only, that may be a section label."""
    words = phrase.split()
    return (
        1 <= len(words) <= 2
        and all(
            len(w) >= 2 and w[0].isupper() and all(c.isalpha() or c == "-" for c in w)
            for w in words
        )
        and not vocab.is_furniture(phrase)
        and phrase not in vocab.kickers
        and phrase.casefold() not in vocab.function_words
    )


def _previous(lines: list[_Line], i: int) -> int | None:
    """The line before line ``i``, furniture aside."""
    return next((k for k in range(i - 1, -1, -1) if lines[k].kind != "F"), None)


def _labels_over_stamps(lines: list[_Line], marks: list[int]) -> bool:
    """Do the section labels stand above the stamps rather than under the headlines? So
    the page says when a label comes before the first stamp and none after the last
    headline (the label under a headline is the France 24 style: tag after)."""
    p = _previous(lines, marks[0])
    if p is None or lines[p].kind != "L":
        return False
    last = marks[-1]
    head = next((j for j in range(last + 1, len(lines)) if lines[j].kind in "SX"), None)
    if head is None:
        return True
    after = next((j for j in range(head + 1, len(lines)) if lines[j].kind != "F"), None)
    return after is None or lines[after].kind != "L"


def _stamp_first(
    text: str,
    lines: list[_Line],
    i: int,
    stamp: Stamp,
    head: tuple[int, int],
    vocab: Vocabulary,
    *,
    tags: bool = True,
) -> _Item:
    """Headline on line i (or after the stamp on it), then kicker and (if ``tags``) tag
    lines."""
    headline = collapse(text[head[0] : head[1]])
    region = kicker = None
    end = head[1]
    for ln in lines[i + 1 :]:
        value = collapse(text[ln.start : ln.end])
        if ln.kind == "K" and kicker is None and region is None:
            kicker = value
        elif tags and ln.kind == "L" and region is None and vocab.is_label(value):
            region = value
        else:
            break
        end = ln.end
    return _Item(stamp, headline, stamp.start, end, region, kicker)


def _stamp_after(text: str, lines: list[_Line], marks: list[int]) -> bool:
    """Are the stamps printed under their headlines? Weigh what the page shows.

    Where reading times and "Read the article" stand says so (:func:`_ends_say`).
    Otherwise the list's ends decide: a headline is left over before the first stamp
    (stamps under) or after the last one (stamps above); when both ends have a line left
    over, the one that reads more like a headline is the list's, and only a tie goes to a
    label before a bullet
    ("Europe • 10:44 AM" is printed under the headline more often than above it)."""
    ends = _ends_say(lines, marks)
    if ends is not None:
        return ends
    before = [ln for ln in lines[: marks[0]] if ln.kind != "F"]
    after = [ln for ln in lines[marks[-1] + 1 :] if ln.kind != "F"]
    head_before = bool(before) and before[-1].kind == "X"
    head_after = bool(after) and after[0].kind == "X"
    if head_before != head_after:
        return head_before
    bullets = any(lines[i].label and _bulleted(text, lines[i]) for i in marks)
    if head_before and head_after:
        # one line is left over either way: the one that reads less like a headline
        first = _headline_score(collapse(text[before[-1].start : before[-1].end]))
        last = _headline_score(collapse(text[after[0].start : after[0].end]))
        if first != last:
            return first > last
    return bullets


def _ends_say(lines: list[_Line], marks: list[int]) -> bool | None:
    """Where the reading times and "Read the article" lines stand tells the orientation.

    Between two stamps, stamps under their headlines put the next headline after the
    last such line (stamp / "1 min" / teaser / "Read the article" / headline / stamp);
    stamps above put nothing after it (stamp / headline / "Read the article" / stamp).
    After the last stamp, such a line right after the stamp says "under" (no headline
    between); one after some text fits both (the teaser's end, or the headline's). None
    when the lines say nothing, or as much for one side as for the other."""
    under = above = 0
    for n, i in enumerate(marks):
        last = n + 1 == len(marks)
        segment = lines[i + 1 : len(lines) if last else marks[n + 1]]
        ends = [k for k, ln in enumerate(segment) if ln.kind in "RT"]
        if not ends:
            continue
        if last:
            if not any(ln.kind == "X" for ln in segment[: ends[0]]):
                under += 1
        elif any(ln.kind == "X" for ln in segment[ends[-1] + 1 :]):
            under += 1
        else:
            above += 1
    if under == above:
        return None
    return under > above


def _bulleted(text: str, ln: _Line) -> bool:
    """A stamp line whose label stands before a bullet ("Europe • 10:44 AM")."""
    assert ln.stamp is not None
    return any(b in text[ln.start : ln.stamp.start] for b in "•·")


def _after_items(text: str, lines: list[_Line], marks: list[int], vocab: Vocabulary) -> list[_Item]:
    items: list[_Item] = []
    heads: list[int] = []
    for i in marks:
        j = next((k for k in range(i - 1, -1, -1) if lines[k].kind not in "F"), None)
        heads.append(j if j is not None and lines[j].kind == "X" else -1)
    labelled = [h > 0 and lines[h - 1].kind == "L" for h in heads]
    heading = _heading_over_first(text, lines, heads, labelled, vocab)
    for n, i in enumerate(marks):
        h = heads[n]
        if h < 0:
            continue
        stamp = lines[i].stamp
        assert stamp is not None
        start = lines[h].start
        region = lines[i].label
        if labelled[n] and not (n == 0 and heading):
            region = region or collapse(text[lines[h - 1].start : lines[h - 1].end])
            start = lines[h - 1].start
        # the teaser: text lines after the stamp, up to the next headline or its label
        stop = heads[n + 1] if n + 1 < len(marks) and heads[n + 1] >= 0 else len(lines)
        if n + 1 < len(marks) and stop > 0 and lines[stop - 1].kind == "L":
            stop -= 1
        teaser: list[_Line] = []
        for ln in lines[i + 1 : stop]:
            if ln.kind == "T" or ln.kind == "S":
                break
            if ln.kind == "X":
                teaser.append(ln)
        summary = collapse(" ".join(text[ln.start : ln.end] for ln in teaser)) or None
        end = teaser[-1].end if teaser else lines[i].end
        headline = collapse(text[lines[h].start : lines[h].end])
        items.append(_Item(stamp, headline, start, end, region, None, summary))
    if len(items) >= 2 and items[-1].summary and not any(i.summary for i in items[:-1]):
        # text after the last stamp of a list without teasers: what the page prints next
        items[-1] = items[-1]._replace(summary=None, end=lines[marks[-1]].end)
    return items


def _heading_over_first(
    text: str, lines: list[_Line], heads: list[int], labelled: list[bool], vocab: Vocabulary
) -> bool:
    """Is the label line over the first headline of a stamp-after list the page's heading
    ("WORLD NEWS ARCHIVE")? So when it is one only by its capitals, not a label the
    vocabulary knows, and no other headline of the list has one: labels repeat."""
    if len(heads) < 2 or heads[0] < 1 or not labelled[0] or any(labelled[1:]):
        return False
    return not vocab.is_label(collapse(text[lines[heads[0] - 1].start : lines[heads[0] - 1].end]))


def _flat_items(block: Block, lo: int, hi: int, found: list[Stamp]) -> list[_Item]:
    """Several stamps on one line: the text between two stamps holds one item's parts."""
    text, vocab = block.text, block.ctx.vocab
    labels: list[str | None] = []
    starts: list[int] = []
    for s in found:
        label, start = _stamp_label(text, lo, s, vocab)
        labels.append(label)
        starts.append(start)
    # a list that prints "Label • time" under each headline: the one capitalised word
    # before a bullet is the label, known or not ("... 40% contained Travel • 9:20 AM")
    words = [_bullet_word(text, max(lo, s.start - 80), s.start) for s in found]
    if sum(1 for w in words if w is not None) >= 2:
        for k, w in enumerate(words):
            if labels[k] is None and w is not None:
                labels[k], starts[k] = text[w : found[k].start].rstrip(" \t\xa0•·"), w
    gaps = [(lo, starts[0])]
    gaps += [(found[k - 1].end, starts[k]) for k in range(1, len(found))]
    gaps.append((found[-1].end, hi))
    bulleted = any(
        text[starts[k] : found[k].start].rstrip().endswith(("•", "·")) for k in range(len(found))
    )
    ended = _flat_ends_say(text, gaps, vocab)
    if ended is None:
        ended = _flat_stamp_after(text, gaps, bulleted, vocab)
    if ended:
        return _flat_after(text, found, labels, gaps, vocab)
    leading = collapse(text[gaps[0][0] : gaps[0][1]])
    texts = [collapse(text[a:b]) for a, b in gaps[1:]]
    texts[-1], cut = _first_sentence(texts[-1], vocab)
    # a section label after each stamp ("09:52 Monde Séisme..."), if most items show one
    above = [_leading_label(c, vocab) for c in texts]
    labelled = sum(1 for label, _ in above if label) * 2 > len(found) > 1
    first = leading if leading and _is_label(leading, vocab) else _trailing_label(leading, vocab)[0]
    tails = [_trailing_label(c, vocab) for c in texts[:-1]]
    if not labelled and any(t is None for t, _ in tails):
        # labels the vocabulary does not know ("Panorama", "Ausland") before every stamp,
        # in a list that shows a known one too (a page title before the first stamp and
        # headlines ending in a capitalised noun are no such list)
        mixed = [
            t if t[0] else _unknown_trailing_label(c, vocab)
            for t, c in zip(tails, texts[:-1], strict=True)
        ]
        known = first is not None or any(t is not None for t, _ in tails)
        if known and all(t is not None for t, _ in mixed):
            first = first or (leading if _label_shaped(leading, vocab) else None)
            tails = mixed
    if not labelled and first is not None and sum(1 for t, r in tails if t and r) * 2 >= len(tails):
        # a section label above each stamp ("Politik 01.08.2025 / 10:12 Bundestag ...
        # Wirtschaft 01.08.2025 / 08:47 ..."): the text before the first stamp ends with
        # one, and so do most texts between two stamps: each is the next item's
        labels[0] = labels[0] or first
        starts[0] = text.rfind(first, lo, starts[0])
        for k, (label, rest) in enumerate(tails):
            if label is not None and rest:
                texts[k], labels[k + 1] = rest, labels[k + 1] or label
                starts[k + 1] = text.rfind(label, gaps[k + 1][0], gaps[k + 1][1])
    items: list[_Item] = []
    for k, s in enumerate(found):
        a, b = gaps[k + 1]
        label, c = above[k] if labelled else (None, texts[k])
        guessed = cut and k == len(found) - 1
        kept = texts[k]
        if k < len(found) - 1:
            # furniture between two lists ("... jobs data Previous entries Sun, 27/07/2025")
            at = _footer_cut(c, vocab)
            if at < len(c) and c[:at].strip():
                kept = kept[: len(kept) - len(c) + at].rstrip()
                c, guessed = c[:at].rstrip(), True
        if not c:
            continue
        headline, kicker, region, _, _, _, _ = split_inline(c, vocab, durations=False)
        raw = text[a:b]
        end = a + original_length(raw, kept)
        flags = (BOUNDARY_GUESSED,) if guessed else ()
        region = labels[k] or label or region
        items.append(_Item(s, headline, starts[k], end, region, kicker, flags=flags))
    return items


def _flat_stamp_after(
    text: str, gaps: list[tuple[int, int]], bulleted: bool, vocab: Vocabulary
) -> bool:
    """Are the stamps of a flat list printed after their headlines? As for line-broken
    lists (:func:`_stamp_after`), the end of the list with a headline left over says so
    (page furniture and footers after the list aside); when both ends have text left, the
    one that reads more like a headline; a tie goes to a label before a bullet."""
    leading = collapse(text[_after_preamble(text, *gaps[0], vocab) : gaps[0][1]])
    trailing = collapse(text[gaps[-1][0] : gaps[-1][1]])
    trailing = trailing[: _footer_cut(trailing, vocab, at_start=True)].rstrip()
    if bool(leading) != bool(trailing):
        return bool(leading)
    if leading and trailing:
        first = _headline_score(leading)
        last = _headline_score(_first_sentence(trailing, vocab)[0])
        if first != last:
            return first > last
    return bulleted


def _flat_ends_say(text: str, gaps: list[tuple[int, int]], vocab: Vocabulary) -> bool | None:
    """As :func:`_ends_say` for flat text: a gap between two stamps that has text after
    its last "Read the article" holds the next headline (stamps under); one that ends in
    it holds none (stamps above). After the last stamp, it says "under" only where it
    follows the stamp at once or after a reading time ("1 min Read the article")."""
    under = above = 0
    for k, (a, b) in enumerate(gaps[1:], start=1):
        gap = text[a:b]
        at = [(gap.find(t), gap.rfind(t) + len(t)) for t in vocab.terminators if t in gap]
        if not at:
            continue
        if k == len(gaps) - 1:
            first = min(i for i, _ in at)
            head = gap[:first].strip()
            if not head or READING_TIME.match(head):
                under += 1
        elif gap[max(j for _, j in at) :].strip():
            under += 1
        else:
            above += 1
    if under == above:
        return None
    return under > above


def _unknown_trailing_label(c: str, vocab: Vocabulary) -> tuple[str | None, str]:
    """A label the vocabulary does not know at the end of a flat text: its last word, if
    capitalised, after a headline that is not in title case (a headline in title case
    ends in a capital too)."""
    words = c.split(" ")
    if len(words) < 2 or not _label_shaped(words[-1], vocab):
        return None, c
    rest = words[:-1]
    if not any(w[:1].islower() and w.casefold() not in vocab.function_words for w in rest):
        return None, c
    return words[-1], " ".join(rest)


def _trailing_label(c: str, vocab: Vocabulary) -> tuple[str | None, str]:
    """A section label at the end of a flat text, and the text before it."""
    words = c.split(" ")
    for n in (3, 2, 1):
        if len(words) > n:
            candidate = " ".join(words[-n:])
            if _is_label(candidate, vocab):
                return candidate, " ".join(words[:-n])
    return None, c


def _flat_after(
    text: str,
    found: list[Stamp],
    labels: list[str | None],
    gaps: list[tuple[int, int]],
    vocab: Vocabulary,
) -> list[_Item]:
    """Stamps under their headlines: a gap is [the previous teaser, its end] [label] headline."""
    items: list[_Item] = []
    above: list[str | None] = []  # the label printed before each headline
    for k, s in enumerate(found):
        a, b = gaps[k]
        gap = text[a:b]
        end_at = max(((gap.rfind(t), len(t)) for t in vocab.terminators if t in gap), default=None)
        head_from = a
        if end_at is not None:
            if items:
                items[-1] = _with_teaser(text, items[-1], (a, a + end_at[0]))
            head_from = a + end_at[0] + end_at[1]
        if not items:
            head_from = _after_preamble(text, head_from, b, vocab)
            head_from = _after_heading(text, head_from, b)
        raw = text[head_from:b]
        label, head = _leading_label(collapse(raw), vocab)
        if not head:
            continue
        start = head_from + len(raw) - len(raw.lstrip())
        if label is not None and labels[k] is not None:
            # the stamp has its own label: the one above is not the item's region
            start = text.find(head.split(" ")[0], start)
        items.append(_Item(s, head, start, s.end, labels[k] or label))
        above.append(label if labels[k] is None else None)
    first = above[0] if items else None
    if len(items) >= 2 and first and not any(above[1:]) and not vocab.is_label(first):
        # a capitals line over the first headline only is the page's heading: labels repeat
        start = text.find(items[0].headline.split(" ")[0], items[0].start + len(first))
        items[0] = items[0]._replace(region=None, start=start)
    if items:
        a, b = gaps[-1]
        gap = text[a:b]
        cut = min((gap.find(t) for t in vocab.terminators if t in gap), default=len(gap))
        footer = _footer_cut(gap, vocab)
        # text after the last stamp is a teaser only where the list prints teasers
        teasers = len(items) == 1 or any(i.summary for i in items[:-1])
        if teasers and footer < cut and gap[:footer].strip():
            items[-1] = items[-1]._replace(flags=(BOUNDARY_GUESSED,))
        if teasers:
            items[-1] = _with_teaser(text, items[-1], (a, a + min(cut, footer)))
    return items


def _after_preamble(text: str, a: int, b: int, vocab: Vocabulary) -> int:
    """Where the first headline of a flat stamp-after list starts in ``text[a:b]``: after
    the page's furniture ("Most read", "Latest news") and after any prose (an article's
    title and sentences) printed before the list."""
    gap = text[a:b]
    folded = gap.casefold()
    cut = 0
    for phrase in vocab.furniture:
        at = folded.rfind(phrase.casefold())
        end = at + len(phrase)
        if at >= 0 and (at == 0 or not gap[at - 1].isalnum()) and gap[end : end + 1] in " \n":
            cut = max(cut, end)
    ends = [m.end() for m in SENTENCE_END.finditer(gap, cut)]
    if ends and len(gap[ends[-1] :].split()) >= 2:
        cut = ends[-1]
    return a + cut + len(gap[cut:]) - len(gap[cut:].lstrip())


def _after_heading(text: str, a: int, b: int) -> int:
    """Where the first headline of a flat stamp-after list starts in ``text[a:b]`` when a
    heading in capitals stands before it after text that is no headline's start ("for €1
    WORLD NEWS ARCHIVE Harbour cranes..."): after the heading."""
    lo = max(a, b - 300)  # a heading stands right before a headline: look no further back
    for m in _HEADING_RUN.finditer(text, lo, b):
        start, end = int(m.start()), int(m.end())
        before = text[a:start].strip() if lo == a else "long text"
        if before and _headline_score(before) == 0:
            return end + len(text[end:b]) - len(text[end:b].lstrip())
    return a


#: a heading in capitals (two or three words) before a capitalised word
_HEADING_RUN = regex.compile(r"(?<!\S)\p{Lu}{2,}(?:\s+\p{Lu}{2,}){1,2}(?=\s+\p{Lu})")


def _stamp_label(text: str, lo: int, s: Stamp, vocab: Vocabulary) -> tuple[str | None, int]:
    """A label printed with a stamp: glued before it ("Sports07:05") or before a "•"
    ("Europe • 10:44 AM"). Returns the label and where the printed unit starts."""
    j = s.start
    lo = max(lo, j - 80)  # a label is short: never look further back (long lines stay linear)
    k = j
    while k > lo and text[k - 1].isalpha():
        k -= 1
    if k < j:
        word = text[k:j]
        if _is_label(word, vocab) or is_capitalised(word):
            return word, k
    before = text[lo:j].rstrip()
    if before.endswith(("•", "·")):
        body = before[:-1].rstrip()
        words = body.split(" ")
        for n in (3, 2, 1):
            if len(words) > n:
                candidate = " ".join(words[-n:])
                if _is_label(candidate, vocab):
                    return candidate, lo + len(body) - len(candidate)
    return None, j


def _bullet_word(text: str, lo: int, hi: int) -> int | None:
    """Where the word before a bullet that ends ``text[lo:hi]`` starts, if it is one
    capitalised word ("Travel •")."""
    before = text[lo:hi].rstrip()
    if not before.endswith(("•", "·")):
        return None
    body = before[:-1].rstrip()
    word = body.rsplit(None, 1)[-1] if body.strip() else ""
    if not (word.isalpha() and is_capitalised(word)):
        return None
    return lo + len(body) - len(word)


def _with_teaser(text: str, item: _Item, span: tuple[int, int]) -> _Item:
    """The item with the teaser in ``span`` (reading time left out) as its summary."""
    raw = text[span[0] : span[1]]
    m = READING_TIME.match(raw.lstrip())
    skip = len(raw) - len(raw.lstrip()) + (m.end() if m else 0)
    teaser = collapse(raw[skip:])
    if not teaser:
        return item
    return item._replace(summary=teaser, end=span[0] + len(raw.rstrip()))


def _leading_label(c: str, vocab: Vocabulary) -> tuple[str | None, str]:
    """A section label printed before the headline in flat text ("POLITICS Budget vote")."""
    words = c.split(" ")
    for n in (3, 2, 1):
        if len(words) > n:
            candidate = " ".join(words[:n])
            if _is_label(candidate, vocab):
                return candidate, " ".join(words[n:])
    return None, c


def _first_sentence(c: str, vocab: Vocabulary) -> tuple[str, bool]:
    """The last item of a flat list runs on into what follows: cut at furniture or prose.
    Says whether anything was cut (the boundary is then a guess)."""
    cut = c[: _footer_cut(c, vocab)].rstrip()
    if len(cut.split()) > MAX_HEADLINE_WORDS:
        m = SENTENCE_END.search(cut)
        cut = cut[: m.start()] if m is not None else ""
    return cut, cut != c


def _footer_cut(c: str, vocab: Vocabulary, *, at_start: bool = False) -> int:
    """Where the page furniture after a flat list starts in ``c`` (``len(c)`` if it has
    none): a pagination or copyright footer, or a furniture phrase printed as whole words
    ("Tech Shares tumble" is not cut at "Share"). A phrase of one word cuts only where
    nothing but more furniture follows it ("... lahm Meistgelesen Seite 1 von 25", not
    "EU and UK agree Terms of exit"). The text's first word counts only ``at_start``."""
    found: list[tuple[int, int, bool]] = []  # (start, end, sure)
    m = _FOOTER_AT.search(c)
    if m is not None:
        found.append((m.start(), len(c), True))
    for phrase in vocab.furniture:
        i = c.find(phrase)
        while i >= 0:
            j = i + len(phrase)
            whole = (i == 0 or c[i - 1] == " ") and (j == len(c) or not c[j].isalnum())
            if whole and (i > 0 or at_start):
                found.append((i, j, " " in phrase))
                break
            i = c.find(phrase, j)
    found.sort()
    starts = {a for a, _, _ in found}
    for a, b, sure in found:
        rest = c[b:]
        before = c[:a].split()
        if before and before[-1].casefold() in vocab.function_words and not sure:
            continue  # the headline's own word ("... agree to Terms")
        if sure or not rest.strip() or b + len(rest) - len(rest.lstrip()) in starts:
            return a
    return len(c)


def _days_of_times(
    items: list[_Item], now: dt.datetime, zone: dt.tzinfo | None, fallback: dt.tzinfo
) -> dict[int, dt.date]:
    """The days of a list's bare clock times, by item index, when the list is newest first.

    The first time is the latest such moment at or before the reference; each later one
    is on the same day as the one before it, or the day before where the clock goes up
    (the list went back past midnight). A list whose times go up more often than that
    (once, or once in four items) is not in time order: each time is then read alone.
    """
    alone = [k for k, i in enumerate(items) if not i.stamp.has_date and i.stamp.hour is not None]
    if len(alone) < 2:
        return {}
    clocks = [(items[k].stamp.hour or 0, items[k].stamp.minute or 0) for k in alone]
    ups = sum(1 for a, b in itertools.pairwise(clocks) if b > a)
    if ups > max(1, len(clocks) // 4):
        return {}
    first = stamps.resolve(
        items[alone[0]].stamp, order="DMY", now=now, zone=zone, fallback_zone=fallback
    ).date
    if first is None:
        return {}
    days = {alone[0]: first}
    day = first
    for k, (a, b) in zip(alone[1:], itertools.pairwise(clocks), strict=True):
        if b > a:
            day -= dt.timedelta(days=1)
        days[k] = day
    return days


def _records(block: Block, items: list[_Item]) -> list[Record]:
    """Resolve each item's stamp and build its record."""
    ctx = block.ctx
    vocab = ctx.vocab
    source = block.lead_source
    profile = vocab.source(source)
    zone = profile.zone if profile else None
    numeric = [
        [(i.stamp.a or 0, i.stamp.b or 0, i.stamp.year) for i in items if i.stamp.b is not None]
    ]
    order = dates.decide_order(numeric) if numeric[0] else None
    inferred = order is None and any(
        i.stamp.b is not None and (i.stamp.a or 0) <= 12 and i.stamp.b <= 12 for i in items
    )
    order = order or profile_order(vocab, source)
    days = _days_of_times(items, ctx.now, zone, ctx.tz)
    out: list[Record] = []
    for k, item in enumerate(items):
        r = stamps.resolve(
            item.stamp,
            order=order,
            now=ctx.now,
            zone=zone,
            fallback_zone=ctx.tz,
            day=days.get(k),
        )
        flags: tuple[str, ...] = item.flags
        if r.year_inferred:
            flags += (YEAR_INFERRED,)
        if inferred and item.stamp.b is not None:
            flags += (ORDER_INFERRED,)
        published = r.published
        if item.stamp.age is not None:
            delta = dates.age_delta(item.stamp.age)
            if delta is not None and ctx.now - dt.datetime.min.replace(tzinfo=dt.UTC) > delta:
                published = ctx.now - delta
                flags += (AGE_RESOLVED,)
        elif not item.stamp.has_date:
            flags += (DATE_INFERRED,)
        if r.tz_assumed and r.time is not None:
            flags += (TZ_ASSUMED,)
        if r.date is None and item.stamp.has_date:
            block.warnings.append((item.stamp.start, "impossible date"))
        out.append(
            Record(
                kind="rail",
                source=source,
                date=r.date,
                time=r.time,
                duration=None,
                age=item.stamp.age,
                published=published,
                headline=item.headline,
                region=item.region,
                region_id=vocab.region_id(item.region) if item.region else None,
                kicker=item.kicker,
                summary=item.summary,
                span=(block.base + item.start, block.base + item.end),
                flags=flags,
            )
        )
    return out
