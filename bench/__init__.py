"""Benchmarks for ticker (``make bench``): a synthetic corpus with a gold file, and a runner.

- :mod:`bench.corpus` writes a deterministic corpus of France 24 rails and aggregator cards
  in both layouts, with the records the parser should produce (the gold);
- :mod:`bench.naive` is the baseline splitter the parser is compared with;
- :mod:`bench.run` times the floor, the parser and the splitter in one process, scores them
  against the gold, and times whole ``ticker`` processes.

Not part of the test suite: ``tests/test_bench.py`` only checks that both run on a tiny corpus.
"""

#: byte-size suffixes accepted on the command line (decimal: 1MB = 1,000,000 bytes)
UNITS = {"GB": 10**9, "MB": 10**6, "KB": 10**3, "B": 1}


def parse_size(text: str) -> int:
    """``"50MB"`` -> 50_000_000; ``"200KB"``, ``"1GB"``, ``"1.5MB"`` and plain byte counts too."""
    t = text.strip().upper()
    for suffix, factor in UNITS.items():
        if t.endswith(suffix):
            return int(float(t[: -len(suffix)]) * factor)
    return int(t)


def format_size(n: int) -> str:
    """The inverse of :func:`parse_size` for round sizes: 50_000_000 -> ``"50MB"``."""
    for suffix, factor in UNITS.items():
        if n >= factor and n % factor == 0:
            return f"{n // factor}{suffix}"
    return f"{n}B"
