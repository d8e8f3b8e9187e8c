"""The fuzzer itself: a short run finds no crash, and a crash is saved with a replay."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_fuzz():
    spec = importlib.util.spec_from_file_location("divergence_fuzz", ROOT / "tools" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_short_fuzz_run_has_no_crash(tmp_path):
    fuzz = load_fuzz()
    said = []
    code = fuzz.fuzz(seconds=60, seed=3, out=tmp_path, max_rounds=12, say=said.append)
    assert code == 0, said
    assert "12 rounds" in said[-1] and "0 crashes" in said[-1]
    assert not any(tmp_path.iterdir())


def test_a_crash_is_saved_with_its_inputs_and_exit_1(tmp_path):
    fuzz = load_fuzz()

    def crashing_round(inputs, comparer, validator):
        raise ZeroDivisionError("planted")

    said = []
    code = fuzz.fuzz(
        seconds=60, seed=0, out=tmp_path, max_rounds=5, round_fn=crashing_round, say=said.append
    )
    assert code == 1
    (crash,) = tmp_path.iterdir()
    assert "ZeroDivisionError: planted" in (crash / "traceback.txt").read_text(encoding="utf-8")
    replayed = fuzz.load_replay(crash)
    assert len(replayed) >= 1
    assert "--replay" in (crash / "README").read_text(encoding="utf-8")


def test_mutations_are_deterministic_for_a_seed():
    import random

    fuzz = load_fuzz()
    pool = fuzz.seeds()
    a = [fuzz.mutate(random.Random(5), pool) for _ in range(3)]
    b = [fuzz.mutate(random.Random(5), pool) for _ in range(3)]
    assert a == b and all(isinstance(t, str) for t in a)
