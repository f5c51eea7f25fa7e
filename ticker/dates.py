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
_ES_UNIT = r"(?:segundos?|minutos?|min|horas?|d[ií]as?|semanas?|mes(?:es)?|años?)"
_FR_UNIT = r"(?:secondes?|minutes?|min|heures?|h|jours?|j|semaines?|mois|ans?)"
_DE_UNIT = (
    r"(?:Sekunden?|Minuten?|Min\.?|Stunden?|Std\.?|Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)"
)

#: A relative age as an aggregator prints it, in English, Spanish, French or German.
AGE = regex.compile(
    rf"""
    (?P<en> (?:(?:\d+|an?|one) \s* {_EN_UNIT} \s* )+ ago )       # 2 hours ago, 1 hour 7 min ago
    | (?P<yesterday> yesterday | ayer | hier | gestern )
    | (?P<now> just \s+ now | moments? \s+ ago | à \s+ l'instant | ahora \s+ mismo
               | gerade \s+ eben )
    | (?P<es> (?:hace \s+)? (?:\d+|una?) \s* {_ES_UNIT} )         # hace 5 horas, 1 día
    | (?P<fr> il \s+ y \s+ a \s+ (?:\d+|une?) \s* {_FR_UNIT} )     # il y a 3 h
    | (?P<de> vor \s+ (?:\d+|einer|einem|eine) \s* {_DE_UNIT} )   # vor 2 Stunden
    """,
    regex.X | regex.I,
)

_AMOUNT = regex.compile(r"(\d+|an?|one|una?|une?|einer|einem|eine)\s*([^\W\d]+)", regex.I)

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
    "monaten": 2592000,
    "year": 31536000,
    "año": 31536000,
    "an": 31536000,
    "jahr": 31536000,
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
    total = 0
    for amount, unit in _AMOUNT.findall(text):
        if unit in ("ago", "hace", "vor", "il", "y", "a"):
            continue
        seconds = _unit_seconds(unit)
        if seconds is None:
            continue
        total += (int(amount) if amount.isdigit() else 1) * seconds
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
