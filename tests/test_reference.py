"""The reference time for ages: --now, else the input's capture time, else the clock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ticker.cli import main
from ticker.reading import capture_time

CARD = "LeMonde\n2 hours ago\n- LeMonde\nFerry strike ends after talks\nCrews return.\n"


@pytest.mark.parametrize(
    ("head", "when"),
    [
        (
            "Captured: 2025-07-31T18:00:00+02:00\n",
            dt.datetime(2025, 7, 31, 18, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        ("captured_at = 2025-07-31T16:00:00Z\n", dt.datetime(2025, 7, 31, 16, tzinfo=dt.UTC)),
        ("Fetched at 2025-07-31 16:00\n", dt.datetime(2025, 7, 31, 16, tzinfo=dt.UTC)),
        ("Date: Thu, 31 Jul 2025 16:00:00 GMT\n", dt.datetime(2025, 7, 31, 16, tzinfo=dt.UTC)),
        ("Nothing here\n", None),
        ("The date: sometime next week\n", None),
    ],
)
def test_capture_time(head: str, when: dt.datetime | None) -> None:
    assert capture_time(head + CARD, dt.UTC) == when


def test_capture_time_is_the_reference_without_now(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Captured: 2025-07-31T18:00:00+02:00\n" + CARD)
    result = CliRunner().invoke(main, ["parse", str(page)])
    assert json.loads(result.stdout)["published"] == "2025-07-31T16:00:00+02:00"
    assert result.stderr == (
        f"ticker: ages resolved against 2025-07-31T18:00:00+02:00 (the capture time in {page})\n"
    )


def test_now_wins_over_the_capture_time(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Captured: 2025-07-31T18:00:00+02:00\n" + CARD)
    result = CliRunner().invoke(main, ["parse", "--now", "2025-08-01T12:00:00+02:00", str(page)])
    assert json.loads(result.stdout)["published"] == "2025-08-01T10:00:00+02:00"
    assert result.stderr == "ticker: ages resolved against 2025-08-01T12:00:00+02:00 (--now)\n"


def test_explain_names_the_tokens_and_the_reasons(tmp_path: Path) -> None:
    page = tmp_path / "rail.txt"
    page.write_text(
        "31/07/2025 Deal between Israel, Palestine Europe 30/07/2025 Court hears appeal\n"
    )
    result = CliRunner().invoke(main, ["parse", "--explain", str(page)])
    first = json.loads(result.stdout.splitlines()[0])
    why = first["explain"]
    assert why["date"] == {"text": "31/07/2025", "span": [0, 10]}
    assert why["headline"]["text"] == "Deal between Israel, Palestine"
    assert why["region"] == {"text": "Europe", "span": [42, 48]}
    assert why["why"]["boundary"] == "'Europe' is the tag: 'Palestine' before it cannot end in it"
