"""Fetch: web pages as sources, with limits, and a page cache for re-runs and ``--offline``.

    >>> from divergence.fetch import is_url, source_id
    >>> is_url("https://example.org/news/bridge-closed"), is_url("notes/bridge.txt")
    (True, False)
    >>> is_url("https://example.org said the bridge was closed.")
    False
    >>> source_id("https://www.example.org/news/bridge-closed.html?ref=rss")
    'example.org-bridge-closed'

:func:`fetch_page` fetches a URL with httpx (a timeout per request, at most
:data:`MAX_REDIRECTS` redirects, the body read up to a byte limit, HTML content types only),
stores the raw page in the cache (``<cache dir>/pages/<sha256 of the URL>.json``; the cache dir
is ``$DIVERGENCE_CACHE_DIR`` or the user cache dir) and extracts the article with trafilatura,
as for a saved HTML file. A URL already in the cache is read from there, so a re-run and
``offline=True`` need no network. The source's meta records ``url``, ``final_url`` (after
redirects), ``fetched_at`` (UTC, ISO 8601) and ``from_cache``. Each failure is one
:class:`~divergence.errors.InputError` line naming the URL: HTTP status, timeout, not HTML, too
large, too many redirects, cannot connect, not in the cache when offline.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError

#: Seconds allowed for connecting and for each read.
TIMEOUT = 20.0
#: Redirects followed before giving up.
MAX_REDIRECTS = 5
#: Default cap on a page's size in bytes (see ``max_bytes``).
MAX_BYTES = 16_000_000
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_URL = re.compile(r"^https?://[^\s/]+\S*$", re.I)


def is_url(item: object) -> bool:
    """True for an ``http://`` or ``https://`` URL string (no spaces: a line of text that
    starts with a URL is text)."""
    return isinstance(item, str) and bool(_URL.match(item))


def source_id(url: str) -> str:
    """A short id for a URL: host (without ``www.``) and the last path segment's stem."""
    parts = urlsplit(url)
    host = re.sub(r"^www\.", "", parts.hostname or "page")
    last = [seg for seg in parts.path.split("/") if seg]
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", last[-1]) if last else ""
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-")[:60]
    return f"{host}-{stem}" if stem else host


def _cache_path(url: str, cache_dir: Path | None) -> Path:
    from .cache import default_cache_dir

    base = cache_dir if cache_dir is not None else default_cache_dir()
    return Path(base) / "pages" / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")


def _download(url: str, timeout: float, max_bytes: int) -> dict[str, Any]:
    try:
        import httpx
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(f"{url}: URL input needs httpx (pip install httpx)") from None
    headers = {"User-Agent": "divergence (news comparison; +offline research tool)"}
    try:
        with httpx.Client(
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=httpx.Timeout(timeout),
            headers=headers,
        ) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise InputError(
                        f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip()
                    )
                ctype = response.headers.get("content-type", "")
                if not any(t in ctype.lower() for t in _HTML_TYPES):
                    raise InputError(f"{url}: not an HTML page (content type '{ctype or 'none'}')")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise InputError(
                        f"{url}: page of {int(declared):,} bytes is over the limit of "
                        f"{max_bytes:,} bytes"
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise InputError(f"{url}: page is over the limit of {max_bytes:,} bytes")
                encoding = response.encoding or "utf-8"
                final_url = str(response.url)
    except InputError:
        raise
    except httpx.TimeoutException:
        raise InputError(f"{url}: timed out after {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except httpx.ConnectError as exc:
        raise InputError(f"{url}: cannot connect ({exc})") from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        raise InputError(f"{url}: fetch failed ({type(exc).__name__}: {exc})") from None
    try:
        html = bytes(body).decode(encoding, errors="replace")
    except LookupError:
        html = bytes(body).decode("utf-8", errors="replace")
    return {
        "url": url,
        "final_url": final_url,
        "fetched_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "content_type": ctype,
        "html": html,
    }


def fetch_page(
    url: str,
    *,
    offline: bool = False,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    cache_dir: Path | None = None,
) -> tuple[dict[str, Any], bool]:
    """The page at ``url`` (``url``, ``final_url``, ``fetched_at``, ``html``...) and whether it
    came from the page cache. :func:`divergence.ingest.fetch_source` makes it a Source."""
    url = url.strip()
    path = _cache_path(url, cache_dir)
    page: dict[str, Any] | None = None
    if path.is_file():
        try:
            page = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            page = None  # a damaged cache entry is fetched again
    from_cache = page is not None
    if page is None:
        if offline:
            raise InputError(f"{url}: not in the page cache ({path.parent}); run once online")
        page = _download(url, timeout, max_bytes)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(page), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            import warnings

            from .errors import DivergenceWarning

            warnings.warn(
                f"{url}: page not cached ({exc.strerror})", DivergenceWarning, stacklevel=2
            )
    return page, from_cache
