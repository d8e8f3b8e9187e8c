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


def test_related_claims_go_to_omissions_and_unique_claims():
    """An omission gets the omitting source's nearest claims; a unique claim gets the other
    sources' (to check that no other source states it in other words); both survive the JSON
    detail round trip."""
    from divergence.findings import with_related
    from divergence.records import Finding

    claims = [_claim("a", 0, 0.1), _claim("b", 0, 0.1), _claim("c", 0, 0.5), _claim("a", 1, 0.5)]
    groups = build_groups([[0, 1], [2], [3]], claims, ["a", "b", "c"])
    found = find_divergences(groups, {c.id: c for c in claims}, ["a", "b", "c"])
    # g1 (a, b; omitted by c): c#0 is near it; g2 (unique to c): a#0 and b#0 are near it
    links = {0: [(2, 0.31)], 1: [(0, 0.35), (1, 0.22), (2, 0.3)]}
    out = with_related(found, groups, links, claims.__getitem__)
    om = next(f for f in out if f.kind == "omission")
    assert [(r.claim, r.score) for r in om.related] == [("c#0", 0.31)]
    uq = next(f for f in out if f.kind == "unique" and f.group == "g2")
    assert [(r.claim, r.score) for r in uq.related] == [("a#0", 0.35), ("b#0", 0.22)]
    assert not next(f for f in out if f.group == "g3").related  # no link: nothing attached
    again = Finding.from_detail("unique", uq.group, uq.sources, uq.detail)
    assert again == uq and again.related == uq.related
