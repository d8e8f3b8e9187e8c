"""Ingest: turn paths, strings, dicts or :class:`Source` objects into ``Source`` records.

    >>> from divergence.ingest import load_sources
    >>> [s.id for s in load_sources(["Biden called Putin.", "Putin called Biden."])]
    ['s1', 's2']

Accepted inputs, each item of the list being one of:

* a path to a text file (``.txt``, ``.text``, ``.md`` or no suffix): one source;
* a path to an HTML page (``.html``/``.htm``, or a text file that starts with ``<!doctype html``
  or ``<html``): one source, the article extracted with trafilatura;
* a path to a PDF (``.pdf``) or Word (``.docx``) file: one source, its extracted text (see
  :mod:`divergence.documents`; page headers, footers and numbers are dropped as junk);
* a path to a JSONL file (``.jsonl``/``.ndjson``): one source per line, ``{"id", "source",
  "title", "text"}`` (or ``"html"`` instead of ``"text"``); other keys are kept in
  ``Source.meta``;
* a path to a directory: every text/HTML/JSONL file in it (sorted by name, not recursive); files
  of other kinds are listed in a warning, never skipped silently;
* an ``http://`` or ``https://`` URL: the page fetched (or read from the page cache) and its
  article extracted as for HTML (see :mod:`divergence.fetch`);
* a string that is not an existing path: the text of one source;
* a mapping with at least ``text`` or ``html`` (same keys as a JSONL line), or a ``Source``.

``Source.text`` is the text exactly as decoded, so claim offsets index it. For HTML it is the
text trafilatura extracted (the page title on the first line when the extractor found one, then
the article's paragraphs), and offsets index that extracted text, not the HTML;
``meta["extracted_from"] == "html"`` records it. Files are decoded as UTF-8 (a BOM is honoured,
UTF-16 too); a file that is not valid UTF-8 is decoded as cp1252 (or latin-1) with a warning.
Binary, empty and over-long inputs raise :class:`InputError` with a one-line message naming the
input.

Limits (each a keyword argument of :func:`load_sources` and a CLI option): ``max_sources``
(default 1,000 sources), ``max_chars`` (2,000,000 characters per source) and ``max_total_chars``
(4,000,000 characters in all). A file is refused from its size before it is read when it cannot
fit, so an over-limit input costs no memory.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import DivergenceWarning, InputError, UsageError
from .fetch import TIMEOUT, fetch_page, is_url, source_id
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


def _read_path(path: Path, max_chars: int) -> list[Source]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path, max_chars)
    if suffix in HTML_SUFFIXES:
        return [read_html_file(path, max_chars)]
    if suffix in DOCUMENT_SUFFIXES:
        return [read_document(path, max_chars)]
    if suffix in {".doc", ".rtf", ".odt", ".pages"}:
        raise InputError(
            f"{path}: the '{suffix}' format is not read; save it as .docx, .pdf or .txt"
        )
    if suffix in TEXT_SUFFIXES or suffix not in {".json", ".csv"}:
        return [read_text_file(path, max_chars)]
    raise InputError(
        f"{path}: unknown input format '{suffix}' "
        "(expected .txt, .md, .html, .jsonl, .pdf, .docx, a URL or a directory)"
    )


def _read_dir(path: Path, max_chars: int) -> list[Source]:
    wanted, skipped = [], []
    try:
        children = sorted(path.iterdir())
    except OSError as exc:
        raise InputError(f"{path}: cannot read directory ({exc.strerror})") from None
    for child in children:
        if child.name.startswith(".") or not child.is_file():
            continue
        if child.suffix.lower() in DIR_SUFFIXES:
            wanted.append(child)
        else:
            skipped.append(child.name)
    if skipped:
        warnings.warn(
            f"{path}: skipped {len(skipped)} file(s) that are not "
            ".txt/.md/.html/.jsonl/.pdf/.docx: " + ", ".join(skipped),
            DivergenceWarning,
            stacklevel=3,
        )
    if not wanted:
        raise InputError(
            f"{path}: no .txt, .md, .html, .jsonl, .pdf or .docx files in this directory"
        )
    out: list[Source] = []
    for child in wanted:
        out.extend(_read_path(child, max_chars))
    return out


def _unique_ids(sources: list[Source]) -> list[Source]:
    """Rename later sources whose id is taken (``a`` -> ``a~2``), with a warning each."""
    taken = {s.id for s in sources}
    seen: set[str] = set()
    out = []
    for s in sources:
        if s.id in seen:
            n = 2
            while f"{s.id}~{n}" in taken:
                n += 1
            new_id = f"{s.id}~{n}"
            taken.add(new_id)
            warnings.warn(
                f"two sources share the id '{s.id}'; the later one is '{new_id}'",
                DivergenceWarning,
                stacklevel=3,
            )
            s = replace(s, id=new_id)
        seen.add(s.id)
        out.append(s)
    return out


def load_sources(
    items: Iterable[str | Path | Source | Mapping[str, Any]],
    *,
    max_chars: int = MAX_CHARS,
    max_sources: int = MAX_SOURCES,
    max_total_chars: int = MAX_TOTAL_CHARS,
) -> list[Source]:
    """Load every item into ``Source`` records (see the module docstring for accepted inputs).

    Raises :class:`InputError` for a missing path, an unreadable/binary/empty input, a malformed
    JSONL line, more than ``max_sources`` sources, a source over ``max_chars`` characters or
    sources over ``max_total_chars`` characters in all.
    """
    for name, value in (
        ("max_chars", max_chars),
        ("max_sources", max_sources),
        ("max_total_chars", max_total_chars),
    ):
        if not isinstance(value, int) or value < 1:
            raise UsageError(f"{name} must be a positive whole number, got {value!r}")
    if isinstance(items, (str, Path, Source, Mapping)):
        items = [items]
    sources: list[Source] = []
    n_strings = 0
    total = 0
    for item in items:
        before = len(sources)
        if isinstance(item, Source):
            if not isinstance(item.text, str):
                raise InputError(
                    f"source '{item.id}': text must be a string, not {_type_name(item.text)}"
                )
            _check_text(item.text, f"source '{item.id}'", max_chars)
            if _SURROGATE.search(item.text):
                item = replace(item, text=_fix_surrogates(item.text, f"source '{item.id}'"))
            sources.append(item)
        elif isinstance(item, Mapping):
            n_strings += 1
            sources.append(
                _source_from_mapping(item, f"source #{n_strings}", f"s{n_strings}", None, max_chars)
            )
        elif isinstance(item, str) and is_url(item):
            sources.append(
                fetch_source(item, max_chars=max_chars, max_bytes=HTML_FACTOR * max_chars)
            )
        elif isinstance(item, Path) or (
            isinstance(item, str)
            and "\n" not in item
            and len(item) < 4096
            and _looks_like_path(item)
        ):
            path = Path(item)
            if path.is_dir():
                sources.extend(_read_dir(path, max_chars))
            elif path.is_file():
                sources.extend(_read_path(path, max_chars))
            elif path.exists():
                raise InputError(f"{path}: not a regular file or directory")
            else:
                raise InputError(f"{path}: no such file or directory")
        elif isinstance(item, str):
            n_strings += 1
            _check_text(item, f"source #{n_strings}", max_chars)
            item = _fix_surrogates(item, f"source #{n_strings}")
            sources.append(
                Source(
                    id=f"s{n_strings}", name=f"s{n_strings}", text=item, meta={"name_from": "id"}
                )
            )
        else:
            raise InputError(
                f"cannot read a source from a {type(item).__name__}: "
                "give a path, a string, a mapping with 'text', or a Source"
            )
        if len(sources) > max_sources:
            raise InputError(
                f"more than {max_sources:,} sources, the limit for one comparison "
                "(raise it with max_sources= / --max-sources)"
            )
        total += sum(len(s.text) for s in sources[before:])
        if total > max_total_chars:
            raise InputError(
                f"the sources add up to over {max_total_chars:,} characters, the limit for one "
                "comparison (raise it with max_total_chars= / --max-total-chars)"
            )
    return _unique_ids([_fix_fields(s) for s in sources])


def _fix_fields(s: Source) -> Source:
    """File names undecodable as UTF-8 reach Python as surrogate escapes: make the id, name,
    path and title writable (U+FFFD for each) so that no report fails on them."""
    fields = {"id": s.id, "name": s.name, "path": s.path, "title": s.title}
    bad = {k: v for k, v in fields.items() if isinstance(v, str) and _SURROGATE.search(v)}
    if not bad:
        return s
    return replace(s, **{k: _fix_surrogates(v, f"source '{s.id!a}' {k}") for k, v in bad.items()})


def _looks_like_path(item: str) -> bool:
    """A one-line string is a path if it exists, or if it has no whitespace and looks like one
    (a path separator or a known suffix); otherwise it is the text of a source. An empty or
    blank string is text (an empty source), never the current directory."""
    if not item.strip() or item != item.strip():
        # surrounding whitespace or line breaks ("/\r"): text, not a path typed by a user
        return False
    try:
        if Path(item).exists():
            return True
    except (OSError, ValueError):  # NUL byte, name too long, ...: not a usable path
        return False
    if any(ch.isspace() for ch in item.strip()):
        return False
    suffix = Path(item).suffix.lower()
    return "/" in item or "\\" in item or suffix in DIR_SUFFIXES


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
    import re
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
