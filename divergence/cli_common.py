"""What the CLI's commands share: the typer app, option help texts, error-to-exit mapping and
output writing (:mod:`divergence.cli` and :mod:`divergence.cli_research` add the commands)."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from .__about__ import __version__

app = typer.Typer(
    name="divergence",
    help="Compare how different sources report the same event, claim by claim.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMAT_HELP = (
    "Output format: text (terminal report), json (stable, schema-documented), markdown, "
    "html (one self-contained page) or csv (one row per claim group and source)."
)
BACKEND_HELP = (
    "Embedding runtime: torch (sentence-transformers) or onnx (int8 all-MiniLM-L6-v2 on "
    "onnxruntime, no torch; needs the 'onnx' extra)."
)
UNIT_HELP = (
    "Claim unit: sentence or clause (sentences cut at coordinated and trailing clauses with "
    "exact offsets; see docs/DESIGN.md 'Clause claims'). Default: the scorer's unit, clause for "
    "the default judge (chosen on the dev clusters, docs/judge.md), sentence otherwise."
)
CACHE_HELP = (
    "Keep sentence embeddings in a persistent cache ($DIVERGENCE_CACHE_DIR or the user cache "
    "dir) so re-runs do not re-embed."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"divergence {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Compare how different sources report the same event, claim by claim."""


def _err(message: str) -> None:
    typer.echo(f"divergence: {message}", err=True)


def _run(debug: bool, quiet: bool, work: Callable[[], Any]) -> Any:
    """Run ``work`` with warnings printed as one stderr line each and errors mapped to exits."""
    from .errors import InputError, UsageError

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ARG001
        if not quiet:
            _err(f"warning: {message}")

    old = warnings.showwarning
    warnings.showwarning = show
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", category=FutureWarning)
            return work()
    except InputError as exc:
        if debug:
            raise
        _err(str(exc))
        raise typer.Exit(1) from None
    except UsageError as exc:
        if debug:
            raise
        _err(str(exc))
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        _err("interrupted")
        raise typer.Exit(130) from None
    except MemoryError:
        _err("out of memory: compare fewer or shorter sources (see --max-chars)")
        raise typer.Exit(1) from None
    except Exception as exc:  # an unexpected bug: one line, details with --debug
        if debug:
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
        raise typer.Exit(3) from None
    finally:
        warnings.showwarning = old


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from .errors import InputError

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror})") from None


def _open(output: Path | None, quiet: bool) -> None:
    """Open a written report in a browser; a warning (never an error) when none is available."""
    if output is None:
        if not quiet:
            _err("warning: --open needs --output FILE; nothing opened")
        return
    import webbrowser

    try:
        opened = webbrowser.open(output.resolve().as_uri())
    except Exception:  # webbrowser.Error or a broken browser launcher
        opened = False
    if not opened and not quiet:
        _err(f"warning: no web browser available; the report is at {output}")
