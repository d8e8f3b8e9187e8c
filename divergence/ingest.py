"""Ingest: turn paths, strings, dicts or :class:`Source` objects into ``Source`` records.

    >>> from divergence.ingest import load_sources
    >>> [s.id for s in load_sources(["Biden called Putin.", "Putin called Biden."])]
    ['s1', 's2']

Accepted inputs, each item of the list being one of:

* a path to a text file (``.txt``, ``.text``, ``.md`` or no suffix): one source;
* a path to a JSONL file (``.jsonl``/``.ndjson``): one source per line, ``{"id", "source",
  "title", "text"}``; other keys are kept in ``Source.meta``;
* a path to a directory: every text/JSONL file in it (sorted by name, not recursive); files of
  other kinds are listed in a warning, never skipped silently;
* a string that is not an existing path: the text of one source;
* a mapping with at least ``text`` (same keys as a JSONL line), or a ``Source``.

``Source.text`` is the text exactly as decoded, so claim offsets index it. Files are decoded as
UTF-8 (a BOM is honoured, UTF-16 too); a file that is not valid UTF-8 is decoded as cp1252 (or
latin-1) with a warning. Binary, empty and over-long inputs raise :class:`InputError` with a
one-line message naming the input.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import InputError
from .records import Source

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: Default cap on one source's length (characters): beyond this a comparison of several sources
#: no longer fits a report, and memory use is dominated by one article. Override with
#: ``max_chars=``.
MAX_CHARS = 2_000_000
#: Default cap on the number of sources in one comparison.
MAX_SOURCES = 1000

_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"PK\x03\x04": "ZIP archive (docx/xlsx/zip)",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
}


class DivergenceWarning(UserWarning):
    """A recoverable problem with the input (encoding guessed, files skipped, ...)."""


def decode_bytes(data: bytes, label: str) -> str:
    """Decode a file's bytes to text, refusing binary data.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are decoded as such; any other bytes that
    are not valid UTF-8 fall back to cp1252, then latin-1, with a :class:`DivergenceWarning`.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{label}: invalid UTF-16 text ({exc.reason})") from None
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{label}: looks like a binary file ({kind}), not text")
    if b"\x00" in data[:8192]:
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


def _read_file(path: Path, max_chars: int) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    # UTF-8 text is at most 4 bytes a character: refuse early what cannot fit.
    if size > 4 * max_chars + 4:
        raise InputError(
            f"{path}: {size:,} bytes is over the limit of {max_chars:,} characters per source "
            "(raise it with max_chars= / --max-chars)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return decode_bytes(data, str(path))


def _source_from_mapping(
    row: Mapping[str, Any], label: str, default_id: str, path: str | None, max_chars: int
) -> Source:
    if "text" not in row:
        raise InputError(f"{label}: no 'text' field")
    for key in ("text", "id", "source", "title", "date"):
        if key in row and row[key] is not None and not isinstance(row[key], str):
            if key == "id" and isinstance(row[key], int):
                continue
            raise InputError(
                f"{label}: field '{key}' must be a string, not {type(row[key]).__name__}"
            )
    text = row["text"]
    _check_text(text, label, max_chars)
    sid = str(row.get("id") or default_id)
    name = row.get("source") or row.get("name") or sid
    meta = {
        k: v for k, v in row.items() if k not in {"id", "source", "name", "title", "text", "date"}
    }
    meta["name_from"] = "input" if (row.get("source") or row.get("name")) else "id"
    return Source(
        id=sid,
        name=str(name),
        text=text,
        title=row.get("title"),
        path=path,
        date=row.get("date"),
        meta=meta,
    )


def read_jsonl(path: Path, max_chars: int = MAX_CHARS) -> list[Source]:
    """Read one source per non-blank line of a JSONL file."""
    text = _read_file(path, max_chars=max_chars * 64)
    sources = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{label}: malformed JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{label}: expected a JSON object, got {type(row).__name__}")
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
    return Source(
        id=path.stem, name=path.stem, text=text, path=str(path), meta={"name_from": "file"}
    )


def _read_path(path: Path, max_chars: int) -> list[Source]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path, max_chars)
    if suffix in {".html", ".htm"}:
        raise InputError(f"{path}: HTML input is not supported yet; extract the article text first")
    if suffix in TEXT_SUFFIXES or suffix not in {".json", ".csv", ".pdf", ".docx"}:
        return [read_text_file(path, max_chars)]
    raise InputError(
        f"{path}: unknown input format '{suffix}' (expected .txt, .md, .jsonl or a directory)"
    )


def _read_dir(path: Path, max_chars: int) -> list[Source]:
    wanted, skipped = [], []
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or not child.is_file():
            continue
        suffix = child.suffix.lower()
        if suffix in JSONL_SUFFIXES or suffix in {".txt", ".text", ".md"}:
            wanted.append(child)
        else:
            skipped.append(child.name)
    if skipped:
        warnings.warn(
            f"{path}: skipped {len(skipped)} file(s) that are not .txt/.md/.jsonl: "
            + ", ".join(skipped),
            DivergenceWarning,
            stacklevel=3,
        )
    if not wanted:
        raise InputError(f"{path}: no .txt, .md or .jsonl files in this directory")
    out: list[Source] = []
    for child in wanted:
        out.extend(_read_path(child, max_chars))
    return out


def _unique_ids(sources: list[Source]) -> list[Source]:
    seen: dict[str, int] = {}
    out = []
    for s in sources:
        if s.id in seen:
            seen[s.id] += 1
            new_id = f"{s.id}~{seen[s.id]}"
            warnings.warn(
                f"two sources share the id '{s.id}'; the later one is '{new_id}'",
                DivergenceWarning,
                stacklevel=3,
            )
            s = Source(
                id=new_id,
                name=s.name,
                text=s.text,
                title=s.title,
                path=s.path,
                date=s.date,
                meta=s.meta,
            )
        else:
            seen[s.id] = 1
        out.append(s)
    return out


def load_sources(
    items: Iterable[str | Path | Source | Mapping[str, Any]],
    *,
    max_chars: int = MAX_CHARS,
    max_sources: int = MAX_SOURCES,
) -> list[Source]:
    """Load every item into ``Source`` records (see the module docstring for accepted inputs).

    Raises :class:`InputError` for a missing path, an unreadable/binary/empty input, a malformed
    JSONL line, or more than ``max_sources`` sources.
    """
    if isinstance(items, (str, Path, Source, Mapping)):
        items = [items]
    sources: list[Source] = []
    n_strings = 0
    for item in items:
        if isinstance(item, Source):
            _check_text(item.text, f"source '{item.id}'", max_chars)
            sources.append(item)
        elif isinstance(item, Mapping):
            n_strings += 1
            sources.append(
                _source_from_mapping(item, f"source #{n_strings}", f"s{n_strings}", None, max_chars)
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
            elif path.exists():
                sources.extend(_read_path(path, max_chars))
            else:
                raise InputError(f"{path}: no such file or directory")
        elif isinstance(item, str):
            n_strings += 1
            _check_text(item, f"source #{n_strings}", max_chars)
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
                f"more than {max_sources} sources; "
                "raise the limit with max_sources= / --max-sources"
            )
    return _unique_ids(sources)


def _looks_like_path(item: str) -> bool:
    """A one-line string is a path if it exists, or if it has no whitespace and looks like one
    (a path separator or a known suffix); otherwise it is the text of a source."""
    if Path(item).exists():
        return True
    if any(ch.isspace() for ch in item.strip()):
        return False
    suffix = Path(item).suffix.lower()
    return "/" in item or "\\" in item or suffix in (TEXT_SUFFIXES | JSONL_SUFFIXES) - {""}
