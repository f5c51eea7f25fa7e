"""`ticker parse` through click's CliRunner: formats, inputs, options and their errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ticker import __version__
from ticker.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RAIL = str(SAMPLES / "f24-rail-lines.txt")
UNTAGGED = str(SAMPLES / "f24-rail-untagged-lines.txt")
AGES = str(SAMPLES / "daily8-ages-lines.txt")
SEED = str(SAMPLES / "000_14508f3cbf4abfa2.txt")

FIELDS = [
    "kind",
    "source",
    "date",
    "time",
    "duration",
    "age",
    "published",
    "headline",
    "region",
    "region_id",
    "kicker",
    "summary",
    "span",
    "flags",
]
RAIL_HEADLINES = [
    "Mayors of riverside towns vote on joint flood defence plan",
    "Ferry workers end week-long strike after overnight talks",
    "Central bank holds rates as inflation cools to 2.3%",
    "Court hears appeal in decade-old bank fraud case",
    "Drone strikes on power grid leave 40,000 homes without electricity",
    "Aid convoy reaches northern Gaza after weeks of delays",
    "Wildfire forces evacuation of 3,000 residents near Marseille",
    "Opposition leader calls for snap election after budget defeat",
]
UNTAGGED_HEADLINES = [
    "Guantanamo judge delays hearing on 9/11 plea deals",
    "Gaza: ceasefire talks resume in Cairo with new US proposal",
    "'We will not be silenced': journalists rally in Tbilisi after arrests",
    "Paris metro to run 24/7 during New Year week, operator says",
    "Earthquake in eastern Turkey kills 14 and injures 230",
    "Eurozone unemployment falls to record low of 6.1%",
    "Inside the race for Congo's cobalt, part 2/4",
    "Minister says pension reform 'not up for debate' despite protests",
    "Macron: 'France will stand by Ukraine for as long as it takes'",
]
FIRST_RAIL_RECORD = {
    "kind": "rail",
    "source": None,
    "date": "2025-06-03",
    "time": None,
    "duration": None,
    "age": None,
    "published": None,
    "headline": "Mayors of riverside towns vote on joint flood defence plan",
    "region": "France",
    "region_id": "france",
    "kicker": None,
    "summary": None,
    "span": [6, 82],
    "flags": ["order_inferred"],  # 03/06, 02/06, 01/06 fit both orders newest first
}
NOTE = re.compile(r"^ticker: ages resolved against (\S+) \((.+)\)$", re.M)

# a flat rail whose first item ends in a word only a user's profile knows as a tag
OCEANIA_RAIL = (
    "03/06/2025 Cyclone forces evacuations along Queensland coast Oceania "
    "02/06/2025 Ferry workers end week-long strike after overnight talks Europe "
    "01/06/2025 Court hears appeal in bank fraud case\n"
)


def run(*args: str, input: bytes | str | None = None) -> Result:
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()  # click >= 8.2 keeps stderr apart by itself
    return runner.invoke(main, list(args), input=input, prog_name="ticker")


def jsonl(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def headlines(result: Result) -> list[str]:
    return [r["headline"] for r in jsonl(result)]


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


# --- formats -------------------------------------------------------------------------------


def test_jsonl_is_one_object_per_line_with_every_record_key_in_order() -> None:
    result = run("parse", RAIL)
    assert result.exit_code == 0
    records = jsonl(result)
    assert [list(r) for r in records] == [FIELDS] * 8
    assert records[0] == FIRST_RAIL_RECORD
    assert [r["headline"] for r in records] == RAIL_HEADLINES
    assert result.stdout.endswith("\n") and "\n\n" not in result.stdout


def test_jsonl_is_the_default_format() -> None:
    assert run("parse", RAIL).stdout == run("parse", RAIL, "--format", "jsonl").stdout


def test_json_is_an_array_of_the_jsonl_records() -> None:
    result = run("parse", RAIL, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == jsonl(run("parse", RAIL))


def test_json_with_no_records_is_an_empty_array() -> None:
    result = run("parse", "--format", "json", input=b"Related Articles\nComments\n")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


def test_empty_input_is_bad_input_yet_still_a_valid_document() -> None:
    result = run("parse", "--format", "json", input=b"\n  \n")
    assert (result.exit_code, result.stdout) == (1, "[]\n")
    assert result.stderr == "ticker: - at byte 0: empty, no text\n"


def test_csv_header_row_is_the_record_field_names() -> None:
    result = run("parse", RAIL, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == FIELDS
    assert len(rows) == 9
    first = dict(zip(FIELDS, rows[1], strict=True))
    assert first["headline"] == RAIL_HEADLINES[0]
    assert (first["date"], first["region"], first["source"], first["span"]) == (
        "2025-06-03",
        "France",
        "",
        "6-82",
    )
    assert [dict(zip(FIELDS, r, strict=True))["kicker"] for r in rows[1:]][4] == "Analysis"


def test_table_has_a_header_and_one_row_per_record() -> None:
    result = run("parse", RAIL, "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "KIND  DATE        TIME   REGION          SOURCE        HEADLINE"
    assert lines[1] == (
        "rail  2025-06-03         France                        "
        "Mayors of riverside towns vote on joint flood defence plan"
    )
    assert len(lines) == 9
    assert [line[55:] for line in lines[1:]] == RAIL_HEADLINES


def test_summary_is_one_line_per_input_prefixed_by_its_name() -> None:
    result = run("parse", RAIL, SEED, "--format", "summary", "--now", "2025-08-01T12:00:00+02:00")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{RAIL}: 8 records (8 rail, 0 card); sources: -; "
        "regions: europe, france, middle-east; 2025-06-01..2025-06-03",
        f"{SEED}: 21 records (18 rail, 3 card); sources: France 24, LeMonde; "
        "regions: americas, europe, middle-east; 2025-07-30..2025-07-31",
    ]


def test_summary_of_stdin_is_named_dash() -> None:
    result = run("parse", "--format", "summary", input=Path(RAIL).read_bytes())
    assert result.stdout == (
        "-: 8 records (8 rail, 0 card); sources: -; "
        "regions: europe, france, middle-east; 2025-06-01..2025-06-03\n"
    )


def test_unknown_format_is_a_usage_error() -> None:
    result = run("parse", RAIL, "--format", "xml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'xml' is not one of" in error_lines(result)[0]


# --- inputs --------------------------------------------------------------------------------


def test_dash_reads_stdin() -> None:
    result = run("parse", "-", input=Path(RAIL).read_bytes())
    assert result.exit_code == 0
    assert headlines(result) == RAIL_HEADLINES


def test_no_file_argument_reads_stdin() -> None:
    result = run("parse", input=Path(RAIL).read_bytes())
    assert result.exit_code == 0
    assert jsonl(result) == jsonl(run("parse", RAIL))


def test_several_files_give_their_records_in_file_order() -> None:
    result = run("parse", UNTAGGED, RAIL)
    assert result.exit_code == 0
    assert headlines(result) == UNTAGGED_HEADLINES + RAIL_HEADLINES
    assert headlines(run("parse", RAIL, UNTAGGED)) == RAIL_HEADLINES + UNTAGGED_HEADLINES


def test_spans_of_a_second_file_count_from_that_files_start() -> None:
    records = jsonl(run("parse", UNTAGGED, RAIL))
    assert records[len(UNTAGGED_HEADLINES)]["span"] == [6, 82]


# --- reference time ------------------------------------------------------------------------


def test_now_with_offset_resolves_each_age() -> None:
    result = run("parse", AGES, "--now", "2025-08-01T12:00:00+02:00")
    assert result.exit_code == 0
    assert [(r["age"], r["published"]) for r in jsonl(result)] == [
        ("39 minutes ago", "2025-08-01T11:21:00+02:00"),
        ("an hour ago", "2025-08-01T11:00:00+02:00"),
        ("1 hour 7 min ago", "2025-08-01T10:53:00+02:00"),
        ("a day ago", "2025-07-31T12:00:00+02:00"),
    ]
    assert all("age_resolved" in r["flags"] for r in jsonl(result))
    assert result.stderr == "ticker: ages resolved against 2025-08-01T12:00:00+02:00 (--now)\n"


def test_offset_of_now_wins_over_tz() -> None:
    result = run("parse", AGES, "--now", "2025-08-01T12:00:00+02:00", "--tz", "Asia/Tokyo")
    assert jsonl(result)[0]["published"] == "2025-08-01T11:21:00+02:00"
    assert result.stderr == "ticker: ages resolved against 2025-08-01T12:00:00+02:00 (--now)\n"


def test_naive_now_is_read_in_tz() -> None:
    result = run("parse", AGES, "--now", "2025-01-15T12:00:00", "--tz", "Europe/Paris")
    assert result.exit_code == 0
    assert [r["published"] for r in jsonl(result)] == [
        "2025-01-15T11:21:00+01:00",
        "2025-01-15T11:00:00+01:00",
        "2025-01-15T10:53:00+01:00",
        "2025-01-14T12:00:00+01:00",
    ]
    assert result.stderr == (
        "ticker: ages resolved against 2025-01-15T12:00:00+01:00 (--now, in --tz)\n"
    )


def test_naive_now_without_tz_is_utc() -> None:
    result = run("parse", AGES, "--now", "2025-08-01T12:00:00")
    assert jsonl(result)[1]["published"] == "2025-08-01T11:00:00+00:00"
    assert result.stderr == (
        "ticker: ages resolved against 2025-08-01T12:00:00+00:00 (--now, in --tz)\n"
    )


def test_card_published_is_now_minus_two_hours() -> None:
    result = run("parse", SEED, "--now", "2025-08-01T12:00:00+02:00")
    cards = [r for r in jsonl(result) if r["kind"] == "card"]
    assert [(c["source"], c["age"], c["published"]) for c in cards] == [
        ("LeMonde", "2 hours ago", "2025-08-01T10:00:00+02:00"),
        ("France 24", "2 hours ago", "2025-08-01T10:00:00+02:00"),
        ("France 24", "2 hours ago", "2025-08-01T10:00:00+02:00"),
    ]


def test_without_now_ages_resolve_against_the_current_time() -> None:
    before = dt.datetime.now(dt.UTC)
    result = run("parse", SEED)
    after = dt.datetime.now(dt.UTC)
    assert result.exit_code == 0
    notes = NOTE.findall(result.stderr)
    assert len(notes) == 1 and notes[0][1] == "the current time"
    reference = dt.datetime.fromisoformat(notes[0][0])
    assert reference.utcoffset() == dt.timedelta(0)
    assert before <= reference <= after
    card = next(r for r in jsonl(result) if r["kind"] == "card")
    assert dt.datetime.fromisoformat(card["published"]) == reference - dt.timedelta(hours=2)


def test_no_age_note_when_no_age_was_resolved() -> None:
    result = run("parse", RAIL)
    assert result.exit_code == 0
    assert result.stderr == ""


def test_unknown_tz_exits_2_with_one_error_line() -> None:
    result = run("parse", RAIL, "--tz", "Mars/Olympus")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert error_lines(result) == [
        "Error: Invalid value for '--tz': unknown time zone 'Mars/Olympus' "
        "(use an IANA name such as Europe/Paris)"
    ]
    assert "Traceback" not in result.stderr


def test_now_that_is_not_a_date_time_exits_2() -> None:
    result = run("parse", RAIL, "--now", "yesterday")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert error_lines(result) == [
        "Error: Invalid value for '--now': 'yesterday' is not an ISO 8601 date-time "
        "like 2025-07-31T14:00:00+02:00"
    ]


def test_impossible_now_date_exits_2() -> None:
    result = run("parse", RAIL, "--now", "2025-02-30T12:00:00")
    assert result.exit_code == 2
    assert len(error_lines(result)) == 1
    assert "'2025-02-30T12:00:00' is not an ISO 8601 date-time" in error_lines(result)[0]


def test_unknown_option_exits_2() -> None:
    result = run("parse", RAIL, "--bogus")
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = error_lines(result)
    assert re.fullmatch(r"Error: No such option:? '?--bogus'?\.?", line), line


# --- source and profiles -------------------------------------------------------------------


def test_source_option_fills_source_of_standalone_rail_items() -> None:
    result = run("parse", RAIL, "--source", "France 24")
    assert [r["source"] for r in jsonl(result)] == ["France 24"] * 8
    assert [r["source"] for r in jsonl(run("parse", RAIL))] == [None] * 8


def test_source_option_does_not_replace_a_cards_source() -> None:
    records = jsonl(run("parse", SEED, "--source", "Reuters", "--now", "2025-08-01T12:00:00Z"))
    assert {(r["kind"], r["source"]) for r in records} == {
        ("card", "LeMonde"),
        ("card", "France 24"),
        ("rail", "France 24"),
    }


def test_profile_tag_makes_a_flat_items_last_word_a_region(tmp_path: Path) -> None:
    page = tmp_path / "oceania.txt"
    page.write_text(OCEANIA_RAIL, encoding="utf-8")
    profile = tmp_path / "oceania.toml"
    profile.write_text('[regions]\ntags = ["Oceania"]\n', encoding="utf-8")

    plain = jsonl(run("parse", str(page)))[0]
    assert (plain["headline"], plain["region"]) == (
        "Cyclone forces evacuations along Queensland coast Oceania",
        None,
    )
    result = run("parse", str(page), "--profile", str(profile))
    assert result.exit_code == 0
    first = jsonl(result)[0]
    assert (first["headline"], first["region"], first["region_id"]) == (
        "Cyclone forces evacuations along Queensland coast",
        "Oceania",
        "oceania",
    )
    assert [r["region"] for r in jsonl(result)[1:]] == ["Europe", None]


def test_broken_toml_profile_exits_2_naming_the_file(tmp_path: Path) -> None:
    profile = tmp_path / "broken.toml"
    profile.write_text("[regions\ntags = ['Oceania']\n", encoding="utf-8")
    result = run("parse", RAIL, "--profile", str(profile))
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = error_lines(result)
    assert line.startswith(f"Error: {profile}: not a valid TOML profile (")
    assert "Traceback" not in result.stderr


def test_profile_with_wrong_shape_exits_2_naming_the_file(tmp_path: Path) -> None:
    profile = tmp_path / "shape.toml"
    profile.write_text('[regions]\ntags = "Oceania"\n', encoding="utf-8")
    result = run("parse", RAIL, "--profile", str(profile))
    assert result.exit_code == 2
    assert error_lines(result) == [f"Error: {profile}: tags must be a list of non-empty strings"]


def test_missing_profile_exits_2_naming_the_file(tmp_path: Path) -> None:
    profile = tmp_path / "absent.toml"
    result = run("parse", RAIL, "--profile", str(profile))
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"Error: {profile}: cannot read profile (No such file or directory)"
    ]


# --- residue -------------------------------------------------------------------------------


def test_residue_prints_line_column_tab_text_for_furniture(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "  Hashtags\nRelated Articles\n03/06/2025\nFerry workers end strike\nEurope\nRead more\n",
        encoding="utf-8",
    )
    result = run("parse", str(page), "--residue")
    assert result.exit_code == 0
    assert result.stdout == "1:3\tHashtags\n2:1\tRelated Articles\n6:1\tRead more\n"


def test_residue_is_empty_when_records_use_every_part() -> None:
    rail = Path(RAIL).read_text(encoding="utf-8").split("\n", 1)[1]  # without the 01:28
    result = run("parse", "--residue", input=rail)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_residue_shows_a_video_length_no_title_takes() -> None:
    assert run("parse", RAIL, "--residue").stdout == "1:1\t01:28\n"


def test_residue_of_the_seed_page_ends_with_its_furniture() -> None:
    result = run("parse", SEED, "--residue", "--now", "2025-08-01T12:00:00+02:00")
    lines = result.stdout.splitlines()
    assert lines[-6:] == [
        "18:1\tHashtags",
        "20:1\tTry Our AI Features",
        "21:1\tExplore what Daily8 AI can do for you:",
        "22:1\tComments",
        "23:1\tNo comments yet...",
        "24:1\tRelated Articles",
    ]
    assert lines[0] == "2:1\tMoscow not expecting 'breakthroughs' from Ukraine talks"
    assert not any("Ukraine awaits crucial vote" in line for line in lines)
    assert not any("31/07/2025" in line for line in lines)


# --- help and version ----------------------------------------------------------------------


def test_group_help_lists_parse() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ticker [OPTIONS] COMMAND [ARGS]...")
    assert "Turn scraped news-teaser text into dated headline records and feeds." in result.stdout
    assert re.search(r"^  parse\s+Parse teaser text", result.stdout, re.M)


def test_short_h_is_help() -> None:
    assert run("-h").stdout == run("--help").stdout


def test_parse_help_lists_every_option() -> None:
    result = run("parse", "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ticker parse [OPTIONS] [FILES]...")
    for option in ("--now", "--tz", "--source", "--profile", "--encoding", "--residue"):
        assert re.search(rf"^  {option} ", result.stdout, re.M), option
    assert "--format [jsonl|json|csv|table|summary]" in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ticker, version {__version__}\n"
    assert __version__ == "0.1.0"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe[regions]\n", "not a TOML profile (not UTF-8 at byte 0)"),
        (b'[region]\ntags = ["Gulf"]\n', "unknown table [region]"),
        (b'[regions]\ntag = ["Gulf"]\n', "unknown key 'tag' in [regions] (it may have tags)"),
        (b'[[source]]\nname = "X"\nalias = ["Y"]\n', "unknown key 'alias' in [source]"),
    ],
    ids=["not-utf8", "misspelt-table", "misspelt-key", "misspelt-source-key"],
)
def test_a_broken_profile_is_a_usage_error_naming_it(
    tmp_path: Path, data: bytes, message: str
) -> None:
    profile = tmp_path / "mine.toml"
    profile.write_bytes(data)
    result = run("parse", RAIL, "--profile", str(profile))
    assert result.exit_code == 2
    assert f"Error: {profile}: {message}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
def test_a_full_disk_on_stdout_is_one_line_and_exit_1() -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-c", "from ticker.cli import main; main()", "parse", RAIL],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == "ticker: output: No space left on device\n"
