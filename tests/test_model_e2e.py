"""End to end with the real packaged all-MiniLM-L6-v2 model on the seed fixtures."""

import json
from pathlib import Path

import jsonschema
import pytest

import divergence
from divergence.records import clause_of

from .conftest import CLUSTERS

pytestmark = pytest.mark.model
SCHEMA = json.loads(
    (Path(divergence.__file__).parent / "data" / "comparison.schema.json").read_text(
        encoding="utf-8"
    )
)


def test_real_model_is_used(real_comparisons):
    assert "emb:all-MiniLM-L6-v2" in real_comparisons["first-call"].signature


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_real_output_validates_and_offsets_hold(real_comparisons, cluster):
    comp = real_comparisons[cluster]
    jsonschema.validate(json.loads(comp.to_json()), SCHEMA)
    for s in comp.sources:
        text = Path(s.path).read_text(encoding="utf-8")
        assert all(text[c.start : c.end] == c.text for c in comp.claims_of(s.id))


def _together(comp, a: str, b: str) -> bool:
    ca = next(c for c in comp.claims if a in c.text)
    cb = next(c for c in comp.claims if b in c.text)
    return any(g in comp.groups_of(cb.id) for g in comp.groups_of(ca.id))


def test_paraphrases_align_across_sources(real_comparisons):
    comp = real_comparisons["first-call"]
    assert _together(
        comp,
        "For the coming weekend, more protests are planned.",
        "More protests are planned for the coming weekend.",
    )
    assert _together(
        comp,
        "The use of chemical weapons has previously been condemned by Biden.",
        "Biden has previously condemned the use of chemical weapons.",
    )


def test_unrelated_claims_stay_apart(real_comparisons):
    comp = real_comparisons["first-call"]
    assert not _together(
        comp,
        "More protests are planned for the coming weekend.",
        "Biden has previously condemned the use of chemical weapons.",
    )


def test_new_start_note_aligns_with_its_paraphrase(real_comparisons):
    """002 tells the New START agreement through the Kremlin's note ("agreed to a new start");
    000 says the presidents agreed to complete its five-year extension. The judge puts the two
    in one group although they share few words. Under clause claims (the default judge's unit)
    the note's sentence is cut: any of its clauses may carry the group."""
    comp = real_comparisons["first-call"]
    readout = next(
        c for c in comp.claims if "The note said that the Presidents expressed" in c.text
    )
    sentence = clause_of(readout.id)[0]
    parts = [c.id for c in comp.claims if clause_of(c.id)[0] == sentence]
    texts = [comp.claim(cid).text for p in parts for g in comp.groups_of(p) for cid in g.claims]
    assert any("five-year extension of the New START" in t for t in texts)


def test_real_model_eval_runs_on_both_clusters():
    from divergence.evaluate import evaluate_gold

    from .conftest import FIXTURES

    for cluster in CLUSTERS:
        m = evaluate_gold(FIXTURES / f"{cluster}.gold.json", FIXTURES / cluster)
        assert m["junk"]["recall"] == 1.0
        assert m["claims"] > 0 and m["groups"] < m["claims"]
