"""Report: render a :class:`~divergence.comparison.Comparison`. Renderers compute nothing.

    >>> from divergence.report import render, FORMATS
    >>> "json" in FORMATS and "text" in FORMATS
    True

Each renderer is ``render_<format>(comparison, **options) -> str``; :func:`render` picks one by
name and imports it lazily.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ..errors import UsageError

FORMATS = {
    "text": ("text", "render_text"),
    "json": ("jsonout", "render_json"),
    "markdown": ("markdown", "render_markdown"),
    "html": ("html", "render_html"),
    "csv": ("csv", "render_csv"),
}


def render(comparison: Any, fmt: str = "text", **options: Any) -> str:
    """Render ``comparison`` in format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        module, func = FORMATS[fmt]
    except KeyError:
        raise UsageError(
            f"unknown format '{fmt}' (choose from {', '.join(sorted(FORMATS))})"
        ) from None
    return getattr(import_module(f".{module}", __name__), func)(comparison, **options)
