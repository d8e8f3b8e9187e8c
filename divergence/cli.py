"""Command line: ``divergence compare``, ``corpus``, ``eval``, ``bench``.

Thin over the library: parse options, call :func:`divergence.compare`, render, map errors to exit
codes (0 ok, 1 input error, 2 usage error, 3 internal error - a bug -, 130 interrupted). Data goes
to stdout (or ``--output``), progress and warnings to stderr. Heavy libraries are imported inside
the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import typer

from .cli_common import (
    BACKEND_HELP,
    CACHE_HELP,
    FORMAT_HELP,
    UNIT_HELP,
    _err,
    _open,
    _run,
    _write,
    app,
)


@app.command()
def compare(
    paths: list[str] = typer.Argument(
        ...,
        help="Text, Markdown, HTML, PDF or Word files, directories of them, JSONL files (one "
        "source per line) or http(s) URLs.",
    ),
    fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the report to this file instead of stdout."
    ),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
        help="Sentence-transformers model name or local path (default: the packaged "
        "all-MiniLM-L6-v2 with the shared-fact adapter merged in; 'all-MiniLM-L6-v2:base' "
        "without it). 'hashing' uses a fast model-free stand-in.",
    ),
    threshold: float | None = typer.Option(
        None,
        "--threshold",
        "-t",
        help="Minimum pair score for two claims to align (default: the scorer's calibrated one).",
    ),
    top_k: int | None = typer.Option(
        None,
        "--top-k",
        help="Mutual-best-match depth per source pair when linking claims (default: the scorer's).",
    ),
    scorer: str = typer.Option(
        "judge",
        "--scorer",
        help="Pair scorer: judge (shared-fact judge, default), lr (previous default), cos, tfidf.",
    ),
    max_chars: int = typer.Option(
        2_000_000, "--max-chars", help="Refuse sources longer than this many characters."
    ),
    by: str = typer.Option(
        "source",
        "--by",
        help="Compare by source (each article) or by speaker (each attributed speaker across "
        "all articles; unattributed claims stay with their article).",
    ),
    attribution: str = typer.Option(
        "auto",
        "--attribution",
        help="Speaker attribution: auto (spaCy if installed, else rules), spacy, rules, none.",
    ),
    max_sources: int = typer.Option(
        1000, "--max-sources", help="Refuse more than this many sources in one comparison."
    ),
    max_total_chars: int = typer.Option(
        4_000_000, "--max-total-chars", help="Refuse sources adding up to more characters."
    ),
    max_claims: int = typer.Option(
        25_000,
        "--max-claims",
        help="Refuse comparisons of more claims (time grows with this).",
    ),
    backend: str = typer.Option("torch", "--backend", help=BACKEND_HELP),
    cache: bool = typer.Option(True, "--cache/--no-cache", help=CACHE_HELP),
    unit: str | None = typer.Option(None, "--unit", help=UNIT_HELP, show_default=False),
    copies_as_one_voice: bool = typer.Option(
        False,
        "--copies-as-one-voice",
        help="Count a source and its copies/rewrites (text reuse found between them) as one "
        "voice in omission and unique findings.",
    ),
    color: bool | None = typer.Option(
        None, "--color/--no-color", help="Colour the text report (default: only on a terminal)."
    ),
    open_report: bool = typer.Option(
        False, "--open", help="Open the written report (--output) in a web browser, if any."
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Read URLs from the page cache only; never use the network."
    ),
    fetch_timeout: float = typer.Option(
        20.0, "--fetch-timeout", help="Seconds allowed to connect to a URL and for each read."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or warnings on stderr."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    """Compare several reports of one event and report omissions, unique claims and emphasis."""

    def work() -> None:
        from .pipeline import compare as run_compare
        from .report import FORMATS, render

        if fmt not in FORMATS:
            from .errors import UsageError

            raise UsageError(f"unknown format '{fmt}' (choose from {', '.join(sorted(FORMATS))})")

        def progress(msg: str) -> None:
            if not quiet:
                _err(msg)

        from .fetch import is_url
        from .ingest import HTML_FACTOR, fetch_source

        items = [
            fetch_source(
                p,
                offline=offline,
                timeout=fetch_timeout,
                max_bytes=HTML_FACTOR * max_chars,
                max_chars=max_chars,
            )
            if is_url(p)
            else p
            for p in paths
        ]
        result = run_compare(
            items,
            model=model,
            threshold=threshold,
            top_k=top_k,
            scorer=scorer,
            max_chars=max_chars,
            by=by,
            attribution=None if attribution == "none" else attribution,
            max_sources=max_sources,
            max_total_chars=max_total_chars,
            max_claims=max_claims,
            backend=backend,
            cache=cache and model != "hashing",
            unit=unit,
            copies_as_one_voice=copies_as_one_voice,
            progress=progress,
        )
        tty = output is None and sys.stdout.isatty()
        use_color = color if color is not None else tty
        width = shutil.get_terminal_size((100, 24)).columns if tty else None
        _write(render(result, fmt, color=use_color, width=width), output)
        if open_report:
            _open(output, quiet)

    _run(debug, quiet, work)


# the research commands register after compare, so --help lists compare first
from . import cli_research  # noqa: E402, F401


def _exit_status(code: object) -> int:
    """The process exit status Python gives ``SystemExit(code)``."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def main() -> None:
    """Console-script entry point.

    The process ends with ``os._exit`` once the command has finished and every other ``atexit``
    handler has run: after torch is imported, the interpreter's module teardown takes over a
    second (1.3 s measured) and does nothing a finished command needs (its output files are
    closed, the cache's transactions committed, stdout and stderr flushed here). Exit statuses
    are Python's; an interrupt keeps Python's own exit."""
    import atexit

    status = [1]

    def fast_exit() -> None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status[0])

    atexit.register(fast_exit)  # registered first, so it runs after every other handler
    try:
        app()
    except SystemExit as exc:
        status[0] = _exit_status(exc.code)
        raise
    except KeyboardInterrupt:
        atexit.unregister(fast_exit)
        raise
    status[0] = 0


if __name__ == "__main__":  # pragma: no cover
    main()
