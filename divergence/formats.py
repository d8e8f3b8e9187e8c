"""The input formats: one reader per kind of input, each giving :class:`Source` records.

Text files, HTML pages (trafilatura), JSONL files, PDF/Word documents (:mod:`divergence.documents`),
mappings and URLs (:mod:`divergence.fetch`), with the decoding, surrogate and length checks they
share. :mod:`divergence.ingest` decides which reader an input goes to (and re-exports these
names); the readers know nothing of one another's dispatch.

    >>> from pathlib import Path
    >>> sorted(HTML_SUFFIXES), Path("a.ndjson").suffix in JSONL_SUFFIXES
    (['.htm', '.html'], True)
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import DivergenceWarning, InputError
from .fetch import TIMEOUT, fetch_page, source_id
from .records import Source

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
DOCUMENT_SUFFIXES = {".pdf", ".docx"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
#: Suffixes of the files a directory is read for.
DIR_SUFFIXES = (TEXT_SUFFIXES - {""}) | JSONL_SUFFIXES | HTML_SUFFIXES | DOCUMENT_SUFFIXES
#: Default cap on one source's length (characters): beyond this a comparison of several sources
#: no longer fits a report, and memory use is dominated by one article. Override with
#: ``max_chars=``.
MAX_CHARS = 2_000_000
#: Default cap on the number of sources in one comparison.
MAX_SOURCES = 1000
#: Default cap on the characters of all sources together (bounds reading, segmentation and the
#: number of claims; see also ``pipeline.MAX_CLAIMS``).
MAX_TOTAL_CHARS = 4_000_000
#: An HTML page may be this many times ``max_chars`` before extraction (markup outweighs text).
HTML_FACTOR = 8
#: A PDF or .docx file may be this many times ``max_chars`` bytes (fonts and images outweigh text).
DOCUMENT_FACTOR = 16

_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"PK\x03\x04": "ZIP archive (docx/xlsx/zip)",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
    b"\xd0\xcf\x11\xe0": "old Office document (.doc/.xls); save it as .docx",
}


def decode_bytes(data: bytes, label: str) -> str:
    """Decode a file's bytes to text, refusing binary data.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are decoded as such; any other bytes that
    are not valid UTF-8 fall back to cp1252, then latin-1, with a :class:`DivergenceWarning`.
    """
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{label}: invalid {encoding.upper()} text ({exc.reason})"
                ) from None
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{label}: looks like a binary file ({kind}), not text")
    head = data[:8192]
    if b"\x00" in head:
        if len(head) >= 4 and (
            head[1::2].count(0) > 0.9 * (len(head) // 2)
            or head[0::2].count(0) > 0.9 * (len(head) // 2)
        ):
            raise InputError(
                f"{label}: looks like UTF-16 text without a byte-order mark; "
                "save it as UTF-8 (or UTF-16 with a BOM)"
            )
        raise InputError(f"{label}: looks like a binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings.warn(
            f"{label}: not valid UTF-8; decoded as {encoding}", DivergenceWarning, stacklevel=2
        )
        return text
    raise InputError(f"{label}: cannot decode text")  # pragma: no cover - latin-1 never fails


def _check_text(text: str, label: str, max_chars: int) -> None:
    if not text.strip():
        raise InputError(f"{label}: empty (no text to compare)")
    if len(text) > max_chars:
        raise InputError(
            f"{label}: {len(text):,} characters is over the limit of {max_chars:,} per source "
            "(raise it with max_chars= / --max-chars)"
        )


def _read_file(path: Path, max_chars: int, limit: str = "") -> str:
    """The file's text; refused from its size alone when it cannot hold at most ``max_chars``
    characters (``limit`` describes that limit in the message)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    # UTF-8 text is at most 4 bytes a character: refuse early what cannot fit.
    if size > 4 * max_chars + 4:
        raise InputError(
            f"{path}: {size:,} bytes is over the limit of "
            + (limit or f"{max_chars:,} characters per source")
            + " (raise it with max_chars= / --max-chars)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return decode_bytes(data, str(path))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(value: Any, label: str) -> Any:
    """Replace unpaired UTF-16 surrogates (``"\\ud800"`` escapes in broken JSON) with U+FFFD,
    one character for one so offsets hold, with a warning: they cannot be written as UTF-8."""
    count = 0

    def fix(v: Any) -> Any:
        nonlocal count
        if isinstance(v, str):
            fixed, n = _SURROGATE.subn("\ufffd", v)
            count += n
            return fixed
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, dict):
            return {fix(k): fix(x) for k, x in v.items()}
        return v

    out = fix(value)
    if count:
        warnings.warn(
            f"{label}: replaced {count} unpaired surrogate(s) (broken UTF-16) with U+FFFD",
            DivergenceWarning,
            stacklevel=4,
        )
    return out


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinite floats (not JSON) replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _source_from_mapping(
    row: Mapping[str, Any], label: str, default_id: str, path: str | None, max_chars: int
) -> Source:
    row = _fix_surrogates(dict(row), label)
    has_text = row.get("text") is not None
    if not has_text and row.get("html") is None:
        if "text" in row:
            raise InputError(f"{label}: field 'text' must be a string, not null")
        raise InputError(f"{label}: no 'text' field (nor 'html')")
    for key in ("text", "html", "id", "source", "name", "title", "date"):
        value = row.get(key)
        if value is None or isinstance(value, str):
            continue
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            continue
        raise InputError(f"{label}: field '{key}' must be a string, not {_type_name(value)}")
    meta = {
        k: v
        for k, v in row.items()
        if k not in {"id", "source", "name", "title", "text", "html", "date"}
    }
    for key, value in list(meta.items()):
        try:
            json.dumps(value, allow_nan=False)
        except ValueError:  # NaN/Infinity (pandas exports): not JSON; kept as null, said so
            meta[key] = _finite(value)
            warnings.warn(
                f"{label}: field '{key}' holds NaN or Infinity; written as null",
                DivergenceWarning,
                stacklevel=4,
            )
        except TypeError as exc:
            raise InputError(
                f"{label}: field '{key}' cannot be written as JSON ({type(exc).__name__}: {exc})"
            ) from None
    title = row.get("title")
    if has_text:
        text = row["text"]
    else:
        if len(row["html"]) > HTML_FACTOR * max_chars:
            raise InputError(
                f"{label}: {len(row['html']):,} characters of HTML is over the limit of "
                f"{HTML_FACTOR * max_chars:,} ({HTML_FACTOR} x --max-chars)"
            )
        text, extracted_title, info = extract_html(row["html"], label)
        title = title or extracted_title
        meta.update(info)
    _check_text(text, label, max_chars)
    sid = str(row["id"]) if row.get("id") not in (None, "") else default_id
    name = row.get("source") or row.get("name") or sid
    meta["name_from"] = "input" if (row.get("source") or row.get("name")) else "id"
    return Source(
        id=sid,
        name=str(name),
        text=text,
        title=title,
        path=path,
        date=row.get("date"),
        meta=meta,
    )


def extract_html(html: str, label: str) -> tuple[str, str | None, dict[str, Any]]:
    """Extract an article from an HTML page with trafilatura: ``(text, title, meta)``.

    ``text`` is the page title (when found) on its first line, then the article's paragraphs one
    a line; scripts, navigation, footers and comments are left out. ``meta`` records
    ``extracted_from: "html"`` and the extractor's name and version. The page's date is not
    taken: the extractor guesses it from whatever numbers it finds (a copyright year).

        >>> text, title, meta = extract_html(
        ...     "<html><head><title>Talks</title><script>x()</script></head><body>"
        ...     "<nav><a href='/'>Home</a></nav><article><p>Biden called Putin on Tuesday "
        ...     "to discuss arms control, officials said.</p></article></body></html>", "page")
        >>> text.splitlines()[-1]
        'Biden called Putin on Tuesday to discuss arms control, officials said.'
        >>> meta["extracted_from"]
        'html'
    """
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(
            f"{label}: HTML input needs trafilatura (pip install trafilatura)"
        ) from None
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
        )
    except Exception as exc:  # lxml/trafilatura on a broken page
        raise InputError(
            f"{label}: cannot extract an article from this HTML ({type(exc).__name__}: {exc})"
        ) from None
    body = ((doc.text if doc is not None else None) or "").strip()
    if not body:
        raise InputError(f"{label}: no article text found in this HTML page")
    title = " ".join(doc.title.split()) if doc.title else None
    first = body.split("\n", 1)[0].strip()
    text = body if not title or first == title else f"{title}\n{body}"
    meta: dict[str, Any] = {
        "extracted_from": "html",
        "extractor": f"trafilatura {getattr(trafilatura, '__version__', '?')}",
    }
    for key in ("sitename", "author", "url"):
        value = getattr(doc, key, None)
        if isinstance(value, str) and value:
            meta[f"html_{key}"] = value
    return text, title, meta


def _looks_like_html(text: str) -> bool:
    head = text[:512].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


def read_jsonl(path: Path, max_chars: int = MAX_CHARS) -> list[Source]:
    """Read one source per non-blank line of a JSONL file (lines end at ``\\n`` only, so a
    U+2028 inside a JSON string does not split a record)."""
    text = _read_file(
        path, max_chars * 64, f"{max_chars * 64:,} characters per JSONL file (64 x --max-chars)"
    )
    sources = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        label = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{label}: malformed JSON at column {exc.colno}: {exc.msg}") from None
        except RecursionError:
            raise InputError(f"{label}: malformed JSON (nested too deeply)") from None
        if not isinstance(row, dict):
            raise InputError(f"{label}: expected a JSON object, got {_type_name(row)}")
        sources.append(
            _source_from_mapping(row, label, f"{path.stem}:{lineno}", str(path), max_chars)
        )
    if not sources:
        raise InputError(f"{path}: empty (no JSONL lines)")
    return sources


def read_text_file(path: Path, max_chars: int = MAX_CHARS) -> Source:
    """Read one text file as one source, named after the file's stem."""
    text = _read_file(path, max_chars)
    _check_text(text, str(path), max_chars)
    if _looks_like_html(text):
        return _html_source(path, text, max_chars)
    return Source(
        id=path.stem, name=path.stem, text=text, path=str(path), meta={"name_from": "file"}
    )


def read_html_file(path: Path, max_chars: int = MAX_CHARS) -> Source:
    """Read an HTML page as one source: the article trafilatura extracts (see
    :func:`extract_html`), named after the file's stem."""
    limit = HTML_FACTOR * max_chars
    html = _read_file(
        path, limit, f"{limit:,} characters per HTML page ({HTML_FACTOR} x --max-chars)"
    )
    if not html.strip():
        raise InputError(f"{path}: empty (no text to compare)")
    if len(html) > limit:
        raise InputError(
            f"{path}: {len(html):,} characters is over the limit of {limit:,} per HTML page "
            f"({HTML_FACTOR} x --max-chars)"
        )
    return _html_source(path, html, max_chars)


def _html_source(path: Path, html: str, max_chars: int) -> Source:
    text, title, meta = extract_html(html, str(path))
    _check_text(text, str(path), max_chars)
    meta["name_from"] = "file"
    return Source(id=path.stem, name=path.stem, text=text, title=title, path=str(path), meta=meta)


def read_document(path: Path, max_chars: int = MAX_CHARS) -> Source:
    """Read a PDF or Word (.docx) file as one source, named after the file's stem (see
    :mod:`divergence.documents`: page headers, footers and numbers are marked as junk)."""
    from .documents import read_docx, read_pdf

    limit = DOCUMENT_FACTOR * max_chars
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if size > limit:
        raise InputError(
            f"{path}: {size:,} bytes is over the limit of {limit:,} bytes per document "
            f"({DOCUMENT_FACTOR} x --max-chars)"
        )
    reader = read_pdf if path.suffix.lower() == ".pdf" else read_docx
    text, meta = reader(path)
    _check_text(text, str(path), max_chars)
    meta["name_from"] = "file"
    return Source(id=path.stem, name=path.stem, text=text, path=str(path), meta=meta)


def fetch_source(
    url: str,
    *,
    offline: bool = False,
    timeout: float = TIMEOUT,
    max_bytes: int | None = None,
    max_chars: int | None = None,
    cache_dir: Path | None = None,
) -> Source:
    """The article at ``url`` as a :class:`Source` (fetched by :func:`divergence.fetch.fetch_page`,
    from the page cache when it is there), extracted like a saved HTML page."""
    from urllib.parse import urlsplit

    max_chars = max_chars or MAX_CHARS
    page, from_cache = fetch_page(
        url,
        offline=offline,
        timeout=timeout,
        max_bytes=max_bytes or HTML_FACTOR * max_chars,
        cache_dir=cache_dir,
    )
    text, title, meta = extract_html(page["html"], url)
    _check_text(text, url, max_chars)
    meta.update(
        {
            "url": page["url"],
            "final_url": page["final_url"],
            "fetched_at": page["fetched_at"],
            "from_cache": from_cache,
            "name_from": "url",
        }
    )
    host = re.sub(r"^www\.", "", urlsplit(page["final_url"]).hostname or url)
    sid = source_id(url.strip())
    return Source(id=sid, name=host, text=text, title=title, path=None, meta=meta)
