"""Real servers on loopback ports for the integration tests.

- :class:`LiveServer` runs an ASGI app with uvicorn in a background thread, on a free port.
- :class:`PageServer` is a plain ``http.server`` standing in for the news sites that
  ``ticker`` fetches: each path answers with what its handler says.
"""

from __future__ import annotations

import html
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx
import uvicorn

from ticker.server import UVICORN

Handler = Callable[[BaseHTTPRequestHandler], None]


class LiveServer:
    """``with LiveServer(app) as live:`` serves ``app`` at ``live.url`` until the block ends."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", **UVICORN
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = ""

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            if time.monotonic() > deadline:
                raise TimeoutError("uvicorn did not start within 15 s")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.server.should_exit = True
        self.thread.join(15)

    def client(self) -> httpx.Client:
        """A client for this server that ignores any proxy settings."""
        return httpx.Client(base_url=self.url, trust_env=False, timeout=30)


def page(
    body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200
) -> Handler:
    data = body.encode() if isinstance(body, str) else body

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    return handle


def as_html(text: str, title: str = "Latest news") -> str:
    """``text`` as a web page would show it: one ``<div>`` a line, among furniture."""
    rows = "\n".join(
        f'<div class="row"><span>{html.escape(line)}</span></div>'
        for line in text.splitlines()
        if line.strip()
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>.row {{ margin: 0 }}</style>
<script>window.dataLayer = ["31/07/2025", "A headline only a script knows"];</script>
</head><body>
<nav><a href="/">Home</a> <a href="/europe">Europe</a> <a href="/africa">Africa</a></nav>
<main>
{rows}
</main>
<noscript>Please enable JavaScript</noscript>
</body></html>
"""


class PageServer:
    """A threading ``http.server`` on a free loopback port; ``routes[path]`` answers
    GETs of ``path`` (404 otherwise) and ``hits`` counts them."""

    def __init__(self, routes: dict[str, Handler] | None = None) -> None:
        self.routes: dict[str, Handler] = dict(routes or {})
        self.hits: Counter[str] = Counter()
        outer = self

        class Handler_(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                outer.hits[path] += 1
                handle = outer.routes.get(path)
                try:
                    if handle is None:
                        self.send_error(404)
                    else:
                        handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (timeouts, size limits)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler_)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
