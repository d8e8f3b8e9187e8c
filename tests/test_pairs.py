import json
import os
from pathlib import Path

import numpy as np
import pytest

from divergence.errors import UsageError
from divergence.features import (
    FEATURES,
    content_words,
    dates,
    matrix_features,
    names,
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
    assert params["features"] == list(FEATURES)
    for key in ("mean", "scale", "coef"):
        assert len(params[key]) == len(FEATURES)
    assert 0 < params["related_threshold"] < params["threshold"] < 1
    assert params["training"]["script"] == "scripts/train_pair_model.py"
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
    x = np.array(s.params["mean"], dtype=float)  # standardised to 0: logit = intercept
    assert s.predict(x) == pytest.approx(1 / (1 + np.exp(-s.params["intercept"])))


def test_bad_model_file(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"features": ["cos"]}))
    with pytest.raises(UsageError):
        PairModelScorer(bad).score(["a"], np.ones((1, 1)))
    with pytest.raises(UsageError):
        _ = PairModelScorer(tmp_path / "missing.json").default_threshold


def test_get_scorer():
    assert isinstance(get_scorer(None), PairModelScorer)
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
