"""The archive: every item ever ingested, one row each, in an SQLite file.

sqlite3 is used here and nowhere else. The file is in WAL mode, so the server's readers
never wait for a writer and a writer never waits for them. Each ingested input is one
transaction (``BEGIN IMMEDIATE`` … ``COMMIT``): a crash or a failing input leaves the
archive as it was before that input, never half of it.

Identity and merging are :mod:`ticker.unique`'s: an item's row is keyed by
:func:`~ticker.unique.item_id` (source + normalized headline, not the date), and an item
seen again is completed by :func:`~ticker.unique.merge` — what it lacked and the new
occurrence knows is filled in (a later rail gives a date to an item first seen as a card),
nothing it already knew is overwritten. So ingesting the same input twice adds and
updates nothing; only ``last_seen`` moves.

Rows keep the record both as columns (for SQL: ``source_id``, ``region_id``, ``date``…)
and as the JSON of :meth:`Record.to_dict`, which is what is read back. Times
(``first_seen``, ``last_seen``, ``changed``) are ISO 8601 in UTC, from the ``seen`` time
the caller passes in: the store never reads the clock.

The ``generation`` in ``meta`` goes up by one with each committed ingest that added or
updated something (a repeat leaves it alone), so a reader can tell cheaply whether what it
rendered is still current. ``schema_version`` says which layout the file has.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

import orjson

from .errors import StoreError
from .model import Record
from .profiles import slug
from .unique import item_id, merge

SCHEMA_VERSION = 1
#: what an ingest did to an item (the temporary ``touched`` table of one ingest)
_ADDED, _UPDATED, _UNCHANGED = 1, 2, 3
MEMORY = ":memory:"
#: seconds a writer waits for another writer's transaction to end
BUSY_TIMEOUT = 30.0

_SCHEMA = (
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    # seq: insertion order (page order within an input); batch: the generation of the
    # ingest that added the row, so items first seen in the same second keep ingest order
    """CREATE TABLE items (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        source TEXT,
        source_id TEXT,
        headline TEXT NOT NULL,
        date TEXT,
        published TEXT,
        region_id TEXT,
        record TEXT NOT NULL,
        batch INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        changed TEXT NOT NULL
    )""",
    "CREATE INDEX items_region ON items (region_id)",
    "CREATE INDEX items_source ON items (source_id)",
    "INSERT INTO meta (key, value) VALUES ('generation', 0)",
)


class Counts(NamedTuple):
    """What ingesting did: items new to the archive, completed, or already known."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: object) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(*(a + b for a, b in zip(self, other, strict=True)))

    def __str__(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"


class Stored(NamedTuple):
    """One archived item: its record and when the archive saw it."""

    id: str
    record: Record
    first_seen: dt.datetime
    last_seen: dt.datetime
    #: when it was added or last completed by a merge
    changed: dt.datetime


class Contents(NamedTuple):
    """Every item of one committed state of the archive, in feed order (see ``items``)."""

    generation: int
    items: list[Stored]


def _iso(when: dt.datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("archive times must be timezone-aware")
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _columns(record: Record) -> tuple[str | None, ...]:
    """The values of the record's columns, in table order: kind … region_id, record."""
    return (
        record.kind,
        record.source,
        slug(record.source or "") or None,
        record.headline,
        record.date.isoformat() if record.date else None,
        record.published.isoformat() if record.published else None,
        record.region_id,
        orjson.dumps(record.to_dict()).decode(),
    )


class Store:
    """An archive file, open for ingesting (the default) or read-only.

    ``Store(":memory:")`` is an archive that lives as long as the object (tests). A
    writable store creates the file and its schema when missing; a read-only one needs
    an existing archive. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        try:
            self._db = self._connect()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open ({exc})") from None
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"{self.path}: not a ticker archive ({exc})") from None
        except BaseException:
            self._db.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        if not self.readonly:
            return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        if not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no archive there (ticker ingest makes one)")
        uri = Path(self.path).resolve().as_uri() + "?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)

    def _version(self) -> int | None:
        try:
            row = self._db.execute("SELECT version FROM schema_version").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            return None
        return int(row[0]) if row else None

    def _prepare(self) -> None:
        if not self.readonly and self.path != MEMORY:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: consistent, durable at checkpoint
        version = self._version()
        if version is None and not self.readonly:
            with self._transaction():
                version = self._version()  # another process may have just made it
                if version is None:
                    self._create()
                    version = SCHEMA_VERSION
        if version is None:
            raise StoreError(f"{self.path}: not a ticker archive (no schema_version)")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: archive schema {version} is newer than this ticker's "
                f"({SCHEMA_VERSION}); upgrade ticker"
            )

    def _create(self) -> None:
        tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise StoreError(f"{self.path}: an SQLite file of something else, not an archive")
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))

    @contextmanager
    def _transaction(self, begin: str = "BEGIN IMMEDIATE") -> Iterator[None]:
        """One transaction: committed when the block ends, rolled back when it raises.
        A StoreError when another writer kept the archive for :data:`BUSY_TIMEOUT`."""
        try:
            self._db.execute(begin)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise StoreError(
                f"{self.path}: busy: another process has been writing to it for"
                f" {BUSY_TIMEOUT:g} s; try again later"
            ) from None
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------

    def ingest(self, records: Iterable[Record], *, seen: dt.datetime) -> Counts:
        """Add the items of one input, in one transaction; ``seen`` is when it was read.

        Records are taken as they come (an input of any size is ingested in bounded
        memory). An item new to the archive is added with ``first_seen = seen``. A known
        one is merged (:func:`~ticker.unique.merge`, the stored record first): it counts
        as updated only when the merge changed it. Either way its ``last_seen`` is
        ``seen``. Later occurrences of an item within the same input are folded into it
        (as :func:`~ticker.unique.unique` would) without being counted again; a temporary
        table, not memory, remembers which items this input has already touched.
        """
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        when = _iso(seen)
        counts = {_ADDED: 0, _UPDATED: 0, _UNCHANGED: 0}
        db = self._db
        with self._transaction():
            db.execute("CREATE TEMP TABLE IF NOT EXISTS touched (id TEXT PRIMARY KEY, how INT)")
            db.execute("DELETE FROM touched")
            batch = self.generation() + 1
            for record in records:
                ident = item_id(record)
                row = db.execute("SELECT record FROM items WHERE id = ?", (ident,)).fetchone()
                if row is None:
                    db.execute(
                        "INSERT INTO items (id, kind, source, source_id, headline, date,"
                        " published, region_id, record, batch, first_seen, last_seen, changed)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (ident, *_columns(record), batch, when, when, when),
                    )
                    db.execute("INSERT INTO touched VALUES (?, ?)", (ident, _ADDED))
                    counts[_ADDED] += 1
                    continue
                old = Record.from_dict(orjson.loads(row[0]))
                new = merge(old, record)
                mark = db.execute("SELECT how FROM touched WHERE id = ?", (ident,)).fetchone()
                if new != old:
                    db.execute(
                        "UPDATE items SET kind = ?, source = ?, source_id = ?, headline = ?,"
                        " date = ?, published = ?, region_id = ?, record = ?, last_seen = ?,"
                        " changed = ? WHERE id = ?",
                        (*_columns(new), when, when, ident),
                    )
                elif mark is None:
                    db.execute("UPDATE items SET last_seen = ? WHERE id = ?", (when, ident))
                if mark is None:
                    how = _UNCHANGED if new == old else _UPDATED
                    db.execute("INSERT INTO touched VALUES (?, ?)", (ident, how))
                    counts[how] += 1
                elif mark[0] == _UNCHANGED and new != old:
                    # an item this input first found unchanged is completed by a repeat
                    db.execute("UPDATE touched SET how = ? WHERE id = ?", (_UPDATED, ident))
                    counts[_UNCHANGED] -= 1
                    counts[_UPDATED] += 1
            if counts[_ADDED] or counts[_UPDATED]:
                db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (batch,))
        return Counts(counts[_ADDED], counts[_UPDATED], counts[_UNCHANGED])

    # --- reading ---------------------------------------------------------------------

    def generation(self) -> int:
        """The number of committed ingests that changed something (0 for a new archive)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0])

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM items").fetchone()[0])

    def contents(self) -> Contents:
        """The generation and every item, read in one transaction so they agree.

        Items come most recently first seen first (ties: later ingest first), and in page
        order within one ingest: feeds sort them by date, stably, so items of the same
        date end up ordered by ``first_seen``.
        """
        with self._transaction("BEGIN"):
            generation = self.generation()
            rows = self._db.execute(
                "SELECT id, record, first_seen, last_seen, changed FROM items"
                " ORDER BY first_seen DESC, batch DESC, seq ASC"
            ).fetchall()
        items = [
            Stored(
                ident, Record.from_dict(orjson.loads(data)), _time(first), _time(last), _time(ch)
            )
            for ident, data, first, last, ch in rows
        ]
        return Contents(generation, items)
