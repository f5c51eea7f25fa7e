"""Fetching pages: a URL becomes text the parser can read, and the time it was fetched.

httpx is used here and nowhere else. A fetch has a connect and a read timeout, an overall
deadline (a server dripping one byte a second gets nowhere), a limit on redirects and a
size limit counted as the body streams in, after decompression (a small gzip bomb is as
large as what it unpacks to). Whatever goes wrong is one :class:`~ticker.errors.FetchError`
naming the URL and the reason.

HTML becomes text that keeps its block boundaries (:func:`html_to_text`): each paragraph,
heading, list item, table cell or ``<br>`` ends a line, inline elements run together as a
browser shows them, and scripts, styles, navigation and other furniture are dropped. The
page's text is then what a person would have copied from it, which is what the parser's
"lines" layouts expect.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import httpx
import lxml.etree
import lxml.html

from . import __version__
from .errors import FetchError

USER_AGENT = f"ticker/{__version__} (news-teaser archiver)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """How long and how much a fetch may take."""

    #: seconds to connect
    connect: float = 10.0
    #: seconds between two pieces of the response
    read: float = 20.0
    #: seconds for the whole fetch, redirects and body included
    total: float = 60.0
    #: bytes of body at most (after content decoding)
    max_bytes: int = 10 << 20
    max_redirects: int = 5


class Page(NamedTuple):
    """A fetched page, as text."""

    url: str
    #: where the page was found, after redirects
    final_url: str
    #: when the response arrived: the reference time for the page's ages
    fetched_at: dt.datetime
    media_type: str
    text: str


def fetch(
    url: str,
    *,
    limits: Limits | None = None,
    clock: Clock = utc_now,
    transport: httpx.BaseTransport | None = None,
) -> Page:
    """GET ``url`` and return its text (HTML turned into text), or raise FetchError."""
    limits = limits or Limits()
    if not re.match(r"https?://", url, re.I):
        raise FetchError("not an http or https URL", name=url)
    timeout = httpx.Timeout(limits.read, connect=limits.connect)
    deadline = time.monotonic() + limits.total
    try:
        with (
            httpx.Client(
                timeout=timeout,
                follow_redirects=True,
                max_redirects=limits.max_redirects,
                headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9"},
                transport=transport,
            ) as client,
            client.stream("GET", url) as response,
        ):
            fetched_at = clock()
            if response.status_code >= 400:
                phrase = response.reason_phrase or "error"
                raise FetchError(f"HTTP {response.status_code} {phrase}", name=url)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise FetchError(_too_large(limits, f"it says {int(declared)}"), name=url)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limits.max_bytes:
                    raise FetchError(_too_large(limits, "the body grew past it"), name=url)
                if time.monotonic() > deadline:
                    raise FetchError(f"took longer than {limits.total:g} s in all", name=url)
            media_type, charset = _content_type(response.headers.get("content-type", ""))
            final_url = str(response.url)
    except httpx.TooManyRedirects:
        reason = f"too many redirects (more than {limits.max_redirects}; a redirect loop?)"
        raise FetchError(reason, name=url) from None
    except httpx.ConnectTimeout:
        raise FetchError(f"no connection within {limits.connect:g} s", name=url) from None
    except httpx.TimeoutException:
        raise FetchError(f"no data for {limits.read:g} s (read timeout)", name=url) from None
    except httpx.ConnectError as exc:
        raise FetchError(f"cannot connect ({exc or 'refused'})", name=url) from None
    except httpx.DecodingError:
        raise FetchError("the body's content encoding is corrupt", name=url) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError(f"not a URL ticker can fetch ({exc})", name=url) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}", name=url) from None
    text = _text(bytes(body), media_type, charset, url)
    return Page(url, final_url, fetched_at, media_type, text)


def _too_large(limits: Limits, how: str) -> str:
    return f"larger than the limit of {limits.max_bytes} bytes ({how})"


def _content_type(header: str) -> tuple[str, str | None]:
    """The media type (lowercase) and charset of a Content-Type header."""
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for p in parts[1:]:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return parts[0].lower(), charset


#: a body that is HTML whatever its Content-Type says: a doctype or <html> first
_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)", re.I | re.S
)


def _text(body: bytes, media_type: str, charset: str | None, url: str) -> str:
    if media_type in HTML_TYPES or (media_type in ("", "text/plain") and _HTML_START.match(body)):
        return html_to_text(body, charset)
    if media_type and not media_type.startswith("text/"):
        raise FetchError(f"not a page of text or HTML ({media_type})", name=url)
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


# --- HTML to text ----------------------------------------------------------------------

#: Elements whose content is never text a reader sees as the page: code, styling, embedded
#: objects, form widgets, and navigation furniture.
DROP = frozenset(
    "head script style noscript template nav svg math iframe object embed canvas select"
    " datalist button dialog".split()
)
#: Elements that start and end a line (CSS display block, list-item, table cells, <br>).
BLOCK = frozenset(
    "address article aside blockquote body br caption dd details div dl dt fieldset"
    " figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main"
    " menu ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")


def html_to_text(data: bytes | str, charset: str | None = None) -> str:
    """The text of an HTML page, one line per block, furniture dropped (see :data:`DROP`).

    Bytes are decoded as their BOM says, else as ``charset`` (from the HTTP header), else
    as the page's ``<meta>`` says, else as UTF-8; undecodable bytes become U+FFFD.
    Whitespace runs inside a block become one space, as a browser shows them (``<pre>``
    keeps its line breaks); blank lines are dropped; elements with the ``hidden``
    attribute are left out.
    """
    text = data if isinstance(data, str) else _decode(data, charset)
    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses it in a str
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return ""  # nothing but whitespace or comments
    parts: list[str] = []
    pre = 0
    walk = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, el in walk:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        shown = tag not in DROP and el.get("hidden") is None
        if event == "start":
            if not shown:
                walk.skip_subtree()  # its "end" still comes, for the tail
                continue
            if tag in BLOCK:
                parts.append("\n")
            pre += tag == "pre"
            if el.text:
                parts.append(el.text if pre else _SPACE.sub(" ", el.text))
            continue
        if shown:
            pre -= tag == "pre"
            if tag in BLOCK:
                parts.append("\n")
        if el.tail:
            parts.append(el.tail if pre else _SPACE.sub(" ", el.tail))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text + "\n" if text else ""


_XML_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml[^>]*\?>")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes, charset: str | None) -> str:
    """``data`` decoded: BOM, else ``charset`` or the ``<meta>`` one if Python knows it
    (a misspelt one is passed over), else UTF-8."""
    names: list[str | None] = [enc for bom, enc in _BOMS if data.startswith(bom)]
    names += [charset, _meta_charset(data[:2048]), "utf-8"]
    for name in names:
        if name:
            try:
                return data.decode(name, errors="replace")
            except LookupError:
                continue
    raise AssertionError("utf-8 is always known")


_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


def _meta_charset(head: bytes) -> str | None:
    m = _META.search(head)
    return m[1].decode("ascii") if m else None
