"""Feeds: the pure rules (text, categories, times, order), every writer read back with
feedparser, golden feeds, byte-identical reruns, hostile text, and `ticker feed`."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.goldens import FEED_SAMPLES, FEEDS, render_feed
from tests.samples import NOW, SAMPLES, parse_sample, sample_names
from ticker.cli import main
from ticker.feeds import (
    EPOCH,
    FORMATS,
    JSON_FEED_VERSION,
    KICKER_SCHEME,
    REGION_SCHEME,
    UNTITLED,
    Category,
    FeedInfo,
    categories,
    clean,
    entries,
    split,
    timeline,
    write_feeds,
)
from ticker.model import Record
from ticker.parsing import parse
from ticker.unique import item_id, unique

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
INFO = FeedInfo()
SEED = "000_14508f3cbf4abfa2"


def rec(headline: str = "Ferry strike ends", **fields: Any) -> Record:
    base: dict[str, Any] = dict.fromkeys(Record._fields)
    base.update(kind="rail", headline=headline, span=(0, 0), flags=())
    base.update(fields)
    return Record(**base)


# --- reading feeds back ----------------------------------------------------------------

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)\Z")


def check_json_feed(data: bytes) -> dict[str, Any]:
    """The JSON Feed 1.1 rules a program can check; returns the feed."""
    feed: dict[str, Any] = json.loads(data)
    assert next(iter(feed)) == "version"
    assert feed["version"] == JSON_FEED_VERSION
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    ids = [item["id"] for item in feed["items"]]
    assert all(isinstance(i, str) and i.strip() for i in ids)
    assert len(set(ids)) == len(ids), "item ids must be unique"
    for item in feed["items"]:
        assert isinstance(item.get("content_text"), str)
        assert RFC3339.match(item["date_published"]), item["date_published"]
        assert all(isinstance(t, str) for t in item.get("tags", []))
    return feed


def read_back(data: bytes, fmt: str) -> list[dict[str, Any]]:
    """Each entry as (id, title, UTC time, category terms): what a reader gets."""
    if fmt == "json":
        return [
            {
                "id": item["id"],
                "title": item["title"],
                "when": dt.datetime.fromisoformat(item["date_published"]).astimezone(dt.UTC),
                "terms": item.get("tags", []),
            }
            for item in check_json_feed(data)["items"]
        ]
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if fmt == "rss" else "atom10")
    return [
        {
            "id": e.id,
            "title": e.title,
            "when": dt.datetime(*e.published_parsed[:6], tzinfo=dt.UTC),
            "terms": [t.term for t in e.get("tags", [])],
        }
        for e in parsed.entries
    ]


def expected(items: Sequence[Record], info: FeedInfo = INFO) -> list[dict[str, Any]]:
    return [
        {
            "id": item_id(r),
            "title": r.headline,
            "when": r.published.astimezone(dt.UTC) if r.published else None,
            "terms": [c.term for c in categories(r)],
        }
        for r in timeline(items, info)
    ]


# --- text and categories ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Ferry strike ends", "Ferry strike ends"),
        ("Ferry\x1b strike\x00 ends", "Ferry strike ends"),
        ("tab\tand\nnewline  runs", "tab and newline runs"),
        ("C1\x85 and DEL\x7f", "C1 and DEL"),
        ("lone \ud800 surrogate", "lone surrogate"),
        ("nonchar \ufffe\uffff\ufdd0 \U0001fffe", "nonchar"),
        ("cafe\u0301", "café"),  # NFC
        ("<b>tags</b> & 'quotes'", "<b>tags</b> & 'quotes'"),  # escaping is the writer's job
        ("   ", ""),
        (None, ""),
    ],
)
def test_clean(text: str | None, cleaned: str) -> None:
    assert clean(text) == cleaned


@pytest.mark.parametrize(
    ("fields", "cats"),
    [
        ({}, ()),
        (
            {"region": "Middle East", "region_id": "middle-east"},
            (Category(REGION_SCHEME, "middle-east", "Middle East"),),
        ),
        (
            {"region": "Asia / Pacific", "region_id": "asia-pacific", "kicker": "Analysis"},
            (
                Category(REGION_SCHEME, "asia-pacific", "Asia / Pacific"),
                Category(KICKER_SCHEME, "analysis", "Analysis"),
            ),
        ),
        ({"region": "Économie"}, (Category(REGION_SCHEME, "economie", "Économie"),)),
        ({"kicker": "\x1b!!"}, ()),  # nothing left to make a term of
    ],
)
def test_categories(fields: dict[str, Any], cats: tuple[Category, ...]) -> None:
    assert categories(rec(**fields)) == cats


# --- times and order -------------------------------------------------------------------


def test_published_is_kept_to_the_second_in_its_own_offset() -> None:
    published = dt.datetime(2025, 8, 1, 10, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    (r,) = timeline([rec(published=published, source="France 24")], INFO)
    assert r.published == published.replace(microsecond=0)
    assert r.published.isoformat() == "2025-08-01T10:00:00+02:00"


@pytest.mark.parametrize(
    ("source", "time", "shown"),
    [
        ("France 24", None, "2025-07-31T00:00:00+02:00"),  # profile zone: Europe/Paris
        ("AP", None, "2025-07-31T00:00:00-04:00"),  # America/New_York
        ("Unknown Gazette", None, "2025-07-31T00:00:00+00:00"),  # feed zone
        (None, "14:05", "2025-07-31T14:05:00+00:00"),
        ("France 24", "14:05", "2025-07-31T14:05:00+02:00"),
        ("France 24", "not a time", "2025-07-31T00:00:00+02:00"),
    ],
)
def test_a_date_is_that_day_in_the_sources_zone(
    source: str | None, time: str | None, shown: str
) -> None:
    (r,) = timeline([rec(source=source, date=dt.date(2025, 7, 31), time=time)], INFO)
    assert r.published is not None and r.published.isoformat() == shown


def test_feed_zone_dates_sources_without_one() -> None:
    (r,) = timeline([rec(date=dt.date(2025, 7, 31))], FeedInfo(zone=NEW_YORK))
    assert r.published is not None and r.published.isoformat() == "2025-07-31T00:00:00-04:00"


def test_same_day_items_get_distinct_seconds_first_printed_latest() -> None:
    day = dt.date(2025, 7, 31)
    items = [rec(f"Item {i}", source="France 24", date=day) for i in range(4)]
    timed = timeline(items, INFO)
    assert [r.headline for r in timed] == ["Item 0", "Item 1", "Item 2", "Item 3"]
    assert [r.published.isoformat() for r in timed if r.published] == [
        "2025-07-31T00:00:03+02:00",
        "2025-07-31T00:00:02+02:00",
        "2025-07-31T00:00:01+02:00",
        "2025-07-31T00:00:00+02:00",
    ]


def test_newest_first_ties_in_page_order() -> None:
    paris = dt.datetime(2025, 8, 1, 10, tzinfo=PARIS)
    items = [
        rec("old rail", source="France 24", date=dt.date(2025, 7, 30)),
        rec("card A", source="France 24", published=paris),
        rec("new rail", source="France 24", date=dt.date(2025, 7, 31)),
        rec("card B", source="LeMonde", published=paris),
    ]
    timed = timeline(items, INFO)
    assert [r.headline for r in timed] == ["card A", "card B", "new rail", "old rail"]
    times = [r.published for r in timed]
    assert times[0] == paris + dt.timedelta(seconds=1) and times[1] == paris
    assert all(a > b for a, b in itertools.pairwise(times))


def test_undated_items_take_the_newest_time_in_the_feed() -> None:
    newest = dt.datetime(2025, 8, 1, 10, tzinfo=dt.UTC)
    items = [
        rec("dated", published=newest),
        rec("undated 1", kind="card", source="X"),
        rec("undated 2", kind="card", source="X"),
        rec("older", date=dt.date(2025, 7, 1)),
    ]
    timed = timeline(items, INFO)
    assert [r.headline for r in timed] == ["dated", "undated 1", "undated 2", "older"]
    assert [r.published for r in timed][:3] == [
        newest + dt.timedelta(seconds=2),
        newest + dt.timedelta(seconds=1),
        newest,
    ]


def test_with_nothing_dated_undated_items_take_info_undated() -> None:
    (r,) = timeline([rec(source="X")], INFO)
    assert r.published == EPOCH
    (r,) = timeline([rec(source="X")], FeedInfo(undated=NOW))
    assert r.published == NOW


def test_timeline_merges_repeats_and_is_idempotent_on_any_part() -> None:
    items = parse_sample(SEED)
    timed = timeline(items, INFO)
    assert len(timed) == len(unique(items)) < len(items)
    assert timeline(timed, INFO) == timed
    assert timeline(timed[3:9], INFO) == timed[3:9]


@pytest.mark.parametrize(
    "fields",
    [
        {"date": dt.date(1, 1, 1), "source": "France 24"},
        {"date": dt.date(9999, 12, 31), "source": "AP"},
        {"published": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5)))},
        {"published": dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)},
        {"published": dt.datetime(2025, 3, 30, 2, 30)},  # naive: read in the feed zone
        {"date": dt.date(1850, 1, 1), "source": "France 24"},  # Paris local mean time
    ],
)
def test_extreme_or_odd_times_are_written(fields: dict[str, Any]) -> None:
    items = [rec("one", **fields), rec("two", **fields)]
    for fmt, form in FORMATS.items():
        got = read_back(form.write(items, INFO), fmt)
        assert [e["title"] for e in got] == ["one", "two"]
        assert got[0]["when"] > got[1]["when"]


# --- entries and feed info -------------------------------------------------------------


def test_entries_carry_summary_else_headline_and_respect_limit() -> None:
    items = [
        rec("with summary", summary="Prose\x07 teaser.", date=dt.date(2025, 7, 31)),
        rec("without", date=dt.date(2025, 7, 30)),
        rec("\x1b", date=dt.date(2025, 7, 29)),
    ]
    es = entries(items, INFO)
    assert [(e.title, e.content, e.summary) for e in es] == [
        ("with summary", "Prose teaser.", "Prose teaser."),
        ("without", "without", None),
        (UNTITLED, UNTITLED, None),
    ]
    assert [e.title for e in entries(items, FeedInfo(limit=2))] == ["with summary", "without"]


def test_link_template_percent_encodes_each_field() -> None:
    info = FeedInfo(link_template="https://duckduckgo.com/?q={headline}&s={source}")
    (e,) = entries([rec("Gaza: 50% & more", source="France 24")], info)
    assert e.link == "https://duckduckgo.com/?q=Gaza%3A%2050%25%20%26%20more&s=France%2024"


@pytest.mark.parametrize(
    "fields",
    [
        {"link": "ticker.invalid"},
        {"link": "ftp://ticker.invalid/"},
        {"self_url": "/feeds/all.rss"},
        {"link_template": "https://x.invalid/?q={title}"},
        {"link_template": "https://x.invalid/?q={headline"},
        {"link_template": "{headline}"},
        {"language": "English please"},
        {"ttl": 0},
        {"limit": 0},
        {"undated": dt.datetime(2025, 1, 1)},
    ],
)
def test_feed_info_refuses_what_would_make_an_invalid_feed(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        FeedInfo(**fields)


# --- every writer, read back -----------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", sample_names())
def test_sample_feeds_read_back_with_same_ids_titles_dates_categories(name: str, fmt: str) -> None:
    items = parse_sample(name)
    assert read_back(FORMATS[fmt].write(items, INFO), fmt) == expected(items)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_ids_are_the_same_in_every_format_and_split_file(fmt: str) -> None:
    items = [r for name in sample_names() for r in parse_sample(name)]
    full = read_back(FORMATS[fmt].write(items, INFO), fmt)
    by_id = {e["id"]: e for e in full}
    parts = split(items, INFO, "region", FORMATS[fmt].suffix)
    assert [p.path for p in parts][:3] == [f"all{FORMATS[fmt].suffix}"] + [
        f"region/{r}{FORMATS[fmt].suffix}" for r in ("africa", "americas")
    ]
    for part in parts[1:]:
        got = read_back(FORMATS[fmt].write(part.items, part.info), fmt)
        assert got and all(by_id[e["id"]] == e for e in got)  # same time in every file
        assert all(part.path.split("/")[1].split(".")[0] in e["terms"] for e in got)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_empty_feed_is_valid(fmt: str) -> None:
    assert read_back(FORMATS[fmt].write([], INFO), fmt) == []


def test_empty_xml_feeds_are_dated_by_undated_not_the_clock() -> None:
    rss = feedparser.parse(FORMATS["rss"].write([], FeedInfo(undated=NOW)))
    atom = feedparser.parse(FORMATS["atom"].write([], FeedInfo(undated=NOW)))
    assert rss.feed.updated == "Fri, 01 Aug 2025 12:00:00 +0200"
    assert atom.feed.updated == "2025-08-01T12:00:00+02:00"


HOSTILE = [
    "Ferry\x1b strike\x00 ends\x07",
    "C1 \x85\x9f controls and DEL \x7f",
    "<script>alert(1)</script> & <b>bold</b> ]]> &amp;",
    "RTL \u202e override, zero\u200b width, BOM \ufeff",
    "Emoji 🗞️ and CJK 下午3:56 and combining e\u0301",
    "nonchar \ufffe\uffff\U0010ffff",
]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_control_characters_and_odd_unicode_give_valid_feeds(fmt: str) -> None:
    items = [
        rec(h, source=f"Src{i}\x1b", summary=h, region=h, kicker=h, date=dt.date(2025, 7, 31))
        for i, h in enumerate(HOSTILE)
    ]
    got = read_back(FORMATS[fmt].write(items, INFO), fmt)
    assert [e["id"] for e in got] == [item_id(r) for r in items]
    if fmt == "json":
        assert [e["title"] for e in got] == [clean(h) for h in HOSTILE]


def test_rss_description_is_the_html_escaped_summary() -> None:
    item = rec(summary="Profits <up> 5% & more", date=dt.date(2025, 7, 31))
    (e,) = feedparser.parse(FORMATS["rss"].write([item], INFO)).entries
    assert e.summary == "Profits &lt;up&gt; 5% &amp; more"  # shown as the text it is


def test_channel_options_reach_every_format() -> None:
    info = FeedInfo(
        title="My headlines",
        link="https://news.example/",
        self_url="https://news.example/feed",
        description="What the pages said",
        language="fr-FR",
        ttl=30,
        link_template="https://duckduckgo.com/?q={headline}",
    )
    items = [rec(source="France 24", date=dt.date(2025, 7, 31))]
    rss = feedparser.parse(FORMATS["rss"].write(items, info))
    assert (rss.feed.title, rss.feed.link, rss.feed.subtitle) == (
        "My headlines",
        "https://news.example/",
        "What the pages said",
    )
    assert (rss.feed.language, rss.feed.ttl) == ("fr-FR", "30")
    assert rss.entries[0].link == "https://duckduckgo.com/?q=Ferry%20strike%20ends"
    assert rss.entries[0].author == "France 24"
    atom = feedparser.parse(FORMATS["atom"].write(items, info))
    assert atom.feed.id == "https://news.example/feed"
    assert {(link.rel, link.href) for link in atom.feed.links} == {
        ("alternate", "https://news.example/"),
        ("self", "https://news.example/feed"),
    }
    assert atom.entries[0].link == "https://duckduckgo.com/?q=Ferry%20strike%20ends"
    assert atom.entries[0].author == "France 24"
    doc = check_json_feed(FORMATS["json"].write(items, info))
    assert (doc["home_page_url"], doc["feed_url"], doc["language"]) == (
        "https://news.example/",
        "https://news.example/feed",
        "fr-FR",
    )
    assert doc["items"][0]["url"] == "https://duckduckgo.com/?q=Ferry%20strike%20ends"
    assert doc["items"][0]["authors"] == [{"name": "France 24"}]


def test_rss_guid_is_not_a_permalink() -> None:
    data = FORMATS["rss"].write([rec(date=dt.date(2025, 7, 31))], INFO)
    assert b'<guid isPermaLink="false">tag:ticker.invalid,2025:item/' in data


# --- goldens and determinism -----------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", FEED_SAMPLES)
def test_golden_feeds(name: str, fmt: str) -> None:
    golden = (FEEDS / f"{name}{FORMATS[fmt].suffix}").read_bytes()
    assert render_feed(name, fmt) == golden, "run `make goldens` and read the diff"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_two_runs_give_identical_bytes(fmt: str) -> None:
    items = [r for name in sample_names() for r in parse_sample(name)]
    assert FORMATS[fmt].write(items, INFO) == FORMATS[fmt].write(list(items), INFO)


def test_rendering_from_threads_gives_the_same_bytes() -> None:
    items = parse_sample(SEED)
    one = FORMATS["rss"].write(items, INFO)
    barrier = threading.Barrier(8)

    def render(_: int) -> bytes:
        barrier.wait()
        return FORMATS["rss"].write(items, INFO)

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(render, range(8))) == {one}


# --- any record whatever ---------------------------------------------------------------

text = st.text(max_size=30)  # any code point but surrogates, controls included
zones = st.sampled_from([dt.UTC, PARIS, NEW_YORK, ZoneInfo("Asia/Kathmandu")])
records = st.builds(
    rec,
    headline=text,
    kind=st.sampled_from(["rail", "card"]),
    source=st.none() | text,
    date=st.none() | st.dates(),
    time=st.none() | st.sampled_from(["00:00", "23:59", "12:30", "25:99"]) | text,
    published=st.none() | st.datetimes(timezones=zones) | st.datetimes(),
    region=st.none() | text,
    region_id=st.none() | text,
    kicker=st.none() | text,
    summary=st.none() | text,
)


@settings(max_examples=60)
@given(st.lists(records, max_size=6))
def test_any_records_make_well_formed_feeds(items: list[Record]) -> None:
    n = len(unique(items))
    for fmt, form in FORMATS.items():
        got = read_back(form.write(items, INFO), fmt)
        assert len(got) == n
        assert len({e["id"] for e in got}) == n


# --- ticker feed -----------------------------------------------------------------------

CLI_NOW = ("--now", "2025-08-01T12:00:00+02:00")


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=input, prog_name="ticker")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_feed_to_stdout_is_the_library_feed(fmt: str) -> None:
    result = run("feed", *CLI_NOW, "--format", fmt, str(SAMPLES / f"{SEED}.txt"))
    assert result.exit_code == 0
    items = parse(Path(SAMPLES / f"{SEED}.txt").read_text("utf-8"), now=NOW)
    assert result.stdout_bytes == FORMATS[fmt].write(unique(items), FeedInfo(undated=NOW))
    assert result.stderr == "ticker: ages resolved against 2025-08-01T12:00:00+02:00 (--now)\n"


def test_feed_to_a_file_is_atomic_and_prints_its_path(tmp_path: Path) -> None:
    out = tmp_path / "feeds" / "news.atom"
    result = run("feed", *CLI_NOW, "--format", "atom", "-o", str(out), str(SAMPLES / f"{SEED}.txt"))
    assert result.exit_code == 0
    assert result.stdout == f"{out}\n"
    assert read_back(out.read_bytes(), "atom")
    assert [p.name for p in out.parent.iterdir()] == ["news.atom"]  # no temporary left
    assert out.stat().st_mode & 0o777 == 0o644


def test_split_region_writes_all_and_one_file_per_region(tmp_path: Path) -> None:
    files = [str(p) for p in sorted(SAMPLES.glob("*.txt"))]
    result = run(
        "feed", *CLI_NOW, "--split", "region", "--self-url", "https://x.invalid/f/",
        "-o", str(tmp_path), *files,
    )  # fmt: skip
    assert result.exit_code == 0
    regions = sorted({r.region_id for n in sample_names() for r in parse_sample(n) if r.region_id})
    assert {"africa", "europe", "middle-east", "uk"} <= set(regions)
    assert result.stdout.splitlines() == [str(tmp_path / "all.rss")] + [
        str(tmp_path / "region" / f"{r}.rss") for r in regions
    ]
    uk = feedparser.parse((tmp_path / "region" / "uk.rss").read_bytes())
    assert uk.feed.title == "ticker: UK"
    assert [link.href for link in uk.feed.links if link.rel == "self"] == [
        "https://x.invalid/f/region/uk.rss"
    ]


def test_split_source_skips_items_without_source(tmp_path: Path) -> None:
    result = run(
        "feed", *CLI_NOW, "--split", "source", "--format", "json", "-o", str(tmp_path),
        str(SAMPLES / "daily8-glued-lines.txt"), str(SAMPLES / "f24-rail-lines.txt"),
    )  # fmt: skip
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "source").iterdir())
    assert names == ["axios.json", "france-24.json", "reuters.json"]
    every = check_json_feed((tmp_path / "all.json").read_bytes())["items"]
    split_ids = {
        item["id"]
        for name in names
        for item in check_json_feed((tmp_path / "source" / name).read_bytes())["items"]
    }
    assert len(every) == len(split_ids) + 8  # the 8 source-less rail items are only in all


def test_two_cli_runs_write_identical_files(tmp_path: Path) -> None:
    seed = str(SAMPLES / f"{SEED}.txt")
    for n in (1, 2):
        run("feed", *CLI_NOW, "--split", "region", "-o", str(tmp_path / str(n)), seed)
    first = sorted(p.relative_to(tmp_path / "1") for p in (tmp_path / "1").rglob("*.rss"))
    assert first
    for rel in first:
        assert (tmp_path / "1" / rel).read_bytes() == (tmp_path / "2" / rel).read_bytes()


def test_empty_stdin_gives_a_valid_feed() -> None:
    result = run("feed", "--format", "atom", input="")
    assert (result.exit_code, result.stderr) == (1, "ticker: - at byte 0: empty, no text\n")
    assert read_back(result.stdout_bytes, "atom") == []
    assert feedparser.parse(result.stdout_bytes).feed.updated == EPOCH.isoformat()


def test_control_characters_on_stdin_give_a_valid_feed() -> None:
    result = run("feed", "--source", "AP", input="31/07/2025 Ferry\x1b strike\x07 ends\n")
    assert result.exit_code == 1  # warned of, and read as spaces
    assert result.stderr.count("control character") == 2
    (e,) = read_back(result.stdout_bytes, "rss")
    assert e["title"] == "Ferry strike ends"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--split", "region"), "--split writes several files: give -o DIR"),
        (("--link", "not a url"), "link must be an absolute http(s) URL"),
        (("--link-template", "https://x.invalid/{nope}"), "link template may use only"),
        (("--language", "english!"), "is not a language tag"),
        (("--ttl", "0"), "Invalid value for '--ttl'"),
        (("--format", "yaml"), "Invalid value for '--format'"),
    ],
)
def test_feed_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run("feed", *args, input="")
    assert result.exit_code == 2
    assert message in result.stderr


def test_unwritable_output_exits_1_naming_it(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("feed", "-o", str(blocker / "feed.rss"), input="31/07/2025 Ferry strike ends\n")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ticker: cannot write {blocker}")


def test_feed_help_lists_every_option() -> None:
    result = run("feed", "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ticker feed [OPTIONS] [FILES]...")
    for option in (
        "--format", "--output", "--split", "--title", "--link", "--self-url", "--description",
        "--language", "--ttl", "--limit", "--link-template", "--now", "--tz", "--profile",
    ):  # fmt: skip
        assert re.search(rf"^\s+(-o, )?{option}\b", result.stdout, re.M), option
    assert re.search(r"^  feed\s+Write a feed", run("--help").stdout, re.M)


def test_write_feeds_returns_the_paths_it_wrote(tmp_path: Path) -> None:
    items = parse_sample("f24-rail-lines")
    paths = write_feeds(items, INFO, "json", tmp_path, "region")
    assert paths == [tmp_path / "all.json"] + [
        tmp_path / "region" / f"{r}.json" for r in ("europe", "france", "middle-east")
    ]
    assert all(check_json_feed(p.read_bytes()) for p in paths)


def test_a_run_whose_every_input_failed_keeps_the_last_good_feed(tmp_path: Path) -> None:
    out = tmp_path / "cron.rss"
    good = str(SAMPLES / "f24-rail-lines.txt")
    assert run("feed", *CLI_NOW, good, "-o", str(out)).exit_code == 0
    before = out.read_bytes()
    failed = run("feed", *CLI_NOW, str(tmp_path / "gone.txt"), "-o", str(out))
    assert failed.exit_code == 1
    assert failed.stderr.splitlines()[-1] == f"ticker: no input could be read: {out} left as it was"
    assert out.read_bytes() == before and len(read_back(before, "rss")) == 8


@pytest.mark.parametrize(
    ("name", "fmt"), [("f.atom", "atom"), ("f.json", "json"), ("f.xml", "rss")]
)
def test_the_output_suffix_picks_the_format_unless_format_is_given(
    tmp_path: Path, name: str, fmt: str
) -> None:
    out = tmp_path / name
    assert run("feed", *CLI_NOW, str(SAMPLES / "f24-rail-lines.txt"), "-o", str(out)).exit_code == 0
    assert len(read_back(out.read_bytes(), fmt)) == 8
    given = run(
        "feed", *CLI_NOW, "--format", "rss", str(SAMPLES / "f24-rail-lines.txt"), "-o", str(out)
    )
    assert given.exit_code == 0 and len(read_back(out.read_bytes(), "rss")) == 8


def test_a_split_rewritten_drops_the_feeds_of_regions_no_longer_there(tmp_path: Path) -> None:
    tagged, untagged = (
        SAMPLES / "f24-rail-regions-lines.txt",
        SAMPLES / "f24-rail-untagged-lines.txt",
    )
    assert (
        run("feed", *CLI_NOW, str(tagged), "--split", "region", "-o", str(tmp_path)).exit_code == 0
    )
    assert len(list((tmp_path / "region").glob("*.rss"))) > 1
    (tmp_path / "region" / "notes.txt").write_text("mine")
    again = run("feed", *CLI_NOW, str(untagged), "--split", "region", "-o", str(tmp_path))
    assert again.exit_code == 0
    assert list((tmp_path / "region").glob("*.rss")) == []  # the untagged rail has no region
    assert (tmp_path / "region" / "notes.txt").read_text() == "mine"  # only feeds go
