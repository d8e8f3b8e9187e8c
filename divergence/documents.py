"""Documents: the text of PDF and Word (.docx) files, with their page furniture marked.

    >>> from divergence.documents import page_furniture
    >>> pages = [["Annual report", "Sales rose.", "Page 1 of 2"],
    ...          ["Annual report", "Costs fell.", "Page 2 of 2"]]
    >>> for (page, line), reason in sorted(page_furniture(pages).items()):
    ...     print(page, line, reason)
    0 0 page-header
    0 2 page-number
    1 0 page-header
    1 2 page-number

A document becomes one source whose text is the extracted text (pages one after another, one
line per extracted line; for Word, the header's lines, the paragraphs and table rows in order, the
footer's lines), so claim offsets index that text, as for HTML. The lines that are page furniture
(a running header or footer repeated on two or more pages, a page number, a Word file's
header/footer) stay in the text and are listed in ``meta["junk_lines"]`` as ``[start, end,
reason]``; the clean stage drops them with that reason (``page-header``, ``page-footer``,
``page-number``), so nothing is lost from view.

Errors are one line each (:class:`~divergence.errors.InputError`): a PDF with no text layer
("no text layer: run OCR first"), an encrypted PDF, a damaged PDF or .docx file.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from .errors import InputError

_PAGE_NUMBER = re.compile(
    r"(?i)^[-–—\s]*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[-–—\s]*$|^(?=[ivxlc]+$)c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$"
)
_DIGITS = re.compile(r"\d+")


def _key(line: str) -> str:
    """A running header/footer compared with its page numbers and spacing ignored."""
    return " ".join(_DIGITS.sub("#", line.lower()).split())


def page_furniture(pages: list[list[str]], edge: int = 2) -> dict[tuple[int, int], str]:
    """``(page, line) -> reason`` for the lines of ``pages`` that are page furniture: a page
    number alone on a line among a page's first or last ``edge`` lines, and a line among them
    that recurs (digits aside) on at least two pages and on at least half of them."""
    out: dict[tuple[int, int], str] = {}
    edges: list[list[tuple[int, str]]] = []
    for lines in pages:
        idx = [k for k, ln in enumerate(lines) if ln.strip()]
        picked = sorted(set(idx[:edge] + idx[-edge:]))
        edges.append([(k, lines[k].strip()) for k in picked])
    counts: dict[str, int] = {}
    for page in edges:
        for key in {_key(s) for _, s in page}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    for p, page in enumerate(edges):
        n_lines = len(pages[p])
        for k, s in page:
            if _PAGE_NUMBER.match(s):
                out[(p, k)] = "page-number"
            elif counts[_key(s)] >= need and len(pages) >= 2:
                top = k < n_lines / 2
                out[(p, k)] = "page-header" if top else "page-footer"
    return out


_OPEN_END = re.compile(r"[\w,\-–(]$")


def reflow(blocks: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Join a paragraph's wrapped lines back into one line: a line that ends without sentence
    punctuation and is followed by one that opens in lower case continues into it (a hyphen
    at the end joins without a space). Furniture lines are never joined.

        >>> reflow([("The bridge was", None), ("closed on Monday.", None), ("Page 2", "x")])
        [('The bridge was closed on Monday.', None), ('Page 2', 'x')]
    """
    out: list[tuple[str, str | None]] = []
    for line, reason in blocks:
        line = line.strip()
        if out and reason is None and out[-1][1] is None:
            prev = out[-1][0]
            if _OPEN_END.search(prev) and (line[:1].islower() or line[:1].isdigit()):
                sep = "" if prev.endswith("-") and line[:1].islower() else " "
                out[-1] = (prev + sep + line, None)
                continue
        out.append((line, reason))
    return out


def _join(blocks: list[tuple[str, str | None]]) -> tuple[str, list[list[Any]]]:
    """Lines (with their junk reason or None) -> text and ``[start, end, reason]`` spans."""
    parts: list[str] = []
    junk: list[list[Any]] = []
    pos = 0
    for line, reason in blocks:
        if reason:
            junk.append([pos, pos + len(line), reason])
        parts.append(line)
        pos += len(line) + 1
    return "\n".join(parts), junk


def read_pdf(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of a PDF file and its meta (``extracted_from``, ``pages``, ``junk_lines``)."""
    try:
        import pypdf
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(f"{path}: PDF input needs pypdf (pip install pypdf)") from None
    label = str(path)
    # pypdf logs each repaired defect of a damaged file; the user gets one line or the text
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted:
            raise InputError(f"{label}: encrypted PDF; save an unencrypted copy first")
        raw_pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise InputError(f"{label}: cannot read this PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise InputError(f"{label}: cannot read this PDF ({type(exc).__name__}: {exc})") from None
    if not any(t.strip() for t in raw_pages):
        raise InputError(f"{label}: no text layer: run OCR first (a scanned PDF holds only images)")
    pages = [
        [ln.rstrip() for ln in t.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        for t in raw_pages
    ]
    furniture = page_furniture(pages)
    blocks = reflow(
        [
            (line, furniture.get((p, k)))
            for p, lines in enumerate(pages)
            for k, line in enumerate(lines)
            if line.strip()
        ]
    )
    text, junk = _join(blocks)
    version = getattr(pypdf, "__version__", "?")
    return text, {
        "extracted_from": "pdf",
        "extractor": f"pypdf {version}",
        "pages": len(pages),
        "junk_lines": junk,
    }


def read_docx(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of a Word (.docx) file and its meta: the first section's header lines, the body's
    paragraphs and table rows (cells joined by " | ") in order, the footer lines."""
    try:
        import docx
        from docx.table import Table
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(
            f"{path}: Word input needs python-docx (pip install python-docx)"
        ) from None
    label = str(path)
    try:
        document = docx.Document(str(path))
        body: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    cells = [" ".join(c.text.split()) for c in row.cells]
                    body.append(" | ".join(dict.fromkeys(c for c in cells if c)))
            else:
                body.append(item.text)
        header: list[str] = []
        footer: list[str] = []
        for section in document.sections[:1]:
            header = [p.text for p in section.header.paragraphs]
            footer = [p.text for p in section.footer.paragraphs]
    except Exception as exc:  # zipfile/lxml/python-docx errors on a damaged or foreign file
        raise InputError(
            f"{label}: cannot read this Word file ({type(exc).__name__}: {exc}); "
            "expected a .docx saved by Word or LibreOffice"
        ) from None

    def lines(paras: list[str], reason: str | None) -> list[tuple[str, str | None]]:
        out = []
        for para in paras:
            for line in para.replace("\r", "\n").replace("\v", "\n").split("\n"):
                if line.strip():
                    out.append((line.rstrip(), reason))
        return out

    blocks = lines(header, "page-header") + lines(body, None) + lines(footer, "page-footer")
    if not any(reason is None for _, reason in blocks):
        raise InputError(f"{label}: empty (no text to compare)")
    text, junk = _join(blocks)
    return text, {"extracted_from": "docx", "extractor": "python-docx", "junk_lines": junk}
