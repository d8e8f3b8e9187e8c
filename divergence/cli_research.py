"""The research commands: ``divergence corpus`` (many events to tidy tables), ``eval`` (score
against gold annotations) and ``bench`` (alignment quality side by side). Registered on the app
of :mod:`divergence.cli_common` when :mod:`divergence.cli` is imported."""

from __future__ import annotations

from pathlib import Path

import typer

from .cli_common import BACKEND_HELP, CACHE_HELP, UNIT_HELP, _err, _run, app


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
    unit: str | None = typer.Option(None, "--unit", help=UNIT_HELP, show_default=False),
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
    unit: str | None = typer.Option(None, "--unit", help=UNIT_HELP, show_default=False),
    backend: str = typer.Option("torch", "--backend", help=BACKEND_HELP),
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
            backend=backend,
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
