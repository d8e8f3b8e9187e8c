import numpy as np

from divergence.align import Aligner, cohesion, group_claims, mutual_links


def test_chain_is_not_merged():
    # a~b strong, b~c strong, a~c weak: connected components would merge all three
    sim = np.array([[1, 0.9, 0.1], [0.9, 1, 0.85], [0.1, 0.85, 1]], dtype=np.float32)
    groups = group_claims(sim, ["A", "B", "C"], threshold=0.6, linkage_slack=0.1)
    assert groups == [[0, 1], [2]]


def test_mutual_best_only():
    # a1 and a2 both best match b1; only the better one links
    sim = np.array([[1, 0, 0.8], [0, 1, 0.7], [0.8, 0.7, 1]], dtype=np.float32)
    assert [(i, j) for _, i, j in mutual_links(sim, ["A", "A", "B"], threshold=0.5)] == [(0, 2)]
    assert group_claims(sim, ["A", "A", "B"], threshold=0.5) == [[0, 2], [1]]


def test_top_k_two_lets_a_source_contribute_two_claims():
    sim = np.array([[1, 0, 0.8], [0, 1, 0.7], [0.8, 0.7, 1]], dtype=np.float32)
    assert group_claims(sim, ["A", "A", "B"], threshold=0.5, top_k=2, linkage_slack=0.2) == [
        [0, 1, 2]
    ]


def test_below_threshold_stays_apart():
    sim = np.array([[1, 0.4], [0.4, 1]], dtype=np.float32)
    assert Aligner(threshold=0.5).group(sim, ["A", "B"]) == [[0], [1]]


def test_same_source_never_links_directly():
    sim = np.ones((2, 2), dtype=np.float32)
    assert group_claims(sim, ["A", "A"], threshold=0.5) == [[0], [1]]


def test_cohesion():
    sim = np.array([[1, 0.8, 0.6], [0.8, 1, 0.5], [0.6, 0.5, 1]], dtype=np.float32)
    assert abs(cohesion(sim, [0, 1, 2], ["A", "B", "A"]) - (0.8 + 0.5) / 2) < 1e-6
    assert cohesion(sim, [0], ["A"]) == 1.0
