import json
import os
import random
from pathlib import Path

import jsonschema
import pytest

import divergence
from divergence import Comparer, compare
from divergence.clauses import MIN_WORDS, clause_spans, split_clauses
from divergence.clean import clean, n_words
from divergence.errors import UsageError
from divergence.parsing import spacy_available
from divergence.records import Attribution, Claim, Source
from divergence.segment import segment

from .conftest import CLUSTERS, FIXTURES, ROOT

SCHEMA = json.loads(
    (Path(divergence.__file__).parent / "data" / "comparison.schema.json").read_text(
        encoding="utf-8"
    )
)
FAST = {"embedder": "hashing", "threshold": 0.5, "unit": "clause"}
METHODS = ["rules"] + (["spacy"] if spacy_available() else [])
needs_spacy = pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")


def _one(text: str, **kw) -> list[Claim]:
    src = Source(id="a", name="a", text=text)
    return split_clauses(src, [Claim("a#0", "a", text, 0, len(text), 0, 0.0)], **kw)


@pytest.mark.parametrize("method", METHODS)
def test_coordinated_main_clauses_split(method):
    out = _one(
        "Biden raised Navalny and the two leaders agreed to extend New START.",
        method=method,
        min_words=3,
    )
    assert [c.text for c in out] == [
        "Biden raised Navalny",
        "and the two leaders agreed to extend New START.",
    ]
    assert [c.id for c in out] == ["a#0.0", "a#0.1"] and [c.index for c in out] == [0, 1]


@pytest.mark.parametrize("method", METHODS)
def test_reported_content_stays_with_its_frame(method):
    # "He said" is attribution, not a claim: the sentence stays one claim with its id
    out = _one("He said the talks were useful.", method=method, min_words=3)
    assert [(c.id, c.text) for c in out] == [("a#0", "He said the talks were useful.")]


@needs_spacy
def test_spacy_semicolon_conjoined_predicate_and_trailing_relative_clause():
    assert [
        c.text
        for c in _one(
            "Putin congratulated Biden on taking office; the two agreed to work on the treaty.",
            method="spacy",
        )
    ] == [
        "Putin congratulated Biden on taking office;",
        "the two agreed to work on the treaty.",
    ]
    text = (
        "The Kremlin said Putin told Biden that normalising ties would serve both countries, "
        "and noted that the leaders agreed to keep in touch."
    )
    assert [c.text for c in _one(text, method="spacy")] == [
        "The Kremlin said Putin told Biden that normalising ties would serve both countries,",
        "and noted that the leaders agreed to keep in touch.",
    ]
    text = "Navalny was arrested on his return from Germany, where he recovered from a poisoning."
    assert len(_one(text, method="spacy")) == 2
    # a noun-phrase list joined by "and" is not a clause boundary
    text = "Biden raised the hack, bounties on US soldiers and election interference, aides said."
    assert len(_one(text, method="spacy")) == 1


def test_short_pieces_merge_into_a_neighbour():
    t = "Biden raised Navalny, and Putin said little."
    assert [t[a:b] for a, b in clause_spans(t, [22], min_words=4)] == [t]
    assert clause_spans(t, [], min_words=4) == [(0, len(t))]
    assert clause_spans("  x  ", [2], min_words=4) == [(2, 3)]


def test_clauses_inherit_sentence_fields_and_find_their_own_hedges():
    text = "Officials met in Geneva on Monday; the alleged hackers were never named by anyone."
    att = Attribution("officials", "said", 0, 9)
    claim = Claim(
        "a#3", "a", text, 0, len(text), 3, 0.4, lede=True, attribution=att, hedges=("alleged",)
    )
    out = split_clauses(Source(id="a", name="a", text=text), [claim], method="rules")
    assert [c.id for c in out] == ["a#3.0", "a#3.1"]
    assert all(c.attribution == att and c.lede and c.position == 0.4 for c in out)
    assert out[0].hedges == () and out[1].hedges == ("alleged",)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cluster", CLUSTERS)
def test_offsets_exact_and_no_fragment_on_every_fixture(cluster, method):
    for path in sorted((FIXTURES / cluster).glob("*.txt")):
        src = Source(id=path.stem, name=path.stem, text=path.read_text(encoding="utf-8"))
        sentences = segment(clean(src))
        out = split_clauses(src, sentences, method=method)
        assert len(out) >= len(sentences)
        assert len({c.id for c in out}) == len(out)
        assert [c.index for c in out] == list(range(len(out)))
        parents = {s.id: s for s in sentences}
        for c in out:
            assert src.text[c.start : c.end] == c.text and c.text == c.text.strip()
            if c.id not in parents:  # a clause of a cut sentence
                parent = parents[c.id.rsplit(".", 1)[0]]
                assert parent.start <= c.start < c.end <= parent.end
                assert n_words(c.text) >= MIN_WORDS
        # clauses tile their sentence: same non-space characters, in order
        for s in sentences:
            pieces = [c for c in out if c.id == s.id or c.id.startswith(s.id + ".")]
            joined = "".join("".join(p.text.split()) for p in pieces)
            assert joined == "".join(s.text.split())
        assert split_clauses(src, sentences, method=method) == out  # deterministic


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_clause_comparison_validates_and_offsets_index_the_files(cluster):
    comp = compare([FIXTURES / cluster], **FAST)
    jsonschema.validate(json.loads(comp.to_json()), SCHEMA)
    assert "unit:clause-" in comp.signature and comp.settings["unit"] == "clause"
    assert any("." in c.id.split("#")[1] for c in comp.claims)
    for s in comp.sources:
        text = Path(s.path).read_text(encoding="utf-8")
        for c in comp.claims_of(s.id):
            assert text[c.start : c.end] == c.text


def test_sentence_unit_keeps_the_signature():
    assert "unit:" not in Comparer(embedder="hashing").signature
    assert Comparer(embedder="hashing").settings()["unit"] == "sentence"


def test_identical_sources_have_no_omissions_with_clauses():
    text = (FIXTURES / "first-call" / "001_153bc2bf3a5df949.txt").read_text(encoding="utf-8")
    comp = compare([Source("a", "a", text), Source("b", "b", text)], **FAST)
    assert comp.omissions() == [] and comp.unique() == []


def test_permuting_sources_does_not_change_clause_findings():
    paths = sorted((FIXTURES / "first-call").iterdir())
    shuffled = list(paths)
    random.Random(3).shuffle(shuffled)

    def canon(comp):
        groups = {g.id: tuple(sorted(g.claims)) for g in comp.groups}
        return sorted((f.kind, groups[f.group], tuple(sorted(f.sources))) for f in comp.findings)

    a = compare(paths, **FAST)
    b = compare(shuffled, **FAST)
    assert canon(a) == canon(b)
    assert compare(paths, **FAST).to_json() == a.to_json()


def test_onnx_backend_uses_the_rule_splitter():
    from divergence.clauses import signature

    assert signature("clause", "rules") == f"clause-rules-m{MIN_WORDS}"
    assert signature("sentence", None) == "sentence"


def test_bad_unit_is_a_usage_error():
    with pytest.raises(UsageError, match="unit must be"):
        Comparer(embedder="hashing", unit="word")
    with pytest.raises(UsageError, match="unknown clause method"):
        _one("A b c d e f.", method="stanza")


def test_cli_unit_option(tmp_path):
    from typer.testing import CliRunner

    from divergence.cli import app

    args = ["compare", str(FIXTURES / "first-call"), "-m", "hashing", "-t", "0.5", "-q"]
    res = CliRunner().invoke(app, args + ["--unit", "clause", "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert "unit:clause-" in data["signature"]
    bad = CliRunner().invoke(app, args + ["--unit", "word"])
    assert bad.exit_code != 0 and "unit must be" in bad.output
    assert "Traceback" not in bad.output


def test_corpus_chunk_embeds_clauses_in_one_call():
    from divergence.corpus import compare_chunk, group_rows
    from divergence.embed import HashingEmbedder

    class Counting:
        name = "counting"

        def __init__(self):
            self.inner, self.calls = HashingEmbedder(), []

        def encode(self, texts):
            self.calls.append(list(texts))
            return self.inner.encode(texts)

    rows = [
        {"event": cluster, "source": f.stem, "text": f.read_text(encoding="utf-8")}
        for cluster in CLUSTERS
        for f in sorted((FIXTURES / cluster).glob("*.txt"))
    ]
    counting = Counting()
    results = compare_chunk(
        Comparer(embedder=counting, threshold=0.5, unit="clause"), group_rows(rows), keep=True
    )
    assert len(counting.calls) == 1  # the pre-pass cut the same clauses as the comparisons
    assert all("unit:clause-" in r.comparison.signature for r in results)


@needs_spacy
def test_clause_stage_reuses_the_attribution_parse(monkeypatch):
    """Each sentence is parsed once: attribution parses the sentences that may carry a frame,
    the clause stage parses only the others."""
    from divergence import attribution, parsing

    path = FIXTURES / "first-call" / "000_9371d010681fa504.txt"
    src = Source(id="a", name="a", text=path.read_text(encoding="utf-8"))
    parsing.clear_parse_cache()
    claims = attribution.attribute(src, segment(clean(src)), method="spacy")
    parsed = set(parsing._PARSED)
    assert parsed == {c.text for c in claims if attribution.may_have_frame(c.text)}
    nlp = parsing.load_spacy()
    again: list[str] = []

    class Recording:
        def pipe(self, texts, **kw):
            texts = list(texts)
            again.extend(texts)
            return nlp.pipe(texts, **kw)

    monkeypatch.setattr(parsing, "load_spacy", lambda: Recording())
    assert len(split_clauses(src, claims, method="spacy")) >= len(claims)
    assert not set(again) & parsed
    assert {c.text for c in claims} <= parsed | set(again)


def test_unit_scoring_follows_the_gold_overlap_rule():
    from divergence.bench.units import UnitCluster, _covers, score_units
    from divergence.embed import HashingEmbedder

    assert _covers(0, 10, 4, 8) and _covers(0, 10, 8, 20) is False and _covers(0, 10, 5, 12)
    same = "Biden and Putin agreed to extend the New START arms treaty for five years."
    cl = UnitCluster(
        texts=[same, same, "Storms hit the coast of Texas on Monday night again today."],
        owners=["d1", "d2", "d2"],
        facts=[frozenset({"p"}), frozenset({"p"}), frozenset()],
        scored=[True, True, True],
        mentions={"p": {"d1", "d2"}},
    )
    r = score_units([cl], HashingEmbedder(), Comparer(embedder="hashing", threshold=0.5))
    assert (r["precision"], r["recall"], r["fact_recall"], r["units"]) == (1.0, 1.0, 1.0, 3)


BENCH = Path(os.environ.get("DIVERGENCE_BENCH") or ROOT.parent / "shared" / "bench")


@pytest.mark.skipif(not (BENCH / "superpal_multinews").exists(), reason="../shared/bench absent")
def test_superpal_dev_units_cover_their_propositions():
    from divergence.bench.units import superpal_units

    sentences = superpal_units(BENCH, split="dev")
    clauses = superpal_units(BENCH, split="dev", unit="clause", method="rules")
    assert [len(c.mentions) for c in sentences] == [len(c.mentions) for c in clauses]
    for cl in sentences:  # every proposition is covered by a unit of each doc that states it
        for p, docs in cl.mentions.items():
            assert {o for o, f in zip(cl.owners, cl.facts, strict=True) if p in f} == docs


# -- property tests: the invariants of tests/test_properties.py, with clause units ------------
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from .test_properties import VALIDATOR, articles  # noqa: E402

CLAUSE_COMPARER = Comparer(embedder="hashing", threshold=0.5, unit="clause")
SOME = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _compare_or_skip(items):
    from divergence.errors import InputError

    # as {"text": ...} rows: a one-line string with a "/" in it would be read as a path
    try:
        return CLAUSE_COMPARER.compare([{"text": t} if isinstance(t, str) else t for t in items])
    except InputError as exc:
        assume(not any(m in str(exc) for m in ("empty (no text", "no article text left")))
        raise


@SOME
@given(articles(), st.sampled_from(METHODS))
def test_clauses_tile_their_sentences_exactly(text, method):
    assume(text.strip())
    src = Source(id="a", name="a", text=text)
    sentences = segment(clean(src))
    out = split_clauses(src, sentences, method=method)
    for s in sentences:
        pieces = [c for c in out if c.id == s.id or c.id.startswith(s.id + ".")]
        assert pieces and all(text[c.start : c.end] == c.text for c in pieces)
        assert all(c.text == c.text.strip() and c.text for c in pieces)
        assert all(a.end <= b.start for a, b in zip(pieces, pieces[1:], strict=False))
        assert "".join("".join(p.text.split()) for p in pieces) == "".join(s.text.split())
        if len(pieces) > 1:
            assert all(n_words(p.text) >= MIN_WORDS for p in pieces)


@SOME
@given(articles())
def test_clause_source_compared_with_itself_has_no_omissions(a):
    comp = _compare_or_skip([a, a])
    assert comp.omissions() == [] and comp.unique() == []


@SOME
@given(articles(), articles())
def test_clause_json_validates_and_offsets_round_trip(a, b):
    data = json.loads(_compare_or_skip([a, b]).to_json())
    VALIDATOR.validate(data)
    texts = {"s1": a, "s2": b}
    for c in data["claims"]:
        assert texts[c["source"]][c["start"] : c["end"]] == c["text"]
