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


def test_overlap_lets_a_multi_claim_sentence_join_two_groups():
    # A0 states both B0's and C0's claims; B0 and C0 are unrelated
    sim = np.array([[1, 0.9, 0.8], [0.9, 1, 0.1], [0.8, 0.1, 1]], dtype=np.float32)
    from divergence.align import attach_overlaps

    assert attach_overlaps([[0, 1], [2]], sim, ["A", "B", "C"], threshold=0.6) == [[0, 1], [0, 2]]
    # the partition alone keeps A0 in one group only
    assert Aligner(threshold=0.6).group(sim, ["A", "B", "C"]) == [[0, 1], [2]]
    assert Aligner(threshold=0.6, overlap=True).group(sim, ["A", "B", "C"]) == [[0, 1], [0, 2]]


def test_overlap_needs_every_member_to_agree():
    # C0 links strongly to A0 but not to B0: joining {A0, B0} would dilute it (complete linkage)
    sim = np.array([[1, 0.9, 0.8], [0.9, 1, 0.2], [0.8, 0.2, 1]], dtype=np.float32)
    from divergence.align import attach_overlaps

    got = attach_overlaps([[0, 1], [2]], sim, ["A", "B", "C"], threshold=0.6, linkage_slack=0.1)
    # C2 stays out of {A0, B0}; A0 (0.8 with C2, its only member) does join C2's group
    assert got == [[0, 1], [0, 2]]


def test_related_band():
    from divergence.align import related_links

    sim = np.array([[1, 0.9, 0.4], [0.9, 1, 0.1], [0.4, 0.1, 1]], dtype=np.float32)
    # group {0, 1} (A, B); C2 is related to A0 (0.4 in [0.3, 0.6)); nothing else is in band
    links = related_links(sim, ["A", "B", "C"], [[0, 1], [2]], low=0.3, high=0.6)
    assert links == {0: [(2, 0.4)], 1: [(0, 0.4)]}


def test_aligner_signature_names_overlap():
    assert Aligner(threshold=0.2, top_k=2, overlap=True).signature.endswith("|overlap")
    assert "overlap" not in Aligner().signature
