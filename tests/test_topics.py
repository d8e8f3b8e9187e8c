import numpy as np
import pytest

from divergence import Comparer, compare
from divergence.embed import HashingEmbedder
from divergence.records import Claim, ClaimGroup
from divergence.topics import choose_clusters, find_topics, topic_terms

from .conftest import CLUSTERS, FIXTURES


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_topics_partition_groups_and_shares_sum_to_one(fake_comparisons, cluster):
    comp = fake_comparisons[cluster]
    assert 1 <= len(comp.topics) <= 8
    seen = [g for t in comp.topics for g in t.groups]
    assert sorted(seen) == sorted(g.id for g in comp.groups)  # each group in exactly one topic
    for s in comp.sources:
        assert sum(t.share[s.id] for t in comp.topics) == pytest.approx(1.0)
    for t in comp.topics:
        assert t.terms and all(isinstance(w, str) and w for w in t.terms)
        assert comp.topic_of(t.groups[0]) is t
    sizes = [sum(len(comp.group(g).claims) for g in t.groups) for t in comp.topics]
    assert sizes == sorted(sizes, reverse=True)


def test_share_is_fraction_of_source_sentences(fake_comparisons):
    comp = fake_comparisons["first-call"]
    for t in comp.topics:
        for s in comp.sources:
            n = len(  # distinct sentences: a claim may sit in several groups
                {
                    cid
                    for g in t.groups
                    for cid in comp.group(g).claims
                    if comp.claim(cid).source == s.id
                }
            )
            assert t.share[s.id] == pytest.approx(n / len(comp.claims_of(s.id)))


def test_topics_deterministic_and_in_json(fake_comparisons):
    again = Comparer(embedder="hashing", threshold=0.5, scorer="lr").compare(
        [FIXTURES / "first-call"]
    )
    assert again.to_json() == fake_comparisons["first-call"].to_json()
    assert [t.to_dict() for t in again.topics] == again.to_dict()["topics"]


class CountingEmbedder(HashingEmbedder):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        return super().encode(texts)


def test_pipeline_embeds_once_and_topics_reuse_the_vectors():
    emb = CountingEmbedder()
    comp = compare([FIXTURES / "ukraine-calls"], embedder=emb, threshold=0.5)
    assert emb.calls == 1
    assert comp.topics


def test_separated_clusters_are_found():
    rng = np.random.default_rng(0)
    centres = np.eye(3, 16)
    vecs = np.vstack([c + 0.05 * rng.standard_normal((5, 16)) for c in centres])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    labels = choose_clusters(vecs)
    assert len(set(labels)) == 3
    assert all(len(set(labels[i * 5 : i * 5 + 5])) == 1 for i in range(3))


def test_few_groups_are_one_topic():
    claims = [Claim(id="a:0", source="a", text="One claim.", start=0, end=10, index=0, position=0)]
    groups = [ClaimGroup(id="g1", claims=("a:0",), sources=("a",), missing_from=())]
    (topic,) = find_topics(groups, claims, np.ones((1, 4), dtype=np.float32), ["a"])
    assert topic.groups == ("g1",) and topic.share == {"a": 1.0} and topic.terms == ("claim",)
    assert find_topics([], [], np.zeros((0, 4)), ["a"]) == ()


def test_topic_terms_are_characteristic_and_stopword_free():
    terms = topic_terms(
        ["the treaty on arms, the treaty extended", "Navalny jailed and Navalny poisoned"],
        n_terms=2,
    )
    assert terms[0][0] == "treaty" and terms[1][0] == "navalny"
    assert "the" not in terms[0] and "and" not in terms[1]
    assert topic_terms(["the and of", "a the"]) == [(), ()]


def test_shares_sum_to_one_with_overlapping_groups():
    """A claim in two groups (partial coverage) is counted once: shares stay within [0, 1]."""
    import numpy as np

    from divergence.records import Claim, ClaimGroup
    from divergence.topics import find_topics

    claims = [Claim(f"a#{i}", "a", f"text {i}", 0, 1, i, i / 10) for i in range(6)]
    claims += [Claim(f"b#{i}", "b", f"text {i}", 0, 1, i, i / 10) for i in range(6)]
    groups = [ClaimGroup(f"g{i}", (f"a#{i}", f"b#{i}", "a#0"), ("a", "b"), ()) for i in range(1, 6)]
    emb = np.eye(12, dtype=np.float32)
    topics = find_topics(groups, claims, emb, ["a", "b"])
    for s in ("a", "b"):
        total = sum(t.share[s] for t in topics)
        assert all(0.0 <= t.share[s] <= 1.0 for t in topics)
        assert total <= 1.0 + 1e-9
