"""The gold scorer on a tiny hand-made gold, where every metric can be computed by hand."""

import json

import pytest

from divergence.comparison import Comparison
from divergence.evaluate import evaluate_gold, score_comparison
from divergence.records import Claim, ClaimGroup, Source, Unique

from .conftest import CLUSTERS, FIXTURES

A = "Title A\nBiden called Putin. Navalny was arrested.\n"
B = "Title B\nBiden phoned Putin. Sanctions are coming.\n"


def _claim(src, text, body, idx):
    start = body.index(text)
    return Claim(f"{src}#{idx}", src, text, start, start + len(text), idx, 0.0)


def _comparison(groups):
    claims = [
        _claim("a", "Biden called Putin.", A, 1),
        _claim("a", "Navalny was arrested.", A, 2),
        _claim("b", "Biden phoned Putin.", B, 1),
        _claim("b", "Sanctions are coming.", B, 2),
    ]
    gs = tuple(
        ClaimGroup(f"g{i}", tuple(m), tuple(sorted({x[0] for x in m})), (), {})
        for i, m in enumerate(groups)
    )
    findings = tuple(Unique(g.id, g.sources, prominence=0.0) for g in gs if len(g.sources) == 1)
    return Comparison(
        sources=(Source("a", "a", A, path="a.txt"), Source("b", "b", B, path="b.txt")),
        claims=tuple(claims),
        dropped=(),
        groups=gs,
        findings=findings,
        signature="test",
    )


GOLD = {
    "docs": {"A": {"file": "a.txt"}, "B": {"file": "b.txt"}},
    "facts": [
        {
            "id": "F1",
            "mentions": {"A": ["Biden called Putin"], "B": ["Biden phoned Putin"]},
            "lede_in": [],
        },
        {"id": "F2", "mentions": {"A": ["Navalny was arrested"]}, "lede_in": []},
        {"id": "F3", "mentions": {"B": ["Sanctions are coming"]}, "lede_in": []},
    ],
    "conflicts": [],
    "boilerplate": {},
}


def test_perfect_alignment():
    m = score_comparison(_comparison([["a#1", "b#1"], ["a#2"], ["b#2"]]), GOLD)
    assert m["alignment"]["f1"] == 1.0
    assert m["omission"]["f1"] == 1.0 and m["omission"]["macro_f1"] == 1.0
    assert m["unique"]["recall"] == 1.0 and m["unique"]["precision"] == 1.0


def test_over_merged_alignment():
    m = score_comparison(_comparison([["a#1", "b#1", "a#2", "b#2"]]), GOLD)
    # 4 cross pairs predicted, 1 correct
    assert m["alignment"]["precision"] == 0.25 and m["alignment"]["recall"] == 1.0
    # F2 and F3 now look present in the other doc: both omissions missed
    assert m["omission"]["recall"] == 0.0


def test_nothing_aligned():
    m = score_comparison(_comparison([["a#1"], ["b#1"], ["a#2"], ["b#2"]]), GOLD)
    assert m["alignment"]["recall"] == 0.0
    # F1 wrongly omitted twice; F2, F3 rightly omitted
    assert (m["omission"]["tp"], m["omission"]["fp"], m["omission"]["fn"]) == (2, 2, 0)


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_gold_copies_in_fixtures_run(cluster):
    m = evaluate_gold(FIXTURES / f"{cluster}.gold.json", FIXTURES / cluster, embedder="hashing")
    assert m["junk"]["precision"] == 1.0 and m["junk"]["recall"] == 1.0
    for key in ("alignment", "omission", "unique"):
        assert 0.0 <= m[key]["f1"] <= 1.0


def test_fixture_gold_matches_shared(tmp_path):
    from .conftest import SHARED

    if not (SHARED / "gold").exists():
        pytest.skip("../shared absent")
    for cluster in CLUSTERS:
        ours = json.loads((FIXTURES / f"{cluster}.gold.json").read_text(encoding="utf-8"))
        theirs = json.loads((SHARED / "gold" / f"{cluster}.json").read_text(encoding="utf-8"))
        assert ours == theirs


@pytest.mark.parametrize(
    "gist, sides",
    [
        ("Per the Embassy / US officials: talks went well", ["embassy", "officials"]),
        ("Per the Senate readout: the vote was close", ["senate"]),
        ("Per the Treasury (Lindqvist): rates stay", ["treasury", "lindqvist"]),
        ("Per the tribunal, the contract was void", ["tribunal"]),
        ("Per Senator Maud Orrin, in Dalby: 'we will fight'", ["orrin"]),
        ("Per Harbour Commissioner Ivo Kest: the quay is shut", ["kest"]),
        ("Per resident Ola Brant, 52: the water rose fast", ["ola brant"]),
        ("Per her neighbour Ola Brant of Mill Row: it was dark", ["ola brant"]),
        ("Per Ola Brant (Dalby College): a first", ["ola brant", "dalby college"]),
        ("Per the NTSB the brakes had failed: a second finding", ["ntsb"]),
        ("Per his lawyer, the charge is baseless", ["lawyer"]),
        ("Per Harbour Freight & Sons: 40 jobs go", ["harbour freight & sons"]),
        ("Per both agencies: the audit ends in May", None),
        ("Per reports the bridge was closed", None),
        ("The toll rose to 11 (per police)", None),
    ],
)
def test_sides_of_a_gist(gist, sides):
    from divergence.evaluate import _sides

    assert _sides(gist) == sides


@pytest.mark.parametrize(
    "side, speaker, names",
    [
        ("ntsb", "national transportation safety board | the national transportation ...", True),
        ("dhhs", "department of health and human services | the department ...", True),
        ("white house", "white house | a white house statement", True),
        ("ntsb", "transport ministry | the ministry", False),
        ("court", "court of appeal | the court of appeal", True),
        ("ucf", "united front | the front", False),
    ],
)
def test_a_side_names_a_speaker_by_its_words_or_acronym(side, speaker, names):
    from divergence.evaluate import _names

    assert _names(side, speaker) is names
