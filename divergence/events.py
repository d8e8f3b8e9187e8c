"""Events: do these sources cover one event? Group articles into events when nobody said.

    >>> from divergence.events import group_events
    >>> arts = [{"title": "Biden calls Putin", "text": "Biden called Putin about Ukraine."},
    ...         {"title": "Putin, Biden talk", "text": "Putin and Biden talked about Ukraine."},
    ...         {"title": "Storm hits Texas", "text": "A winter storm cut power across Texas."}]
    >>> grouping = group_events(arts)
    >>> grouping.labels[0] == grouping.labels[1], grouping.unmatched
    (True, [2])

Two tools:

* :func:`source_overlap` / :func:`warn_if_different_events` - after a comparison, the share of
  each source pair's claims that landed in a group with the other source. Reports of one event
  share a good part of their claims; reports of two different events share almost none, and a
  comparison of them is all "omissions" and "unique claims". ``compare`` warns (a
  :class:`~divergence.errors.DivergenceWarning`, one stderr line in the CLI) when a pair's
  overlap is under ``MIN_OVERLAP``, with the figure.
* :func:`group_events` - for corpus rows without an ``event``/``cluster`` column: TF-IDF of title
  + text, cosine, average-linkage agglomerative clustering (scikit-learn) cut at
  ``min_similarity``; two articles dated more than ``max_days`` apart never share an event.
  Articles left alone are returned in ``unmatched`` (reported by corpus mode, not dropped).

Thresholds were set on external data, not on the seed fixtures
(``experiments/calibrate_events.py``). ``MIN_EVENT_SIMILARITY`` = 0.15 on ECB+ train (86 clusters,
each one event; "N_ecb"/"N_ecbplus" are two events of one topic): adjusted Rand 0.844 / B-cubed F1
0.893 on train, 0.804 / 0.870 on dev+test. ``MIN_OVERLAP`` = 0.02 on BASIL (Fox/NYT/HuffPost
articles on one event): same-event pairs share a median 14% of their claims (a quarter under
8%, framing differs), pairs of unrelated events 0%; at 0.02 the warning fires for 99% of
unrelated pairs and 10% of same-event pairs. Limitation, measured: claim overlap does not tell
two *related* events apart from one event framed differently - the seed pair 000 (first call)
vs 003 (a later call) shares 7% of claims, the same-event pair 001 vs 002 shares 10% - so that
pair is not flagged. (ECB+ documents hold only their annotated sentences, too few for claim
overlap: 41% of same-event ECB+ pairs share no claim.)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date as _date
from itertools import combinations
from typing import Any

import numpy as np

#: Below this claim overlap a source pair "seems to cover different events". Set on BASIL
#: (first half of its clusters): the largest value with at most 10% false alarms on pairs of
#: full articles about one event (see the module docstring for the figures).
MIN_OVERLAP = 0.02
#: Sources with fewer claims than this are too short to judge (a headline, a one-liner).
MIN_CLAIMS = 3
#: TF-IDF cosine (average linkage) at which articles join one event.
MIN_EVENT_SIMILARITY = 0.15
#: Articles dated further apart than this never join one event.
MAX_EVENT_DAYS = 7


def source_overlap(comparison) -> dict[tuple[str, str], float]:
    """For each pair of sources (a, b): (claims of a in a group with b + claims of b in a group
    with a) / (claims of a + claims of b). 1.0 = every claim is shared, 0.0 = none."""
    owner = {c.id: c.source for c in comparison.claims}
    n = {s.id: 0 for s in comparison.sources}
    for c in comparison.claims:
        n[c.source] += 1
    shared: dict[tuple[str, str], int] = {}
    for g in comparison.groups:
        present = set(g.sources)
        for cid in g.claims:
            src = owner[cid]
            for other in present - {src}:
                shared[(src, other)] = shared.get((src, other), 0) + 1
    out = {}
    for a, b in combinations(sorted(n), 2):
        total = n[a] + n[b]
        out[(a, b)] = (shared.get((a, b), 0) + shared.get((b, a), 0)) / total if total else 0.0
    return out


def warn_if_different_events(comparison, *, min_overlap: float = MIN_OVERLAP) -> list[str]:
    """Warn (and return the messages) for source pairs sharing fewer than ``min_overlap`` of
    their claims; pairs where a source has fewer than ``MIN_CLAIMS`` claims are not judged."""
    from .errors import DivergenceWarning

    overlap = source_overlap(comparison)
    n: dict[str, int] = {}
    for c in comparison.claims:
        n[c.source] = n.get(c.source, 0) + 1
    judged = {p: v for p, v in overlap.items() if min(n.get(p[0], 0), n.get(p[1], 0)) >= MIN_CLAIMS}
    low = sorted(((p, v) for p, v in judged.items() if v < min_overlap), key=lambda t: t[1])
    messages = [
        f"sources '{a}' and '{b}' seem to cover different events: they share {v:.0%} of their "
        f"claims (under {min_overlap:.0%}); check that they report the same event"
        for (a, b), v in low[:3]
    ]
    if len(low) > 3:  # one line for the rest, not one per pair of a big event
        messages.append(
            f"{len(low)} of {len(judged)} source pairs share under {min_overlap:.0%} of their "
            "claims; the sources may cover different events"
        )
    for m in messages:
        warnings.warn(m, DivergenceWarning, stacklevel=3)
    return messages


@dataclass(frozen=True)
class EventGrouping:
    """``labels[i]``: event label of article i (``"auto-<k>"``; unmatched articles get their own
    label too); ``unmatched``: indices of articles that joined no other article."""

    labels: tuple[str, ...]
    unmatched: list[int]


def _parse_date(value: Any) -> _date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return _date.fromisoformat(value[:10])
    except ValueError:
        return None


def group_events(
    articles: Sequence[Mapping[str, Any]],
    *,
    min_similarity: float = MIN_EVENT_SIMILARITY,
    max_days: int = MAX_EVENT_DAYS,
) -> EventGrouping:
    """Cluster articles (mappings with ``text``, optional ``title`` and ``date``) into events.

    Memory is O(n^2) in the number of articles: run it per time window on a large archive.
    """
    n = len(articles)
    if n == 0:
        return EventGrouping(labels=(), unmatched=[])
    if n == 1:
        return EventGrouping(labels=("auto-0",), unmatched=[0])
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{a.get('title') or ''}\n{a.get('text') or ''}" for a in articles]
    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(docs)
    sim = (tfidf @ tfidf.T).toarray()
    dist = np.clip(1.0 - sim, 0.0, 1.0)
    dates = [_parse_date(a.get("date")) for a in articles]
    if any(d is not None for d in dates):
        for i, j in combinations(range(n), 2):
            if dates[i] and dates[j] and abs((dates[i] - dates[j]).days) > max_days:
                dist[i, j] = dist[j, i] = 1.0
    raw = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - min_similarity,
    ).fit_predict(dist)
    # relabel by first appearance, so labels do not depend on scikit-learn's numbering
    first: dict[int, int] = {}
    for lab in raw:
        first.setdefault(int(lab), len(first))
    labels = tuple(f"auto-{first[int(lab)]}" for lab in raw)
    sizes: dict[str, int] = {}
    for lab in labels:
        sizes[lab] = sizes.get(lab, 0) + 1
    unmatched = [i for i, lab in enumerate(labels) if sizes[lab] == 1]
    return EventGrouping(labels=labels, unmatched=unmatched)
