"""The JSON of every fixture cluster, byte for byte (``divergence compare DIR -f json -m hashing``).

The golden files in tests/golden/json/ were written by the code before the package was
reorganised (issue 16), so a move or a re-typing of the results that changes one byte of the
public JSON fails here. They are made with the hashing embedder (deterministic, no model) and
spaCy attribution (the default when spaCy is installed; skipped otherwise). After an intended
change to the output, regenerate them and review the diff:

    UPDATE_GOLDEN=1 PYTHONPATH=$PWD .venv/bin/python -m pytest -q tests/test_fixture_json.py
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from divergence.attribution import spacy_available

from .conftest import FIXTURES

GOLDEN = FIXTURES.parent / "tests" / "golden" / "json"
FIXTURE_CLUSTERS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def test_every_fixture_cluster_has_a_golden_file():
    assert len(FIXTURE_CLUSTERS) == 8
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == FIXTURE_CLUSTERS


@pytest.mark.skipif(not spacy_available(), reason="golden JSON made with spaCy attribution")
@pytest.mark.parametrize("cluster", FIXTURE_CLUSTERS)
def test_fixture_json_is_byte_identical(cluster, monkeypatch):
    from divergence import Comparer, render

    monkeypatch.chdir(FIXTURES.parent)  # sources' paths are recorded as given: relative
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. the different-events warning: not in the JSON
        comparison = Comparer(embedder="hashing").compare([Path("fixtures") / cluster])
    text = render(comparison, "json")
    path = GOLDEN / f"{cluster}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8", newline="")
    assert text.encode("utf-8") == path.read_bytes(), (
        f"{cluster}: JSON differs from {path}; if intended: UPDATE_GOLDEN=1 pytest {__file__}"
    )
