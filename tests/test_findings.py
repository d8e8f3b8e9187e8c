from divergence.findings import build_groups, claim_prominence, find_divergences
from divergence.records import Claim


def _claim(src, idx, pos, lede=False, title=False):
    return Claim(f"{src}#{idx}", src, f"text {src}{idx}", 0, 5, idx, pos, is_title=title, lede=lede)


def test_prominence_scale():
    assert claim_prominence(_claim("a", 0, 0.0, title=True, lede=True)) == 1.0
    assert claim_prominence(_claim("a", 1, 0.0, lede=True)) == 0.9
    assert abs(claim_prominence(_claim("a", 5, 0.5)) - 0.4) < 1e-9


def test_three_sources_omission_and_unique():
    claims = [_claim("a", 0, 0.1), _claim("b", 0, 0.1), _claim("c", 0, 0.5), _claim("a", 1, 0.5)]
    groups = build_groups([[0, 1], [2], [3]], claims, ["a", "b", "c"])
    assert [g.id for g in groups] == ["g1", "g2", "g3"]
    findings = find_divergences(groups, {c.id: c for c in claims}, ["a", "b", "c"])
    kinds = sorted((f.kind, f.group, f.sources) for f in findings)
    # g1 carried by a, b -> omitted by c; g2/g3 unique (one carrier of three: no omission findings)
    assert kinds == [("omission", "g1", ("c",)), ("unique", "g2", ("c",)), ("unique", "g3", ("a",))]
    om = next(f for f in findings if f.kind == "omission")
    assert om.detail["carried_by"] == ["a", "b"] and om.detail["support"] == 2


def test_emphasis_lede_vs_buried():
    claims = [_claim("a", 0, 0.0, lede=True), _claim("b", 7, 0.9)]
    groups = build_groups([[0, 1]], claims, ["a", "b"])
    (f,) = find_divergences(groups, {c.id: c for c in claims}, ["a", "b"])
    assert f.kind == "emphasis" and f.sources == ("a",)
    assert f.detail["buried"] == ["b"] and f.detail["absent"] == []


def test_no_emphasis_when_both_lead():
    claims = [_claim("a", 0, 0.0, lede=True), _claim("b", 1, 0.05, lede=True)]
    groups = build_groups([[0, 1]], claims, ["a", "b"])
    assert find_divergences(groups, {c.id: c for c in claims}, ["a", "b"]) == []


def test_repetition_raises_prominence():
    claims = [_claim("a", 3, 0.5), _claim("a", 4, 0.6), _claim("b", 0, 0.5)]
    (g,) = build_groups([[0, 1, 2]], claims, ["a", "b"])
    assert abs(g.prominence["a"] - (0.4 + 0.05)) < 1e-9
