"""Ingest: turn paths, strings, dicts or :class:`Source` objects into ``Source`` records.

    >>> from divergence.ingest import load_sources
    >>> [s.id for s in load_sources(["Biden called Putin.", "Putin called Biden."])]
    ['s1', 's2']

This module decides which reader each input goes to; the readers of each format are in
:mod:`divergence.formats` (their names stay importable from here). Accepted inputs, each item of
the list being one of:

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

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import DivergenceWarning, InputError, UsageError
from .fetch import is_url

# the readers of each format live in divergence.formats; these names stay importable from here
from .formats import (  # noqa: F401
    _SURROGATE,
    DIR_SUFFIXES,
    DOCUMENT_FACTOR,
    DOCUMENT_SUFFIXES,
    HTML_FACTOR,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    MAX_CHARS,
    MAX_SOURCES,
    MAX_TOTAL_CHARS,
    TEXT_SUFFIXES,
    _check_text,
    _fix_surrogates,
    _source_from_mapping,
    _type_name,
    decode_bytes,
    extract_html,
    fetch_source,
    read_document,
    read_html_file,
    read_jsonl,
    read_text_file,
)
from .records import Source


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
