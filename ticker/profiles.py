"""Vocabularies and source profiles, loaded from TOML data files.

Everything a page's wording decides — region tags, kickers, page furniture, the words that
keep a tag word inside a headline, and per source its name, aliases, time zone and numeric
date order — lives in ``ticker/profiles/*.toml``. A user adds their own with
``--profile FILE`` (same keys); :func:`load_vocabulary` merges them all into one
:class:`Vocabulary` that the parser only reads.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import regex

from .errors import ProfileError

DATE_ORDERS = ("DMY", "MDY")


def slug(text: str) -> str:
    """A stable id for a printed label: ``"Asia / Pacific"`` -> ``"asia-pacific"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "-".join(regex.findall(r"[^\W_]+", ascii_only.casefold()))


@dataclass(frozen=True, slots=True)
class Source:
    """What ticker knows of one publisher."""

    name: str
    zone: ZoneInfo | None = None
    date_order: str | None = None


@dataclass(slots=True)
class Vocabulary:
    """The merged vocabulary the parser consults. Build it with :func:`load_vocabulary`."""

    date_order: str = "DMY"
    #: printed tag -> region id
    regions: dict[str, str] = field(default_factory=dict)
    kickers: set[str] = field(default_factory=set)
    #: furniture phrases, longest first, and their whitespace-collapsed casefolded forms
    furniture: list[str] = field(default_factory=list)
    furniture_keys: set[str] = field(default_factory=set)
    furniture_longest: int = 0
    furniture_lengths: set[int] = field(default_factory=set)
    #: last word of a furniture phrase (as printed) -> the phrases, longest first
    furniture_by_last_word: dict[str, list[str]] = field(default_factory=dict)
    #: casefolded words a headline never ends with
    function_words: set[str] = field(default_factory=set)
    #: casefolded words after which a tag word stays in the headline (function words too)
    keep_after: set[str] = field(default_factory=set)
    #: casefolded words that usually open a sentence
    sentence_starters: set[str] = field(default_factory=set)
    #: casefolded name or alias -> source
    sources: dict[str, Source] = field(default_factory=dict)
    #: last word of a tag -> [(words of the tag, tag)], longest tag first
    tags_by_last_word: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    kickers_by_last_word: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    #: the parser's cache of what a word says about a tag word after it
    word_kinds: dict[str, str] = field(default_factory=dict)
    #: section labels (they become a record's region too)
    sections: set[str] = field(default_factory=set)
    #: label -> region id, for labels that name the same section as another ("Sports")
    region_ids: dict[str, str] = field(default_factory=dict)
    #: casefolded month name or abbreviation -> month number
    months: dict[str, int] = field(default_factory=dict)
    #: month names and abbreviations as printed
    month_names: set[str] = field(default_factory=set)
    weekdays: set[str] = field(default_factory=set)
    #: zone abbreviation -> UTC offset
    zones: dict[str, dt.timezone] = field(default_factory=dict)
    #: phrases that end a teaser ("Read the article")
    terminators: list[str] = field(default_factory=list)

    def is_label(self, text: str) -> bool:
        """A region tag or a section label."""
        return text in self.regions or text in self.sections

    def source(self, name: str | None) -> Source | None:
        """The profile of a source by any of its printed names, if known."""
        return self.sources.get(" ".join(name.split()).casefold()) if name else None

    def canonical_source(self, printed: str) -> str:
        """The profile's name for a printed source name (the printed name if unknown)."""
        known = self.source(printed)
        return known.name if known else " ".join(printed.split())

    def is_furniture(self, text: str) -> bool:
        if len(text) > self.furniture_longest:  # most lines: too long to be furniture
            return False
        key = " ".join(text.split())
        return len(key) in self.furniture_lengths and key.casefold() in self.furniture_keys

    def region_id(self, tag: str) -> str:
        return self.region_ids.get(tag) or self.regions.get(tag) or slug(tag)

    def _index(self) -> None:
        for tag, rid in list(self.regions.items()):
            for variant in _spellings(tag):
                self.regions.setdefault(variant, rid)
        self.tags_by_last_word = _by_last_word(self.regions)
        self.kickers_by_last_word = _by_last_word(self.kickers)
        self.furniture.sort(key=len, reverse=True)
        self.furniture_keys = {" ".join(f.split()).casefold() for f in self.furniture}
        # a printed line of furniture is at most this long (room for odd spacing)
        self.furniture_longest = 2 * max((len(f) for f in self.furniture), default=0) + 8
        self.furniture_lengths = {len(k) for k in self.furniture_keys}
        self.furniture_by_last_word = {}
        for phrase in self.furniture:  # longest first, as sorted above
            self.furniture_by_last_word.setdefault(phrase.split()[-1], []).append(phrase)


#: How the parts of a multi-word tag are joined in print: "Asia / Pacific", "Asia-Pacific",
#: "Asia/Pacific", "Asia - Pacific", "Asia Pacific".
_JOINS = (" ", "/", " / ", "-", " - ", "–", " – ")


def _spellings(tag: str) -> list[str]:
    """The other printed spellings of a multi-word tag: its words joined by a space, a slash
    or a dash (spaced or not), the later words capitalised or not ("Asia-pacific"), or all in
    capitals. They are the same region; the record keeps the spelling printed."""
    parts = regex.findall(r"[^\W_]+", tag)
    if len(parts) < 2:
        return []
    cases = dict.fromkeys(
        [tuple(parts), (parts[0], *(w.lower() for w in parts[1:])), tuple(w.upper() for w in parts)]
    )
    return [join.join(words) for words in cases for join in _JOINS]


def _by_last_word(labels: Iterable[str]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for label in labels:
        words = tuple(label.split())
        index.setdefault(words[-1], []).append((words, label))
    for entries in index.values():
        entries.sort(key=lambda e: len(e[0]), reverse=True)
    return index


def _strings(data: dict[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ProfileError(f"{where}: {key} must be a list of non-empty strings")
    return [" ".join(v.split()) for v in value]


def _zone(name: Any, where: str) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ProfileError(f"{where}: unknown time zone {name!r}") from exc


def _offset(value: Any, where: str) -> dt.timezone:
    m = regex.fullmatch(r"([+-])(\d\d):(\d\d)", str(value))
    if m is None:
        raise ProfileError(f"{where}: zone offsets look like +05:30, not {value!r}")
    minutes = int(m[2]) * 60 + int(m[3])
    return dt.timezone(dt.timedelta(minutes=-minutes if m[1] == "-" else minutes))


def _order(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if value not in DATE_ORDERS:
        raise ProfileError(f"{where}: date_order must be one of {', '.join(DATE_ORDERS)}")
    return str(value)


#: what a profile may say: table -> its keys (None: any key, as [months] and [zones])
_LAYOUT: dict[str, frozenset[str] | None] = {
    "defaults": frozenset({"date_order"}),
    "regions": frozenset({"tags"}),
    "kickers": frozenset({"words"}),
    "furniture": frozenset({"lines"}),
    "sections": frozenset({"labels", "same"}),
    "months": None,
    "weekdays": frozenset({"names"}),
    "zones": None,
    "teasers": frozenset({"terminators"}),
    "boundary": frozenset({"function_words", "place_words", "sentence_starters"}),
    "source": frozenset({"name", "aliases", "zone", "date_order", "regions", "kickers"}),
}


def _check_layout(data: dict[str, Any], where: str) -> None:
    """A misspelt table or key ("[region]") is an error, not a silent no-op."""
    for table, value in data.items():
        if table not in _LAYOUT:
            known = ", ".join(f"[{t}]" for t in _LAYOUT)
            raise ProfileError(f"{where}: unknown table [{table}] (a profile has {known})")
        keys = _LAYOUT[table]
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            if not isinstance(entry, dict):
                raise ProfileError(f"{where}: [{table}] must be a table")
            unknown = sorted(set(entry) - keys) if keys is not None else []
            if unknown:
                raise ProfileError(
                    f"{where}: unknown key {unknown[0]!r} in [{table}] "
                    f"(it may have {', '.join(sorted(keys or ()))})"
                )


def _merge(vocab: Vocabulary, data: dict[str, Any], where: str) -> None:
    _check_layout(data, where)
    defaults = data.get("defaults", {})
    vocab.date_order = _order(defaults.get("date_order"), where) or vocab.date_order
    for tag in _strings(data.get("regions", {}), "tags", where):
        vocab.regions[tag] = slug(tag)
    vocab.kickers.update(_strings(data.get("kickers", {}), "words", where))
    vocab.furniture.extend(_strings(data.get("furniture", {}), "lines", where))
    vocab.sections.update(_strings(data.get("sections", {}), "labels", where))
    same = data.get("sections", {}).get("same", {})
    if not isinstance(same, dict) or not all(isinstance(v, str) for v in same.values()):
        raise ProfileError(f"{where}: [sections] same maps a label to the label it means")
    for label, meaning in same.items():
        vocab.region_ids[" ".join(str(label).split())] = slug(meaning)
    for number in data.get("months", {}):
        if not str(number).isdigit() or not 1 <= int(number) <= 12:
            raise ProfileError(f"{where}: [months] keys are month numbers 1 to 12")
        for name in _strings(data["months"], str(number), where):
            vocab.months[name.casefold()] = int(number)
            vocab.month_names.add(name)
    vocab.weekdays.update(_strings(data.get("weekdays", {}), "names", where))
    for abbr, offset in data.get("zones", {}).items():
        vocab.zones[str(abbr)] = _offset(offset, where)
    vocab.terminators.extend(_strings(data.get("teasers", {}), "terminators", where))
    boundary = data.get("boundary", {})
    function_words = {w.casefold() for w in _strings(boundary, "function_words", where)}
    vocab.function_words |= function_words
    vocab.keep_after |= function_words
    vocab.keep_after.update(w.casefold() for w in _strings(boundary, "place_words", where))
    starters = _strings(boundary, "sentence_starters", where)
    vocab.sentence_starters.update(w.casefold() for w in starters)
    for entry in data.get("source", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ProfileError(f"{where}: every [[source]] needs a name")
        src = Source(
            name=" ".join(entry["name"].split()),
            zone=_zone(entry.get("zone"), where),
            date_order=_order(entry.get("date_order"), where),
        )
        for printed in [src.name, *_strings(entry, "aliases", where)]:
            vocab.sources[printed.casefold()] = src
        for tag in _strings(entry, "regions", where):
            vocab.regions[tag] = slug(tag)
        vocab.kickers.update(_strings(entry, "kickers", where))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read profile ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not a valid TOML profile ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: not a TOML profile (not UTF-8 at byte {exc.start})") from exc


def _builtin_data() -> list[tuple[str, dict[str, Any]]]:
    folder = resources.files("ticker") / "profiles"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".toml"))
    # default.toml first so that source profiles can extend what it declares
    names.sort(key=lambda n: n != "default.toml")
    return [(n, tomllib.loads((folder / n).read_text("utf-8"))) for n in names]


@lru_cache(maxsize=8)
def _load(paths: tuple[Path, ...]) -> Vocabulary:
    vocab = Vocabulary()
    for where, data in _builtin_data():
        _merge(vocab, data, where)
    for path in paths:
        _merge(vocab, _read(path), str(path))
    vocab._index()
    return vocab


def load_vocabulary(extra: Sequence[str | Path] = ()) -> Vocabulary:
    """The built-in vocabulary plus the user's profile files, in order."""
    return _load(tuple(Path(p) for p in extra))
