"""The benchmark runs (on a tiny corpus); the figures themselves are `make bench`'s business."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import corpus, naive, run

SIZE = 200_000


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    corpus.write(out, SIZE, seed=3)
    return out


def gold_of(directory: Path) -> list[dict]:
    return run.load_gold(directory / "corpus.gold.jsonl")


def test_same_seed_same_bytes(tiny: Path, tmp_path: Path) -> None:
    corpus.write(tmp_path, SIZE, seed=3)
    for name in ("corpus.txt", "corpus.gold.jsonl"):
        assert (tmp_path / name).read_bytes() == (tiny / name).read_bytes()


def test_another_seed_other_bytes(tiny: Path, tmp_path: Path) -> None:
    corpus.write(tmp_path, SIZE, seed=4)
    assert (tmp_path / "corpus.txt").read_bytes() != (tiny / "corpus.txt").read_bytes()


def test_size_is_approximate(tiny: Path) -> None:
    assert SIZE <= (tiny / "corpus.txt").stat().st_size < SIZE + 20_000


def test_gold_is_consistent_with_the_text(tiny: Path) -> None:
    text = (tiny / "corpus.txt").read_text(encoding="utf-8")
    data = (tiny / "corpus.txt").read_bytes()
    flat = " ".join(text.split())
    gold = gold_of(tiny)
    assert gold and [g["page"] for g in gold] == sorted(g["page"] for g in gold)
    for g in gold:
        for k in ("headline", "summary", "source", "region", "kicker", "age", "duration"):
            assert g[k] is None or g[k] in flat, (k, g)
        # each page starts where the gold says, in characters and in bytes
        assert g["at"] == 0 or text[g["at"] - 2 : g["at"]] == "\n\n"
        assert data[: g["byte"]].decode() == text[: g["at"]]
    kinds = {g["kind"] for g in gold}
    layouts = {g["layout"] for g in gold}
    assert kinds == {"rail", "card"} and layouts == {"lines", "flat", "oneline"}


def test_naive_splits_on_dates_and_strips_one_tag() -> None:
    items = list(naive.split("01:45 31/07/2025 Talks across Europe Europe 30/07/2025 Gaza: aid"))
    assert [(i.date, i.headline, i.region) for i in items] == [
        ("2025-07-31", "Talks across Europe", "Europe"),
        ("2025-07-30", "Gaza: aid", None),
    ]


def test_runner_prints_the_table(tiny: Path, tmp_path: Path, capsys) -> None:
    figures = tmp_path / "figures.json"
    args = ["--corpus", str(tiny), "--sizes", "100KB", "--repeat", "1", "--load-seconds", "0.2"]
    args += ["--json", str(figures)]
    assert run.main(args) == 0
    printed = capsys.readouterr().out
    for line in ("machine:", "## 100KB", "floor", "ticker parse_stream", "naive split"):
        assert line in printed
    for line in ("accuracy", "field agreement", "whole processes", "targets (issue 6)"):
        assert line in printed
    report = json.loads(figures.read_text())
    (size,) = report["sizes"]
    assert [r["name"] for r in size["rows"]] == ["floor", "ticker parse_stream", "naive split"]
    assert size["rows"][0]["ratio_to_floor"] == 1.0
    assert 0 < size["accuracy"]["ticker parse_stream"]["f1"] <= 1
    assert size["bytes"] <= 100_000
