"""The pipeline: ingest -> clean -> segment -> embed -> score pairs -> align -> findings.

    >>> from divergence import compare
    >>> c = compare(["Call\\nBiden called Putin on Tuesday. They spoke for an hour.",
    ...              "Call\\nBiden called Putin on Tuesday. Navalny was discussed at length."],
    ...             embedder="hashing", threshold=0.5)
    >>> [len(g.sources) for g in c.groups]
    [2, 2, 1, 1]

:func:`compare` is the one-shot call; :class:`Comparer` keeps the embedding model (and settings)
for many comparisons, as research code comparing thousands of events needs. Each stage is a
plain function taking explicit parameters, so any of them can be swapped (``embedder=``,
``segmenter=``, ``scorer=``, ``aligner=``, ``attribution=``).

After segmentation, :mod:`divergence.attribution` fills each claim's speaker and hedges
(``attribution="auto"|"spacy"|"rules"|None``); after alignment, :mod:`divergence.conflicts` adds
``conflict`` findings. ``by="speaker"`` compares speakers instead of articles
(:mod:`divergence.speakers`). ``unit="clause"`` cuts each sentence into clause claims after
attribution (:mod:`divergence.clauses`); by default the scorer's unit (clauses for the default
judge, sentences otherwise). After alignment,
:mod:`divergence.derivation` finds text reuse between the sources (``derivation=False`` skips
it); ``copies_as_one_voice=True`` counts a source and its copies as one voice in the omission
and unique findings.

Big events: above ``SPARSE_ABOVE`` claims (or with ``sparse=True``) the pair scores are not a
dense n x n matrix but :func:`divergence.pairs.sparse_scores` (each claim's
:data:`~divergence.neighbours.NEIGHBOURS` nearest cross-source claims scored, other pairs on
demand), so memory grows linearly with the claims; ``sparse=False`` forces the dense path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from . import __about__
from .align import Aligner, cohesion, related_links
from .clean import clean
from .comparison import Comparison
from .embed import Embedder, embedder_for
from .errors import InputError, UsageError
from .findings import build_groups, find_divergences, with_related
from .ingest import MAX_CHARS, MAX_SOURCES, MAX_TOTAL_CHARS, load_sources
from .pairs import get_scorer
from .records import Claim, Source
from .segment import SyntokSegmenter, segment
from .topics import find_topics

SourceLike = str | Path | Source | Mapping[str, Any]
#: Default cap on the claims of one comparison. Up to ``SPARSE_ABOVE`` claims the pair scores
#: are a dense (n, n) float32 matrix (memory grows with n squared: two 4,998-sentence sources
#: grew peak RSS by 1.0 GB when that was the only path, hence the former cap of 10,000); above
#: it the sparse path keeps memory linear in n, so the cap now bounds time, not memory, and
#: admits an event of 500 sources x 40 sentences (docs/benchmarks.md, "One event with N sources").
MAX_CLAIMS = 25_000
#: Comparisons with more claims than this use the sparse pair scores (unless ``sparse=`` says
#: otherwise): 2,000 claims are a 16 MB dense matrix, and every fixture and test comparison
#: stays below it, so their output is the dense path's.
SPARSE_ABOVE = 2_000
Progress = Callable[[str], None]


class Comparer:
    """Compare sources with fixed settings; the embedding model is loaded once.

    >>> comparer = Comparer(embedder="hashing")
    >>> comparer.compare(["A b c d.", "A b c d."]).omissions()
    []
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        embedder: str | Embedder | None = None,
        threshold: float | None = None,
        top_k: int | None = None,
        linkage_slack: float | None = None,
        segmenter: SyntokSegmenter | None = None,
        scorer: Any | None = None,
        overlap: bool | None = None,
        max_chars: int = MAX_CHARS,
        max_sources: int = MAX_SOURCES,
        attribution: str | None = "auto",
        conflicts: bool = True,
        by: str = "source",
        sides: Mapping[str, str] | None = None,
        max_total_chars: int = MAX_TOTAL_CHARS,
        max_claims: int = MAX_CLAIMS,
        backend: str = "torch",
        cache: bool | str | Path | Any | None = None,
        check_event: bool = True,
        unit: str | None = None,
        sparse: bool | None = None,
        presence: bool = True,
        derivation: bool = True,
        copies_as_one_voice: bool = False,
    ):
        from . import attribution as attribution_mod
        from . import clauses as clauses_mod

        if unit is not None and unit not in clauses_mod.UNITS:
            raise UsageError(f"unit must be 'sentence' or 'clause', got '{unit}'")

        if attribution is not None and attribution not in attribution_mod.METHODS:
            raise UsageError(
                f"unknown attribution '{attribution}' (choose from auto, spacy, rules, or None)"
            )
        if by not in ("source", "speaker"):
            raise UsageError(f"by must be 'source' or 'speaker', got '{by}'")
        if by == "speaker" and attribution is None:
            raise UsageError("by='speaker' needs attribution (auto, spacy or rules)")
        if attribution == "auto" and backend == "onnx":
            # spaCy imports torch (through thinc): the torch-free backend keeps the rule-based
            # attribution, which scores the same as spaCy on the gold gists (docs/evaluation.md).
            attribution = "rules"
        self.attribution = attribution_mod.signature(attribution)
        # clause cuts: spaCy's parse (shared with the attribution stage) unless the torch-free
        # ONNX backend is chosen (spaCy imports torch) or spaCy is not installed
        self.clause_method = "rules" if backend == "onnx" else clauses_mod.resolve_method("auto")
        self.conflicts = conflicts
        self.by = by
        self.sides = dict(sides) if sides else None
        if model is not None and embedder is not None:
            raise UsageError("give either model= or embedder=, not both")
        self.scorer = get_scorer(scorer)
        spec = embedder if embedder is not None else model
        self.embedder = embedder_for(spec, self.scorer, backend=backend)
        if cache is not None and cache is not False:
            from .cache import CachedEmbedder

            self.embedder = CachedEmbedder(self.embedder, None if cache is True else cache)
        # the same file keeps per-sentence analyses (spaCy attribution frames) across runs
        self.store = getattr(self.embedder, "cache", None)
        self.check_event = check_event
        if scorer is None and hasattr(self.scorer, "bind"):
            from .tokens import has_tokens

            if not has_tokens(self.embedder):
                # a custom embedder without token vectors: the default falls back to the pair
                # model (the signature says so); asking for scorer="judge" is an error below
                from .pairs import PairModelScorer

                self.scorer = PairModelScorer()
        if hasattr(self.scorer, "bind"):  # the judge reads token vectors from our embedder
            self.scorer.bind(self.embedder)
        # unit=None: the unit the scorer was fitted on (the default judge: clauses)
        self.unit = unit or getattr(self.scorer, "default_unit", "sentence")
        self.presence = bool(presence)
        thr = self.scorer.default_threshold if threshold is None else float(threshold)
        if not -1.0 <= thr <= 1.0:
            raise UsageError(f"threshold must be between -1 and 1, got {thr}")
        # grouping defaults travel with the scorer (chosen on dev clusters for the pair model)
        defaults = getattr(self.scorer, "align_defaults", {})
        top_k = int(defaults.get("top_k", 1)) if top_k is None else top_k
        overlap = bool(defaults.get("overlap", False)) if overlap is None else overlap
        if linkage_slack is None:
            linkage_slack = float(defaults.get("linkage_slack", 0.1))
        if top_k < 1:
            raise UsageError(f"top_k must be at least 1, got {top_k}")
        self.aligner = Aligner(
            threshold=thr, top_k=top_k, linkage_slack=linkage_slack, overlap=overlap
        )
        self.segmenter = segmenter or SyntokSegmenter()
        self.max_chars = max_chars
        self.max_sources = max_sources
        self.max_total_chars = max_total_chars
        if not isinstance(max_claims, int) or max_claims < 2:
            raise UsageError(f"max_claims must be a whole number of at least 2, got {max_claims!r}")
        self.max_claims = max_claims
        if sparse is not None and not isinstance(sparse, bool):
            raise UsageError(f"sparse must be True, False or None, got {sparse!r}")
        if sparse and not hasattr(self.scorer, "pair_scorer") and not hasattr(self.scorer, "bind"):
            raise UsageError("sparse=True needs a pair scorer with a pair_scorer method")
        self.sparse = sparse
        if copies_as_one_voice and (not derivation or by == "speaker"):
            raise UsageError(
                "copies_as_one_voice needs the derivation stage (derivation=True, by='source')"
            )
        # text reuse is between articles: speakers' pseudo-sources share quotes, not copies
        self.derivation = bool(derivation) and by == "source"
        self.copies_as_one_voice = bool(copies_as_one_voice)

    @property
    def signature(self) -> str:
        return "|".join(
            [
                f"v:{__about__.__version__}",
                f"seg:{self.segmenter.signature}",
                f"emb:{self.embedder.name}",
                f"pair:{self.scorer.signature}",
            ]
            + ([f"big:{self._big_event_scorer()[0].signature}"] if self._hands_off_big() else [])
            + [
                f"align:{self.aligner.signature}",
                f"attr:{self.attribution}",
                f"conflicts:{int(self.conflicts)}",
            ]
            + ([f"by:{self.by}"] if self.by != "source" else [])
            + ([f"unit:{self._unit_signature()}"] if self.unit != "sentence" else [])
            + ([f"sparse:{int(self.sparse)}"] if self.sparse is not None else [])
            + ([f"presence:{self._presence_signature()}"] if self._presence_on() else [])
            + ([f"deriv:{self._derivation_signature()}"] if self.derivation else [])
        )

    def _presence_on(self) -> bool:
        return self.presence and bool(getattr(self.scorer, "presence", None))

    def _presence_signature(self) -> str:
        p = self.scorer.presence
        mode = [p[k] for k, v in (("agg", "max"), ("take", "best")) if p.get(k, v) != v]
        if p.get("adjacent"):
            mode.append("adj")
        return f"{p['present']:g}/{p['partial']:g}" + "".join(f",{m}" for m in mode)

    def _derivation_signature(self) -> str:
        from .derivation import signature

        return signature() + (",one-voice" if self.copies_as_one_voice else "")

    def _unit_signature(self) -> str:
        from .clauses import signature

        return signature(self.unit, self.clause_method)

    def settings(self) -> dict[str, Any]:
        return {
            "embedder": self.embedder.name,
            "scorer": self.scorer.signature,
            "threshold": self.aligner.threshold,
            "top_k": self.aligner.top_k,
            "linkage_slack": self.aligner.linkage_slack,
            "overlap": self.aligner.overlap,
            "segmenter": self.segmenter.signature,
            "attribution": self.attribution,
            "conflicts": self.conflicts,
            "by": self.by,
            "unit": self.unit,
            **({"sides": dict(self.sides)} if self.sides else {}),
            **({"sparse": self.sparse} if self.sparse is not None else {}),
            **({"presence": self.scorer.presence} if self._presence_on() else {}),
            **({"derivation": False} if not self.derivation and self.by == "source" else {}),
            **({"copies_as_one_voice": True} if self.copies_as_one_voice else {}),
        }

    def use_sparse(self, n_claims: int) -> bool:
        """Whether a comparison of ``n_claims`` claims takes the sparse path."""
        if self.sparse is not None:
            return self.sparse
        # the judge (no pair_scorer) hands big events to the sparse pair model
        return n_claims > SPARSE_ABOVE and (
            hasattr(self.scorer, "pair_scorer") or hasattr(self.scorer, "bind")
        )

    def _hands_off_big(self) -> bool:
        """Whether big events go to the sparse pair model (the judge scores dense blocks)."""
        return hasattr(self.scorer, "bind") and not hasattr(self.scorer, "pair_scorer")

    def _big_event_scorer(self):
        """The sparse pair model and its aligner, for events the judge hands off (made once)."""
        if getattr(self, "_big", None) is None:
            self._big = self._make_big_event_scorer()
        return self._big

    @staticmethod
    def _make_big_event_scorer():
        from .align import Aligner
        from .pairs import PairModelScorer

        big = PairModelScorer()
        d = big.align_defaults
        return big, Aligner(
            threshold=big.default_threshold,
            top_k=int(d.get("top_k", 1)),
            linkage_slack=float(d.get("linkage_slack", 0.1)),
            overlap=bool(d.get("overlap", False)),
        )

    def compare(
        self, sources: Iterable[SourceLike] | SourceLike, *, progress: Progress | None = None
    ) -> Comparison:
        say = progress or (lambda _msg: None)
        loaded = load_sources(
            sources,
            max_chars=self.max_chars,
            max_sources=self.max_sources,
            max_total_chars=self.max_total_chars,
        )
        if len(loaded) < 2:
            raise InputError(
                f"need at least two sources to compare, got {len(loaded)}"
                + (f" ({loaded[0].id})" if loaded else "")
            )
        say(f"read {len(loaded)} sources")
        cleaned = [clean(s) for s in loaded]
        from .attribution import attribute

        claims: list[Claim] = []
        method = None if self.attribution == "none" else self.attribution
        for c in cleaned:
            found = attribute(c.source, segment(c, self.segmenter), method=method, store=self.store)
            if self.unit == "clause":
                from .attribution import clause_speakers
                from .clauses import split_clauses

                found = split_clauses(c.source, found, method=self.clause_method)
                found = clause_speakers(c.source, found, method=method, store=self.store)
            claims.extend(found)
        src_ids = [c.source.id for c in cleaned]
        with_claims = {cl.source for cl in claims}
        empty = [c.source.id for c in cleaned if c.source.id not in with_claims]
        if empty:
            from collections import Counter

            def why(c: Any) -> str:
                counts = Counter(d.reason for d in c.dropped)
                return f"{c.source.id} ({', '.join(f'{n} {r}' for r, n in sorted(counts.items()))})"

            raise InputError(
                "no article text left after cleaning: every line looks like page furniture in "
                + "; ".join(why(c) for c in cleaned if c.source.id in empty)
            )
        if len(claims) > self.max_claims:
            raise InputError(
                f"{len(claims):,} claims is over the limit of {self.max_claims:,} for one "
                "comparison (time grows with it; raise it with max_claims= / "
                "--max-claims, or compare fewer or shorter sources)"
            )
        sources = tuple(c.source for c in cleaned)
        if self.by == "speaker":
            from .speakers import by_speaker

            speaker_sources, claims = by_speaker(sources, claims, sides=self.sides)
            sources = tuple(speaker_sources)
            src_ids = [s.id for s in sources]
            say(f"regrouped claims under {len(sources)} speakers")
        say(f"segmented {len(claims)} claims; embedding with {self.embedder.name}")
        # Align in a canonical order (by source id, then position) with scores rounded to 1e-6,
        # so that the order sources were given in cannot change the groups: float sums and
        # tie-breaks otherwise depend on row order.
        order = sorted(range(len(claims)), key=lambda i: (claims[i].source, claims[i].index))
        texts = [claims[i].text for i in order]
        emb = self.embedder.encode(texts)
        owners = [claims[i].source for i in order]
        scorer, aligner = self.scorer, self.aligner
        if self.use_sparse(len(texts)) and not hasattr(scorer, "pair_scorer"):
            # the judge scores dense blocks only: a big event is scored by the pair model
            scorer, aligner = self._big_event_scorer()
            say(f"{len(texts)} claims: scoring with the sparse pair model ({scorer.signature})")
        if self.use_sparse(len(texts)):
            from .pairs import sparse_scores

            say(f"scoring each claim's nearest cross-source claims ({len(texts)} claims)")
            sim = sparse_scores(scorer, texts, emb, owners)
        else:
            if getattr(scorer, "needs_sources", False):
                sim = scorer.score(texts, emb, sources=owners)
            else:
                sim = scorer.score(texts, emb)
            np.round(sim, 6, out=sim)
        say("aligning claims")
        canon = aligner.group(sim, owners)
        partial: list[dict] = [{} for _ in canon]
        if self.presence and getattr(scorer, "presence", None):
            from .presence import presence_stage

            canon, partial = presence_stage(scorer, canon, sim, owners, texts, emb)
        # list groups in build_groups' numbering (by smallest claim index, stable), so that
        # groups[k] is canon_members[k] for the related band below
        paired = sorted(
            ((m, [order[k] for k in m], p) for m, p in zip(canon, partial, strict=True)),
            key=lambda t: min(t[1]),
        )
        canon_members = [m for m, _, _ in paired]
        members = [m for _, m, _ in paired]
        partial = [
            _partial_detail(p, m, sim, texts, order, claims) if p else {} for m, _, p in paired
        ]
        coh = [cohesion(sim, m, owners) for m in canon_members]
        groups = build_groups(members, claims, src_ids, coh, partial)
        by_id = {c.id: c for c in claims}
        derivations: tuple = ()
        if self.derivation:
            from .derivation import find_derivations, voices

            say("finding text reuse between the sources")
            derivations = find_derivations(sources, claims)
        one_voice = voices(src_ids, derivations) if self.copies_as_one_voice else None
        findings = find_divergences(groups, by_id, src_ids, voices=one_voice)
        low = getattr(scorer, "related_threshold", None)
        if low is not None and low < aligner.threshold:
            findings = with_related(
                findings,
                groups,
                related_links(sim, owners, canon_members, low=low, high=aligner.threshold),
                lambda i: claims[order[i]],
            )
        if self.conflicts:
            from .conflicts import find_conflicts

            findings = findings + find_conflicts(
                groups,
                by_id,
                pair_score=_pair_score(sim, order, claims),
                min_score=aligner.threshold,
            )
        if derivations:
            from .derivation import mark_findings

            findings = mark_findings(findings, derivations, src_ids)
        say("finding topics")
        claim_emb = np.empty_like(emb)
        claim_emb[order] = emb  # back to claims order; the topics stage reuses these vectors
        topics = find_topics(groups, claims, claim_emb, src_ids)
        dropped = tuple(d for c in cleaned for d in c.dropped)
        result = Comparison(
            sources=sources,
            claims=tuple(claims),
            dropped=dropped,
            groups=tuple(groups),
            findings=tuple(findings),
            signature=self.signature,
            settings=self.settings(),
            topics=topics,
            derivations=derivations,
        )
        if self.check_event:
            from .events import warn_if_different_events

            warn_if_different_events(result)
        return result


def _partial_detail(part, canon_members, sim, texts, order, claims) -> dict[str, dict]:
    """``{source: {claim, score, missing}}`` for a group's partly-carrying sources: the source's
    best sentence, its judge score, and the content words of the closest member it lacks."""
    from .align import _block
    from .presence import missing_words

    out = {}
    for source, (j, score) in sorted(part.items()):
        rows = np.asarray(canon_members, dtype=np.intp)
        near = int(rows[int(np.argmax(_block(sim, rows, np.array([j]))[:, 0]))])
        out[source] = {
            "claim": claims[order[j]].id,
            "score": score,
            "missing": missing_words(texts[near], texts[j]),
        }
    return out


def compare(
    sources: Iterable[SourceLike] | SourceLike,
    *,
    progress: Progress | None = None,
    **settings: Any,
) -> Comparison:
    """Compare several reports of one event (paths, directories, JSONL, strings, dicts or
    ``Source`` objects). Settings are those of :class:`Comparer`.

    Raises :class:`~divergence.errors.InputError` for unusable input and
    :class:`~divergence.errors.UsageError` for invalid settings.
    """
    return Comparer(**settings).compare(sources, progress=progress)


def _pair_score(sim, order: list[int], claims: list[Claim]):
    """``score(claim id, claim id)``: the two claims' own score in ``sim`` (rows in ``order``,
    dense or :class:`~divergence.pairs.SparseScores`), for the conflict stage."""
    row = {claims[i].id: k for k, i in enumerate(order)}

    def score(a: str, b: str) -> float:
        i, j = row[a], row[b]
        if hasattr(sim, "get"):
            return float(sim.get(np.array([i]), np.array([j]))[0])
        return float(sim[i, j])

    return score
