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
    "Claim unit: sentence (default) or clause (sentences cut at coordinated and trailing clauses "
    "with exact offsets; see docs/DESIGN.md 'Clause claims')."
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
        "all-MiniLM-L6-v2). 'hashing' uses a fast model-free stand-in.",
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
    unit: str = typer.Option("sentence", "--unit", help=UNIT_HELP),
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


@app.command("corpus")
def corpus(
    input_path: Path = typer.Argument(
        ...,
        metavar="INPUT",
        help="JSONL (or Parquet) file, one article per row: event or "
        "cluster, source, title, text, optional date, url. No event column: grouped automatically.",
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder for the tables."),
    model: str | None = typer.Option(
        None, "--model", "-m", help="Sentence-transformers model name or path ('hashing' for none)."
    ),
    backend: str = typer.Option("torch", "--backend", help=BACKEND_HELP),
    cache: bool = typer.Option(True, "--cache/--no-cache", help=CACHE_HELP),
    threshold: float | None = typer.Option(None, "--threshold", "-t", help="Alignment threshold."),
    engine: str = typer.Option("local", "--engine", help="Where to run: local or dask."),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Dask scheduler address (tcp://host:8786); default: a local cluster.",
    ),
    workers: int = typer.Option(2, "--workers", help="Workers of the local dask cluster."),
    co_worker: bool = typer.Option(
        True,
        "--co-worker/--no-co-worker",
        help="Local engine: a second process parses (spaCy) while this one embeds and shares "
        "the comparisons, when 2+ cores are usable. Turn off where CPU is capped below that.",
    ),
    resume: bool = typer.Option(
        True, "--resume/--restart", help="Skip events finished by an earlier run (same settings)."
    ),
    parquet: bool | None = typer.Option(
        None,
        "--parquet/--no-parquet",
        help="Also write Parquet tables (default: if pyarrow is installed).",
    ),
    chunk_events: int = typer.Option(64, "--chunk-events", help="Events embedded per batch."),
    unit: str = typer.Option("sentence", "--unit", help=UNIT_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or warnings on stderr."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    """Compare every event of a corpus and write groups, claims, findings and per-event tables."""

    def work() -> None:
        from .corpus import get_engine, run_corpus

        options = (
            {"address": scheduler, "n_workers": workers}
            if engine == "dask"
            else {"co_worker": co_worker}
            if engine == "local"
            else {}
        )
        settings = {"backend": backend, "threshold": threshold, "unit": unit}
        settings["embedder" if model == "hashing" else "model"] = model
        if cache and model != "hashing":
            settings["cache"] = True
        run = run_corpus(
            input_path,
            out,
            engine=get_engine(engine, **options),
            chunk_events=chunk_events,
            resume=resume,
            parquet=parquet,
            progress=not quiet,
            **settings,
        )
        if not quiet:
            _err(
                f"{run.events} events ({run.compared} compared now, {run.from_cache} from the "
                f"cache, {run.skipped_done} already done, {run.single_source} single-source, "
                f"{run.errors} errors); "
                f"{run.embedded} sentences embedded; tables in {run.out}"
            )

    _run(debug, quiet, work)


@app.command("eval")
def evaluate(
    gold: Path = typer.Argument(..., help="Gold annotation JSON (format: shared/gold/README.md)."),
    docs_dir: Path = typer.Argument(..., help="Directory holding the gold's article files."),
    model: str | None = typer.Option(
        None, "--model", "-m", help="Sentence-transformers model name or path ('hashing' for none)."
    ),
    threshold: float | None = typer.Option(None, "--threshold", "-t", help="Alignment threshold."),
    attribution: str = typer.Option(
        "auto", "--attribution", help="Speaker attribution: auto, spacy, rules, none."
    ),
    scorer: str = typer.Option(
        "judge", "--scorer", help="Pair scorer: judge (default), lr (previous default), cos, tfidf."
    ),
    unit: str = typer.Option("sentence", "--unit", help=UNIT_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No warnings on stderr."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    """Score a comparison of the gold's articles against the gold annotations."""

    def work() -> None:
        import json

        from .evaluate import evaluate_gold

        metrics = evaluate_gold(
            gold,
            docs_dir,
            model=model,
            threshold=threshold,
            scorer=scorer,
            attribution=None if attribution == "none" else attribution,
            unit=unit,
        )
        if as_json:
            typer.echo(json.dumps(metrics, indent=2, sort_keys=True))
            return
        typer.echo(f"cluster {metrics['cluster']}  ({metrics['signature']})")
        for key in ("alignment", "omission", "unique", "junk"):
            m = metrics[key]
            extra = f"  macro-F1 {m['macro_f1']:.3f}" if "macro_f1" in m else ""
            typer.echo(
                f"  {key:<10} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}{extra}"
            )
        for key in ("emphasis", "conflicts"):
            m = metrics[key]
            typer.echo(
                f"  {key:<10} P {m['precision']:.3f}  R {m['recall']:.3f}  "
                f"(gold {m['gold']}, findings {m['findings']})"
            )
        m = metrics["conflicts"]
        typer.echo(
            f"  {'':<10} oracle alignment: R {m['oracle_recall']:.3f}  "
            f"P {m['oracle_precision']:.3f} ({m['oracle_flagged_facts']} facts flagged)"
        )
        for row in m["per_conflict"]:
            oracle = ",".join(row["oracle_found"]) or "-"
            as_type = ",".join(row["found_types"]) or "-"
            typer.echo(
                f"    {row['fact']:<5} {row['type']:<13} {row['status']:<22} "
                f"as: {as_type:<26} oracle: {oracle}"
            )
        a = metrics["attribution"]
        typer.echo(
            f"  {'attribution':<10} accuracy {a['accuracy']:.3f}  precision {a['precision']:.3f}"
            f"  ({a['correct']}/{a['mentions']} side-named mentions, {a['attributed']} attributed)"
        )

    _run(debug, quiet, work)


@app.command()
def bench(
    bench_dir: Path | None = typer.Option(
        None,
        "--bench-dir",
        help="External benchmark data (default: $DIVERGENCE_BENCH or ../shared/bench).",
    ),
    fixtures: Path = typer.Option(
        Path("fixtures"), "--fixtures", help="Folder with the seed clusters and their gold files."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    """Alignment quality side by side: the naive baseline (regex sentences, MiniLM cosine >= 0.7,
    connected components), TF-IDF, MiniLM and ours (skips with a message, exit 0, when the
    benchmark data is absent)."""

    def work() -> None:
        from .bench import BenchMissing, run_bench

        try:
            result = run_bench(
                bench_dir=bench_dir,
                fixtures=fixtures,
                progress=None if quiet else (lambda m: _err(f"bench: {m}")),
            )
        except BenchMissing as exc:
            _err(f"skipped: {exc}")
            return
        typer.echo(result.render())

    _run(debug, quiet, work)


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
