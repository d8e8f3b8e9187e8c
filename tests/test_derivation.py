"""The derivation stage: who rewrote whom (issue 14)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import jsonschema
import pytest

import divergence
from divergence import Comparer
from divergence.derivation import (
    _lis,
    changed_words,
    claim_matches,
    find_derivations,
    summary_line,
    voices,
)
from divergence.records import Claim, Derivation, Source

from .conftest import FIXTURES

WIRE = [
    "Flood waters forced thousands of residents from their homes in the river valley on Monday.",
    "The regional emergency agency said about 4,000 people had been moved to shelters overnight.",
    "Two bridges on the main road to the coast were closed after the river burst its banks.",
    "Rescue crews used boats to reach families stranded on rooftops in the lower town.",
    "The mayor said the town hall would stay open as a shelter until the water receded.",
    "Forecasters expect more heavy rain over the hills on Wednesday and Thursday.",
    "Insurers said it was too early to put a figure on the damage to homes and farms.",
    "The army sent 300 soldiers to help build sandbag walls along the riverbank.",
]
SPUN = [
    "Deluge waters compelled thousands of inhabitants from their houses in the river valley on Monday.",
    "The regional crisis agency stated roughly 4,000 individuals had been relocated to shelters overnight.",
    "Two bridges on the primary route to the coast were shut after the river burst its banks.",
    "Rescue teams utilised boats to reach households stranded on rooftops in the lower town.",
    "The mayor stated the town hall would remain open as a refuge until the water receded.",
    "Insurers stated it was too soon to put a number on the harm to houses and farms.",
]
OTHER = [
    "Hundreds of volunteers filled sandbags in the market square as the river kept rising.",
    "A farmer said he had lost most of his sheep when the fields flooded within an hour.",
    "Schools across the district will stay closed for the rest of the week, officials said.",
    "The national weather service issued its highest warning level for the northern hills.",
    "Critics said the flood defences promised after the last disaster were never built.",
    "Power was cut to about 12,000 homes as substations were switched off for safety.",
]


def claims(sid: str, sents: list[str]) -> list[Claim]:
    return [
        Claim(f"{sid}#{i}", sid, t, 0, len(t), i, i / max(len(sents), 1))
        for i, t in enumerate(sents)
    ]


def derive(docs: dict[str, list[str]], dates: dict[str, str] | None = None):
    dates = dates or {}
    sources = [Source(k, k, "", date=dates.get(k)) for k in docs]
    return find_derivations(sources, [c for k, v in docs.items() for c in claims(k, v)])


def test_verbatim_copy_with_a_new_headline_and_drops_is_a_copy_of_its_original():
    copy = ["Floods hit the valley: thousands flee their homes tonight"] + WIRE[:5] + WIRE[7:]
    (d,) = derive({"copy": copy, "wire": WIRE})
    assert (d.source, d.from_, d.relation) == ("copy", "wire", "copy")
    assert d.direction == "known" and d.basis == "text"
    assert d.taken == 6 and d.claims == 7 and d.words_changed == 0


def test_spun_copy_is_a_rewrite_with_the_swapped_words_as_evidence():
    (d,) = derive({"spun": SPUN, "wire": WIRE})
    assert (d.source, d.from_, d.relation, d.direction) == ("spun", "wire", "rewrite", "known")
    assert d.taken >= 5 and d.words_changed >= 10
    changed = [tuple(c) for e in d.evidence for c in e["changed"]]
    assert ("said", "stated") in changed or ("said about", "stated roughly") in changed


def test_dates_decide_the_direction_when_both_sources_have_different_ones():
    # the original is dated later than the copy here: the date wins over the text
    (d,) = derive({"spun": SPUN, "wire": WIRE}, {"spun": "2024-01-01", "wire": "2024-01-02"})
    assert (d.source, d.from_, d.basis) == ("wire", "spun", "date")


def test_an_article_quoting_a_statement_is_quotes_not_a_copy():
    statement = (
        WIRE[:1]
        + [
            "We urge everyone in the lower town to leave their homes before nightfall today.",
            "Emergency shelters are open at the town hall and at the sports centre on Hill Road.",
        ]
        + OTHER[3:]
    )
    article = (
        OTHER[:3]
        + [
            "We urge everyone in the lower town to leave their homes before nightfall today.",
        ]
        + ["The council did not say how long the shelters would stay open for the families."]
    )
    (d,) = derive({"article": article, "statement": statement})
    assert d.relation == "quotes" and d.taken == 1
    assert derive({"a": WIRE, "b": OTHER}) == ()  # independent reports of the event


def test_two_independent_reports_are_not_related():
    assert derive({"x": OTHER, "y": SPUN[:2] + OTHER[:0]}) == ()


def test_helpers():
    assert _lis([3, 1, 2, 5, 4]) in ([1, 2, 3], [1, 2, 4])  # indices of 1, 2, 5 / 1, 2, 4
    assert changed_words("a b c d", "a x c d") == [["b", "x"]]
    i, j, s = claim_matches(["same words here now", "same words here now!", "zzz qqq"])
    assert list(zip(i.tolist(), j.tolist(), strict=False)) == [(0, 1)] and s[0] > 0.75
    d = Derivation("a", "b", "copy", "unknown", None, 1.0, 4, 4, 0, 1.0)
    assert "one is a copy of the other (direction unknown)" in summary_line(d)
    assert voices(["a", "b", "c"], [d]) == {"a": "a", "b": "a", "c": "c"}


def test_pruned_candidates_find_the_same_matches_as_the_exact_product():
    texts = WIRE + SPUN + OTHER
    exact = claim_matches(texts, candidate_df=10_000)
    pruned = claim_matches(texts, candidate_df=2)
    assert [a.tolist() for a in exact[:2]] == [a.tolist() for a in pruned[:2]]
    assert exact[2] == pytest.approx(pruned[2], abs=1e-5)


# -- the pipeline, invariants, schema, reports ------------------------------------------------
A = "Floods\n" + " ".join(WIRE)
B = "Rain\n" + " ".join(OTHER)
S = "Deluge\n" + " ".join(SPUN)
COMPARER = Comparer(embedder="hashing", attribution=None, check_event=False)


def test_compare_a_a_is_a_copy_with_unknown_direction():
    comp = COMPARER.compare([A, A])
    (d,) = comp.derivations
    assert d.relation == "copy" and d.direction == "unknown" and d.reused == 1.0


def test_permuting_sources_permutes_derivations():
    docs = [{"id": "wire", "text": A}, {"id": "spun", "text": S}, {"id": "other", "text": B}]
    seen = {
        tuple(
            json.dumps(d.to_dict(), sort_keys=True) for d in COMPARER.compare(list(p)).derivations
        )
        for p in itertools.permutations(docs)
    }
    assert len(seen) == 1
    (only,) = seen
    assert [json.loads(x)["source"] for x in only] == ["spun"]


def test_json_validates_and_reports_carry_the_summary_line():
    comp = COMPARER.compare(
        [{"id": "wire", "text": A}, {"id": "spun", "text": S}, {"id": "other", "text": B}]
    )
    schema = json.loads(
        (Path(divergence.__file__).parent / "data" / "comparison.schema.json").read_text()
    )
    data = json.loads(comp.to_json())
    jsonschema.validate(data, schema)
    (d,) = data["derivations"]
    assert (d["source"], d["from"], d["relation"]) == ("spun", "wire", "rewrite")
    from divergence.report import render

    text = render(comp, "text")
    md = render(comp, "markdown")
    assert "Text reuse between the sources" in text and "is a rewrite of" in text
    assert "## Text reuse" in md and "claims taken over" in md
    html = render(comp, "html")
    assert "Who derives from whom" in html and "<svg" in html and "<mark>" in html
    bad = {**data, "derivations": [{**d, "relation": "clone"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_copies_as_one_voice_makes_a_claim_of_a_source_and_its_copy_unique_to_them():
    docs = [{"id": "wire", "text": A}, {"id": "spun", "text": S}, {"id": "other", "text": B}]
    plain = COMPARER.compare(docs)
    marked = [f for f in plain.omissions("other") if f.detail.get("copy_only")]
    assert marked and all(set(f.detail["carried_by"]) == {"spun", "wire"} for f in marked)
    one = Comparer(
        embedder="hashing", attribution=None, check_event=False, copies_as_one_voice=True
    ).compare(docs)
    shared = {f.group for f in marked}
    assert shared <= {f.group for f in one.unique("spun")}
    # two voices left: like two sources, what one voice carries the other omits, support 1 of 2
    again = [f for f in one.omissions("other") if f.group in shared]
    assert again and all(
        (f.detail["support"], f.detail["of"], f.detail["counted"]) == (1, 2, "voices")
        for f in again
    )
    assert not one.omissions("spun") or all(
        "wire" not in f.detail["carried_by"] for f in one.omissions("spun")
    )
    assert "copies_as_one_voice" in one.settings and "one-voice" in one.signature
    with pytest.raises(divergence.errors.UsageError):
        Comparer(embedder="hashing", derivation=False, copies_as_one_voice=True)


# -- gold: the eight fixture clusters ---------------------------------------------------------
def _cluster(name: str):
    from divergence.clean import clean
    from divergence.ingest import load_sources
    from divergence.segment import SyntokSegmenter, segment

    gold = json.loads((FIXTURES / f"{name}.gold.json").read_text(encoding="utf-8"))
    sources, cl = [], []
    for k, v in gold["docs"].items():
        text = (FIXTURES / name / v["file"]).read_text(encoding="utf-8")
        c = clean(load_sources([{"id": k, "text": text}])[0])
        sources.append(c.source)
        cl += segment(c, SyntokSegmenter())
    wires = {k for k, v in gold["docs"].items() if v["kind"] == "wire"}
    derived = {
        frozenset((k, w)) for k, v in gold["docs"].items() if v["kind"] == "rewrite" for w in wires
    }
    return find_derivations(sources, cl), derived


CLUSTER_NAMES = sorted(p.name[: -len(".gold.json")] for p in FIXTURES.glob("*.gold.json"))


@pytest.mark.parametrize("name", CLUSTER_NAMES)
def test_no_copy_or_rewrite_between_sources_the_gold_does_not_derive(name):
    found, derived = _cluster(name)
    for d in found:
        if d.relation != "quotes":
            assert frozenset((d.source, d.from_)) in derived, summary_line(d)


def test_wildfire_spun_copy_is_a_rewrite_of_the_wire():
    found, _ = _cluster("wildfire-evacuation")
    assert [
        (d.source, d.from_, d.relation, d.direction) for d in found if d.relation != "quotes"
    ] == [("pulse", "mpa", "rewrite", "known")]


def test_real_model_end_to_end_on_first_call(real_comparisons):
    comp = real_comparisons["first-call"]
    related = [d for d in comp.derivations if d.relation != "quotes"]
    assert [(d.source[:3], d.from_[:3], d.relation) for d in related] == [("000", "001", "rewrite")]
    assert not [d for d in comp.derivations if "002" in (d.source[:3], d.from_[:3])]
    assert "derivations" in comp.to_dict()


# -- corpus mode --------------------------------------------------------------------------------
def test_corpus_run_writes_a_derivations_table(tmp_path):
    from divergence.corpus import COLUMNS, run_corpus

    from .test_corpus import SETTINGS, fixture_rows, write_jsonl

    src = write_jsonl(tmp_path / "in.jsonl", fixture_rows())
    run_corpus(src, tmp_path / "out", **SETTINGS)
    rows = [json.loads(x) for x in (tmp_path / "out" / "derivations.jsonl").open()]
    related = [r for r in rows if r["relation"] != "quotes"]
    assert [(r["event"], r["source"][:3], r["from"][:3], r["relation"]) for r in related] == [
        ("first-call", "000", "001", "rewrite")
    ]
    assert set(rows[0]) == set(COLUMNS["derivations"])
    assert json.loads(related[0]["evidence"])[0]["changed"]
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(tmp_path / "out" / "derivations.parquet")
    assert table.column_names == COLUMNS["derivations"] and table.num_rows == len(rows)


def test_by_speaker_has_no_derivation_stage():
    comp = Comparer(embedder="hashing", attribution="rules", by="speaker", check_event=False)
    assert "deriv:" not in comp.signature and comp.derivation is False
    with pytest.raises(divergence.errors.UsageError):
        Comparer(embedder="hashing", attribution="rules", by="speaker", copies_as_one_voice=True)


def test_cli_option_counts_copies_as_one_voice():
    from typer.testing import CliRunner

    from divergence.cli import app

    args = ["compare", str(FIXTURES / "first-call"), "-m", "hashing", "-q", "--format", "json"]
    plain = CliRunner().invoke(app, args)
    one = CliRunner().invoke(app, [*args, "--copies-as-one-voice"])
    assert plain.exit_code == 0 and one.exit_code == 0, one.output
    a, b = json.loads(plain.output), json.loads(one.output)
    assert "copies_as_one_voice" not in a["settings"] and b["settings"]["copies_as_one_voice"]
    unique_pairs = [f for f in b["findings"] if f["kind"] == "unique" and len(f["sources"]) == 2]
    assert unique_pairs and all(f["detail"]["voices"] == 1 for f in unique_pairs)


def test_html_section_stays_small_for_a_big_event():
    from types import SimpleNamespace

    from divergence.report.derivation_html import MAX_LISTED, MAX_SIDE_BY_SIDE, derivation_section

    n = 40
    ids = [f"s{i:02d}" for i in range(n)]
    cl = [Claim(f"{s}#0", s, "Same words in every copy here.", 0, 30, 0, 0.0) for s in ids]
    ders = tuple(
        Derivation(b, a, "copy", "unknown", None, 1.0, 1, 1, 0, 1.0, ((f"{b}#0", f"{a}#0", 1.0),))
        for a, b in itertools.combinations(ids, 2)
    )
    comp = SimpleNamespace(derivations=ders, claims=cl)
    html = "".join(derivation_section(comp, {s: s for s in ids}, {s: "#000" for s in ids}))
    assert "<svg" not in html and "too many for a graph" in html
    assert html.count("<li>") == MAX_LISTED + 1 and html.count("<details>") == MAX_SIDE_BY_SIDE
