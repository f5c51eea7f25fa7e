"""Rewrite the goldens from the code (``make goldens``); read the diff.

- ``samples/NAME.expected.jsonl`` from the parser. The user's own samples (names starting
  ``000_``) are never rewritten.
- ``samples/feeds/NAME.{rss,atom,json}``: the feeds of :data:`FEED_SAMPLES` (the user's
  page is one: its feeds are ours, its records are not).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace

from tests.samples import NOW, SAMPLES, USER_OWNED, as_json, parse_sample, sample_names
from ticker.feeds import FORMATS, FeedInfo

#: the samples whose feeds are golden: cards with ages and summaries, and a bare rail
FEED_SAMPLES = ("000_14508f3cbf4abfa2", "f24-rail-lines")
FEEDS = SAMPLES / "feeds"
#: what the golden feeds say about themselves (each gets its own self URL)
FEED_INFO = FeedInfo(title="ticker samples", language="en", ttl=60, undated=NOW)


def render_feed(name: str, fmt: str) -> bytes:
    """The feed of one sample's records (page order, repeats and all), as its golden."""
    form = FORMATS[fmt]
    info = replace(FEED_INFO, self_url=f"https://ticker.invalid/feeds/{name}{form.suffix}")
    return form.write(parse_sample(name), info)


def main(names: list[str]) -> None:
    for name in names or sample_names():
        if name.startswith(USER_OWNED):
            continue
        lines = [json.dumps(as_json(r), ensure_ascii=False) for r in parse_sample(name)]
        path = SAMPLES / f"{name}.expected.jsonl"
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        print(f"wrote {path.relative_to(SAMPLES.parent)} ({len(lines)} records)")
    FEEDS.mkdir(exist_ok=True)
    for name in FEED_SAMPLES:
        if names and name not in names:
            continue
        for fmt, form in FORMATS.items():
            path = FEEDS / f"{name}{form.suffix}"
            path.write_bytes(render_feed(name, fmt))
            print(f"wrote {path.relative_to(SAMPLES.parent)}")


if __name__ == "__main__":
    main(sys.argv[1:])
