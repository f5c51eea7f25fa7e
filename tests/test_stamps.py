"""Date and time stamps: what each printed form means."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.samples import NOW
from ticker import dates
from ticker.profiles import load_vocabulary
from ticker.stamps import find, resolve

VOCAB = load_vocabulary()
UTC = dt.UTC
EST = dt.timezone(dt.timedelta(hours=-5))


def one(
    text: str, order: str = "DMY"
) -> tuple[str, dt.date | None, str | None, dt.datetime | None]:
    stamps = find(text, VOCAB)
    assert len(stamps) == 1, stamps
    s = stamps[0]
    r = resolve(s, order=order, now=NOW, zone=None, fallback_zone=UTC)
    return text[s.start : s.end], r.date, r.time, r.published


@pytest.mark.parametrize(
    ("text", "printed", "date", "time", "published"),
    [
        (
            "17.02.2019 / 10:46",
            "17.02.2019 / 10:46",
            dt.date(2019, 2, 17),
            "10:46",
            dt.datetime(2019, 2, 17, 10, 46, tzinfo=UTC),
        ),
        (
            "Sun, 17/02/2019 - 10:46",
            "Sun, 17/02/2019 - 10:46",
            dt.date(2019, 2, 17),
            "10:46",
            dt.datetime(2019, 2, 17, 10, 46, tzinfo=UTC),
        ),
        ("Nov 07 2025", "Nov 07 2025", dt.date(2025, 11, 7), None, None),
        (
            "Dec. 09, 2021 06:20 AM EST",
            "Dec. 09, 2021 06:20 AM EST",
            dt.date(2021, 12, 9),
            "06:20",
            dt.datetime(2021, 12, 9, 6, 20, tzinfo=EST),
        ),
        ("March 28th, 2013", "March 28th, 2013", dt.date(2013, 3, 28), None, None),
        ("19 January 2026", "19 January 2026", dt.date(2026, 1, 19), None, None),
        ("31 juillet 2025", "31 juillet 2025", dt.date(2025, 7, 31), None, None),
        ("1er août 2025", "1er août 2025", dt.date(2025, 8, 1), None, None),
        ("5 de marzo de 2025", "5 de marzo de 2025", dt.date(2025, 3, 5), None, None),
        (
            "5. März 2025 um 10:30",
            "5. März 2025 um 10:30",
            dt.date(2025, 3, 5),
            "10:30",
            dt.datetime(2025, 3, 5, 10, 30, tzinfo=UTC),
        ),
        (
            "Wed, 11 Feb 2026 09:39:16 GMTFerry strike ends",
            "Wed, 11 Feb 2026 09:39:16 GMT",
            dt.date(2026, 2, 11),
            "09:39",
            dt.datetime(2026, 2, 11, 9, 39, tzinfo=UTC),
        ),
        ("2025-07-31", "2025-07-31", dt.date(2025, 7, 31), None, None),
        ("12-03-2025", "12-03-2025", dt.date(2025, 3, 12), None, None),
        (
            "Europe • 10:44 AM",
            "10:44 AM",
            dt.date(2025, 7, 31),
            "10:44",
            dt.datetime(2025, 7, 31, 10, 44, tzinfo=UTC),
        ),
        (
            "Sports07:05",
            "07:05",
            dt.date(2025, 8, 1),
            "07:05",
            dt.datetime(2025, 8, 1, 7, 5, tzinfo=UTC),
        ),
        (
            "下午3:56",
            "下午3:56",
            dt.date(2025, 7, 31),
            "15:56",
            dt.datetime(2025, 7, 31, 15, 56, tzinfo=UTC),
        ),
        (
            "上午9:10",
            "上午9:10",
            dt.date(2025, 8, 1),
            "09:10",
            dt.datetime(2025, 8, 1, 9, 10, tzinfo=UTC),
        ),
        (
            "3:05 PM",
            "3:05 PM",
            dt.date(2025, 7, 31),
            "15:05",
            dt.datetime(2025, 7, 31, 15, 5, tzinfo=UTC),
        ),
    ],
)
def test_stamp_forms(text, printed, date, time, published) -> None:
    assert one(text) == (printed, date, time, published)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Jul 30", dt.date(2025, 7, 30)),  # this year
        ("Aug 2", dt.date(2025, 8, 2)),  # one day ahead of the reference is allowed
        ("Aug 5", dt.date(2024, 8, 5)),  # further ahead: last year
        ("Dec 24", dt.date(2024, 12, 24)),
        ("24/12", dt.date(2024, 12, 24)),
        ("31/07", dt.date(2025, 7, 31)),
    ],
)
def test_dates_without_a_year_are_never_in_the_future(text: str, date: dt.date) -> None:
    assert one(text)[1] == date


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    st.datetimes(dt.datetime(2001, 1, 1), dt.datetime(2030, 1, 1)),
)
def test_year_rollover_property(day: dt.date, now: dt.datetime) -> None:
    """A yearless date resolves to the latest such day no more than one day ahead."""
    if day.month == 2 and day.day == 29:
        return
    reference = now.replace(tzinfo=UTC)
    stamp = find(day.strftime("%d/%m"), VOCAB)[0]
    got = resolve(stamp, order="DMY", now=reference, zone=None, fallback_zone=UTC).date
    assert got is not None and (got.month, got.day) == (day.month, day.day)
    assert got <= reference.date() + dt.timedelta(days=1)
    assert got > reference.date() + dt.timedelta(days=1) - dt.timedelta(days=366)


@given(st.lists(st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)), min_size=1, max_size=12))
def test_order_inference_property(days: list[dt.date]) -> None:
    """Newest-first rails: whatever order decide_order settles is the true one (day first)."""
    days = sorted(days, reverse=True)
    printed = [(d.day, d.month, d.year) for d in days]
    order = dates.decide_order([printed])
    if order is not None:
        assert order == "DMY"
    if any(d.day > 12 for d in days):
        assert order == "DMY"
    # the same rail printed month first settles to MDY, or stays open
    swapped = [(m, d, y) for d, m, y in printed]
    assert dates.decide_order([swapped]) in ("MDY", None)


def test_order_open_when_both_fit() -> None:
    assert dates.decide_order([[(3, 6, 2025), (2, 6, 2025), (1, 6, 2025)]]) is None


def test_order_settled_by_newest_first() -> None:
    # 01/02/2025 then 12/01/2025: day first, Feb 1 then Jan 12 (newest first); month
    # first, Jan 2 then Dec 1 — a rail never goes forward in time, so day first it is
    assert dates.decide_order([[(1, 2, 2025), (12, 1, 2025)]]) == "DMY"


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("Wed 30 Jul 2025 14.05 BST", dt.date(2025, 7, 30), "14:05"),
        ("Mittwoch, 30. Juli 2025, 14:05 Uhr", dt.date(2025, 7, 30), "14:05"),
        ("31 de julio de 2025 - 14:05 CEST", dt.date(2025, 7, 31), "14:05"),
        ("Jul 30, 2025 9.40 pm", dt.date(2025, 7, 30), "21:40"),
    ],
)
def test_more_stamp_forms(text: str, date: dt.date, time: str) -> None:
    printed, got_date, got_time, _ = one(text)
    assert (printed, got_date, got_time) == (text, date, time)


def _offset(hours: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("31/07/2025 14:30 GMT+1", dt.timedelta(hours=1)),
        ("31/07/2025 14:30 UTC+3", dt.timedelta(hours=3)),
        ("31/07/2025 14:30 UTC+02:00", dt.timedelta(hours=2)),
        ("31/07/2025 14:30 GMT+0300", dt.timedelta(hours=3)),
        ("31/07/2025 14:30 GMT-5:30", dt.timedelta(hours=-5, minutes=-30)),
        ("31/07/2025 14:30 (GMT)", dt.timedelta(0)),
        ("31/07/2025 14:30 (GMT+1)", dt.timedelta(hours=1)),
        # a place's zone: New York time, daylight saving in July
        ("Jul 31, 2025 2:30 PM ET", dt.timedelta(hours=-4)),
    ],
)
def test_zone_suffixes_are_read_whole(text: str, offset: dt.timedelta) -> None:
    printed, _, _, published = one(text + " Swiss franc hits 10-year high")
    assert printed == text
    assert published is not None and published.utcoffset() == offset


def test_place_zone_follows_the_season() -> None:
    assert one("Jan 15, 2025 2:30 PM ET")[3] == dt.datetime(2025, 1, 15, 14, 30, tzinfo=_offset(-5))


@pytest.mark.parametrize("text", ["14:30 CT scans show damage", "14:30 ETFs slide"])
def test_short_zone_names_need_am_pm(text: str) -> None:
    # a 24-hour time then a headline starting with capitals: no zone read
    assert one(text)[0] == "14:30"


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("7月31日 下午3:56", dt.date(2025, 7, 31), "15:56"),
        ("7月30日上午9:10", dt.date(2025, 7, 30), "09:10"),
        ("2025年7月29日 上午7:30", dt.date(2025, 7, 29), "07:30"),
        ("2024年12月24日", dt.date(2024, 12, 24), None),
    ],
)
def test_cjk_dates(text: str, date: dt.date, time: str | None) -> None:
    printed, got_date, got_time, _ = one(text)
    assert (printed, got_date, got_time) == (text, date, time)
