"""Fuzz ingest + clean + segment + compare + render on random and mutated article text.

    python tools/fuzz.py --seconds 60            # what `make fuzz` runs
    python tools/fuzz.py --seconds 600 --seed 7  # longer, another sequence

Seeds are the fixture articles and the hostile-text fixture; each round mutates some of them
(byte flips, random bytes, truncation, line shuffles and duplicates, junk-line insertion, unicode
insertion, line-end changes, splicing two articles, HTML wrapping, JSONL packing) and feeds two to
four of them to :func:`divergence.compare` with the hashing embedder, half the time as files on
disk (so decoding and format sniffing run) and half as strings, mappings or JSONL. A round passes
when the comparison either succeeds and keeps the invariants (offsets round-trip, each character
in at most one claim or dropped span and whitespace otherwise, JSON valid against the schema,
both renderers work) or raises a one-line :class:`~divergence.errors.DivergenceError`. Anything
else is a crash: its inputs, the traceback and a command that replays it are saved under
``--out`` (default ``fuzz-crashes/``) and the exit status is 1.

Deterministic for a given ``--seed`` and round count; ``--seconds`` bounds the time.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JUNK = [
    "READ MORE: Another story entirely",
    "Also read: Something else",
    "By Associated Press",
    "Published: 26 Jan 2021 | Updated: 27 Jan 2021",
    "Sign up for our newsletter",
    "(Photo | AP)",
    "File Photo: Getty Images",
    "END",
    "\u00a9 2021 Example News",
    "Source: Example | Date: 2021-01-26",
]
UNICODE = [
    "\u00e9",
    "e\u0301",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\u202e",
    "\u200b",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x0c",
    "\x85",
    "\x1b[31m",
    "\ufeff",
    "\ufffd",
    "\u0627\u0644\u0648\u0632\u064a\u0631",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u4e2d\u6587\u3002",
    "\x00",
    "[bold]",
    "[/]",
    "<script>",
    "\t",
    "\r",
    " ",
    "...",
    "\u2026",
    "?!",
    "\u201c",
    "\u201d",
]


def seeds() -> list[str]:
    """The fixture articles plus the hostile texts."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").glob("*/*.txt"))]
    from tests.hostile import HOSTILE_SOURCES

    texts += [s["text"] for s in HOSTILE_SOURCES]
    texts.append("Talks\nBiden called Putin on Tuesday. They spoke for an hour.\n")
    return texts


# -- mutations ------------------------------------------------------------------------------------
def _lines(text: str) -> list[str]:
    return text.split("\n")


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if b:
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    return bytes(b)


def random_bytes(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 32)) + data[at:]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def shuffle_lines(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    rng.shuffle(lines)
    return "\n".join(lines)


def duplicate_lines(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, 4)):
        if lines:
            i = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return "\n".join(lines)


def insert_junk(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, 5)):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(JUNK))
    return "\n".join(lines)


def insert_unicode(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 10)):
        at = rng.randrange(len(text) + 1)
        piece = rng.choice(UNICODE) if rng.random() < 0.7 else chr(rng.randrange(0x20, 0x2FFFF))
        if 0xD800 <= ord(piece[0]) <= 0xDFFF:
            piece = "\ufffd"
        text = text[:at] + piece + text[at:]
    return text


def change_line_ends(rng: random.Random, text: str) -> str:
    return "".join(line + rng.choice(["\n", "\r\n", "\r", "\n\n", " \n"]) for line in _lines(text))


def drop_punctuation(rng: random.Random, text: str) -> str:
    return text.translate(str.maketrans("", "", ".!?")) if rng.random() < 0.5 else text * 3


def html_wrap(rng: random.Random, text: str) -> str:
    paras = "".join(f"<p>{line}</p>" for line in _lines(text))
    nav = "<nav><a href='/'>Home</a> | <a href='/w'>World</a></nav>"
    head = "<head><title>T</title><script>x()</script></head>"
    return f"<!DOCTYPE html><html>{head}<body>{nav}<article>{paras}</article></body></html>"


TEXT_MUTATIONS: list[Callable[[random.Random, str], str]] = [
    shuffle_lines,
    duplicate_lines,
    insert_junk,
    insert_unicode,
    change_line_ends,
    drop_punctuation,
]
BYTE_MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    flip_bytes,
    random_bytes,
    truncate,
]


def mutate(rng: random.Random, pool: list[str]) -> str:
    text = rng.choice(pool)
    if rng.random() < 0.15:  # splice two articles
        other = rng.choice(pool)
        text = text[: rng.randrange(len(text) + 1)] + other[rng.randrange(len(other) + 1) :]
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(TEXT_MUTATIONS)(rng, text)
    if rng.random() < 0.1:
        text = html_wrap(rng, text)
    return text


# -- one round -------------------------------------------------------------------------------------
def make_inputs(rng: random.Random, pool: list[str], workdir: Path) -> list[Any]:
    """Two to four sources as files, strings, mappings or a JSONL file."""
    n = rng.randint(2, 4)
    texts = [mutate(rng, pool) for _ in range(n)]
    mode = rng.choice(["files", "files", "strings", "mappings", "jsonl"])
    if mode == "strings":
        return list(texts)
    if mode == "mappings":
        return [{"id": f"m{i}", "source": f"M{i}", "text": t} for i, t in enumerate(texts)]
    if mode == "jsonl":
        p = workdir / "sources.jsonl"
        p.write_text(
            "\n".join(json.dumps({"id": f"j{i}", "text": t}) for i, t in enumerate(texts)),
            encoding="utf-8",
        )
        return [p]
    paths = []
    for i, t in enumerate(texts):
        data = t.encode(rng.choice(["utf-8", "utf-8", "utf-16", "utf-8-sig"]), "replace")
        if rng.random() < 0.4:
            data = rng.choice(BYTE_MUTATIONS)(rng, data)
        suffix = ".html" if t.startswith("<!DOCTYPE") else rng.choice([".txt", ".md", ""])
        p = workdir / f"src{i}{suffix}"
        p.write_bytes(data)
        paths.append(p)
    return paths


def check(comparison: Any, validator: Any) -> None:
    """The invariants every successful comparison keeps (AssertionError otherwise)."""
    from divergence.report import render

    texts = {s.id: s.text for s in comparison.sources}
    owner: dict[str, list[int]] = {sid: [0] * len(t) for sid, t in texts.items()}
    for span in (*comparison.claims, *comparison.dropped):
        assert texts[span.source][span.start : span.end] == span.text, span
        for i in range(span.start, span.end):
            owner[span.source][i] += 1
    for sid, counts in owner.items():
        for i, k in enumerate(counts):
            assert k <= 1, f"{sid}[{i}] is in {k} spans"
            assert k == 1 or texts[sid][i].isspace(), f"{sid}[{i}]={texts[sid][i]!r} dropped"
    data = json.loads(render(comparison, "json"))
    validator.validate(data)
    render(comparison, "text", color=False)


def run_round(inputs: list[Any], comparer: Any, validator: Any) -> str:
    """'ok', 'refused' (a one-line DivergenceError), or raises (a crash)."""
    import warnings

    from divergence.errors import DivergenceError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            comparison = comparer.compare(inputs)
        except DivergenceError as exc:
            assert "\n" not in str(exc) and str(exc), f"error message not one line: {exc!r}"
            return "refused"
    check(comparison, validator)
    return "ok"


def save_crash(out: Path, n: int, inputs: list[Any], workdir: Path, tb: str) -> Path:
    """Copy a crash's inputs, traceback and a replay command under ``out/crash-N``."""
    dest = out / f"crash-{n:03d}"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    saved = []
    for item in inputs:
        if isinstance(item, Path):
            target = dest / item.name
            shutil.copyfile(item, target)
            saved.append({"path": target.name})
        else:
            saved.append({"value": item})
    (dest / "inputs.json").write_text(json.dumps(saved, ensure_ascii=True, indent=1), "utf-8")
    (dest / "traceback.txt").write_text(tb, encoding="utf-8")
    (dest / "README").write_text(
        f"Replay: python tools/fuzz.py --replay {dest}\n(workdir was {workdir})\n",
        encoding="utf-8",
    )
    return dest


def load_replay(dest: Path) -> list[Any]:
    items = json.loads((dest / "inputs.json").read_text(encoding="utf-8"))
    return [dest / it["path"] if "path" in it else it["value"] for it in items]


def make_validator():
    import jsonschema

    import divergence

    schema_path = Path(divergence.__file__).parent / "data" / "comparison.schema.json"
    return jsonschema.Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))


def fuzz(
    *,
    seconds: float,
    seed: int,
    out: Path,
    max_rounds: int | None = None,
    round_fn: Callable[[list[Any], Any, Any], str] = run_round,
    say: Callable[[str], None] = print,
) -> int:
    """Run rounds until ``seconds`` pass (or ``max_rounds``); 0 if no crash, else 1."""
    from divergence import Comparer

    comparer = Comparer(embedder="hashing", threshold=0.5)
    validator = make_validator()
    rng = random.Random(seed)
    pool = seeds()
    counts = {"ok": 0, "refused": 0}
    start = time.monotonic()
    rounds = 0
    with tempfile.TemporaryDirectory(prefix="divergence-fuzz-") as tmp:
        while time.monotonic() - start < seconds and (max_rounds is None or rounds < max_rounds):
            workdir = Path(tmp) / f"r{rounds}"
            workdir.mkdir()
            inputs = make_inputs(rng, pool, workdir)
            try:
                counts[round_fn(inputs, comparer, validator)] += 1
            except Exception:  # a crash: anything but a clean DivergenceError
                tb = traceback.format_exc()
                dest = save_crash(out, rounds, inputs, workdir, tb)
                say(tb)
                say(f"CRASH in round {rounds} (seed {seed}); inputs saved to {dest}")
                return 1
            shutil.rmtree(workdir)
            rounds += 1
    say(
        f"fuzz: {rounds} rounds in {time.monotonic() - start:.0f}s (seed {seed}): "
        f"{counts['ok']} compared, {counts['refused']} refused with a one-line error, 0 crashes"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--rounds", type=int, default=None, help="stop after this many rounds")
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz-crashes", help="crash folder")
    parser.add_argument("--replay", type=Path, default=None, help="re-run a saved crash")
    args = parser.parse_args(argv)
    if args.replay is not None:
        from divergence import Comparer

        inputs = load_replay(args.replay)
        print(run_round(inputs, Comparer(embedder="hashing", threshold=0.5), make_validator()))
        return 0
    return fuzz(seconds=args.seconds, seed=args.seed, out=args.out, max_rounds=args.rounds)


if __name__ == "__main__":
    sys.exit(main())
