import json
import os
from pathlib import Path

import numpy as np
import pytest

from divergence.errors import UsageError
from divergence.features import (
    FEATURES,
    MARGIN_K,
    content_words,
    dates,
    margin,
    matrix_features,
    names,
    neighbour_means,
    numbers,
    pair_features,
)
from divergence.pairs import (
    PAIR_MODEL_PATH,
    CosineScorer,
    PairModelScorer,
    TfidfScorer,
    file_hash,
    get_scorer,
)

from .conftest import ROOT

BENCH = Path(os.environ.get("DIVERGENCE_BENCH") or ROOT.parent / "shared" / "bench")


def feats(a, b, ea=(1.0, 0.0), eb=(1.0, 0.0)):
    f = pair_features([a], [b], np.array([ea]), np.array([eb]))[0]
    return dict(zip(FEATURES, f.tolist(), strict=True))


# -- extractors ---------------------------------------------------------------------------------
def test_extractors():
    assert content_words("Biden and the Kremlin met 2 times") == [
        "biden",
        "kremlin",
        "met",
        "times",
    ]
    assert numbers("about 3,000 troops, 2.5% and two tanks on Jan. 26") == [
        "3000",
        "2.5",
        "2",
        "26",
    ]
    assert names("Biden told Vladimir Putin in Moscow") == ["vladimir", "putin", "moscow"]
    assert dates("talks on Monday, not in January") == ["monday", "january"]


# -- each feature, hand-computed ------------------------------------------------------------------
def test_cosine_is_the_embedding_dot_product():
    f = feats("x", "y", ea=(0.6, 0.8), eb=(1.0, 0.0))
    assert f["cos"] == pytest.approx(0.6)


def test_word_overlap_and_containment():
    # content words {biden, called, putin} vs {biden, called, putin, tuesday, night}
    f = feats("Biden called Putin.", "Biden called Putin on Tuesday night.")
    assert f["overlap"] == pytest.approx(3 / 5)
    assert f["containment"] == pytest.approx(1.0)
    assert f["len_ratio"] == pytest.approx(3 / 5)


def test_tfidf_identical_and_disjoint():
    m = matrix_features(["red cats sleep", "red cats sleep", "blue dogs run"], np.eye(3))
    k = FEATURES.index("tfidf")
    assert m[0, 1, k] == pytest.approx(1.0)
    assert m[0, 2, k] == pytest.approx(0.0)
    # identical texts TF-IDF has no vocabulary for still count as identical
    assert feats("A b.", "a  B.")["tfidf"] == 1.0


def test_number_agreement():
    same = feats("More than 3,700 troops", "3700 troops")
    assert (same["num_shared"], same["num_conflict"], same["num_mismatch"]) == (1.0, 0.0, 0.0)
    diff = feats("More than 3,700 troops", "About 3,000 troops")
    assert (diff["num_shared"], diff["num_conflict"], diff["num_mismatch"]) == (0.0, 1.0, 1.0)
    partial = feats("5 of 10 troops", "10 troops")  # only one side has an extra number
    assert (partial["num_shared"], partial["num_mismatch"]) == (1.0, 0.0)
    none = feats("troops", "About 3,000 troops")
    assert (none["num_shared"], none["num_conflict"]) == (0.0, 0.0)


def test_name_agreement():
    f = feats("Then Biden spoke with Stoltenberg", "Then Biden spoke with Putin")
    # names {biden, stoltenberg} vs {biden, putin}: Jaccard 1/3, each side has one of its own
    assert f["ent_overlap"] == pytest.approx(1 / 3)
    assert (f["ent_conflict"], f["ent_mismatch"]) == (0.0, 1.0)
    g = feats("Then Merkel spoke", "Then Putin spoke")
    assert (g["ent_overlap"], g["ent_conflict"]) == (0.0, 1.0)


def test_date_conflict():
    assert feats("talks on Monday", "talks on Tuesday")["date_conflict"] == 1.0
    assert feats("talks on Monday", "Monday talks")["date_conflict"] == 0.0
    assert feats("talks", "talks on Tuesday")["date_conflict"] == 0.0


def test_matrix_and_pair_features_agree():
    texts = ["Biden called Putin on Tuesday.", "Putin took the call on Monday.", "Sales fell 5%."]
    emb = np.array([[1, 0, 0], [0.8, 0.6, 0], [0, 0, 1.0]])
    m = matrix_features(texts, emb)
    p = pair_features(
        [texts[0], texts[1]], [texts[1], texts[2]], emb[[0, 1]], emb[[1, 2]], fit_texts=texts
    )
    assert np.allclose(m[0, 1], p[0]) and np.allclose(m[1, 2], p[1])
    assert np.allclose(m, m.transpose(1, 0, 2))


def test_pair_features_length_mismatch():
    with pytest.raises(ValueError):
        pair_features(["a"], [], np.zeros((1, 2)), np.zeros((0, 2)))


# -- scorers --------------------------------------------------------------------------------------
def test_shipped_model_loads_and_matches_its_signature():
    params = json.loads(PAIR_MODEL_PATH.read_text(encoding="utf-8"))
    assert set(params["features"]) <= set(FEATURES)
    for key in ("mean", "scale", "coef"):
        assert len(params[key]) == len(params["features"])
    assert 0 < params["related_threshold"] < params["threshold"] < 1
    # the path the training script had when it wrote the file (scripts/, now experiments/);
    # rewriting it would change the file's hash, i.e. the scorer's signature
    assert params["training"]["script"] in {
        "scripts/train_pair_model.py",
        "experiments/train_pair_model.py",
    }
    assert set(params["training"]["pairs"]) <= {"stsb", "stsb_news", "ecbplus"}  # licences
    s = PairModelScorer()
    assert s.signature == f"lr-{file_hash(PAIR_MODEL_PATH)[:8]}"
    assert s.default_threshold == params["threshold"]


@pytest.mark.bench
def test_shipped_model_was_trained_on_these_files():
    if not BENCH.exists():
        pytest.skip("../shared/bench absent")
    params = json.loads(PAIR_MODEL_PATH.read_text(encoding="utf-8"))
    for rel, digest in params["training"]["files_sha256"].items():
        assert file_hash(BENCH / rel) == digest, rel


def test_model_scores_are_probabilities_and_symmetric():
    texts = ["Biden called Putin on Tuesday.", "Biden phoned Putin on Tuesday.", "Sales fell."]
    emb = np.array([[1, 0], [0.99, 0.14], [0, 1.0]])
    p = PairModelScorer().score(texts, emb)
    assert p.dtype == np.float32 and np.allclose(p, p.T)
    assert ((p >= 0) & (p <= 1)).all() and np.allclose(np.diag(p), 1)
    assert p[0, 1] > p[0, 2]


def test_model_predict_is_the_logistic_of_the_standardised_features():
    s = PairModelScorer()
    x = np.zeros(len(FEATURES))
    x[s.columns] = s.params["mean"]  # standardised to 0: logit = intercept
    assert s.predict(x) == pytest.approx(1 / (1 + np.exp(-s.params["intercept"])))


def test_bad_model_file(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"features": ["cos"]}))
    with pytest.raises(UsageError):
        PairModelScorer(bad).score(["a"], np.ones((1, 1)))
    with pytest.raises(UsageError):
        _ = PairModelScorer(tmp_path / "missing.json").default_threshold
    bad.write_text(json.dumps({"features": ["cos", "no_such_feature"]}))
    with pytest.raises(UsageError):
        _ = PairModelScorer(bad).params


def test_model_over_a_subset_of_features_reads_its_columns_by_name(tmp_path):
    """A model fitted on some of FEATURES (e.g. before the margin existed) still scores."""
    path = tmp_path / "m.json"
    params = {
        "features": ["tfidf", "cos"],
        "mean": [0.0, 0.0],
        "scale": [1.0, 1.0],
        "coef": [0.0, 2.0],
        "intercept": -1.0,
        "threshold": 0.5,
        "related_threshold": 0.3,
        "pair_threshold": 0.5,
    }
    path.write_text(json.dumps(params))
    s = PairModelScorer(path)
    row = np.zeros(len(FEATURES))
    row[FEATURES.index("cos")], row[FEATURES.index("tfidf")] = 0.75, 9.0
    assert s.predict(row) == pytest.approx(1 / (1 + np.exp(-(2 * 0.75 - 1))))


def test_get_scorer():
    from divergence.judge import JudgeScorer

    assert isinstance(get_scorer(None), JudgeScorer)
    assert isinstance(get_scorer("judge"), JudgeScorer)
    assert isinstance(get_scorer("lr"), PairModelScorer)
    assert isinstance(get_scorer("cos"), CosineScorer)
    assert isinstance(get_scorer("tfidf"), TfidfScorer)
    with pytest.raises(UsageError):
        get_scorer("nope")


def test_tfidf_scorer_ignores_embeddings():
    s = TfidfScorer().score(["red cats", "red cats", "blue dogs"], np.zeros((3, 5)))
    assert s[0, 1] == pytest.approx(1.0) and s[0, 2] == 0.0


@pytest.mark.model
def test_real_model_orders_paraphrase_related_unrelated():
    from divergence.embed import SentenceTransformerEmbedder

    texts = [
        "Biden spoke with Putin on Tuesday.",
        "President Biden talked to Vladimir Putin by phone on Tuesday.",
        "Biden spoke with Stoltenberg on Tuesday.",
        "More protests are planned for the coming weekend.",
        "For the coming weekend, more protests are planned.",
    ]
    s = PairModelScorer()
    p = s.score(texts, SentenceTransformerEmbedder().encode(texts))
    assert p[3, 4] > s.pair_threshold  # a reordering paraphrase is "the same claim"
    assert p[0, 1] > p[0, 2]  # same call, other wording > same wording, other person
    assert p[0, 3] < s.related_threshold  # unrelated topics stay out of the related band


# -- margin (hubness correction) ------------------------------------------------------------------
def _hub_example():
    """e1..e4 on axes 0-3, a hub h close to all four (cos 0.5 each), and a specific pair x, y
    (cos 0.5 too) on axes 4-5 that nothing else resembles."""
    emb = np.zeros((7, 6))
    emb[:4, :4] = np.eye(4)
    emb[4, :4] = 0.5  # h
    emb[5, 4] = 1.0  # x
    emb[6, 4:] = (0.5, np.sqrt(0.75))  # y
    return ["e1", "e2", "e3", "e4", "hub", "x", "y"], emb


def test_neighbour_means_by_hand():
    emb = np.array([[1, 0], [0.8, 0.6], [0, 1.0]])
    assert neighbour_means(emb, k=1).tolist() == pytest.approx([0.8, 0.8, 0.6])
    assert neighbour_means(emb, k=2).tolist() == pytest.approx([0.4, 0.7, 0.3])
    # fewer neighbours than k: the mean of those there are; a lone text has none
    assert neighbour_means(emb, k=10).tolist() == pytest.approx([0.4, 0.7, 0.3])
    assert neighbour_means(emb[:1]).tolist() == [0.0]
    assert neighbour_means(np.zeros((0, 2))).shape == (0,)


def test_neighbour_means_blocks_and_row_order_do_not_matter():
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(37, 8))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    whole = neighbour_means(emb)
    assert np.allclose(neighbour_means(emb, block=5), whole)
    perm = rng.permutation(37)
    assert np.allclose(neighbour_means(emb[perm]), whole[perm])
    assert np.array_equal(neighbour_means(emb), whole)  # deterministic


def test_margin_formula():
    assert margin(np.array([0.8]), np.array([0.8]), np.array([0.4])) == pytest.approx([0.2])
    # broadcast: a row of hubs against a column
    assert margin(np.ones((2, 3)), np.zeros((2, 1)), np.zeros((1, 3))).shape == (2, 3)


def test_hub_gets_a_lower_margin_than_a_specific_match_with_the_same_cosine():
    texts, emb = _hub_example()
    m = matrix_features(texts, emb)
    cos, mar = FEATURES.index("cos"), FEATURES.index("margin")
    hub_e1, x_y = m[4, 0], m[5, 6]
    assert hub_e1[cos] == pytest.approx(x_y[cos]) == pytest.approx(0.5)
    # k = 2: r(hub) = 0.5, r(e1) = (0.5 + 0) / 2, r(x) = r(y) = (0.5 + 0) / 2
    assert MARGIN_K == 2
    assert hub_e1[mar] == pytest.approx(0.5 - (0.5 + 0.25) / 2)
    assert x_y[mar] == pytest.approx(0.5 - 0.25)
    assert hub_e1[mar] < x_y[mar]


def test_margin_in_pair_features_uses_the_given_neighbourhood():
    texts, emb = _hub_example()
    m = matrix_features(texts, emb)
    k = FEATURES.index("margin")
    r = neighbour_means(emb)
    # pairs scored against the whole set's neighbourhood match the matrix
    p = pair_features(
        ["hub", "x"],
        ["e1", "y"],
        emb[[4, 5]],
        emb[[0, 6]],
        fit_texts=texts,
        hubs=(r[[4, 5]], r[[0, 6]]),
    )
    assert p[:, k] == pytest.approx([m[4, 0, k], m[5, 6, k]])
    # without hubs, the neighbourhood is the pairs' own distinct texts: 4 here
    q = pair_features(["hub", "x"], ["e1", "y"], emb[[4, 5]], emb[[0, 6]])
    r4 = neighbour_means(emb[[4, 5, 0, 6]])
    assert q[:, k] == pytest.approx(margin(p[:, 0], r4[:2], r4[2:]))


def test_matrix_features_permutation_equivariant_with_margin():
    texts, emb = _hub_example()
    perm = [3, 6, 0, 5, 1, 4, 2]
    m = matrix_features(texts, emb)
    mp = matrix_features([texts[i] for i in perm], emb[perm])
    assert np.allclose(mp, m[np.ix_(perm, perm)])
    assert m.shape == (7, 7, len(FEATURES))


def test_feature_blocks_without_margin_leave_it_nan_and_the_rest_equal():
    from divergence.features import feature_blocks

    texts, emb = _hub_example()
    with_m = np.concatenate([b for _r, b in feature_blocks(texts, emb)])
    without = np.concatenate([b for _r, b in feature_blocks(texts, emb, with_margin=False)])
    k = FEATURES.index("margin")
    assert np.isnan(without[..., k]).all() and not np.isnan(with_m).any()
    rest = [i for i in range(len(FEATURES)) if i != k]
    assert np.array_equal(with_m[..., rest], without[..., rest])


def test_a_margin_model_scores_symmetric_and_permutation_equivariant(tmp_path):
    path = tmp_path / "m.json"
    params = {
        "features": ["cos", "margin"],
        "mean": [0.5, 0.0],
        "scale": [0.2, 0.2],
        "coef": [1.0, 2.0],
        "intercept": 0.0,
        "threshold": 0.5,
        "related_threshold": 0.3,
        "pair_threshold": 0.5,
    }
    path.write_text(json.dumps(params))
    s = PairModelScorer(path)
    texts, emb = _hub_example()
    p = s.score(texts, emb)
    assert np.allclose(p, p.T) and np.allclose(np.diag(p), 1)
    perm = [3, 6, 0, 5, 1, 4, 2]
    q = s.score([texts[i] for i in perm], emb[perm])
    assert np.allclose(q, p[np.ix_(perm, perm)], atol=1e-6)
    # same cosine 0.5, but the hub's match scores lower than the specific pair's
    assert p[4, 0] < p[5, 6]
