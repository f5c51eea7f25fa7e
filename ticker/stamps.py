"""Date and time stamps in every form pages print them, and what each one means.

The France 24 rail date (``31/07/2025``) has its own fast scan in :mod:`ticker.parsing`;
this module finds everything else: ``19 January 2026``, ``Dec. 09, 2021 06:20 AM EST``,
``17.02.2019 / 10:46``, ``Sun, 17/02/2019 - 10:46``, RFC 822 stamps, ``2025-07-31``,
``Sep 20``, ``24/12``, ``10:44 AM``, ``下午3:56``, ``7月31日 下午3:56``. The patterns are
built from the vocabulary (month and weekday names, zone abbreviations) and compiled once
per vocabulary. A :class:`Stamp` keeps the printed parts; :func:`resolve` turns them into a
date and time under an explicit day/month order and reference time.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import regex

from .dates import build_date
from .profiles import Vocabulary

#: A clock time: 10:44, 9:39:16, 10:44 AM, 3 p.m. is not taken (no minutes), 下午3:56.
_TIME = r"""
    (?P<cjk>上午|下午)?
    (?P<hour>\d{1,2}) (?P<tsep>SEPS) (?P<minute>\d{2}) (?: : (?P<second>\d{2}) )?
    (?: [ \t\xa0]? (?P<ampm>[AaPp]\.?[ \t\xa0]?[Mm]\.?)(?![\w]) )?
    (?: [ \t\xa0]? (?:Uhr|hrs|horas|heures)(?!\w) )?
    (?: [ \t\xa0]? (?P<zone>
          \( (?:ZONES) OFFSET? \)                    # (GMT), (GMT+1)
        | (?:ZONES) OFFSET? (?![a-z])                 # GMT, GMT+1, UTC+02:00; GMTFerry: glued
        | [+-]\d{2}:?\d{2} (?![\d:])                  # +0300, +03:00
        | (?(ampm) (?:ET|CT|MT|PT) (?![\w+\-]) | (?!) ) # 2:30 PM ET (after AM/PM only:
                                                       # "14:30 CT scans" is a headline)
    ) )?
"""
#: An offset after a zone name: "+1", "+3", "+0300", "+02:00", "-5:30".
_OFFSET = r"(?:[+-](?:\d{2}:?\d{2}|\d{1,2}(?::\d{2})?)(?![\d:]))"

#: Zone names that stand for a place, not an offset: the offset depends on the season.
_PLACE_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}

_H = r"[ \t\xa0]"  # a stamp never spans lines

#: What may stand between a date and its time: "17.02.2019 / 10:46", "Sun, 17/02/2019 - 10:46"
_JOIN = rf"(?:{_H}*[-–/|,·•@]{_H}*|{_H}+(?:at|à|a\ las|um|alle){_H}+|{_H}+|T|(?=[上下]午))"


class Stamp(NamedTuple):
    """One printed date and/or time, as printed, not yet interpreted."""

    start: int
    end: int
    #: numeric date fields in printed order (a, b), or (day, None) with a month name
    a: int | None
    b: int | None
    month: int | None  # given by name
    year: int | None
    numeric: str  # separator of a numeric date ("/", ".", "-"), "iso", or "" for names
    hour: int | None
    minute: int | None
    zone: dt.tzinfo | None
    #: where the date itself starts, when a weekday printed before it was taken in
    #: ("Sunday Jul 31 2025"): a reader may give the weekday back to a headline
    bare_start: int | None = None
    #: a relative age instead of a date ("2 hours ago", "hace 5 horas"), as printed
    age: str | None = None

    @property
    def has_date(self) -> bool:
        return self.a is not None

    @property
    def time(self) -> str | None:
        if self.hour is None or self.minute is None:
            return None
        return f"{self.hour:02d}:{self.minute:02d}"


class Patterns(NamedTuple):
    digit_first: regex.Pattern[str]
    month_first: re.Pattern[str]
    weekday_before: regex.Pattern[str]
    time: regex.Pattern[str]


def _alternation(words: set[str] | list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=8)
def _patterns(
    months: tuple[str, ...], weekdays: tuple[str, ...], zones: tuple[str, ...]
) -> Patterns:
    month = _alternation(list(months))
    zone = _alternation(list(zones))
    zoned = _TIME.replace("ZONES", zone).replace("OFFSET", _OFFSET)
    time = zoned.replace("SEPS", "[:h]")
    # after a date, "14.05" is a time too (British style), not the 14th of May
    time_after_date = zoned.replace("SEPS", "[:h.]")
    date_time = rf"(?: {_JOIN} (?P<t>{time_after_date}) )?"
    digit_first = rf"""
        (?<![\d:/.\-])
        (?:
            (?P<a>\d{{1,2}}) (?P<sep>[/.\-]) (?P<b>\d{{1,2}})
                (?: (?P=sep) (?P<y>\d{{4}}) | (?<=[/.]\d{{1,2}}) (?:\.(?!\d)|(?=\s|\Z)) )
                # 17.02.2019, 12-03-2025; without a year only 24/12 and 24.12.
          | (?P<iy>\d{{4}}) - (?P<im>\d{{2}}) - (?P<id>\d{{2}})               # 2025-07-31
          | (?: (?P<cy>\d{{4}}) 年 )? (?P<cm>\d{{1,2}}) 月 (?P<cd>\d{{1,2}}) 日     # 2025年7月31日
          | (?P<d>\d{{1,2}}) (?:st|nd|rd|th|er|º|\.)? {_H}? (?:de{_H}+)?     # 19 January 2026
                (?P<mon>(?i:{month})) \.? (?: ,?{_H}+ (?:de{_H}+)? (?P<my>\d{{4}}) )?
        )
        (?![\d/])
        {date_time}
      | (?P<only>{time})
    """
    # English-style month first, capitalised ("Nov 07 2025", "Dec. 09, 2021 06:20 AM EST"):
    # a plain `re` pattern behind a lookahead on the capital keeps this scan fast.
    capitalised = sorted({m for m in months if m[:1].isupper()}, key=len, reverse=True)
    initials = "".join(sorted({m[0] for m in capitalised}))
    month_first = (
        rf"(?=[{initials}])\b(?P<mon>{'|'.join(re.escape(m) for m in capitalised)})\.?[ \t\xa0]+"
        r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?[ \t\xa0]+(?P<my>\d{4}))?(?![\d/:])"
    )
    weekday = _alternation(list(weekdays))
    return Patterns(
        digit_first=regex.compile(digit_first, regex.X),
        month_first=re.compile(month_first),
        weekday_before=regex.compile(rf"(?r)(?<!\w)(?:{weekday})\.?,?[ \t\xa0]*\Z"),
        time=regex.compile(rf"{_JOIN}(?P<t>{time_after_date})", regex.X),
    )


def patterns(vocab: Vocabulary) -> Patterns:
    return _patterns(
        tuple(sorted(vocab.month_names)), tuple(sorted(vocab.weekdays)), tuple(sorted(vocab.zones))
    )


def _hour(hour: int, ampm: str | None, cjk: str | None) -> int | None:
    marker = (ampm or "").lower().replace(".", "").replace(" ", "")
    if cjk == "下午" or marker == "pm":
        if hour > 12:
            return None
        return hour % 12 + 12
    if cjk == "上午" or marker == "am":
        if hour > 12:
            return None
        return hour % 12
    return hour if hour < 24 else None


def _zone(text: str | None, vocab: Vocabulary) -> dt.tzinfo | None:
    """The zone a printed suffix names: ``GMT``, ``(GMT)``, ``GMT+1``, ``UTC+02:00``,
    ``+0300``, ``ET`` (New York time: -04:00 in summer, -05:00 in winter)."""
    if not text:
        return None
    text = text.strip("()")
    if text in _PLACE_ZONES:
        return ZoneInfo(_PLACE_ZONES[text])
    if text in vocab.zones:
        return vocab.zones[text]
    cut = next(i for i, c in enumerate(text) if c in "+-")
    name, offset = text[:cut], text[cut + 1 :]
    base = vocab.zones[name].utcoffset(None) if name else None
    hours, _, minutes = offset.partition(":")
    if not minutes and len(hours) == 4:
        hours, minutes = hours[:2], hours[2:]
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
    total = (base or dt.timedelta(0)) + (-delta if text[cut] == "-" else delta)
    if abs(total) >= dt.timedelta(hours=24):
        return None  # no such offset: "GMT+99"
    return dt.timezone(total)


def _time_of(
    m: regex.Match[str] | re.Match[str], vocab: Vocabulary
) -> tuple[int | None, int | None, dt.tzinfo | None]:
    """Hour, minute and zone of a match's time groups (None, None, None if impossible)."""
    hour = m.group("hour")
    if hour is None:
        return None, None, None
    h = _hour(int(hour), m.group("ampm"), m.group("cjk"))
    minute = int(m.group("minute"))
    if h is None or minute > 59:
        return None, None, None
    return h, minute, _zone(m.group("zone"), vocab)


def find(text: str, vocab: Vocabulary, lo: int = 0, hi: int | None = None) -> list[Stamp]:
    """Every stamp in ``text[lo:hi]``, in order, weekday prefixes included."""
    p = patterns(vocab)
    hi = len(text) if hi is None else hi
    found: list[Stamp] = []
    for m in p.digit_first.finditer(text, lo, hi):
        stamp = _digit_first(m, vocab)
        if stamp is not None:
            found.append(stamp)
    for m in p.month_first.finditer(text, lo, hi):
        stamp = _month_first(text, m, p, vocab, hi)
        if stamp is not None:
            found.append(stamp)
    found.sort()
    out: list[Stamp] = []
    for s in found:
        # the two scans can overlap ("from March 31 July 2025"): keep the fuller stamp
        if out and s.start < out[-1].end:
            if _fullness(s) > _fullness(out[-1]):
                out[-1] = s
            continue
        w = p.weekday_before.search(text, max(lo, s.start - 16), s.start)
        out.append(s._replace(start=w.start(), bare_start=s.start) if w is not None else s)
    return out


#: Weekday names in full, Monday first, in the languages of the month names: an
#: abbreviation is the start of one ("Tues", "jeu.", "mié", "Fr.").
_WEEKDAYS = (
    ("monday", "lundi", "lunes", "montag"),
    ("tuesday", "mardi", "martes", "dienstag"),
    ("wednesday", "mercredi", "miércoles", "miercoles", "mittwoch"),
    ("thursday", "jeudi", "jueves", "donnerstag"),
    ("friday", "vendredi", "viernes", "freitag"),
    ("saturday", "samedi", "sábado", "sabado", "samstag"),
    ("sunday", "dimanche", "domingo", "sonntag"),
)


def weekday_agrees(printed: str, s: Stamp) -> bool | None:
    """Does the weekday printed before a stamp name the stamp's date? None when either
    is unknown (a yearless or order-ambiguous date, an ambiguous abbreviation: "Do")."""
    word = printed.strip().rstrip(".,").strip().casefold()
    numbers = {n for n, names in enumerate(_WEEKDAYS) for name in names if name.startswith(word)}
    if len(word) < 2 or len(numbers) != 1 or s.a is None or s.year is None:
        return None
    if s.month is not None:
        day = build_date(s.a, s.month, s.year)
    elif s.b is not None and (s.a > 12) != (s.b > 12):
        day = build_date(s.a, s.b, s.year) if s.a > 12 else build_date(s.b, s.a, s.year)
    else:
        return None
    return None if day is None else day.weekday() in numbers


def _fullness(s: Stamp) -> tuple[bool, bool, int]:
    return s.year is not None, s.hour is not None, s.end - s.start


def _digit_first(m: regex.Match[str], vocab: Vocabulary) -> Stamp | None:
    start, end = m.span()
    if m.group("only") is not None:
        hour, minute, zone = _time_of(m, vocab)
        if hour is None:
            return None
        return Stamp(start, end, None, None, None, None, "", hour, minute, zone)
    hour = minute = None
    zone = None
    if m.group("t") is not None:
        hour, minute, zone = _time_of(m, vocab)
    if m.group("a") is not None:
        a, b = int(m.group("a")), int(m.group("b"))
        year = int(m.group("y")) if m.group("y") else None
        return Stamp(start, end, a, b, None, year, m.group("sep"), hour, minute, zone)
    if m.group("cm") is not None:
        cy = int(m.group("cy")) if m.group("cy") else None
        cd, cm = int(m.group("cd")), int(m.group("cm"))
        return Stamp(start, end, cd, None, cm, cy, "", hour, minute, zone)
    if m.group("iy") is not None:
        y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        return Stamp(start, end, d, None, mo, y, "iso", hour, minute, zone)
    month = vocab.months.get(m.group("mon").casefold())
    if month is None:
        return None
    year = int(m.group("my")) if m.group("my") else None
    return Stamp(start, end, int(m.group("d")), None, month, year, "", hour, minute, zone)


def _month_first(
    text: str, m: re.Match[str], p: Patterns, vocab: Vocabulary, hi: int
) -> Stamp | None:
    month = vocab.months.get(m.group("mon").casefold())
    if month is None:
        return None
    start, end = m.span()
    year = int(m.group("my")) if m.group("my") else None
    hour = minute = None
    zone = None
    t = p.time.match(text, end, hi)
    if t is not None:
        hour, minute, zone = _time_of(t, vocab)
        if hour is not None:
            end = t.end()
    return Stamp(start, end, int(m.group("d")), None, month, year, "", hour, minute, zone)


class Resolved(NamedTuple):
    date: dt.date | None
    time: str | None
    published: dt.datetime | None
    year_inferred: bool
    tz_assumed: bool


def resolve(
    stamp: Stamp,
    *,
    order: str,
    now: dt.datetime,
    zone: dt.tzinfo | None,
    fallback_zone: dt.tzinfo,
    day: dt.date | None = None,
) -> Resolved:
    """The date, time and instant a stamp means.

    ``order`` ("DMY"/"MDY") applies to numeric dates only. A date without a year takes the
    reference year, or the year before when that would put it more than a day after the
    reference. A time with no date is the latest such clock time at or before the
    reference, unless the caller knows its ``day`` (a list's order says it). The zone is
    the stamp's own, else the source's, else ``fallback_zone``.
    """
    tz = stamp.zone or zone or fallback_zone
    assumed = stamp.zone is None and zone is None
    local_now = now.astimezone(tz)
    year_inferred = False
    alone_on = day
    day = None
    if stamp.a is not None:
        if stamp.month is not None:
            d, mo = stamp.a, stamp.month
        elif order == "DMY":
            d, mo = stamp.a, stamp.b or 0
        else:
            d, mo = stamp.b or 0, stamp.a
        year = stamp.year
        if year is None:
            # the latest such day at most one day after the reference ("Jan 1" read on
            # Dec 31 is tomorrow; "Dec 24" read in August is last year's)
            year_inferred = True
            limit = local_now.date() + dt.timedelta(days=1)
            year = next(
                (
                    y
                    for y in (local_now.year + 1, local_now.year, local_now.year - 1)
                    if (c := _date(y, mo, d)) is not None and c <= limit
                ),
                local_now.year,
            )
        day = _date(year, mo, d)
        if day is None:
            return Resolved(None, stamp.time, None, year_inferred, assumed)
    published = None
    if stamp.hour is not None and stamp.minute is not None:
        clock = dt.time(stamp.hour, stamp.minute)
        if day is None and alone_on is not None:
            day = alone_on
        elif day is None:  # a time alone: the latest such moment at or before the reference
            day = local_now.date()
            if clock > local_now.time().replace(tzinfo=None):
                day -= dt.timedelta(days=1)
        published = dt.datetime.combine(day, clock, tzinfo=tz)
    return Resolved(day, stamp.time, published, year_inferred, assumed)


def _date(year: int, month: int, day: int) -> dt.date | None:
    return build_date(day, month, year)


#: "1 min", "3 min read", "5 min de lecture": a reading time, printed under some headlines
READING_TIME = regex.compile(
    r"\d{1,3}\s?(?:min|mins|minutes?|Min\.?)(?:\s+(?:read|de\s+lecture|Lesezeit|de\s+lectura))?",
    regex.I,
)
