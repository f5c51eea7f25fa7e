"""The naive splitter ticker is compared with: what a one-evening script would do.

Split the text on ``DD/MM/YYYY``; the text between two dates is one record's headline, minus
one trailing tag (the longest tag the text ends with). Nothing else: no cards, kickers,
video lengths, furniture or prose, and no evidence for where a headline ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import regex

from ticker.profiles import load_vocabulary

#: the same pattern as the floor's scan
DATE = regex.compile(r"\d\d/\d\d/\d{4}")


class Item(NamedTuple):
    start: int  # offset of the date in the text
    date: str  # ISO, rebuilt from DD/MM/YYYY
    headline: str
    region: str | None


def tags() -> tuple[str, ...]:
    """The region tags of ticker's built-in vocabulary, longest first."""
    return tuple(sorted(load_vocabulary().regions, key=len, reverse=True))


def split(text: str, tag_list: tuple[str, ...] | None = None) -> Iterator[Item]:
    """One item per date in ``text``: the date, then everything up to the next date."""
    ordered = tag_list if tag_list is not None else tags()
    prev = None
    for m in DATE.finditer(text):
        if prev is not None:
            yield _item(text, prev.start(), prev.end(), m.start(), ordered)
        prev = m
    if prev is not None:
        yield _item(text, prev.start(), prev.end(), len(text), ordered)


def _item(text: str, start: int, end: int, stop: int, ordered: tuple[str, ...]) -> Item:
    chunk = " ".join(text[end:stop].split())
    region = None
    if chunk.endswith(ordered):
        for tag in ordered:
            if chunk.endswith(tag) and (len(chunk) == len(tag) or chunk[-len(tag) - 1] == " "):
                region = tag
                chunk = chunk[: -len(tag)].rstrip()
                break
    raw = text[start:end]
    return Item(start, f"{raw[6:]}-{raw[3:5]}-{raw[:2]}", chunk, region)
