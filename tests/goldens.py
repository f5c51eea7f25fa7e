"""Rewrite samples/*.expected.jsonl from the parser (``make goldens``); read the diff.

The user's own samples (names starting ``000_``) are never rewritten.
"""

from __future__ import annotations

import json
import sys

from tests.samples import SAMPLES, USER_OWNED, as_json, parse_sample, sample_names


def main(names: list[str]) -> None:
    for name in names or sample_names():
        if name.startswith(USER_OWNED):
            continue
        lines = [json.dumps(as_json(r), ensure_ascii=False) for r in parse_sample(name)]
        path = SAMPLES / f"{name}.expected.jsonl"
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        print(f"wrote {path.relative_to(SAMPLES.parent)} ({len(lines)} records)")


if __name__ == "__main__":
    main(sys.argv[1:])
