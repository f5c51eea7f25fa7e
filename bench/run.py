"""One benchmark run: ticker's parser against the floor and a naive splitter, on one corpus.

``python -m bench.run --corpus DIR [--sizes 1MB,10MB,50MB] [--json PATH] [--stream-gb 1]``

For each size (a prefix of ``DIR/corpus.txt`` cut at a page boundary, with the matching
prefix of the gold), in this one process:

- the floor: read and decode the file, consume one ``regex`` finditer over ``DD/MM/YYYY``;
- ticker: ``ticker.reading.parse_stream`` over the file, records counted as they come
  (no list kept: this measures streaming);
- naive: read and decode, :func:`bench.naive.split`, items counted.

Each is timed best of N (wall clock, ``time.perf_counter``); its peak memory is the
``tracemalloc`` peak of a separate, untimed pass (Python allocations only). Then the
accuracy of ticker and of the naive splitter against the gold, the whole-process timings
(``python -c`` floor script against ``ticker parse FILE > out.jsonl``, wall time and the
child's peak RSS from ``os.wait4``), optionally the 1 GB streaming check, and the hooks for
``ticker feed`` and the server (skipped until those commands exist).

Sizes are decimal: 1MB = 1,000,000 bytes, and MB/s counts input bytes.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import difflib
import gc
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import regex

import ticker
from bench import format_size, naive, parse_size
from bench.corpus import GOLD_KEYS, RAIL_SOURCE
from ticker.parsing import Context, make_context
from ticker.reading import parse_stream

#: the reference time for ages, as in the golden samples
NOW = dt.datetime(2025, 8, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
FLOOR = regex.compile(r"\d\d/\d\d/\d{4}")
#: the floor as a whole process (argv[1] is the file)
FLOOR_SCRIPT = (
    "import regex, sys\n"
    "text = open(sys.argv[1], 'rb').read().decode('utf-8')\n"
    "print(sum(1 for _ in regex.finditer(r'\\d\\d/\\d\\d/\\d{4}', text)))\n"
)
#: ``ticker parse`` as the benchmark runs it: the corpus's rails outside cards are France 24's
PARSE_ARGS = ("parse", "--source", RAIL_SOURCE, "--now", NOW.isoformat())

# Hooks for commands still being written: each template is run when ``ticker --help`` lists
# the command. Adjust them when the commands land ({input}, {db}, {port} are filled in).
FEED_ITEMS = 10_000
FEED_FORMATS = ("rss", "atom", "json")
FEED_COMMAND = (
    *("feed", "--source", RAIL_SOURCE, "--now", NOW.isoformat()),
    *("--limit", str(FEED_ITEMS), "--format", "{format}", "{input}"),
)
INGEST_COMMAND = (
    *("ingest", "--db", "{db}", "--source", RAIL_SOURCE, "--now", NOW.isoformat()),
    "{input}",
)
SERVE_COMMAND = ("serve", "--db", "{db}", "--host", "127.0.0.1", "--port", "{port}")
SERVE_PATH = "/feeds/all.rss"
#: bounded load on loopback: connections, seconds per measurement
LOAD_CONNECTIONS = 8
LOAD_SECONDS = 5.0

#: issue 6's targets, checked at the largest size run
TARGET_RATIO = 5.0
TARGET_MBPS = 40.0
TARGET_RECORDS = 450_000
TARGET_PROCESS_RATIO = 6.0
TARGET_F1 = 0.998
TARGET_RSS_MB = 150.0

#: fields compared on matched records (matching is on headline, date, region)
FIELDS = ("kind", "source", "duration", "age", "kicker", "summary")


def out(line: str = "") -> None:
    print(line, flush=True)


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    memory = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    commit = _git("rev-parse", "--short", "HEAD")
    if commit and _git("status", "--porcelain", "--", "."):
        commit += " (with uncommitted changes in ticker/)"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "memory_gb": memory,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "regex": getattr(regex, "__version__", "?"),
        "os": platform.platform(),
        "ticker_commit": commit,
        "date": dt.date.today().isoformat(),
        "load_average_at_start": _load(),
    }


def _load() -> str:
    """The 1, 5 and 15-minute load averages: other work on the machine skews every timing."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            cwd=Path(ticker.__file__).resolve().parent,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return done.stdout.strip()


# --------------------------------------------------------------------------- corpus


@dataclass(slots=True)
class Prefix:
    """A prefix of the corpus, cut at a page boundary, with its gold."""

    label: str
    path: Path
    nbytes: int
    gold: list[dict[str, Any]]


def load_gold(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def make_prefix(corpus: Path, size: int, gold: list[dict[str, Any]], workdir: Path) -> Prefix:
    """The largest run of whole pages within ``size`` bytes (the whole corpus if it fits)."""
    total = corpus.stat().st_size
    label = format_size(size)
    if size >= total:
        return Prefix(label, corpus, total, gold)
    starts = sorted({g["byte"] for g in gold})
    i = bisect.bisect_right(starts, size) - 1
    cut = starts[max(i, 1)]  # at least one page
    path = workdir / f"corpus-{label}.txt"
    with open(corpus, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read(cut))
    return Prefix(label, path, cut, [g for g in gold if g["byte"] < cut])


# --------------------------------------------------------------------------- contenders


def run_floor(path: Path) -> int:
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    return sum(1 for _ in FLOOR.finditer(text))


def run_ticker(path: Path, ctx: Context) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in parse_stream(f, ctx))


def run_naive(path: Path, tags: tuple[str, ...]) -> int:
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    return sum(1 for _ in naive.split(text, tags))


def best_of(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    """The fastest of ``repeat`` runs (seconds) and what the run counted."""
    best, count = float("inf"), 0
    for _ in range(repeat):
        # the harness holds the gold (hundreds of thousands of dicts): freeze it, so the
        # collector's full passes do not charge its size to whoever is being timed
        gc.collect()
        gc.freeze()
        t0 = time.perf_counter()
        count = fn()
        best = min(best, time.perf_counter() - t0)
        gc.unfreeze()
    return best, count


def traced_peak(fn: Callable[[], int]) -> int:
    """Peak bytes of Python allocations during one run (tracemalloc; a pass of its own)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@dataclass(slots=True)
class Row:
    name: str
    seconds: float
    count: int
    nbytes: int
    floor_seconds: float
    peak: int | None = None

    @property
    def mbps(self) -> float:
        return self.nbytes / 1e6 / self.seconds

    @property
    def per_second(self) -> float:
        return self.count / self.seconds

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "seconds": round(self.seconds, 4),
            "records": self.count,
            "mb_per_s": round(self.mbps, 2),
            "records_per_s": round(self.per_second),
            "ratio_to_floor": round(self.ratio, 2),
            "tracemalloc_peak_mb": round(self.peak / 1e6, 1) if self.peak is not None else None,
        }


def time_contenders(prefix: Prefix, ctx: Context, repeat: int) -> list[Row]:
    tags = naive.tags()
    contenders: list[tuple[str, Callable[[], int]]] = [
        ("floor", lambda: run_floor(prefix.path)),
        ("ticker parse_stream", lambda: run_ticker(prefix.path, ctx)),
        ("naive split", lambda: run_naive(prefix.path, tags)),
    ]
    run_floor(prefix.path)  # the file into the page cache
    rows: list[Row] = []
    floor_seconds = 0.0
    for name, fn in contenders:
        seconds, count = best_of(fn, repeat)
        floor_seconds = floor_seconds or seconds
        rows.append(Row(name, seconds, count, prefix.nbytes, floor_seconds))
    for row, (_, fn) in zip(rows, contenders, strict=True):
        row.peak = traced_peak(fn)
    return rows


def print_rows(prefix: Prefix, rows: Sequence[Row], repeat: int) -> None:
    out(
        f"\n## {prefix.label}: {prefix.nbytes:,} bytes, {len(prefix.gold):,} gold records "
        f"(best of {repeat})"
    )
    out(f"{'':22}{'MB/s':>9}{'records/s':>12}{'records':>10}{'x floor':>9}{'peak MB':>9}")
    for r in rows:
        peak = f"{r.peak / 1e6:9.1f}" if r.peak is not None else f"{'-':>9}"
        out(f"{r.name:22}{r.mbps:9.1f}{r.per_second:12,.0f}{r.count:10,}{r.ratio:9.2f}{peak}")
    out("(x floor = time / floor time, same text, same process; peak MB = tracemalloc peak)")


# --------------------------------------------------------------------------- accuracy


def ticker_records(path: Path, ctx: Context) -> list[dict[str, Any]]:
    rows = []
    with open(path, "rb") as f:
        for r in parse_stream(f, ctx):
            d = {k: getattr(r, k) for k in GOLD_KEYS}
            d["date"] = r.date.isoformat() if r.date else None
            d["start"] = r.span[0]
            rows.append(d)
    return rows


def naive_records(path: Path) -> list[dict[str, Any]]:
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    empty = dict.fromkeys(GOLD_KEYS)
    return [
        {**empty, "kind": "rail", "date": i.date, "headline": i.headline, "region": i.region}
        | {"start": i.start}
        for i in naive.split(text)
    ]


def key(r: dict[str, Any]) -> tuple[str, str | None, str | None]:
    return (r["headline"], r["date"], r["region"])


@dataclass(slots=True)
class Score:
    gold: int
    parsed: int
    matched: int
    fields: dict[str, float]
    #: kind of mismatch -> how many, an example, the traps its gold records carry most
    mismatches: dict[str, Mismatch] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.matched / self.parsed if self.parsed else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, top: int) -> dict[str, Any]:
        worst = sorted(self.mismatches.items(), key=lambda kv: -kv[1].count)[:top]
        return {
            "gold": self.gold,
            "parsed": self.parsed,
            "matched": self.matched,
            "precision": round(self.precision, 5),
            "recall": round(self.recall, 5),
            "f1": round(self.f1, 5),
            "field_agreement": {k: round(v, 5) for k, v in self.fields.items()},
            "mismatches": [
                {"kind": k, "count": m.count, "often_with": m.often(), "example": m.example}
                for k, m in worst
            ],
        }


def score(gold: list[dict[str, Any]], parsed: list[dict[str, Any]]) -> Score:
    """Precision and recall over records matched on (headline, date, region); field agreement
    and the kinds of mismatch from a page-by-page alignment of gold and parsed records."""
    matched = sum((Counter(map(key, gold)) & Counter(map(key, parsed))).values())
    # the page of a parsed record: the last page starting at or before its first character
    starts = sorted({g["at"]: g["page"] for g in gold}.items())
    offsets = [s for s, _ in starts]
    by_page: dict[int, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for r in gold:
        by_page.setdefault(r["page"], ([], []))[0].append(r)
    for r in parsed:
        i = max(bisect.bisect_right(offsets, r["start"]) - 1, 0)
        by_page.setdefault(starts[i][1], ([], []))[1].append(r)
    agree = Counter[str]()
    pairs = 0
    kinds: dict[str, Mismatch] = {}
    for page, (gs, ps) in sorted(by_page.items()):
        for g, p in _align(gs, ps):
            if g is not None and p is not None and key(g) == key(p):
                pairs += 1
                for f in FIELDS:
                    if g[f] == p[f]:
                        agree[f] += 1
                    else:
                        _note(kinds, _field_kind(g, p, f), page, g, p)
            else:
                _note(kinds, _pair_kind(g, p), page, g, p)
    fields = {f: agree[f] / pairs if pairs else 0.0 for f in FIELDS}
    return Score(len(gold), len(parsed), matched, fields, kinds)


Pair = tuple[dict[str, Any] | None, dict[str, Any] | None]


def _align(gs: list[dict[str, Any]], ps: list[dict[str, Any]]) -> Iterable[Pair]:
    """Gold and parsed records of one page paired in order: equal keys, then near misses."""
    sm = difflib.SequenceMatcher(None, [key(g) for g in gs], [key(p) for p in ps], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            yield from zip(gs[i1:i2], ps[j1:j2], strict=True)
            continue
        g_run, p_run = gs[i1:i2], ps[j1:j2]
        n = min(len(g_run), len(p_run))
        yield from zip(g_run[:n], p_run[:n], strict=True)
        yield from ((g, None) for g in g_run[n:])
        yield from ((None, p) for p in p_run[n:])


@dataclass(slots=True)
class Mismatch:
    """One kind of disagreement with the gold."""

    count: int = 0
    example: str = ""
    traps: Counter[str] = field(default_factory=Counter)

    def often(self, most: int = 3) -> str:
        """The traps most of these records carry ("card:title-x3 100%"): a hint at the cause."""
        return ", ".join(f"{t} {n / self.count:.0%}" for t, n in self.traps.most_common(most))


def _note(
    kinds: dict[str, Mismatch],
    kind: str,
    page: int,
    g: dict[str, Any] | None,
    p: dict[str, Any] | None,
) -> None:
    entry = kinds.setdefault(kind, Mismatch())
    entry.count += 1
    entry.traps.update(g["traps"] if g else ())
    if not entry.example:
        entry.example = _example(page, g, p)


def _short(r: dict[str, Any] | None) -> str:
    if r is None:
        return "-"
    shown = {k: r[k] for k in GOLD_KEYS if r.get(k) is not None}
    if "summary" in shown and len(shown["summary"]) > 60:
        shown["summary"] = shown["summary"][:57] + "..."
    if "headline" in shown and len(shown["headline"]) > 160:
        shown["headline"] = shown["headline"][:157] + "..."
    return json.dumps(shown, ensure_ascii=False)


def _example(page: int, g: dict[str, Any] | None, p: dict[str, Any] | None) -> str:
    traps = ",".join(g["traps"]) if g and g["traps"] else ""
    where = f"page {page}" + (f" [{traps}]" if traps else "")
    return f"{where}\n      gold:   {_short(g)}\n      parsed: {_short(p)}"


def _where(g: dict[str, Any] | None, p: dict[str, Any] | None) -> str:
    r = g or p
    assert r is not None
    layout = g["layout"] if g else "?"
    return f"{r['kind']} ({layout})"


def _field_kind(g: dict[str, Any], p: dict[str, Any], f: str) -> str:
    if g[f] is None:
        how = "gold none, parsed set"
    elif p[f] is None:
        how = "gold set, parsed none"
    else:
        how = "both set, different"
    return f"{_where(g, p)}: {f} differs ({how})"


def _pair_kind(g: dict[str, Any] | None, p: dict[str, Any] | None) -> str:
    if p is None:
        return f"{_where(g, p)}: missing (no parsed record)"
    if g is None:
        return f"{p['kind']}: extra record (not in the gold)"
    gh, ph = g["headline"], p["headline"]
    if gh == ph:
        what = [f for f in ("date", "region") if g[f] != p[f]]
        if what == ["region"]:
            if g["region"] is None:
                return f"{_where(g, p)}: region added (gold none)"
            if p["region"] is None:
                return f"{_where(g, p)}: region dropped"
        return f"{_where(g, p)}: {' and '.join(what)} differ"
    if ph.startswith(gh):
        rest = ph[len(gh) :].strip()
        if g["region"] and rest == g["region"]:
            return f"{_where(g, p)}: tag kept in the headline"
        return f"{_where(g, p)}: headline runs on past its end"
    if gh.startswith(ph):
        rest = gh[len(ph) :].strip()
        if p["region"] and rest == p["region"]:
            return f"{_where(g, p)}: headline's last words taken as the tag"
        return f"{_where(g, p)}: headline cut short"
    return f"{_where(g, p)}: headline differs"


def print_accuracy(results: dict[str, Score], top: int) -> None:
    out(f"\n{'accuracy':22}{'gold':>9}{'parsed':>9}{'matched':>9}{'prec':>8}{'recall':>8}{'F1':>8}")
    for name, s in results.items():
        out(
            f"{name:22}{s.gold:9,}{s.parsed:9,}{s.matched:9,}"
            f"{s.precision:8.4f}{s.recall:8.4f}{s.f1:8.4f}"
        )
    out("(records matched on headline, date and region)")
    out(f"\n{'field agreement':22}" + "".join(f"{f:>9}" for f in FIELDS))
    for name, s in results.items():
        out(f"{name:22}" + "".join(f"{s.fields[f]:9.4f}" for f in FIELDS))
    out("(share of matched records whose field equals the gold)")
    lib = results.get("ticker parse_stream")
    if lib is None or not lib.mismatches or not top:
        return
    worst = sorted(lib.mismatches.items(), key=lambda kv: -kv[1].count)[:top]
    total = sum(m.count for m in lib.mismatches.values())
    out(f"\nticker against the gold: {total:,} mismatches, {len(lib.mismatches)} kinds; top {top}:")
    for kind, m in worst:
        out(f"  {m.count:7,}  {kind}")
        if m.traps:
            out(f"      traps most often: {m.often()}")
        out(f"      {m.example}")


# --------------------------------------------------------------------------- processes


def ticker_command() -> list[str]:
    """The ``ticker`` console script of this interpreter's environment."""
    beside = Path(sys.executable).parent / "ticker"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ticker")
    return [found] if found else [sys.executable, "-c", "from ticker.cli import main; main()"]


def ticker_commands() -> set[str]:
    """The subcommands ``ticker --help`` lists."""
    done = subprocess.run([*ticker_command(), "--help"], capture_output=True, text=True)
    names: set[str] = set()
    in_commands = False
    for line in done.stdout.splitlines():
        if line.strip().lower().startswith("commands"):
            in_commands = True
        elif in_commands and line.startswith("  ") and line.split():
            names.add(line.split()[0])
    return names


#: GNU time (Debian's ``time`` package): a child's own peak RSS. Without it the peak comes
#: from ``os.wait4``, which also counts this process's memory at the fork.
GNU_TIME = Path("/usr/bin/time")


def rss_method() -> str:
    return "GNU time %M" if GNU_TIME.exists() else "wait4 ru_maxrss (includes the parent at fork)"


@dataclass(slots=True)
class Child:
    seconds: float
    max_rss_mb: float
    status: int
    stderr: str


def spawn(cmd: Sequence[str], stdout: Any, rss_file: str) -> subprocess.Popen[bytes]:
    """Start ``cmd``, under GNU time when there is one (it writes the peak RSS to rss_file)."""
    full = list(cmd)
    if GNU_TIME.exists():
        full = [str(GNU_TIME), "-f", "%M", "-o", rss_file, *full]
    return subprocess.Popen(full, stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)


def reap(proc: subprocess.Popen[bytes], rss_file: str) -> tuple[int, float]:
    """Wait for a spawned process: its exit code and peak RSS in MB."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    kb = usage.ru_maxrss
    if GNU_TIME.exists():
        lines = Path(rss_file).read_text().split()
        kb = int(lines[-1]) if lines and lines[-1].isdigit() else kb
    return proc.returncode, kb / 1024


def run_child(cmd: Sequence[str], stdout: Any) -> Child:
    """Run one process to the end: wall time, its peak RSS, exit status and stderr."""
    with tempfile.NamedTemporaryFile(suffix=".rss") as rss:
        t0 = time.perf_counter()
        proc = spawn(cmd, stdout, rss.name)
        assert proc.stderr is not None
        message = proc.stderr.read().decode(errors="replace")
        status, peak = reap(proc, rss.name)
        seconds = time.perf_counter() - t0
    return Child(seconds, peak, status, message)


def process_timings(prefix: Prefix, workdir: Path, repeat: int) -> list[dict[str, Any]]:
    """The floor script and ``ticker parse FILE > out.jsonl`` as whole processes."""
    target = workdir / "out.jsonl"
    commands = {
        "floor (python -c)": [sys.executable, "-c", FLOOR_SCRIPT, str(prefix.path)],
        "ticker parse > out.jsonl": [*ticker_command(), *PARSE_ARGS, str(prefix.path)],
    }
    rows: list[dict[str, Any]] = []
    for name, cmd in commands.items():
        best: Child | None = None
        for _ in range(repeat):
            with open(target, "wb") as sink:
                child = run_child(cmd, sink)
            if child.status != 0:
                raise SystemExit(f"{name} failed ({child.status}): {child.stderr.strip()}")
            if best is None or child.seconds < best.seconds:
                best = child
        assert best is not None
        rows.append(
            {
                "name": name,
                "seconds": round(best.seconds, 3),
                "mb_per_s": round(prefix.nbytes / 1e6 / best.seconds, 2),
                "ratio_to_floor": round(best.seconds / rows[0]["seconds"], 2) if rows else 1.0,
                "max_rss_mb": round(best.max_rss_mb, 1),
                "output_bytes": target.stat().st_size,
            }
        )
    target.unlink()
    out(f"\n## whole processes on {prefix.label} (best of {repeat}, wall time)")
    out(f"{'':28}{'seconds':>9}{'MB/s':>8}{'x floor':>9}{'peak RSS MB':>13}")
    for r in rows:
        out(
            f"{r['name']:28}{r['seconds']:9.3f}{r['mb_per_s']:8.1f}"
            f"{r['ratio_to_floor']:9.2f}{r['max_rss_mb']:13.1f}"
        )
    out(f"(ticker {' '.join(PARSE_ARGS)} FILE; peak RSS by {rss_method()})")
    return rows


def big_input(corpus: Path, gigabytes: float, workdir: Path) -> Path:
    """A file of ``gigabytes`` GB made by repeating the corpus (pages stay whole)."""
    big = workdir / f"corpus-{gigabytes:g}GB.txt"
    target = int(gigabytes * 1e9)
    if not big.exists() or big.stat().st_size < target:
        data = corpus.read_bytes()
        with open(big, "wb") as f:
            written = 0
            while written < target:
                chunk = data[: target - written]
                f.write(chunk)
                written += len(chunk)
                if written < target:
                    f.write(b"\n")
                    written += 1
    return big


def stream_parse(big: Path) -> dict[str, Any]:
    """``ticker parse`` of a big file: peak RSS, and whether output comes out as it goes
    (read from a pipe as the process writes it)."""
    size = big.stat().st_size
    cmd = [*ticker_command(), *PARSE_ARGS, str(big)]
    first = None
    received = 0
    samples: list[tuple[float, int]] = []
    with tempfile.NamedTemporaryFile(suffix=".rss") as rss:
        t0 = time.perf_counter()
        proc = spawn(cmd, subprocess.PIPE, rss.name)
        assert proc.stdout is not None and proc.stderr is not None
        errors = _drain(proc.stderr)
        while chunk := os.read(proc.stdout.fileno(), 1 << 20):
            now = time.perf_counter() - t0
            first = now if first is None else first
            received += len(chunk)
            samples.append((now, received))
        errors.join()
        status, peak = reap(proc, rss.name)
        seconds = time.perf_counter() - t0
    half = next((b for t, b in samples if t >= seconds / 2), received)
    result = {
        "input_bytes": size,
        "seconds": round(seconds, 1),
        "mb_per_s": round(size / 1e6 / seconds, 2),
        "max_rss_mb": round(peak, 1),
        "rss_method": rss_method(),
        "first_output_after_s": round(first, 2) if first is not None else None,
        "output_bytes": received,
        "output_share_by_half_time": round(half / received, 3) if received else None,
        "exit": status,
    }
    out(f"\n## streaming: ticker parse of {size / 1e9:.2f} GB (corpus repeated) > pipe")
    out(
        f"wall {result['seconds']} s, {result['mb_per_s']} MB/s, peak RSS "
        f"{result['max_rss_mb']} MB by {rss_method()} (target < {TARGET_RSS_MB:g} MB), "
        f"exit {status}"
    )
    out(
        f"first output after {result['first_output_after_s']} s; "
        f"{result['output_share_by_half_time']:.0%} of the {received / 1e9:.2f} GB output "
        "had arrived at half time"
        if received
        else "no output"
    )
    return result


def _drain(stream: Any) -> threading.Thread:
    """Read a pipe to its end in a thread, so that a chatty child never blocks on it."""
    thread = threading.Thread(target=stream.read, daemon=True)
    thread.start()
    return thread


# --------------------------------------------------------------------------- hooks


def _fill(template: Sequence[str], **values: str) -> list[str]:
    return [part.format(**values) for part in template]


def ingest(source: Path, db: Path) -> Child:
    """``ticker ingest`` of one input into the archive ``db`` (a new one)."""
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    cmd = [*ticker_command(), *_fill(INGEST_COMMAND, input=str(source), db=str(db))]
    return run_child(cmd, subprocess.DEVNULL)


def bench_ingest(
    source: Path, label: str, commands: set[str], workdir: Path
) -> dict[str, Any] | None:
    """``ticker ingest`` of a file into a new archive: wall time, MB/s and peak RSS."""
    if "ingest" not in commands:
        out(f"\ningest {label}: skipped: `ticker ingest` not available yet")
        return None
    db = workdir / "ingest.db"
    child = ingest(source, db)
    archive = db.stat().st_size if db.exists() else 0
    for p in workdir.glob("ingest.db*"):
        p.unlink()
    if child.status != 0:
        out(f"\ningest {label}: failed ({child.status}): {child.stderr.strip()[:200]}")
        out("  (adjust INGEST_COMMAND in bench/run.py to the command's options)")
        return None
    size = source.stat().st_size
    mbps = size / 1e6 / child.seconds
    out(f"\n## ticker ingest of {label} ({size:,} B) into a new archive")
    out(
        f"wall {child.seconds:.1f} s, {mbps:.2f} MB/s, peak RSS {child.max_rss_mb:.1f} MB "
        f"by {rss_method()}; archive {archive / 1e6:.1f} MB"
    )
    return {
        "input_bytes": size,
        "seconds": round(child.seconds, 2),
        "mb_per_s": round(mbps, 2),
        "max_rss_mb": round(child.max_rss_mb, 1),
        "archive_bytes": archive,
    }


def feed_input(prefix: Prefix, items: int, workdir: Path) -> Path:
    """The shortest run of whole pages holding ``items`` distinct items (source, headline)."""
    seen: set[tuple[str, str]] = set()
    for g in prefix.gold:
        if len(seen) >= items and g["byte"] > prefix.gold[0]["byte"]:
            path = workdir / f"feed-{items}.txt"
            with open(prefix.path, "rb") as src:
                path.write_bytes(src.read(g["byte"]))
            return path
        seen.add((g["source"], g["headline"]))
    return prefix.path


def bench_feed(
    prefix: Prefix, commands: set[str], workdir: Path, repeat: int
) -> dict[str, Any] | None:
    """``ticker feed`` of 10k items in each format: wall time (best of ``repeat``), peak RSS."""
    if "feed" not in commands:
        out(f"\nfeed: skipped: `ticker feed` not available yet ({FEED_ITEMS:,} items)")
        return None
    source = feed_input(prefix, FEED_ITEMS, workdir)
    result: dict[str, Any] = {"items": FEED_ITEMS, "input_bytes": source.stat().st_size}
    out(
        f"\n## ticker feed --limit {FEED_ITEMS:,} (input {source.stat().st_size:,} B; "
        f"best of {repeat})"
    )
    for fmt in FEED_FORMATS:
        cmd = [*ticker_command(), *_fill(FEED_COMMAND, input=str(source), format=fmt)]
        runs = []
        for _ in range(repeat):
            with tempfile.TemporaryFile() as sink:
                runs.append(run_child(cmd, sink))
                size = sink.seek(0, os.SEEK_END)
        bad = next((r for r in runs if r.status != 0), None)
        if bad is not None:
            out(f"{fmt}: failed ({bad.status}): {bad.stderr.strip()[:200]}")
            out("  (adjust FEED_COMMAND in bench/run.py to the command's options)")
            continue
        best = min(runs, key=lambda r: r.seconds)
        result[fmt] = {"seconds": round(best.seconds, 3), "max_rss_mb": round(best.max_rss_mb, 1)}
        result[fmt]["output_bytes"] = size
        out(
            f"{fmt:5} {best.seconds:7.3f} s  {FEED_ITEMS / best.seconds:9,.0f} items/s  "
            f"peak RSS {best.max_rss_mb:6.1f} MB  output {size:,} B"
        )
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def load(
    url_host: str, port: int, path: str, headers: dict[str, str], seconds: float, connections: int
) -> tuple[float, Counter[int]]:
    """Requests per second from ``connections`` keep-alive clients for ``seconds`` (Python
    threads: a bounded load, not a saturating one), and the count of each status seen."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        conn = HTTPConnection(url_host, port, timeout=10)
        seen: Counter[int] = Counter()
        while time.perf_counter() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            seen[response.status] += 1
        conn.close()
        with lock:
            statuses.update(seen)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(statuses.values()) / (time.perf_counter() - t0), statuses


def wrk(url: str, headers: dict[str, str], seconds: float, connections: int) -> float | None:
    """Requests per second from wrk (Debian's package), or None when wrk is not installed."""
    exe = shutil.which("wrk")
    if exe is None:
        return None
    cmd = [exe, "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", url]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    return None


def bench_server(
    prefix: Prefix, commands: set[str], workdir: Path, seconds: float
) -> dict[str, Any] | None:
    """The server's requests per second for 200 and 304 answers under a bounded load, on an
    archive of the 10k-item input."""
    if "serve" not in commands or "ingest" not in commands:
        out("\nserver: skipped: `ticker serve` (or `ticker ingest`) not available yet")
        return None
    db = workdir / "serve.db"
    made = ingest(feed_input(prefix, FEED_ITEMS, workdir), db)
    if made.status != 0:
        out(f"\nserver: failed to make the archive ({made.status}): {made.stderr.strip()[:200]}")
        return None
    port = free_port()
    cmd = [*ticker_command(), *_fill(SERVE_COMMAND, port=str(port), db=str(db))]
    with tempfile.TemporaryFile() as log:
        # uvicorn logs every request: to a file, never to a pipe nobody reads
        server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
        try:
            return _load_server(port, server, log, seconds)
        finally:
            server.terminate()
            server.wait(10)
            for p in workdir.glob("serve.db*"):
                p.unlink()


def _load_server(
    port: int, server: subprocess.Popen[bytes], log: Any, seconds: float
) -> dict[str, Any] | None:
    etag = _wait_for(port, SERVE_PATH, server)
    if etag is None:
        log.seek(0)
        tail = log.read().decode(errors="replace").strip()[-300:]
        out(f"\nserver: failed: no 200 answer with an ETag at {SERVE_PATH}: {tail}")
        out("  (adjust SERVE_COMMAND and SERVE_PATH in bench/run.py)")
        return None
    url = f"http://127.0.0.1:{port}{SERVE_PATH}"
    result: dict[str, Any] = {
        "path": SERVE_PATH,
        "connections": LOAD_CONNECTIONS,
        "seconds": seconds,
    }
    for name, headers in (("200", {}), ("304", {"If-None-Match": etag})):
        rps, statuses = load("127.0.0.1", port, SERVE_PATH, headers, seconds, LOAD_CONNECTIONS)
        result[f"rps_{name}"] = round(rps)
        result[f"statuses_{name}"] = {str(k): v for k, v in statuses.items()}
        result[f"wrk_rps_{name}"] = wrk(url, headers, seconds, LOAD_CONNECTIONS)
    out(
        f"\n## ticker serve on loopback: GET {SERVE_PATH} ({FEED_ITEMS:,}-item archive), "
        f"{LOAD_CONNECTIONS} keep-alive connections, {seconds:g} s each"
    )
    for name in ("200", "304"):
        w = result[f"wrk_rps_{name}"]
        seen = ", ".join(f"{k}: {v:,}" for k, v in result[f"statuses_{name}"].items())
        out(
            f"  {name}: {result[f'rps_{name}']:,} req/s from Python clients ({seen})"
            + (f"; {w:,.0f} req/s from wrk" if w else "; wrk not installed")
        )
    return result


def _wait_for(port: int, path: str, server: subprocess.Popen[bytes]) -> str | None:
    """The ETag of the first 200 answer, once the server answers (None if it never does)."""
    deadline = time.perf_counter() + 20
    while time.perf_counter() < deadline and server.poll() is None:
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            return response.getheader("ETag") if response.status == 200 else None
        except OSError:
            time.sleep(0.2)
    return None


# --------------------------------------------------------------------------- targets


def check_targets(
    sizes: list[tuple[Prefix, list[Row], Score]],
    process: list[dict[str, Any]] | None,
    stream: dict[str, Any] | None,
    stream_ingest: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    prefix, rows, s = sizes[-1]
    lib = rows[1]
    checks = [
        (f"library parse <= {TARGET_RATIO:g}x floor", f"{lib.ratio:.2f}x", lib.ratio <= 5),
        (f"library parse >= {TARGET_MBPS:g} MB/s", f"{lib.mbps:.1f} MB/s", lib.mbps >= 40),
        (
            f"library parse >= {TARGET_RECORDS:,} records/s",
            f"{lib.per_second:,.0f} records/s",
            lib.per_second >= TARGET_RECORDS,
        ),
        (
            "faster than the naive splitter at every size",
            "ticker's time / naive's: "
            + ", ".join(f"{p.label} {r[1].seconds / r[2].seconds:.2f}x" for p, r, _ in sizes),
            all(r[1].seconds < r[2].seconds for _, r, _ in sizes),
        ),
        (f"F1 >= {TARGET_F1}", f"{s.f1:.4f}", s.f1 >= TARGET_F1),
    ]
    if process:
        ratio = process[1]["ratio_to_floor"]
        checks.append(
            (
                f"ticker parse process <= {TARGET_PROCESS_RATIO:g}x floor process",
                f"{ratio:.2f}x",
                ratio <= TARGET_PROCESS_RATIO,
            )
        )
    for name, run in (("parse", stream), ("ingest", stream_ingest)):
        if run:
            rss = run["max_rss_mb"]
            gb = run["input_bytes"] / 1e9
            target = f"{gb:.2g} GB {name} peak RSS < {TARGET_RSS_MB:g} MB"
            checks.append((target, f"{rss} MB", rss < TARGET_RSS_MB))
    out(f"\n## targets (issue 6), at {prefix.label}")
    for name, value, ok in checks:
        out(f"  [{'met' if ok else 'MISSED':>6}] {name}: {value}")
    return [{"target": n, "value": v, "met": ok} for n, v, ok in checks]


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="directory from bench.corpus")
    ap.add_argument("--sizes", default="1MB,10MB,50MB", help="prefix sizes (default %(default)s)")
    ap.add_argument("--repeat", type=int, help="runs per timing (default 5 up to 10MB, then 3)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument(
        "--stream-gb", type=float, help="parse and ingest this many GB (the corpus repeated)"
    )
    ap.add_argument("--keep-stream-file", action="store_true", help="keep the big file")
    ap.add_argument(
        "--load-seconds", type=float, default=LOAD_SECONDS, help="server load per measurement"
    )
    ap.add_argument("--mismatches", type=int, default=10, help="kinds of mismatch to print")
    ap.add_argument("--workdir", type=Path, help="for prefix files (default: a temp dir)")
    args = ap.parse_args(argv)

    corpus = args.corpus / "corpus.txt"
    gold = load_gold(args.corpus / "corpus.gold.jsonl")
    sizes = sorted({parse_size(s) for s in args.sizes.split(",") if s.strip()})
    ctx = make_context(now=NOW, source=RAIL_SOURCE)
    info = machine()
    out("# ticker benchmark")
    out(
        f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
        f"{info['memory_gb']} GB RAM; {info['python']}, regex {info['regex']}; {info['os']}"
    )
    out(f"ticker {info['ticker_commit'] or '?'}; corpus {corpus} ({corpus.stat().st_size:,} B)")
    out(f"load average at start: {info['load_average_at_start']} (1, 5, 15 min)")

    with tempfile.TemporaryDirectory(prefix="ticker-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results: list[tuple[Prefix, list[Row], Score]] = []
        report: dict[str, Any] = {"machine": info, "corpus": str(corpus), "sizes": []}
        for size in sizes:
            prefix = make_prefix(corpus, size, gold, workdir)
            repeat = args.repeat or (5 if prefix.nbytes <= 10_000_000 else 3)
            rows = time_contenders(prefix, ctx, repeat)
            print_rows(prefix, rows, repeat)
            scores = {
                "ticker parse_stream": score(prefix.gold, ticker_records(prefix.path, ctx)),
                "naive split": score(prefix.gold, naive_records(prefix.path)),
            }
            last = size == sizes[-1]
            print_accuracy(scores, args.mismatches if last else 0)
            results.append((prefix, rows, scores["ticker parse_stream"]))
            report["sizes"].append(
                {
                    "size": prefix.label,
                    "bytes": prefix.nbytes,
                    "repeat": repeat,
                    "rows": [r.as_dict() for r in rows],
                    "accuracy": {n: s.as_dict(args.mismatches) for n, s in scores.items()},
                }
            )
        biggest = results[-1][0]
        repeat = args.repeat or (3 if biggest.nbytes <= 10_000_000 else 2)
        report["process"] = process_timings(biggest, workdir, repeat)
        commands = ticker_commands()
        report["ingest"] = bench_ingest(biggest.path, biggest.label, commands, workdir)
        report["stream"] = report["stream_ingest"] = None
        if args.stream_gb:
            big = big_input(corpus, args.stream_gb, workdir)
            report["stream"] = stream_parse(big)
            label = f"{args.stream_gb:g} GB"
            report["stream_ingest"] = bench_ingest(big, label, commands, workdir)
            if not args.keep_stream_file:
                big.unlink()
        else:
            out("\nstreaming check: not run (--stream-gb 1 runs it)")
        report["feed"] = bench_feed(biggest, commands, workdir, args.repeat or 3)
        report["server"] = bench_server(biggest, commands, workdir, args.load_seconds)
        report["load_average_at_end"] = _load()
        out(f"\nload average at the end: {report['load_average_at_end']} (1, 5, 15 min)")
        report["targets"] = check_targets(
            results, report["process"], report["stream"], report["stream_ingest"]
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        out(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
