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
``segmenter=``, ``scorer=``, ``aligner=``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from . import __about__
from .align import Aligner, cohesion
from .clean import clean
from .comparison import Comparison
from .embed import Embedder, get_embedder
from .errors import InputError, UsageError
from .ingest import MAX_CHARS, MAX_SOURCES, load_sources
from .pairs import CosineScorer
from .records import Claim, Source
from .score import build_groups, find_divergences
from .segment import SyntokSegmenter, segment

SourceLike = str | Path | Source | Mapping[str, Any]
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
        top_k: int = 1,
        linkage_slack: float = 0.1,
        segmenter: SyntokSegmenter | None = None,
        scorer: Any | None = None,
        max_chars: int = MAX_CHARS,
        max_sources: int = MAX_SOURCES,
        backend: str = "torch",
        cache: bool | str | Path | Any | None = None,
        check_event: bool = True,
    ):
        if model is not None and embedder is not None:
            raise UsageError("give either model= or embedder=, not both")
        self.embedder = get_embedder(embedder if embedder is not None else model, backend=backend)
        if cache is not None and cache is not False:
            from .cache import CachedEmbedder

            self.embedder = CachedEmbedder(self.embedder, None if cache is True else cache)
        self.check_event = check_event
        self.scorer = scorer or CosineScorer()
        thr = self.scorer.default_threshold if threshold is None else float(threshold)
        if not -1.0 <= thr <= 1.0:
            raise UsageError(f"threshold must be between -1 and 1, got {thr}")
        if top_k < 1:
            raise UsageError(f"top_k must be at least 1, got {top_k}")
        self.aligner = Aligner(threshold=thr, top_k=top_k, linkage_slack=linkage_slack)
        self.segmenter = segmenter or SyntokSegmenter()
        self.max_chars = max_chars
        self.max_sources = max_sources

    @property
    def signature(self) -> str:
        return "|".join(
            [
                f"v:{__about__.__version__}",
                f"seg:{self.segmenter.signature}",
                f"emb:{self.embedder.name}",
                f"pair:{self.scorer.signature}",
                f"align:{self.aligner.signature}",
            ]
        )

    def settings(self) -> dict[str, Any]:
        return {
            "embedder": self.embedder.name,
            "scorer": self.scorer.signature,
            "threshold": self.aligner.threshold,
            "top_k": self.aligner.top_k,
            "linkage_slack": self.aligner.linkage_slack,
            "segmenter": self.segmenter.signature,
        }

    def compare(
        self, sources: Iterable[SourceLike] | SourceLike, *, progress: Progress | None = None
    ) -> Comparison:
        say = progress or (lambda _msg: None)
        loaded = load_sources(sources, max_chars=self.max_chars, max_sources=self.max_sources)
        if len(loaded) < 2:
            raise InputError(
                f"need at least two sources to compare, got {len(loaded)}"
                + (f" ({loaded[0].id})" if loaded else "")
            )
        say(f"read {len(loaded)} sources")
        cleaned = [clean(s) for s in loaded]
        claims: list[Claim] = []
        for c in cleaned:
            claims.extend(segment(c, self.segmenter))
        src_ids = [c.source.id for c in cleaned]
        empty = [c.source.id for c in cleaned if not any(cl.source == c.source.id for cl in claims)]
        if empty:
            raise InputError(
                "no article text left after cleaning in: "
                + ", ".join(empty)
                + " (every line looked like page furniture; see --format json 'dropped')"
            )
        say(f"segmented {len(claims)} claims; embedding with {self.embedder.name}")
        # Align in a canonical order (by source id, then position) with scores rounded to 1e-6,
        # so that the order sources were given in cannot change the groups: float sums and
        # tie-breaks otherwise depend on row order.
        order = sorted(range(len(claims)), key=lambda i: (claims[i].source, claims[i].index))
        texts = [claims[i].text for i in order]
        emb = self.embedder.encode(texts)
        sim = np.round(self.scorer.score(texts, emb), 6)
        owners = [claims[i].source for i in order]
        say("aligning claims")
        canon_members = self.aligner.group(sim, owners)
        coh = [cohesion(sim, m, owners) for m in canon_members]
        members = [[order[k] for k in m] for m in canon_members]
        groups = build_groups(members, claims, src_ids, coh)
        by_id = {c.id: c for c in claims}
        findings = find_divergences(groups, by_id, src_ids)
        dropped = tuple(d for c in cleaned for d in c.dropped)
        result = Comparison(
            sources=tuple(c.source for c in cleaned),
            claims=tuple(claims),
            dropped=dropped,
            groups=tuple(groups),
            findings=tuple(findings),
            signature=self.signature,
            settings=self.settings(),
        )
        if self.check_event:
            from .events import warn_if_different_events

            warn_if_different_events(result)
        return result


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
