"""The fast forms of conflicts, topics, pair features and the pair model equal straightforward
references (kept here, not in the package) exactly, on varied inputs with repeated texts.

Each reference is the earlier, direct form of the code: a change that makes a fast form
disagree with it (one bit of one feature, one label, one finding) fails here.
"""

import json
import random
import re
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from divergence import features, topics
from divergence.conflicts import detect, quantity, rules
from divergence.features import FEATURES, FeatureIndex, pair_features
from divergence.pairs import PairModelScorer
from divergence.records import Claim, ClaimGroup, Topic

# sentences that trip every conflict rule, and wire-copy repeats of them
POOL = [
    "More than 3,700 people were arrested on Jan. 17 after the protest.",
    "Police arrested 1,400 people on Jan. 18 after the protest.",
    "About 200 protesters gathered in the square.",
    "Some 300,000 troops massed near the border.",
    "Tens of thousands of troops massed near the border.",
    "The minister did not sign the treaty on Tuesday.",
    "The minister signed the treaty on Tuesday.",
    "The Kremlin denied the poisoning of the opposition leader.",
    "The poisoning of the opposition leader, which he blames on the Kremlin, was confirmed.",
    "The alleged bribe was paid to the mayor of the city.",
    "The bribe was paid to the mayor of the city.",
    "The union agreed to the pay offer from the company.",
    "The union refused the pay offer from the company.",
    "Prices rose before the vote and fell after the vote in the market.",
    "Talks were held in Geneva.",
    "Someone often wrote about tension in the content.",
    "The five-year term was extended by two years.",
    "The five-year term was extended by three years.",
    "Reports of shelling near the plant were not confirmed by officials.",
    "Shelling near the plant was confirmed by officials.",
]


def _reference_find_conflicts(groups, claims, *, types=("number", "attribution", "contradiction")):
    """find_conflicts before the memo, the per-group skip set and the early stop."""
    findings, reported = [], set()
    for g in groups:
        if len(g.sources) < 2:
            continue
        members = sorted((claims[c] for c in g.claims), key=lambda c: (c.source, c.index))
        done: set[str] = set()
        for x, y in combinations(members, 2):
            if x.source == y.source:
                continue
            for ca, cb in ((x, y), (y, x)):
                f = detect._pair_conflict(g, ca, cb, types, done)  # memo None: no memo
                if f is not None:
                    done.add(f.detail["type"])
                    pair = (f.detail["type"], frozenset(f.detail["claims"]))
                    if pair not in reported:  # one finding per pair of claims and type
                        reported.add(pair)
                        findings.append(f)
    return findings


def _random_event(rng: random.Random, pool: list[str]):
    n_sources = rng.randint(2, 6)
    sources = [f"s{k}" for k in range(n_sources)]
    claims, by_source = {}, {s: [] for s in sources}
    for s in sources:
        for i in range(rng.randint(1, 8)):
            c = Claim(
                id=f"{s}:{i}",
                source=s,
                text=rng.choice(pool),
                start=0,
                end=1,
                index=i,
                position=0.0,
            )
            claims[c.id] = c
            by_source[s].append(c.id)
    ids = list(claims)
    groups = []
    for k in range(rng.randint(1, 10)):
        members = rng.sample(ids, rng.randint(1, min(len(ids), 12)))  # claims may repeat
        srcs = tuple(sorted({claims[c].source for c in members}))
        missing = tuple(s for s in sources if s not in srcs)
        groups.append(
            ClaimGroup(id=f"g{k}", claims=tuple(members), sources=srcs, missing_from=missing)
        )
    return groups, claims


@pytest.mark.parametrize("seed", range(60))
def test_find_conflicts_equals_the_direct_loop(seed):
    rng = random.Random(seed)
    pool = rng.sample(POOL, rng.randint(2, len(POOL)))
    groups, claims = _random_event(rng, pool)
    all_types = ("number", "attribution", "contradiction")
    types = all_types if seed % 3 else tuple(rng.sample(all_types, rng.randint(0, 3)))
    fast = detect.find_conflicts(groups, claims, types=types)
    assert fast == _reference_find_conflicts(groups, claims, types=types)
    if seed % 3:
        assert detect.find_conflicts(groups, claims) == _reference_find_conflicts(groups, claims)


def test_find_conflicts_fixture_has_findings_to_compare():
    """The random events above do produce findings of every type (so the equality is tested
    on something)."""
    kinds = set()
    for seed in range(60):
        groups, claims = _random_event(random.Random(seed), POOL)
        kinds |= {f.detail["type"] for f in detect.find_conflicts(groups, claims)}
    assert kinds == {"number", "attribution", "contradiction"}


_NUMBERISH = st.sampled_from(
    [
        "3,700",
        "1,00,000",
        "2.5",
        "٣",
        "one",
        "someone",
        "often",
        "ten",
        "Tension",
        "a dozen",
        "dozens",
        "scores",
        "hundreds",
        "thousands",
        "millions",
        "about",
        "more than",
        "over",
        "Jan.",
        "17th",
        "of",
        "troops",
        "-",
        "$",
        "_",
        "é",
        " ",
        ",",
        ".",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(_NUMBERISH, max_size=12).map("".join),
        st.lists(_NUMBERISH, max_size=12).map(" ".join),
    )
)
def test_number_prefilter_never_hides_a_match(text):
    """_quantities skips _NUM_RE when _NUM_CORE_RE finds nothing: valid only if every _NUM_RE
    match holds a core."""
    if quantity._NUM_CORE_RE.search(text) is None:
        assert list(quantity._NUM_RE.finditer(text)) == []
    for m in quantity._NUM_RE.finditer(text):
        assert quantity._NUM_CORE_RE.search(m.group(0))


def _reference_choose_clusters(
    vecs, *, max_topics=topics.MAX_TOPICS, min_silhouette=topics.MIN_SILHOUETTE
):
    """choose_clusters fitting AgglomerativeClustering anew for every k."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score
    from sklearn.metrics.pairwise import cosine_distances

    n = len(vecs)
    best_labels = np.zeros(n, dtype=int)
    if n < 4:
        return best_labels
    best = min_silhouette
    dist = cosine_distances(vecs)
    for k in range(2, min(max_topics, n - 1) + 1):
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(vecs)
        score = float(silhouette_score(dist, labels, metric="precomputed"))
        if score > best + 1e-9:
            best, best_labels = score, labels
    return np.asarray(best_labels, dtype=int)


def _random_vectors(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    centres = rng.normal(size=(rng.integers(1, 6), dim))
    vecs = centres[rng.integers(0, len(centres), n)] + rng.normal(
        scale=rng.uniform(0.05, 1), size=(n, dim)
    )
    dup = rng.integers(0, n, rng.integers(0, n // 2 + 1))
    vecs[dup[: len(dup) // 2]] = vecs[dup[len(dup) // 2 : 2 * (len(dup) // 2)]]  # exact repeats
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


@pytest.mark.parametrize("seed", range(40))
def test_cut_tree_and_choose_clusters_equal_sklearn(seed):
    from scipy.cluster.hierarchy import ward
    from sklearn.cluster import AgglomerativeClustering

    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 50))
    vecs = _random_vectors(rng, n, int(rng.integers(2, 12)))
    children = ward(vecs)[:, :2].astype(np.intp)
    for k in range(1, min(n, 10) + 1):
        want = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(vecs)
        assert topics._cut_tree(children, n, k).tolist() == want.tolist()
    max_topics = int(rng.integers(2, 9))
    got = topics.choose_clusters(vecs, max_topics=max_topics)
    assert got.tolist() == _reference_choose_clusters(vecs, max_topics=max_topics).tolist()


def _reference_topic_terms(docs, *, n_terms=topics.N_TERMS):
    from sklearn.feature_extraction.text import CountVectorizer

    try:
        vec = CountVectorizer(
            stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]*[^\W_]\b", lowercase=True
        )
        counts = vec.fit_transform(docs).toarray().astype(np.float64)
    except ValueError:
        return [() for _ in docs]
    words = vec.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    avg_words = counts.sum() / max(len(docs), 1)
    idf = np.log1p(avg_words / np.maximum(counts.sum(axis=0), 1.0))
    out = []
    for row in tf * idf:
        order = sorted(range(len(words)), key=lambda j: (-round(row[j], 12), j))
        out.append(tuple(str(words[j]) for j in order[:n_terms] if row[j] > 0))
    return out


_WORDS = (
    "navalny prison treaty arms sanctions talks border troops minister kremlin biden putin "
    "gas pipeline court appeal the and of"
).split()


@pytest.mark.parametrize("seed", range(30))
def test_topic_terms_equal_the_sorted_form(seed):
    rng = random.Random(seed)
    docs = [" ".join(rng.choices(_WORDS, k=rng.randint(0, 30))) for _ in range(rng.randint(1, 8))]
    n_terms = rng.randint(1, 6)
    assert topics.topic_terms(docs, n_terms=n_terms) == _reference_topic_terms(
        docs, n_terms=n_terms
    )


def test_numpy_round_equals_python_round_of_numpy_floats():
    """topic_terms ranks by np.round(row, 12) where it used round(row[j], 12)."""
    rng = np.random.default_rng(0)
    row = np.concatenate(
        [rng.random(2000) * 10.0 ** rng.integers(-14, 2, 2000), [0.0, 1e-12, 5e-13, 0.5]]
    )
    assert np.round(row, 12).tolist() == [round(x, 12) for x in row]


def _reference_find_topics(
    groups, claims, emb, source_ids, *, max_topics=topics.MAX_TOPICS, n_terms=topics.N_TERMS
):
    """find_topics with list.index lookups and per-source scans."""
    if not groups:
        return ()
    labels = topics.choose_clusters(
        topics._group_vectors(groups, claims, emb), max_topics=max_topics
    )
    by_id = {c.id: c for c in claims}
    members = {}
    for g, lab in zip(groups, labels, strict=True):
        members.setdefault(int(lab), []).append(g)
    clusters = sorted(
        members.values(), key=lambda gs: (-sum(len(g.claims) for g in gs), groups.index(gs[0]))
    )
    docs = [" ".join(by_id[cid].text for g in gs for cid in g.claims) for gs in clusters]
    terms = topics.topic_terms(docs, n_terms=n_terms)
    totals = {s: sum(1 for c in claims if c.source == s) for s in source_ids}
    home = {}
    for k, gs in enumerate(clusters):
        for g in gs:
            for cid in g.claims:
                if cid not in home or groups.index(g) < home[cid][1]:
                    home[cid] = (k, groups.index(g))
    out = []
    for i, (gs, words) in enumerate(zip(clusters, terms, strict=True), start=1):
        share = {}
        for s in source_ids:
            n = sum(1 for cid, (k, _) in home.items() if k == i - 1 and by_id[cid].source == s)
            share[s] = n / totals[s] if totals[s] else 0.0
        out.append(Topic(id=f"t{i}", terms=words, groups=tuple(g.id for g in gs), share=share))
    return tuple(out)


@pytest.mark.parametrize("seed", range(30))
def test_find_topics_equals_the_direct_form(seed):
    rng = random.Random(seed)
    groups, by_id = _random_event(rng, [" ".join(rng.choices(_WORDS, k=8)) for _ in range(12)])
    if seed % 2:  # an equal group listed twice: positions are those of the first (list.index)
        groups = groups + rng.sample(groups, 1)
        rng.shuffle(groups)
    claims = list(by_id.values())
    source_ids = sorted({c.source for c in claims}) + ["silent"]  # a source with no claims
    emb = _random_vectors(np.random.default_rng(seed), len(claims), 6)
    fast = topics.find_topics(groups, claims, emb, source_ids)
    ref = _reference_find_topics(groups, claims, emb, source_ids)
    assert [(t, t.share) for t in fast] == [(t, t.share) for t in ref]


# --- pair features ----------------------------------------------------------------------


def _reference_set_stats(inter, sa, sb):
    union = sa + sb - inter
    small, big = np.minimum(sa, sb), np.maximum(sa, sb)
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
        cont = np.where(small > 0, inter / np.where(small > 0, small, 1), 0.0)
        ratio = np.where(big > 0, small / np.where(big > 0, big, 1), 1.0)
    both = (sa > 0) & (sb > 0)
    return {
        "mismatch": ((sa - inter > 0) & (sb - inter > 0)).astype(np.float64),
        "jaccard": jac,
        "containment": cont,
        "ratio": ratio,
        "shared": (both & (inter > 0)).astype(np.float64),
        "conflict": (both & (inter == 0)).astype(np.float64),
    }


def _reference_assemble(stats, cos, tfidf, margin):
    w, nu, en, da = stats["words"], stats["numbers"], stats["names"], stats["dates"]
    cols = {
        "cos": cos,
        "tfidf": tfidf,
        "overlap": w["jaccard"],
        "containment": w["containment"],
        "num_shared": nu["shared"],
        "num_conflict": nu["conflict"],
        "ent_overlap": en["jaccard"],
        "ent_conflict": en["conflict"],
        "ent_mismatch": en["mismatch"],
        "num_mismatch": nu["mismatch"],
        "date_conflict": da["conflict"],
        "len_ratio": w["ratio"],
        "margin": margin,
    }
    return np.stack([np.asarray(cols[k], dtype=np.float64) for k in FEATURES], axis=-1)


def _reference_matrix(texts, emb):
    """The (n, n, features) matrix with every text's TF-IDF row and tokens computed from it."""
    emb = np.asarray(emb, dtype=np.float64)
    vec = features._tfidf(texts)
    t = vec.transform(texts) if vec is not None else None
    if t is not None:
        t.sum_duplicates()
    _, same_id = np.unique([" ".join(x.lower().split()) for x in texts], return_inverse=True)
    cos = np.clip(emb @ emb.T, -1.0, 1.0)
    tfidf = (t @ t.T).toarray() if t is not None else np.zeros(cos.shape)
    tfidf[same_id[:, None] == same_id[None, :]] = 1.0
    stats = {}
    for key, fn in features._EXTRACTORS.items():
        x = features._incidence([fn(s) for s in texts])
        x.sum_duplicates()
        size = np.asarray(x.sum(axis=1)).ravel()
        stats[key] = _reference_set_stats((x @ x.T).toarray(), size[:, None], size[None, :])
    hubs = features.neighbour_means(emb)
    return _reference_assemble(
        stats, cos, tfidf, features.margin(cos, hubs[:, None], hubs[None, :])
    )


FEATURE_POOL = POOL + [
    "Biden called Putin on Tuesday.",
    "Biden phoned Putin on Monday.",
    "BIDEN  called   putin on tuesday.",
    "The and of it.",  # nothing but stop words
    "",
    "Five ministers met 3 leaders in May.",
    "Stoltenberg spoke with Biden in March about 2,000 troops.",
]


@pytest.mark.parametrize("seed", range(25))
def test_feature_index_equals_per_text_matrix_bitwise(seed):
    rng = random.Random(seed)
    pool = rng.sample(FEATURE_POOL, rng.randint(1, len(FEATURE_POOL)))
    texts = [rng.choice(pool) for _ in range(rng.randint(1, 40))]
    emb = _random_vectors(np.random.default_rng(seed), len(texts), 8)
    ref = _reference_matrix(texts, emb)
    index = FeatureIndex.fit(texts, emb)
    got = index.block(slice(0, len(texts)))
    assert got.shape == ref.shape and got.flags.c_contiguous
    assert got.tobytes() == ref.tobytes()
    rows = np.array([i for i in range(len(texts)) for _ in range(len(texts))])
    cols = np.tile(np.arange(len(texts)), len(texts))
    pairs = index.pairs(rows, cols, chunk=7)
    np.testing.assert_allclose(pairs, ref.reshape(-1, len(FEATURES)), rtol=1e-12, atol=1e-12)
    assert pairs.tobytes() == _reference_pairs(texts, emb, rows, cols).tobytes()


def _reference_pairs(texts, emb, rows, cols):
    """The pair path (big events) with every text's TF-IDF row and tokens computed from it."""
    emb = np.asarray(emb, dtype=np.float64)
    vec = features._tfidf(texts)
    t = vec.transform(texts) if vec is not None else None
    if t is not None:
        t.sum_duplicates()
    _, same_id = np.unique([" ".join(x.lower().split()) for x in texts], return_inverse=True)
    cos = np.clip(np.einsum("ij,ij->i", emb[rows], emb[cols]), -1.0, 1.0)
    tfidf = features._rowwise_dot(t, rows, cols) if t is not None else np.zeros(cos.shape)
    tfidf[same_id[rows] == same_id[cols]] = 1.0
    stats = {}
    for key, fn in features._EXTRACTORS.items():
        x = features._incidence([fn(s) for s in texts])
        x.sum_duplicates()
        size = np.asarray(x.sum(axis=1)).ravel()
        inter = features._rowwise_dot(x, rows, cols)
        stats[key] = _reference_set_stats(inter, size[rows], size[cols])
    hubs = features.neighbour_means(emb)
    return _reference_assemble(stats, cos, tfidf, features.margin(cos, hubs[rows], hubs[cols]))


def _reference_pair_features(a, b, emb_a, emb_b):
    cos = np.clip((np.asarray(emb_a, np.float64) * np.asarray(emb_b, np.float64)).sum(1), -1, 1)
    vec = features._tfidf(list(a) + list(b))
    if vec is not None:
        tfidf = np.asarray(vec.transform(a).multiply(vec.transform(b)).sum(axis=1)).ravel()
    else:
        tfidf = np.zeros(len(a))
    same = np.array(
        [
            " ".join(x.lower().split()) == " ".join(y.lower().split())
            for x, y in zip(a, b, strict=True)
        ]
    )
    tfidf[same] = 1.0
    stats = {}
    for key, fn in features._EXTRACTORS.items():
        x = features._incidence([fn(s) for s in list(a) + list(b)])
        xa, xb = x[: len(a)], x[len(a) :]
        stats[key] = _reference_set_stats(
            np.asarray(xa.multiply(xb).sum(axis=1)).ravel(),
            np.asarray(xa.sum(axis=1)).ravel(),
            np.asarray(xb.sum(axis=1)).ravel(),
        )
    hubs = features._default_hubs(list(a) + list(b), np.vstack([emb_a, emb_b]), len(a))
    return _reference_assemble(stats, cos, tfidf, features.margin(cos, hubs[0], hubs[1]))


@pytest.mark.parametrize("seed", range(15))
def test_pair_features_equal_the_dict_form_bitwise(seed):
    rng = random.Random(seed)
    m = rng.randint(1, 30)
    a = [rng.choice(FEATURE_POOL) for _ in range(m)]
    b = [rng.choice(FEATURE_POOL) for _ in range(m)]
    emb = _random_vectors(np.random.default_rng(seed), 2 * m, 5)
    got = pair_features(a, b, emb[:m], emb[m:])
    assert got.tobytes() == _reference_pair_features(a, b, emb[:m], emb[m:]).tobytes()


def _reference_predict(scorer, x):
    p = scorer.params
    z = (x[..., scorer.columns] - np.asarray(p["mean"])) / np.asarray(p["scale"])
    return 1.0 / (1.0 + np.exp(-(z @ np.asarray(p["coef"]) + float(p["intercept"]))))


@pytest.mark.parametrize("shape", [(len(FEATURES),), (17, len(FEATURES)), (5, 9, len(FEATURES))])
def test_predict_equals_the_expression_bitwise(shape, tmp_path):
    rng = np.random.default_rng(len(shape))
    x = rng.normal(size=shape) * 3
    shipped = PairModelScorer()
    subset = tmp_path / "m.json"  # a model over two columns in another order: the gather path
    subset.write_text(
        json.dumps(
            {
                "features": ["margin", "cos"],
                "mean": [0.1, 0.2],
                "scale": [0.5, 2.0],
                "coef": [1.5, -0.7],
                "intercept": 0.3,
                "threshold": 0.5,
                "related_threshold": 0.3,
                "pair_threshold": 0.5,
            }
        )
    )
    for s in (shipped, PairModelScorer(subset)):
        got, want = s.predict(x), _reference_predict(s, x)
        assert np.asarray(got).tobytes() == np.asarray(want).tobytes()
        assert type(got) is type(want)


def _reference_antonym_spans(text):
    low = text.lower()
    spans = {}
    for pair in rules._ANTONYMS:
        for word in pair:
            if word not in spans:
                m = re.search(rf"\b{word}\b(?!['’]t\b)", low)  # "won't" is no "won"
                if m:
                    spans[word] = (m.start(), m.end())
    return spans


_ANTONYM_WORDS = st.sampled_from(
    [w for pair in rules._ANTONYMS for w in pair]
    + ["unavailable", "Rejected", "ROSE", "roses", "fell-", "won't", "lost.", "é", "_", " ", "x"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(_ANTONYM_WORDS, max_size=10).map(" ".join),
        st.lists(_ANTONYM_WORDS, max_size=10).map("".join),
        st.text(max_size=40),
    )
)
def test_antonym_spans_one_scan_equals_one_search_per_word(text):
    assert rules._antonym_spans.__wrapped__(text) == _reference_antonym_spans(text)
