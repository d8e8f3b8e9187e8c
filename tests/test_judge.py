"""The shared-fact judge (divergence.judge), token match (divergence.tokens), presence
(divergence.presence) and the judge's training script on a few fixture pairs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from divergence import compare
from divergence.embed import HashingEmbedder
from divergence.judge import JUDGE_PATH, JudgeScorer, fit_judge
from divergence.presence import find_presence, missing_words
from divergence.tokens import TokenMemo, content_mask, token_match

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def test_token_match_is_asymmetric_share_of_tokens_found():
    e = np.eye(4, dtype=np.float32)
    long_ = e[:3]  # three "facts"
    short = e[1:2]  # one of them
    m = token_match([long_, short, e[3:4]])
    assert m[1, 0] == pytest.approx(1.0)  # all of the short one is in the long one
    assert m[0, 1] == pytest.approx(1 / 3)  # a third of the long one is in the short one
    assert m[0, 2] == pytest.approx(0.0) and m[2, 2] == pytest.approx(1.0)


def test_token_match_blocks_give_the_same_numbers(monkeypatch):
    rng = np.random.default_rng(0)
    toks = [rng.normal(size=(rng.integers(1, 9), 8)).astype(np.float32) for _ in range(30)]
    toks = [t / np.linalg.norm(t, axis=1, keepdims=True) for t in toks]
    whole = token_match(toks)
    import divergence.tokens as tk

    monkeypatch.setattr(tk, "_BLOCK_TOKENS", 5)
    assert np.allclose(tk.token_match(toks), whole, atol=1e-6)
    direct = np.array([[np.mean((a @ b.T).max(axis=1)) for b in toks] for a in toks])
    assert np.allclose(whole, np.clip(direct, -1, 1), atol=1e-5)


def test_content_mask_and_memo():
    assert content_mask(["[CLS]", "the", "[SEP]"]).tolist() == [False, True, False]
    memo = TokenMemo(limit=2)
    memo.put("a", np.ones((2, 3)), np.ones(3))
    assert np.allclose(np.linalg.norm(memo.get("a"), axis=1), 1.0, atol=1e-3)


def test_judge_scores_are_symmetric_probabilities():
    texts = [
        "The bridge collapsed on Tuesday, killing nine people.",
        "Nine people died when the bridge fell on Tuesday.",
        "The mayor will hold a press conference on Friday.",
        "Shares of the builder fell 12% in early trading.",
    ]
    emb = HashingEmbedder().encode(texts)
    s = JudgeScorer().bind(HashingEmbedder())
    p = s.score(texts, emb, sources=["a", "b", "b", "a"])
    assert p.shape == (4, 4) and np.allclose(p, p.T)
    assert ((p >= 0) & (p <= 1)).all() and np.allclose(np.diag(p), 1.0)
    assert p[0, 1] > p[0, 2]


def test_shipped_judge_records_its_training():
    params = json.loads(JUDGE_PATH.read_text(encoding="utf-8"))
    assert len(params["coef"]) == len(params["features"]) == len(params["mean"])
    sys.path.insert(0, str(ROOT))
    from experiments.clusters import DEV

    assert set(params["training"]["data"]) == set(DEV)
    for cluster, sha in params["training"]["data"].items():
        import hashlib

        assert hashlib.sha256((FIXTURES / f"{cluster}.gold.json").read_bytes()).hexdigest() == sha
    assert 0 < params["threshold"] < 1
    presence = params["presence"]  # {} when the dev clusters chose no presence stage
    assert not presence or presence["partial"] <= presence["present"]
    assert set(params["training"]["loco"]) == set(params["training"]["data"])


def test_a_second_stage_favours_claims_at_the_same_depth_of_their_articles():
    """A judge file's ``stack`` block rescores every pair from the first stage's log-odds and
    how far apart the two claims sit in their articles: of two equally similar claims of B, the
    one at A's claim's depth scores higher; the scores stay symmetric probabilities, and the
    signature changes with the block (so no cache serves the other's scores)."""
    from divergence.errors import UsageError
    from divergence.judge import ADAPTED_JUDGE_PATH

    texts = [
        "Nine people died when the bridge fell.",
        "The mayor spoke on Friday.",
        "The bridge gave way and nine were killed, police said.",
        "The mayor spoke on Friday.",
        "The bridge gave way and nine were killed, police said.",
    ]
    sources = ["a", "a", "b", "b", "b"]
    emb = HashingEmbedder().encode(texts)
    params = json.loads(ADAPTED_JUDGE_PATH.read_text(encoding="utf-8"))
    one = {k: v for k, v in params.items() if k != "stack"}  # the first stage alone
    stack = {
        "features": ["z", "dpos"],
        "mean": [0.0, 0.3],
        "scale": [1.0, 0.3],
        "coef": [1.5, -0.3],
        "intercept": 0.0,
    }
    first = JudgeScorer(params=one).bind(HashingEmbedder())
    second = JudgeScorer(params=one | {"stack": stack}).bind(HashingEmbedder())
    p = first.score(texts, emb, sources=sources)
    q = second.score(texts, emb, sources=sources)
    assert np.isclose(p[0, 2], p[0, 4])  # the same text at the top and at the end of b
    assert q[0, 2] > q[0, 4]  # the one at a's top claim's depth wins
    assert np.allclose(q, q.T) and np.allclose(np.diag(q), 1.0) and ((q >= 0) & (q <= 1)).all()
    assert first.signature != second.signature
    bad = JudgeScorer(params=one | {"stack": stack | {"features": ["z", "nb_max"]}})
    with pytest.raises(UsageError, match="nb_max"):
        bad.bind(HashingEmbedder()).score(texts, emb, sources=sources)


def test_the_judge_files_unit_is_the_default_unit_and_an_explicit_unit_wins():
    """A judge fitted on clause claims makes clauses the default unit; ``unit=`` overrides it;
    the shipped files say which unit each was fitted on."""
    from divergence import Comparer
    from divergence.judge import ADAPTED_JUDGE_PATH

    adapted = json.loads(ADAPTED_JUDGE_PATH.read_text(encoding="utf-8"))
    assert adapted["unit"] == adapted["training"]["unit"] == "clause"
    assert json.loads(JUDGE_PATH.read_text(encoding="utf-8")).get("unit", "sentence") == "sentence"
    clause_judge = JudgeScorer(params=adapted)
    assert Comparer(embedder="hashing", scorer=clause_judge).unit == "clause"
    assert Comparer(embedder="hashing", scorer=clause_judge, unit="sentence").unit == "sentence"
    assert Comparer(embedder="hashing").unit == "sentence"  # the base judge's file
    assert Comparer(embedder="hashing", scorer="lr").unit == "sentence"


def test_presence_adds_best_sentence_marks_partial_and_leaves_absent():
    sim = np.array(
        [
            [1, 0.9, 0.7, 0.5, 0.1],
            [0.9, 1, 0.6, 0.2, 0.1],
            [0.7, 0.6, 1, 0.1, 0.1],
            [0.5, 0.2, 0.1, 1, 0.1],
            [0.1, 0.1, 0.1, 0.1, 1],
        ]
    )
    owners = ["a", "b", "c", "c", "d"]
    groups, partial = find_presence([[0, 1], [2, 3], [4]], sim, owners, present=0.65, partial=0.4)
    assert groups[0] == [0, 1, 2]  # c's best sentence (0.7) joins
    assert partial[0] == {}  # d scores 0.1: absent
    assert 0 in groups[1] and partial[2] == {}


def test_missing_words_keeps_numbers():
    assert missing_words("Nine people died on Tuesday.", "People died.") == ["nine", "tuesday"]


def test_partial_sources_get_no_omission_finding():
    c = compare(
        [
            "Bridge\nThe bridge collapsed on Tuesday evening, killing nine people.\nThe mayor spoke.",
            "Collapse\nThe bridge collapsed on Tuesday evening.\nThe mayor spoke.",
            "Other\nThe bridge collapsed on Tuesday evening, killing nine people.\nRain fell.",
        ],
        embedder="hashing",
        attribution=None,
        check_event=False,
    )
    for g in c.groups:
        for s in g.partial:
            assert s not in g.missing_from and s not in g.sources
            assert not [f for f in c.omissions(s) if f.group == g.id]


def test_fit_judge_on_fixture_pairs_few_rows_ranks_above_chance():
    """A tiny training run of the judge's fitting path (the script's own functions) on
    hashing-embedded fixture pairs: it runs and ranks its training pairs above chance."""
    sys.path.insert(0, str(ROOT))
    from divergence.judge import pair_table
    from experiments.judge_data import cluster_claims
    from experiments.judge_loco import FEATURES

    comp, facts = cluster_claims("bridge-collapse")
    claims = list(comp.claims)[:60]
    texts = [c.text for c in claims]
    emb = HashingEmbedder()
    sent, toks = emb.encode(texts), emb.encode_tokens(texts)
    src = [c.source for c in claims]
    ii, jj = np.triu_indices(len(claims), 1)
    keep = np.array(src)[ii] != np.array(src)[jj]
    ii, jj = ii[keep], jj[keep]
    y = np.array(
        [bool(facts[claims[i].id] & facts[claims[j].id]) for i, j in zip(ii, jj, strict=True)]
    )
    X, names = pair_table(texts, sent, toks, src, ii, jj)
    model = fit_judge(X, y, names, features=FEATURES)
    from sklearn.metrics import roc_auc_score

    assert y.sum() > 3 and roc_auc_score(y, model.predict(X)) > 0.7


@pytest.mark.model
def test_real_judge_end_to_end_on_a_dev_cluster():
    """The default judge with the real packaged model on a dev fixture (fitted on it: this checks
    the wiring, not held-out quality; the held-out figures are in docs/judge.md)."""
    from divergence.evaluate import evaluate_gold

    m = evaluate_gold(
        FIXTURES / "wildfire-evacuation.gold.json",
        FIXTURES / "wildfire-evacuation",
        attribution=None,
    )
    assert m["alignment"]["f1"] > 0.4 and m["omission"]["macro_f1"] > 0.7


def test_reports_show_partly_carried_claims_with_the_missing_words():
    from divergence.judge import JudgeScorer
    from divergence.report import render

    scorer = JudgeScorer()
    params = dict(scorer.params)
    params["presence"] = {"present": 0.99, "partial": 0.0}  # everything partial, for the test
    c = compare(
        [
            "A\nThe bridge collapsed on Tuesday evening, killing nine people.\nThe mayor spoke.",
            "B\nThe bridge collapsed on Tuesday evening, killing nine people.\nRain fell.",
            "C\nThe mayor said the city would rebuild.\nRain fell today.",
        ],
        embedder="hashing",
        attribution=None,
        check_event=False,
        scorer=JudgeScorer(params=params),
    )
    partly = c.partly("s3")
    assert partly and all(isinstance(p["missing"], list) for _, p in partly)
    g, p = partly[0]
    assert g.id in render(c, "text", width=200) and "Partly carries" in render(c, "text")
    md = render(c, "markdown")
    assert "### Partly carries" in md
    assert all(f"**{w}**" in md for w in p["missing"][:1])
    assert "partly carried" in render(c, "html")
    assert c.to_dict()["groups"][[x.id for x in c.groups].index(g.id)]["partial"]["s3"]


def test_partial_validates_against_the_schema():
    import jsonschema

    from divergence.judge import JudgeScorer

    schema = json.loads((ROOT / "divergence" / "data" / "comparison.schema.json").read_text())
    params = dict(JudgeScorer().params)
    params["presence"] = {"present": 0.99, "partial": 0.0}
    c = compare(
        [
            "A\nThe bridge collapsed on Tuesday, killing nine.\nThe mayor spoke.",
            "B\nThe bridge collapsed on Tuesday, killing nine.\nRain fell.",
        ],
        embedder="hashing",
        scorer=JudgeScorer(params=params),
        check_event=False,
    )
    data = json.loads(c.to_json())
    jsonschema.validate(data, schema)
    assert any("partial" in g for g in data["groups"])


class _PlainEmbedder:
    """A user's embedder with sentence vectors only."""

    name = "plain"

    def encode(self, texts):
        return HashingEmbedder().encode(texts)


def test_embedder_without_token_vectors_falls_back_to_the_pair_model():
    c = compare(
        ["A\nThe bridge collapsed on Tuesday.", "B\nThe bridge fell on Tuesday."],
        embedder=_PlainEmbedder(),
        attribution=None,
        check_event=False,
    )
    assert "pair:lr-" in c.signature


def test_asking_for_the_judge_without_token_vectors_is_a_usage_error():
    from divergence.errors import UsageError

    with pytest.raises(UsageError, match="token vectors"):
        compare(
            ["A\nThe bridge collapsed on Tuesday.", "B\nThe bridge fell on Tuesday."],
            embedder=_PlainEmbedder(),
            scorer="judge",
            attribution=None,
            check_event=False,
        )


class _CountingHashing(HashingEmbedder):
    def __init__(self):
        super().__init__()
        self.calls = {"encode": 0, "tokens": 0}
        self.token_memo = True  # stands for "keeps tokens of its own pass" (cache stores them)

    def encode(self, texts):
        self.calls["encode"] += 1
        return super().encode(texts)

    def encode_tokens(self, texts):
        self.calls["tokens"] += 1
        return super().encode_tokens(texts)


def test_cache_keeps_token_vectors_so_a_rerun_runs_no_model(tmp_path):
    from divergence.cache import CachedEmbedder, EmbeddingCache

    docs = [
        "A\nThe bridge collapsed on Tuesday, killing nine people.\nThe mayor spoke.",
        "B\nNine people died when the bridge fell on Tuesday.\nRain fell.",
    ]
    first_inner = _CountingHashing()
    first = compare(
        docs,
        embedder=CachedEmbedder(first_inner, tmp_path / "c.sqlite"),
        attribution=None,
        check_event=False,
    )
    assert first_inner.calls["encode"] >= 1
    again_inner = _CountingHashing()
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    again = compare(
        docs,
        embedder=CachedEmbedder(again_inner, cache),
        threshold=0.3,
        attribution=None,
        check_event=False,
    )
    assert again_inner.calls == {"encode": 0, "tokens": 0}  # vectors and tokens from the cache
    assert again.claims == first.claims
    n_texts = len({c.text for c in first.claims})
    assert cache.count() == n_texts  # token rows are not counted as embeddings


@pytest.mark.model
def test_adapter_training_runs_a_few_steps_and_loads_back(tmp_path):
    """A tiny run of experiments/train_adapter.py (three steps on one fixture cluster) so the
    script cannot rot: it writes a peft adapter and its manifest, the adapter loads onto the
    packaged weights through the embedder, and the merged model's vectors differ from the base."""
    sys.path.insert(0, str(ROOT))
    from divergence.embed import SentenceTransformerEmbedder
    from experiments.train_adapter import train

    out = tmp_path / "adapter"
    manifest = train(["bridge-collapse"], out, epochs=1, batch_size=8, max_steps=3)
    assert manifest["steps"] == 3 and manifest["triplets"] > 50
    assert (out / "adapter_config.json").is_file() and (out / "adapter_model.safetensors").is_file()
    assert (out / "adapter_model.safetensors").stat().st_size < 10_000_000
    text = ["The bridge collapsed on Tuesday morning."]
    adapted = SentenceTransformerEmbedder(adapter=out)
    base = SentenceTransformerEmbedder(adapter=None)
    assert adapted.name.endswith("+adapter") and adapted.revision != base.revision
    a, b = adapted.encode(text), base.encode(text)
    assert a.shape == b.shape and 0.5 < float(a[0] @ b[0]) < 0.999999


@pytest.mark.model
def test_full_fine_tune_compresses_into_an_adapter_that_loads(tmp_path):
    """The rejected variant of docs/judge.md (a full fine-tune, its weight delta compressed by
    truncated SVD into a LoRA adapter) stays runnable: two steps, rank 4, loaded back through
    the embedder's adapter path, whose vectors differ from the base's."""
    sys.path.insert(0, str(ROOT))
    from divergence.embed import SentenceTransformerEmbedder
    from experiments.train_adapter import svd_adapter, train

    full = tmp_path / "full"
    train(["bridge-collapse"], full, epochs=1, lr=2e-5, batch_size=8, max_steps=2, full=True)
    out = tmp_path / "svd"
    svd_adapter(full, out, rank=4)
    assert (out / "adapter_model.safetensors").stat().st_size < 10_000_000
    text = ["The bridge collapsed on Tuesday morning."]
    a = SentenceTransformerEmbedder(adapter=out).encode(text)
    b = SentenceTransformerEmbedder(adapter=None).encode(text)
    assert 0.5 < float(a[0] @ b[0]) < 0.999999


@pytest.mark.model
def test_a_seed_soup_of_two_adapters_equals_their_mean_weights(tmp_path):
    """The rejected seed soup of docs/judge.md stays runnable: two one-step adapters of two
    seeds, joined along the rank, load through the embedder's adapter path and give the vectors
    of the base model carrying the mean of the two merged weights."""
    sys.path.insert(0, str(ROOT))
    from divergence.embed import SentenceTransformerEmbedder
    from experiments.soup_adapters import check, soup
    from experiments.train_adapter import train

    folders = []
    for seed in (13, 14):
        folders.append(tmp_path / f"s{seed}")
        train(
            ["bridge-collapse"],
            folders[-1],
            epochs=1,
            lr=1e-2,
            batch_size=8,
            max_steps=2,
            seed=seed,
        )
    info = soup(folders, tmp_path / "soup")
    assert info["r"] == 32 and info["bytes"] < 10_000_000
    text = ["The bridge collapsed on Tuesday morning."]
    assert check(folders, tmp_path / "soup", text) > 0.9999
    # the two inputs moved apart, so the soup is neither of them
    a, b, s = (
        SentenceTransformerEmbedder(adapter=f).encode(text)[0]
        for f in (*folders, tmp_path / "soup")
    )
    assert float(a @ s) / (np.linalg.norm(a) * np.linalg.norm(s)) < 0.99999
    assert float(b @ s) / (np.linalg.norm(b) * np.linalg.norm(s)) < 0.99999


def test_the_judge_file_follows_the_embedders_vectors(tmp_path):
    """The adapted default model's vectors get the judge fitted on adapted vectors; the base
    weights (the ONNX path, ``all-MiniLM-L6-v2:base``), custom models and caches around them get
    the base judge."""
    from divergence.cache import CachedEmbedder
    from divergence.embed import ADAPTER_PATH, BASE_MODEL, SentenceTransformerEmbedder
    from divergence.judge import ADAPTED_JUDGE_PATH, judge_path_for

    base = SentenceTransformerEmbedder(BASE_MODEL)
    assert base.adapter is None and base.name == "all-MiniLM-L6-v2"
    assert judge_path_for(base) == JUDGE_PATH
    assert judge_path_for(HashingEmbedder()) == JUDGE_PATH
    assert judge_path_for(SentenceTransformerEmbedder("some/other-model")) == JUDGE_PATH
    default = SentenceTransformerEmbedder()  # the adapter ships with the package
    assert default.adapter == ADAPTER_PATH and default.name == "all-MiniLM-L6-v2+facts-lora"
    assert judge_path_for(default) == ADAPTED_JUDGE_PATH
    assert JudgeScorer().bind(default).path == ADAPTED_JUDGE_PATH
    assert JudgeScorer().bind(CachedEmbedder(default, tmp_path)).path == ADAPTED_JUDGE_PATH
    other = SentenceTransformerEmbedder(adapter=tmp_path / "my-adapter")
    assert other.name == "all-MiniLM-L6-v2+my-adapter" and judge_path_for(other) == JUDGE_PATH
    explicit = JudgeScorer(JUDGE_PATH).bind(default)
    assert explicit.path == JUDGE_PATH  # a judge file given by the caller is kept


def test_the_shipped_adapter_is_small_and_names_the_data_it_was_trained_on():
    """The adapter folder is under the 10 MB budget, its config names no local path, and its
    manifest (and the adapted judge's) hold the SHA-256 of the dev gold files as they are now."""
    import hashlib

    from divergence.embed import ADAPTER_PATH
    from divergence.judge import ADAPTED_JUDGE_PATH

    assert sum(p.stat().st_size for p in ADAPTER_PATH.iterdir()) < 10_000_000
    config = json.loads((ADAPTER_PATH / "adapter_config.json").read_text(encoding="utf-8"))
    assert config["peft_type"] == "LORA" and "/" not in config["base_model_name_or_path"]
    manifest = json.loads((ADAPTER_PATH / "training.json").read_text(encoding="utf-8"))
    judge = json.loads(ADAPTED_JUDGE_PATH.read_text(encoding="utf-8"))["training"]
    assert len(manifest["gold_sha256"]) == 6
    for hashes in (manifest["gold_sha256"], judge["data"]):
        for cluster, digest in hashes.items():
            gold = ROOT / "fixtures" / f"{cluster}.gold.json"
            assert hashlib.sha256(gold.read_bytes()).hexdigest() == digest, cluster
    assert "adapter" in judge["vectors"]


@pytest.mark.model
def test_default_compare_runs_the_adapter_and_its_judge_end_to_end():
    """The real packaged model with the shipped adapter merged, and the judge fitted on its
    vectors, on a fixture cluster: the signature names both and the clause unit that judge was
    fitted on, and the adapted vectors differ from the base weights' on the same claims."""
    from divergence import Comparer
    from divergence.embed import BASE_MODEL

    adapted = Comparer().compare([ROOT / "fixtures" / "bridge-collapse"])
    assert Comparer(embedder=BASE_MODEL).unit == "sentence"  # the base judge's unit
    base = Comparer(embedder=BASE_MODEL, unit="clause").compare(
        [ROOT / "fixtures" / "bridge-collapse"]
    )
    assert "emb:all-MiniLM-L6-v2+facts-lora" in adapted.signature
    assert "|unit:clause-" in adapted.signature and adapted.settings["unit"] == "clause"
    assert "emb:all-MiniLM-L6-v2|" in base.signature
    assert adapted.signature.split("|pair:")[1][:14] != base.signature.split("|pair:")[1][:14]
    assert [c.text for c in adapted.claims] == [c.text for c in base.claims]
    assert len(adapted.groups) > 10 and len(adapted.findings) > 0


def test_presence_reads_a_fact_split_over_two_neighbouring_sentences():
    """Source c states group 0's claim over its sentences 2 and 3, neither alone enough: with
    the pairs' scores the better of the two joins the group; without them c omits it. A pair
    scoring under the source's best single sentence changes nothing."""
    sim = np.array(
        [
            [1.0, 0.9, 0.4, 0.3, 0.0],
            [0.9, 1.0, 0.3, 0.35, 0.0],
            [0.4, 0.3, 1.0, 0.0, 0.0],
            [0.3, 0.35, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 1.0],
        ]
    )
    owners = ["a", "b", "c", "c", "d"]
    pairs = [(2, 3)]
    scores = np.array([[0.85], [0.8], [1.0], [1.0], [0.0]])
    kw = dict(present=0.7, partial=0.5)
    alone, _ = find_presence([[0, 1], [4]], sim, owners, **kw)
    assert alone[0] == [0, 1]
    joined, part = find_presence([[0, 1], [4]], sim, owners, adjacent=(pairs, scores), **kw)
    assert joined[0] == [0, 1, 2] and joined[1] == [4] and part == [{}, {}]
    weak = np.array([[0.6], [0.6], [1.0], [1.0], [0.0]])
    _, part = find_presence([[0, 1]], sim, owners, adjacent=(pairs, weak), **kw)
    assert part == [{"c": (2, 0.6)}]  # partly carried, through the pair
    low = np.array([[0.2], [0.2], [1.0], [1.0], [0.0]])
    assert find_presence([[0, 1]], sim, owners, adjacent=(pairs, low), **kw) == (
        [[0, 1]],
        [{}],
    )


def test_score_adjacent_scores_every_claim_against_each_neighbouring_pair():
    texts = [
        "The bridge fell on Tuesday.",
        "Nine people died.",
        "Nine people died when the bridge fell on Tuesday.",
        "Officials gave no cause.",
    ]
    sources = ["b", "b", "a", "a"]
    emb = HashingEmbedder().encode(texts)
    s = JudgeScorer().bind(HashingEmbedder())
    pairs, scores = s.score_adjacent(texts, emb, sources)
    assert pairs == [(0, 1), (2, 3)] and scores.shape == (4, 2)
    single = s.score(texts, emb, sources=sources)
    # the sentence stating both facts matches b's two sentences read together better than
    # either one alone
    assert scores[2, 0] > max(single[2, 0], single[2, 1])
    assert s.score_adjacent(texts[:1], emb[:1], sources[:1]) is None


def test_a_judge_file_can_switch_neighbouring_pairs_on_in_the_pipeline(tmp_path):
    """``"adjacent": true`` in the judge's presence block reaches the presence stage: the
    signature says so and the comparison runs end to end (hashing vectors, no model)."""
    from divergence import Comparer

    params = json.loads(JUDGE_PATH.read_text(encoding="utf-8"))
    params["presence"] = {"present": 0.5, "partial": 0.3, "adjacent": True}
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(
        "Bridge falls in Tarrenford\n\nThe Halvering Bridge fell on Tuesday. Nine people died. "
        "Officials gave no cause.\n",
        encoding="utf-8",
    )
    b.write_text(
        "Nine dead in bridge fall\n\nNine people died when the Halvering Bridge fell on "
        "Tuesday. Divers searched the river.\n",
        encoding="utf-8",
    )
    c = Comparer(embedder="hashing", scorer=JudgeScorer(params=params), check_event=False).compare(
        [a, b]
    )
    assert "presence:0.5/0.3,adj" in c.signature
    plain = dict(params, presence={"present": 0.5, "partial": 0.3})
    c2 = Comparer(embedder="hashing", scorer=JudgeScorer(params=plain), check_event=False).compare(
        [a, b]
    )
    assert "presence:0.5/0.3|" in c2.signature and c2.claims == c.claims


def test_only_the_judge_gets_the_adapter_by_default():
    """The adapter's vectors go with the judge fitted on them; the pair model and the cosine
    scorers, fitted or calibrated on the packaged weights, get those unless a model is named."""
    from divergence import Comparer
    from divergence.embed import ADAPTER_PATH, BASE_MODEL

    assert Comparer().embedder.adapter == ADAPTER_PATH
    assert Comparer(scorer="judge").embedder.adapter == ADAPTER_PATH
    for scorer in ("lr", "cos", "tfidf"):
        assert Comparer(scorer=scorer).embedder.adapter is None, scorer
    assert Comparer(model=BASE_MODEL).embedder.adapter is None
    assert Comparer(scorer="lr", model="all-MiniLM-L6-v2").embedder.adapter == ADAPTER_PATH


@pytest.mark.model
def test_loading_the_shipped_adapter_warns_nothing():
    """Research code calling divergence.compare() should not see peft's deprecation chatter."""
    import warnings

    from sentence_transformers import SentenceTransformer

    from divergence.embed import ADAPTER_PATH, apply_adapter, packaged_model_path

    model = SentenceTransformer(packaged_model_path(), device="cpu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        apply_adapter(model, ADAPTER_PATH)


def test_candidate_mask_keeps_pairs_within_either_sides_best():
    """judge_loco.candidate_mask: a pair is kept when either claim is among the other's ``m``
    best claims (by cosine) of its source."""
    sys.path.insert(0, str(ROOT))
    from experiments.judge_loco import candidate_mask

    # a0 ranks b0, b1, b2; a1 ranks b1, b2, b0; b0 and b1 rank a0 first, b2 ranks a1 first
    sent = np.array([[1, 0, 0], [0, 1, 0], [1, 0.1, 0], [0.8, 0.6, 0], [0, 0.3, 1]])
    sent = sent / np.linalg.norm(sent, axis=1, keepdims=True)
    d = {"sent": sent, "sources": ["a", "a", "b", "b", "b"]}
    ii, jj = np.array([0, 0, 0, 1, 1, 1]), np.array([2, 3, 4, 2, 3, 4])
    # (a0, b2) and (a1, b0): neither is the other's best
    assert candidate_mask(d, ii, jj, 1).tolist() == [True, True, False, False, True, True]
    # with two sources of two and three claims, every pair is within some side's best two
    assert candidate_mask(d, ii, jj, 2).all()


def test_omission_error_counts_agree_with_the_eval_metric():
    """experiments/omission_errors.py sorts exactly the decisions ``divergence eval``'s omission
    figures count: its right/false counts give the same precision and recall."""
    sys.path.insert(0, str(ROOT))
    from divergence.evaluate import load_gold, score_comparison
    from experiments.judge_data import cluster_claims
    from experiments.omission_errors import sort_decisions

    comp, _ = cluster_claims("bridge-collapse")
    gold = load_gold(ROOT / "fixtures" / "bridge-collapse.gold.json")
    n = len(comp.claims)
    counts = sort_decisions(comp, gold, np.zeros((n, n)), 0.5)
    om = score_comparison(comp, gold)["omission"]
    tp, fp, fn = counts["right_omission"], counts["false_omission"], counts["false_present"]
    assert tp and fp and fn
    assert om["precision"] == pytest.approx(tp / (tp + fp), abs=1e-4)
    assert om["recall"] == pytest.approx(tp / (tp + fn), abs=1e-4)
    parts = ("partial", "wrong", "no_fact")
    assert sum(counts[f"false_present_{k}"] for k in parts) == fn
    assert sum(counts[f"false_present_{k}_via_group"] for k in parts) == fn  # all scores 0
    bands = ("ge_thr", "half", "quarter", "low", "no_claim")
    assert sum(counts[f"false_omission_{b}"] for b in bands) == fp


def test_training_triplets_take_the_closest_no_fact_sentences_as_hard_negatives():
    """experiments/train_adapter.py: each positive pair's hard negatives are the sentences of
    the positive's source closest to the anchor that share no fact with it, nearest first."""
    sys.path.insert(0, str(ROOT))
    from experiments.train_adapter import triplets

    data = {
        "cluster": "c",
        "texts": ["a0", "b0", "b1", "b2", "b3"],
        "sources": ["a", "b", "b", "b", "b"],
        "facts": [{"F1"}, {"F1"}, set(), {"F2"}, {"F1"}],
    }
    v = np.array([[1.0, 0.0], [0.9, 0.1], [0.5, 0.5], [0.8, 0.2], [0.0, 1.0]])
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    rows = [t for t in triplets(data, v, negatives=3) if t[0] == "a0"]
    assert [t[1] for t in rows] == ["b0", "b3"]
    assert rows[0][2:-1] == ("b2", "b1")  # b3 shares F1 with a0: never a negative
    assert rows[0][-1] == frozenset({"c:F1"})
    one = [t for t in triplets(data, v) if t[0] == "a0"]
    assert one[0][2:-1] == ("b2",)
