import json
from pathlib import Path

import jsonschema
import pytest

import divergence
from divergence import Comparer, compare
from divergence.errors import InputError, UsageError
from divergence.records import Source

from .conftest import CLUSTERS, FIXTURES

SCHEMA = json.loads(
    (Path(divergence.__file__).parent / "data" / "comparison.schema.json").read_text(
        encoding="utf-8"
    )
)
FAST = {"embedder": "hashing", "threshold": 0.5}


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_json_validates_against_schema(fake_comparisons, cluster):
    jsonschema.validate(json.loads(fake_comparisons[cluster].to_json()), SCHEMA)


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_offsets_index_the_file_as_decoded(fake_comparisons, cluster):
    comp = fake_comparisons[cluster]
    for s in comp.sources:
        text = Path(s.path).read_text(encoding="utf-8")
        for c in comp.claims_of(s.id):
            assert text[c.start : c.end] == c.text
        for d in comp.dropped:
            if d.source == s.id:
                assert text[d.start : d.end] == d.text


def test_identical_sources_have_no_omissions():
    text = (FIXTURES / "first-call" / "001_153bc2bf3a5df949.txt").read_text(encoding="utf-8")
    comp = compare([Source("a", "a", text), Source("b", "b", text)], **FAST)
    assert comp.omissions() == [] and comp.unique() == []


def test_source_order_permutes_but_does_not_change_findings():
    paths = sorted((FIXTURES / "first-call").iterdir())
    a = compare(paths, **FAST)
    b = compare(list(reversed(paths)), **FAST)

    def canon(comp):
        groups = {g.id: tuple(sorted(g.claims)) for g in comp.groups}
        return sorted((f.kind, groups[f.group], tuple(sorted(f.sources))) for f in comp.findings)

    assert canon(a) == canon(b)


def test_same_input_gives_byte_identical_json():
    a = compare([FIXTURES / "ukraine-calls"], **FAST).to_json()
    b = compare([FIXTURES / "ukraine-calls"], **FAST).to_json()
    assert a == b


def test_single_source_is_an_error():
    with pytest.raises(InputError, match="at least two sources"):
        compare(["Only one source here."], **FAST)


def test_all_junk_source_is_an_error():
    with pytest.raises(InputError, match="no article text left"):
        compare(["Title\nThe body is here today.", "READ  Something else entirely"], **FAST)


def test_bad_threshold():
    with pytest.raises(UsageError):
        Comparer(embedder="hashing", threshold=3)


def test_rows_one_per_group_and_source(fake_comparisons):
    comp = fake_comparisons["first-call"]
    rows = list(comp.rows())
    assert len(rows) == len(comp.groups) * len(comp.sources)
    present = [r for r in rows if r["present"]]
    # groups may overlap (a multi-claim sentence joins several groups): every claim is counted
    # once per group holding it
    assert sum(r["n_claims"] for r in present) == sum(len(g.claims) for g in comp.groups)
    assert sum(len(g.claims) for g in comp.groups) >= len(comp.claims)


def test_summary_counts_match_findings(fake_comparisons):
    comp = fake_comparisons["first-call"]
    for row in comp.summary():
        assert row["omitted"] == len(comp.omissions(row["source"]))
        assert row["claims"] == len(comp.claims_of(row["source"]))


def test_library_accepts_mixed_inputs():
    comp = compare(
        [
            "Biden called Putin on Tuesday about arms control.",
            {"text": "Putin called Biden about arms control on Tuesday.", "source": "TASS"},
            Source("x", "X", "Navalny was arrested on return to Moscow."),
        ],
        **FAST,
    )
    assert [s.name for s in comp.sources] == ["s1", "TASS", "X"]


def test_signature_names_components():
    sig = Comparer(**FAST).signature
    assert sig.startswith(f"v:{divergence.__version__}|seg:syntok") and "emb:hashing-512" in sig
