"""The golden samples: samples/NAME.txt beside samples/NAME.expected.jsonl."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ticker.model import Record
from ticker.parsing import parse

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: the reference time every golden is computed against
NOW = dt.datetime(2025, 8, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
#: samples whose expected records belong to the user: `make goldens` never rewrites them
USER_OWNED = ("000_",)


def sample_names() -> list[str]:
    return sorted(p.name.removesuffix(".txt") for p in SAMPLES.glob("*.txt"))


def text_of(name: str) -> str:
    return (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")


def expected_of(name: str) -> list[dict[str, Any]]:
    lines = (SAMPLES / f"{name}.expected.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def parse_sample(name: str) -> list[Record]:
    return parse(text_of(name), now=NOW)


def as_json(record: Record) -> dict[str, Any]:
    """A record as the expected files hold it (JSON round trip of to_dict)."""
    loaded: dict[str, Any] = json.loads(json.dumps(record.to_dict()))
    return loaded
