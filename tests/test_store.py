"""The archive: ingesting the samples, repeats that change nothing, merging a later rail's
date into a card, one transaction per input, the schema, and `ticker ingest`."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.samples import NOW, SAMPLES, parse_sample, sample_names
from ticker import store as store_module
from ticker.cli import main
from ticker.errors import StoreError
from ticker.model import Record
from ticker.parsing import parse
from ticker.store import SCHEMA_VERSION, Counts, Store
from ticker.unique import item_id, unique

SEED = "000_14508f3cbf4abfa2"
T1 = dt.datetime(2025, 8, 1, 10, 0, tzinfo=dt.UTC)
T2 = T1 + dt.timedelta(hours=1)
T3 = T1 + dt.timedelta(hours=2)

CARD = """Related Articles
France 24
2 hours ago
- France 24
Ferry workers end week-long strike after overnight talks
Unions and the operator agreed on a new pay scale after twelve hours of talks. Crossings resume on Monday.
"""
RAIL = """31/07/2025
Ferry workers end week-long strike after overnight talks
Europe
30/07/2025
Mayors of riverside towns vote on joint flood defence plan
France
"""
FERRY = "Ferry workers end week-long strike after overnight talks"


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as s:
        yield s


def ingest_samples(store: Store, seen: dt.datetime) -> Counts:
    total = Counts()
    for name in sample_names():
        total += store.ingest(parse_sample(name), seen=seen)
    return total


def snapshot(store: Store) -> list[tuple[str, dict[str, object], str, str]]:
    return [
        (s.id, s.record.to_dict(), s.first_seen.isoformat(), s.changed.isoformat())
        for s in store.contents().items
    ]


def test_the_seed_adds_each_of_its_items_once(store: Store) -> None:
    records = parse_sample(SEED)
    counts = store.ingest(records, seen=T1)
    assert counts == Counts(added=len(unique(records)), updated=0, unchanged=0)
    assert len(store) == counts.added
    assert {s.id for s in store.contents().items} == {item_id(r) for r in records}


def test_ingesting_the_samples_twice_changes_nothing(store: Store) -> None:
    first = ingest_samples(store, T1)
    assert first.added == len(store) > 100
    before, generation = snapshot(store), store.generation()

    again = ingest_samples(store, T2)

    assert (again.added, again.updated) == (0, 0)
    assert again.unchanged == first.added + first.updated + first.unchanged
    assert store.generation() == generation
    assert snapshot(store) == before
    assert {s.last_seen for s in store.contents().items} == {T2}


def test_a_later_rail_gives_its_date_to_an_item_first_seen_as_a_card(store: Store) -> None:
    card = parse(CARD, now=NOW)
    rail = parse(RAIL, now=NOW, source="France 24")
    assert [r.kind for r in card] == ["card"] and card[0].date is None

    assert store.ingest(card, seen=T1) == Counts(added=1)
    assert store.ingest(rail, seen=T2) == Counts(added=1, updated=1)
    assert store.ingest(rail, seen=T3) == Counts(unchanged=2)
    assert store.generation() == 2  # the repeat did not count

    ferry = next(s for s in store.contents().items if s.record.headline == FERRY)
    assert ferry.id == item_id(card[0])
    r = ferry.record
    # what the card knew stays; what only the rail knew is filled in
    assert (r.kind, r.age, r.summary) == ("card", "2 hours ago", card[0].summary)
    assert (r.date, r.region, r.region_id) == (dt.date(2025, 7, 31), "Europe", "europe")
    # the card's age put it on Aug 1, the rail prints Jul 31: the printed day wins, and
    # the item is dated by its day
    assert card[0].published is not None and card[0].published.date() == dt.date(2025, 8, 1)
    assert r.published is None and "age_resolved" not in r.flags
    assert (ferry.first_seen, ferry.changed, ferry.last_seen) == (T1, T2, T3)


def test_the_rail_first_then_the_card_adds_only_what_the_rail_lacked(store: Store) -> None:
    store.ingest(parse(RAIL, now=NOW, source="France 24"), seen=T1)
    assert store.ingest(parse(CARD, now=NOW), seen=T2) == Counts(updated=1)
    r = next(s.record for s in store.contents().items if s.record.headline == FERRY)
    assert (r.kind, r.date, r.region, r.age) == (
        "rail",
        dt.date(2025, 7, 31),
        "Europe",
        "2 hours ago",
    )


def test_ingest_is_deterministic_with_an_injected_clock(tmp_path: Path) -> None:
    dumps = []
    for name in ("a.db", "b.db"):
        with Store(tmp_path / name) as s:
            for i, sample in enumerate(sample_names()):
                s.ingest(parse_sample(sample), seen=T1 + dt.timedelta(seconds=i))
        with sqlite3.connect(tmp_path / name) as db:
            dumps.append("\n".join(db.iterdump()))
    assert dumps[0] == dumps[1]


def test_items_come_newest_ingest_first_then_in_page_order(store: Store) -> None:
    store.ingest(parse(RAIL, now=NOW, source="France 24"), seen=T1)
    store.ingest(parse(CARD, now=NOW), seen=T2)  # completes an old item: order stays
    store.ingest(parse("29/07/2025\nA later page's item\nAfrica\n", now=NOW), seen=T2)
    headlines = [s.record.headline for s in store.contents().items]
    assert headlines == [
        "A later page's item",
        FERRY,
        "Mayors of riverside towns vote on joint flood defence plan",
    ]


def test_one_transaction_per_input(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.ingest(parse(CARD, now=NOW), seen=T1)
    calls = []

    def failing(record: Record) -> str:
        calls.append(record)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return item_id(record)

    monkeypatch.setattr(store_module, "item_id", failing)
    with pytest.raises(RuntimeError):
        store.ingest(parse(RAIL, now=NOW, source="France 24"), seen=T2)
    assert len(store) == 1 and store.generation() == 1  # the first item was rolled back
    (only,) = store.contents().items
    assert only.record.date is None and only.last_seen == T1


def test_times_are_utc_iso_and_must_be_aware(store: Store) -> None:
    paris = dt.timezone(dt.timedelta(hours=2))
    store.ingest(parse(CARD, now=NOW), seen=dt.datetime(2025, 8, 1, 12, 0, tzinfo=paris))
    assert store.contents().items[0].first_seen == T1
    with pytest.raises(ValueError, match="timezone-aware"):
        store.ingest(parse(CARD, now=NOW), seen=dt.datetime(2025, 8, 1))


def test_the_file_is_wal_with_a_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        columns = {row[1] for row in db.execute("PRAGMA table_info(items)")}
    assert {"id", "source_id", "region_id", "date", "record", "first_seen", "last_seen"} <= columns


def test_columns_and_json_agree(store: Store) -> None:
    store.ingest(parse(RAIL, now=NOW, source="France 24"), seen=T1)
    row = store._db.execute(
        "SELECT source, source_id, region_id, date FROM items WHERE headline = ?", (FERRY,)
    ).fetchone()
    assert row == ("France 24", "france-24", "europe", "2025-07-31")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.write_text("not a database, just text\n" * 10), "not a ticker archive"),
        (
            lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)").connection.commit(),
            "something else",
        ),
        (
            lambda p: (Store(p).close(), _set_version(p, SCHEMA_VERSION + 1)),
            "newer than this ticker",
        ),
    ],
    ids=["text", "other-sqlite", "newer-schema"],
)
def test_files_that_are_not_archives_are_refused(
    tmp_path: Path, setup: object, message: str
) -> None:
    path = tmp_path / "x.db"
    setup(path)  # type: ignore[operator]
    with pytest.raises(StoreError, match=message):
        Store(path)


def _set_version(path: Path, version: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE schema_version SET version = ?", (version,))


def test_a_file_that_cannot_be_opened(tmp_path: Path) -> None:
    with pytest.raises(
        StoreError, match=r"nowhere/a\.db: cannot open \(unable to open database file\)"
    ):
        Store(tmp_path / "nowhere" / "a.db")


def test_read_only_archives(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no archive there"):
        Store(tmp_path / "missing.db", readonly=True)
    path = tmp_path / "a.db"
    Store(path).close()
    with Store(path, readonly=True) as ro:
        assert ro.generation() == 0 and len(ro) == 0
        with pytest.raises(StoreError, match="read-only"):
            ro.ingest(parse(CARD, now=NOW), seen=T1)


def test_a_reader_sees_each_commit(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store(path) as writer, Store(path, readonly=True) as reader:
        assert reader.generation() == 0
        writer.ingest(parse(CARD, now=NOW), seen=T1)
        contents = reader.contents()
        assert (contents.generation, len(contents.items)) == (1, 1)


# --- ticker ingest -------------------------------------------------------------------


def test_ingest_reports_what_it_did(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "t.db")
    seed = str(SAMPLES / f"{SEED}.txt")
    args = ["ingest", "--db", db, "--now", "2025-08-01T12:00:00+02:00", seed]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    added = len(unique(parse_sample(SEED)))
    assert (
        first.stdout
        == f"{db}: {added} added, 0 updated, 0 unchanged (1 input; {added} items in the archive)\n"
    )
    assert "ages resolved against 2025-08-01T12:00:00+02:00 (--now)" in first.stderr
    again = runner.invoke(main, args)
    assert (
        again.stdout
        == f"{db}: 0 added, 0 updated, {added} unchanged (1 input; {added} items in the archive)\n"
    )


def test_ingest_goes_on_past_a_bad_input_and_exits_1(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    rail = str(SAMPLES / "f24-rail-lines.txt")
    result = CliRunner().invoke(main, ["ingest", "--db", db, str(tmp_path / "nope.txt"), rail])
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr
    added = len(unique(parse_sample("f24-rail-lines")))
    assert result.stdout.startswith(f"{db}: {added} added, 0 updated, 0 unchanged (2 inputs;")


def test_ingest_of_many_inputs_shows_progress_on_stderr(tmp_path: Path) -> None:
    files = [str(SAMPLES / f"{n}.txt") for n in sample_names()]
    result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "t.db"), *files])
    assert result.exit_code == 0, result.output
    assert "ingesting" in result.stderr and "ingesting" not in result.stdout
    assert f"({len(files)} inputs;" in result.stdout


def test_ingest_refuses_a_file_that_is_not_an_archive(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    db.write_text("hello\n" * 100)
    result = CliRunner().invoke(main, ["ingest", "--db", str(db), str(SAMPLES / f"{SEED}.txt")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ticker: {db}: not a ticker archive")


def test_ingest_takes_records_as_they_come(store: Store) -> None:
    """An input of any size: the store never holds all its records at once."""
    seen_rows: list[int] = []

    def records() -> Iterator[Record]:
        for r in parse_sample(SEED):
            # each record is written before the next one is asked for
            seen_rows.append(store._db.execute("SELECT count(*) FROM items").fetchone()[0])
            yield r

    assert store.ingest(records(), seen=T1) == Counts(added=11)
    assert seen_rows[:3] == [0, 1, 2] and seen_rows[-1] == 11


def test_occurrences_within_one_input_are_one_item(store: Store) -> None:
    records = parse(CARD, now=NOW) + parse(RAIL, now=NOW, source="France 24")
    assert store.ingest(records, seen=T1) == Counts(added=2)
    ferry = next(s for s in store.contents().items if s.record.headline == FERRY)
    assert (ferry.record.kind, ferry.record.date) == ("card", dt.date(2025, 7, 31))
    assert store.ingest(records, seen=T2) == Counts(unchanged=2)


def test_a_repeat_that_completes_an_unchanged_item_counts_as_updated(store: Store) -> None:
    card = parse(CARD, now=NOW)
    rail = parse(RAIL, now=NOW, source="France 24")
    store.ingest(card, seen=T1)
    # the card again (unchanged), then the rail in the same input (it adds the date)
    assert store.ingest(card + rail, seen=T2) == Counts(added=1, updated=1)
