"""Small text helpers shared by the parser and the writers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import regex

_WORD = regex.compile(r"\S+")
_OPENERS = "'\"‘“«([¿¡"
_CLOSERS = "'\"’”»)]?!.…"


def collapse(text: str) -> str:
    """Whitespace runs to one space, ends trimmed. Cheap when there is nothing to do.

    (Every whitespace character but the plain space — newlines, tabs, NBSP, thin spaces —
    is unprintable, so ``isprintable`` finds them all in one pass.)
    """
    if "  " in text or not text.isprintable():
        return " ".join(text.split())
    return text.strip()


def headline_key(text: str) -> str:
    """The form two printings of one headline share: compatibility-normalized (NFKC: "…"
    is "..."), every quote mark as ``'`` and every dash as ``-``, no space before ``:;!?``
    (French spacing), whitespace collapsed, casefolded. A headline re-punctuated between
    two scrapes stays one item."""
    key = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return _SPACE_BEFORE_MARK.sub(r"\1", " ".join(key.split())).casefold()


#: quote marks of every style (a scrape may change 'x' to “x”), and dashes and hyphens
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys('‘’‚‛′`´"“”„‟″«»', "'"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)
_SPACE_BEFORE_MARK = re.compile(r" ([:;!?])")


def bare(word: str) -> str:
    """A word without the quotes and brackets around it, casefolded."""
    return word.strip(_OPENERS + _CLOSERS + ",;:").casefold()


def is_capitalised(word: str) -> bool:
    w = word.lstrip(_OPENERS)
    return bool(w) and w[0].isupper()


def ends_sentence_or_quote(word: str) -> bool:
    return bool(word) and word[-1] in _CLOSERS


def original_length(core: str, prefix: str) -> int:
    """Length in ``core`` of the words making up collapsed ``prefix`` (spans stay exact)."""
    words = len(prefix.split())
    pos = 0
    for m in _WORD.finditer(core):
        words -= 1
        pos = m.end()
        if words == 0:
            break
    return pos


def nonblank_lines(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
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


def repeated_title(c: str, max_words: int) -> tuple[int, int]:
    """A title printed two or three times at the start of collapsed ``c``.

    Returns (end of the first printing, end of the last), or (0, 0) when the text does
    not start with a repeated run of 2 to ``max_words`` words.
    """
    p = c.find(" ")
    words = 1
    while p > 0 and words < max_words:
        p = c.find(" ", p + 1)
        words += 1
        if p < 0:
            break
        title = c[:p]
        if c.startswith(title, p + 1) and c[2 * p + 1 : 2 * p + 2] in ("", " "):
            rest = 2 * p + 1
            if c.startswith(title, rest + 1) and c[rest + 1 + p : rest + 2 + p] in ("", " "):
                rest += p + 1
            return p, rest
    return 0, 0
