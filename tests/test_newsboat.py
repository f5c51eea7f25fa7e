"""A real reader: newsboat (the Debian package) subscribes to the served feeds, reloads
them, and its own cache must hold every item the server declared, each exactly once.

newsboat runs headless (``-x reload``) with a temporary HOME, urls file, config and
cache, as /work/shared/tools/feedcheck drives it. newsboat 2.21 keeps a feed's ETag and
Last-Modified from its second load on, so the third reload is conditional: the server
answers 304 and nothing changes. An item ingested meanwhile then arrives once.

Skipped only when the newsboat binary is absent; ``.ci/run`` installs it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import lxml.etree
import pytest

from tests.live import LiveServer
from tests.samples import NOW, parse_sample, sample_names
from ticker.parsing import parse
from ticker.server import ServeOptions, create_app
from ticker.store import Store

NEWSBOAT = shutil.which("newsboat")
pytestmark = pytest.mark.skipif(
    NEWSBOAT is None, reason="newsboat is not installed (.ci/run installs it with apt-get)"
)

SEEN = dt.datetime(2025, 8, 1, 10, 0, tzinfo=dt.UTC)
CLOCK = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC)
PROXIES = {"http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}
ASGI = Callable[..., Awaitable[None]]


class Recorder:
    """An ASGI wrapper noting the status of every response, by path."""

    def __init__(self, app: ASGI) -> None:
        self.app = app
        self.statuses: list[tuple[str, int]] = []

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        async def noting(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.statuses.append((scope["path"], message["status"]))
            await send(message)

        await self.app(scope, receive, noting if scope["type"] == "http" else send)


class Newsboat:
    """newsboat with its own HOME, urls, config and cache under ``home``."""

    def __init__(self, home: Path, url: str) -> None:
        self.home, self.url = home, url
        (home / "urls").write_text(url + "\n")
        (home / "config").write_text(
            "reload-threads 1\ndownload-timeout 20\ndownload-retries 1\nmax-items 0\n"
        )
        self.cache = home / "cache.db"
        self.runs = 0

    def reload(self) -> None:
        self.runs += 1
        log = self.home / f"newsboat-{self.runs}.log"
        env = {k: v for k, v in os.environ.items() if k not in PROXIES}
        env.update(HOME=str(self.home), LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="dumb")
        env.update(XDG_CONFIG_HOME=str(self.home / "xdg"), XDG_DATA_HOME=str(self.home / "xdg"))
        env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
        assert NEWSBOAT is not None
        cmd = [NEWSBOAT, "-u", "urls", "-c", "cache.db", "-C", "config", "-x", "reload"]
        done = subprocess.run(
            [*cmd, "-l", "4", "-d", str(log)],
            cwd=self.home,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        errors = [ln for ln in log.read_text(errors="replace").splitlines() if "ERROR" in ln]
        assert not errors, errors

    def guids(self) -> Counter[str]:
        with sqlite3.connect(f"file:{self.cache}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT guid FROM rss_item WHERE feedurl = ?", (self.url,))
            return Counter(guid.strip() for (guid,) in rows)


def declared(body: bytes) -> list[str]:
    """The ids the served document declares (RSS guid or Atom id)."""
    root = lxml.etree.fromstring(body)
    ids = root.xpath("/rss/channel/item/guid/text()") or root.xpath(
        "/a:feed/a:entry/a:id/text()", namespaces={"a": "http://www.w3.org/2005/Atom"}
    )
    return [str(i).strip() for i in ids]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_newsboat_holds_every_served_item_exactly_once(tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "samples.db"
    with Store(db) as store:
        for i, name in enumerate(sample_names()):
            store.ingest(parse_sample(name), seen=SEEN + dt.timedelta(minutes=i))
    app = Recorder(create_app(db, ServeOptions(clock=lambda: CLOCK)))
    home = tmp_path / "home"
    home.mkdir()
    path = f"/feeds/all.{fmt}"
    with LiveServer(app) as live, live.client() as client:
        served = declared(client.get(path).content)
        assert len(served) == len(set(served)) == 100
        reader = Newsboat(home, live.url.rstrip("/") + path)

        reader.reload()
        reader.reload()
        assert reader.guids() == Counter(served)  # every item, each exactly once

        app.statuses.clear()
        reader.reload()  # newsboat now sends the validators it kept: 304
        assert app.statuses == [(path, 304)]
        assert reader.guids() == Counter(served)

        with Store(db) as store:  # a new page arrives
            store.ingest(
                parse("02/12/2025\nA headline newsboat has not seen\nEurope\n", now=NOW), seen=CLOCK
            )
        app.statuses.clear()
        reader.reload()
        assert app.statuses == [(path, 200)]
        now_served = declared(client.get(path).content)
        assert len(now_served) == 100 and now_served[0] not in served
        # the new item once, and nothing the reader already had twice
        assert reader.guids() == Counter(served) + Counter(now_served[:1])
