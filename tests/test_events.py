"""Event checks: the different-events warning and automatic event grouping."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from divergence.events import group_events, source_overlap, warn_if_different_events

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIRST = sorted((FIXTURES / "first-call").glob("*.txt"))
UKR = sorted((FIXTURES / "ukraine-calls").glob("*.txt"))


def _compare(paths, **kw):
    from divergence import Comparer

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        comp = Comparer(embedder="hashing", threshold=0.5, **kw).compare(paths)
    return comp, [str(w.message) for w in caught if "different events" in str(w.message)]


def test_overlap_is_symmetric_fraction():
    comp, _ = _compare(FIRST)
    ov = source_overlap(comp)
    assert len(ov) == 3 and all(0.0 <= v <= 1.0 for v in ov.values())


def test_same_event_sources_share_more_than_different_events():
    same, _ = _compare(FIRST[:2])
    mixed, _ = _compare([FIRST[0], UKR[0]])
    assert next(iter(source_overlap(same).values())) > next(iter(source_overlap(mixed).values()))


def test_warning_names_pair_and_figure():
    from divergence.comparison import Comparison
    from divergence.records import Claim, ClaimGroup, Source

    srcs = (Source(id="a", name="a", text="x"), Source(id="b", name="b", text="y"))
    claims = tuple(
        Claim(id=f"{s}{i}", source=s, text="t", start=0, end=1, index=i, position=0.0)
        for s in "ab"
        for i in range(10)
    )
    shared = ClaimGroup(id="g0", claims=("a0", "b0"), sources=("a", "b"), missing_from=())
    alone = tuple(
        ClaimGroup(id=f"g{c.id}", claims=(c.id,), sources=(c.source,), missing_from=())
        for c in claims
        if c.id not in ("a0", "b0")
    )
    comp = Comparison(
        sources=srcs, claims=claims, dropped=(), groups=(shared, *alone), findings=(), signature=""
    )
    assert source_overlap(comp) == {("a", "b"): 0.1}
    with pytest.warns(
        UserWarning, match=r"'a' and 'b' seem to cover different events: they share 10%"
    ):
        warn_if_different_events(comp, min_overlap=0.2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert warn_if_different_events(comp, min_overlap=0.05) == []


def test_check_can_be_turned_off():
    _, msgs = _compare([FIRST[0], UKR[0]], check_event=False)
    assert msgs == []


STORM = (
    "Storm cuts power in Texas\n\nA winter storm cut power to two million homes across Texas on "
    "Monday. Officials opened warming centres in Austin and Houston. The grid operator said "
    "rolling outages could last until Wednesday. Schools in Dallas closed for the week."
)


@pytest.mark.model
def test_real_model_warns_for_an_unrelated_article_only():
    from divergence import Comparer

    comparer = Comparer()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        comparer.compare([FIRST[0], STORM])
    assert any("different events" in str(w.message) for w in caught)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        comparer.compare(FIRST[:2])
    assert not any("different events" in str(w.message) for w in caught)


def test_group_events_separates_the_fixture_clusters():
    arts = [{"text": p.read_text()} for p in FIRST + UKR]
    g = group_events(arts)
    assert len(set(g.labels[:3])) == 1 and len(set(g.labels[3:])) == 1
    assert g.labels[0] != g.labels[3] and g.unmatched == []


def test_group_events_dates_split_and_unmatched_reported():
    arts = [
        {
            "title": "Quake hits city",
            "text": "A strong earthquake hit the city, killing ten.",
            "date": "2020-01-01",
        },
        {
            "title": "Quake kills ten",
            "text": "An earthquake killed ten people in the city.",
            "date": "2020-01-02",
        },
        {
            "title": "Quake hits city",
            "text": "A strong earthquake hit the city, killing ten.",
            "date": "2021-06-01",
        },
    ]
    g = group_events(arts)
    assert g.labels[0] == g.labels[1] != g.labels[2] and g.unmatched == [2]
    assert group_events([]).labels == () and group_events(arts[:1]).unmatched == [0]
