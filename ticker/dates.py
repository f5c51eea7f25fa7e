"""Date, clock-time, video-length and age tokens: their patterns and what they mean.

Every interpretation is explicit: a date is built from its matched parts under a declared
day/month order, never handed to a fuzzy guesser, and the raw text stays beside the value.
Nothing here reads the clock; the reference time comes in as an argument.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools

import regex

#: The rail date: ``31/07/2025`` (also single-digit day or month). Kept this simple on
#: purpose: it is the parser's main scan, and a plain pattern lets the regex engine skip
#: ahead to each ``/`` instead of trying alternatives at every character.
RAIL_DATE = regex.compile(r"\d{1,2}/\d{1,2}/\d{4}")

#: A numeric date with any of the usual separators, whole token: ``12-03-2025``, ``31.07.2025``.
NUMERIC_DATE = regex.compile(
    r"""
    (?P<a>\d{1,2}) (?P<sep>[/.-]) (?P<b>\d{1,2}) (?P=sep) (?P<y>\d{4})
    """,
    regex.X,
)

_EN_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|[smhdw])"
#: Spanish units; the short ones (``3 h``, ``2 d``) only after ``hace``.
_ES_UNIT = r"(?:segundos?|minutos?|min|horas?|d[ií]as?|semanas?|mes(?:es)?|años?)"
_ES_SHORT_UNIT = rf"(?:{_ES_UNIT}|seg|h|d)"
_FR_UNIT = r"(?:secondes?|minutes?|min|heures?|h|jours?|j|semaines?|mois|ans?)"
_DE_UNIT = (
    r"(?:Sekunden?|Minuten?|Min\.?|Stunden?|Std\.?|Tag(?:en|e)?|Wochen?"
    r"|Monat(?:en|e)?|Jahr(?:en|e)?)"
)


def _parts(amount: str, unit: str, joiner: str) -> str:
    """One or more ``AMOUNT UNIT`` parts (``1 h 7 min``, ``1 hour and 7 minutes``).

    A written amount (``a``, ``une``) is a whole word and a unit ends its word, so
    ``and`` is never read as ``an d``; a number may be glued to its unit (``3h``).
    """
    part = rf"(?:\d+|\b{amount}\b) \s* {unit} (?![^\W\d])"
    return rf"{part} (?: (?: \s*,\s* | \s+ {joiner} \s+ | \s* ) {part} )*"


#: Where a written amount (``a``, ``an``, ``one``) may start: a word's start, or glued to
#: an icon label (``timean hour ago``) or to a source ending in a digit (``France 24a day
#: ago``). A letter before it otherwise makes it part of a word ("Panama day ago").
_GLUED = r"(?:(?<![^\W\d_])|(?<=time))"

#: An English age (the usual one): ``2 hours ago``, ``1 hour 7 min ago``, ``1 hour and 7
#: minutes ago``. A pattern of its own so that a search can try it alone first.
EN_AGE = rf"""
    (?P<en> (?: (?:\d+|{_GLUED}(?:an?|one)\b) \s* {_EN_UNIT} (?![^\W\d]) (?: \s*, | \s+and )? \s* )+
            ago (?!\w) )
"""

#: A relative age as an aggregator prints it, in English, Spanish, French or German.
#: The languages whose age starts with a word of its own (``il y a``, ``vor``, ``hace``)
#: come before the bare Spanish one: ``il y a 45 min`` must not be read as ``45 min``
#: (the card header search runs backwards from the age's end, and the first branch that
#: fits wins). English comes first: ending with ``ago``, it fails fast on the others.
AGE = regex.compile(
    rf"""
    {EN_AGE}
    | (?P<yesterday> yesterday | ayer | hier | gestern )
    | (?P<now> just \s+ now | moments? \s+ ago | à \s+ l'instant | ahora \s+ mismo
               | gerade \s+ eben )
    | (?P<fr> il \s+ y \s+ a \s+ {_parts("(?:une?)", _FR_UNIT, "et")} )       # il y a 3 h
    | (?P<de> vor \s+ {_parts("(?:einer|einem|eine|ein)", _DE_UNIT, "und")} )  # vor 2 Stunden
    | (?P<es> hace \s+ {_parts("(?:una?)", _ES_SHORT_UNIT, "y")}           # hace 5 horas, 3 h
              | (?:\d+|\buna?\b) \s* {_ES_UNIT} (?![^\W\d]) )                     # 1 día
    """,
    regex.X | regex.I,
)

#: An age's tokens: numbers and words (``3h`` is two).
_AGE_TOKEN = regex.compile(r"\d+|[^\W\d_]+")
#: Written amounts: one of the unit after them.
_AMOUNT_WORDS = frozenset(("a", "an", "one", "un", "una", "une", "ein", "eine", "einer", "einem"))

#: unit word (casefolded, without plural) -> seconds
_UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "segundo": 1,
    "seconde": 1,
    "sekunde": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minuto": 60,
    "minuten": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "hora": 3600,
    "heure": 3600,
    "stunde": 3600,
    "std": 3600,
    "d": 86400,
    "day": 86400,
    "dia": 86400,
    "día": 86400,
    "jour": 86400,
    "j": 86400,
    "tag": 86400,
    "tage": 86400,
    "tagen": 86400,
    "w": 604800,
    "week": 604800,
    "semana": 604800,
    "semaine": 604800,
    "woche": 604800,
    "month": 2592000,
    "mes": 2592000,
    "mese": 2592000,
    "mois": 2592000,
    "monat": 2592000,
    "monate": 2592000,
    "monaten": 2592000,
    "year": 31536000,
    "año": 31536000,
    "an": 31536000,
    "jahr": 31536000,
    "jahre": 31536000,
    "jahren": 31536000,
}


def _unit_seconds(word: str) -> int | None:
    w = word.casefold().rstrip(".")
    for candidate in (w, w[:-1] if w.endswith("s") else w, w[:-1] if w.endswith("n") else w):
        if candidate in _UNIT_SECONDS:
            return _UNIT_SECONDS[candidate]
    return None


#: The oldest age read as an age: a century. A card older than that is junk, not news.
MAX_AGE_SECONDS = 100 * 365 * 86400

_JUST_NOW = frozenset(
    ("just now", "moment ago", "moments ago", "à l'instant", "ahora mismo", "gerade eben")
)


@functools.lru_cache(maxsize=1024)
def age_delta(age: str) -> dt.timedelta | None:
    """How long ago an age says: ``"1 hour 7 min ago"`` -> 1:07:00; None if unreadable."""
    text = " ".join(age.casefold().split())
    if text in ("yesterday", "ayer", "hier", "gestern"):
        return dt.timedelta(days=1)
    if text in _JUST_NOW:
        return dt.timedelta(0)
    # each amount (a number or a written "a", "une", "einer") with the unit word after
    # it; other words ("ago", "il y a", "and") are skipped
    tokens = _AGE_TOKEN.findall(text)
    total = 0
    i = 0
    while i < len(tokens) - 1:
        amount = tokens[i]
        seconds = None
        if amount.isdigit() or amount in _AMOUNT_WORDS:
            seconds = _unit_seconds(tokens[i + 1])
        if seconds is None:
            i += 1
            continue
        total += (int(amount) if amount.isdigit() else 1) * seconds
        i += 2
    if not total or total > MAX_AGE_SECONDS:
        return None  # no age at all, or one no news item has ("1000000 days ago")
    return dt.timedelta(seconds=total)


#: Years a news date can have; a date outside is treated as impossible (a typo or junk).
YEARS = range(1900, 2200)


def build_date(day: int, month: int, year: int) -> dt.date | None:
    """The date, or None when no such day exists (31/02, 00/13) or the year is far off."""
    if year not in YEARS:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def numeric_parts(raw: str) -> tuple[int, int, int] | None:
    """``"31/07/2025"`` -> (31, 7, 2025): the two leading fields and the year, as printed."""
    m = NUMERIC_DATE.fullmatch(raw)
    if m is None:
        return None
    return int(m["a"]), int(m["b"]), int(m["y"])


def decide_order(sequences: list[list[tuple[int, int, int | None]]]) -> str | None:
    """The day/month order the printed numeric dates of one block settle, or None.

    ``sequences`` holds each rail's dates as printed fields (a, b, year), in page order.
    A field above 12 can only be a day. Failing that, rails are printed newest first:
    when only one order makes every rail non-increasing, that order holds. Otherwise the
    text does not decide, and the caller falls back on the source profile (and says so).
    """
    dmy = mdy = False
    for seq in sequences:
        for a, b, _ in seq:
            # only a possible date is evidence: 00/13/2025 says nothing
            dmy = dmy or (12 < a <= 31 and 1 <= b <= 12)
            mdy = mdy or (12 < b <= 31 and 1 <= a <= 12)
    if dmy != mdy:
        return "DMY" if dmy else "MDY"
    if dmy:
        return None  # both seen: the block mixes orders; leave it to the profile
    fits = {"DMY": True, "MDY": True}
    for order in fits:
        for seq in sequences:
            # dates that read either way (both fields 1-12) are the ones order can settle
            either = [(a, b, y) for a, b, y in seq if 1 <= a <= 12 and 1 <= b <= 12]
            keys = [(y or 0, a, b) if order == "MDY" else (y or 0, b, a) for a, b, y in either]
            if any(later > earlier for earlier, later in itertools.pairwise(keys)):
                fits[order] = False
                break
    if fits["DMY"] != fits["MDY"]:
        return "DMY" if fits["DMY"] else "MDY"
    return None


def numeric_date(raw: str, order: str) -> dt.date | None:
    """Build a numeric date under a declared order ("DMY" or "MDY")."""
    parts = numeric_parts(raw)
    if parts is None:
        return None
    a, b, year = parts
    return build_date(a, b, year) if order == "DMY" else build_date(b, a, year)
