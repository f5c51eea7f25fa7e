"""The golden samples are the spec: every sample parses to exactly its expected records."""

from __future__ import annotations

import itertools

import pytest

from tests.samples import as_json, expected_of, parse_sample, sample_names, text_of
from ticker.parsing import parse, residue

SEED = "000_14508f3cbf4abfa2"


@pytest.mark.parametrize("name", sample_names())
def test_sample_matches_golden(name: str) -> None:
    expected = expected_of(name)
    got = [as_json(r) for r in parse_sample(name)]
    # compare on the keys the golden file has (the user's seed has fewer than ours)
    keys = list(expected[0]) if expected else []
    assert [{k: g[k] for k in keys} for g in got] == expected


@pytest.mark.parametrize("name", sample_names())
def test_sample_spans_tile_the_input(name: str) -> None:
    text = text_of(name)
    records = parse_sample(name)
    pieces = sorted([r.span for r in records] + residue(text, records))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    for (_, end), (start, _) in itertools.pairwise(pieces):
        assert end == start
    for r in records:
        assert r.headline in " ".join(text[r.span[0] : r.span[1]].split())


def test_flat_seed_gives_the_same_rail_records(now) -> None:
    flat = " ".join(text_of(SEED).split())
    rails = [r for r in parse(flat, now=now) if r.kind == "rail"]
    expected = [e for e in expected_of(SEED) if e["kind"] == "rail"]
    assert len(rails) == 18
    keys = list(expected[0])
    assert [{k: as_json(r)[k] for k in keys} for r in rails] == expected
