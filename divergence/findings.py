"""Findings: turn claim groups into coverage, prominence and findings (omission, unique, emphasis).

    >>> from divergence.records import Claim
    >>> a = Claim("a#0", "a", "X.", 0, 2, 0, 0.0, is_title=True, lede=True)
    >>> b = Claim("b#0", "b", "Y.", 0, 2, 0, 0.9)
    >>> groups = build_groups([[0], [1]], [a, b], ["a", "b"])
    >>> [(g.sources, g.missing_from) for g in groups]
    [(('a',), ('b',)), (('b',), ('a',))]
    >>> sorted({f.kind for f in find_divergences(groups, {c.id: c for c in (a, b)}, ["a", "b"])})
    ['emphasis', 'omission', 'unique']

Prominence of a claim within its source: 1.0 for the title, 0.9 for the first two body sentences
(the lede), otherwise ``0.8 * (1 - position)`` - a claim at the end of the body scores near 0.
A source's prominence for a group is its best claim's, plus 0.05 for each repetition (capped at
1.0): a source that says a thing twice stresses it.

Findings (one class per ``Finding.kind``, :mod:`divergence.finding_kinds`):

* ``omission``: a group carried by at least ``min(2, n_sources - 1)`` sources, missing from
  the others; one finding per omitting source, with the carriers' sentences as evidence. (With
  two sources, every claim of one that the other lacks is an omission; with three or more, a
  claim only one source carries is reported as ``unique`` instead of as n-1 omissions.)
* ``unique``: a group carried by exactly one source.
* ``emphasis``: a group in the lede of some sources (title or first two body sentences) and buried
  (every mention in the last quarter of the body) in, or absent from, others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from .records import Claim, ClaimGroup, Emphasis, Finding, Omission, Quote, Related, Unique

BURIED_FROM = 0.75


def claim_prominence(claim: Claim) -> float:
    if claim.is_title:
        return 1.0
    if claim.lede:
        return 0.9
    return 0.8 * (1.0 - min(max(claim.position, 0.0), 1.0))


def build_groups(
    members: Sequence[Sequence[int]],
    claims: Sequence[Claim],
    source_ids: Sequence[str],
    cohesions: Sequence[float] | None = None,
    partial: Sequence[dict] | None = None,
) -> list[ClaimGroup]:
    """ClaimGroups from index lists. Groups are numbered in order of their first claim, so the
    numbering depends only on the input order of sources and claims."""
    order = sorted(range(len(members)), key=lambda k: min(members[k]))
    groups = []
    for n, k in enumerate(order, start=1):
        idx = sorted(members[k])
        carried: dict[str, list[Claim]] = {}
        for i in idx:
            carried.setdefault(claims[i].source, []).append(claims[i])
        sources = tuple(s for s in source_ids if s in carried)
        prominence = {
            s: min(1.0, max(claim_prominence(c) for c in carried[s]) + 0.05 * (len(carried[s]) - 1))
            for s in sources
        }
        groups.append(
            ClaimGroup(
                id=f"g{n}",
                claims=tuple(claims[i].id for i in idx),
                sources=sources,
                missing_from=tuple(
                    s for s in source_ids if s not in carried and not (partial and s in partial[k])
                ),
                prominence=prominence,
                cohesion=float(cohesions[k]) if cohesions is not None else 1.0,
                partial=dict(partial[k]) if partial else {},
            )
        )
    return groups


def _evidence(group: ClaimGroup, claims: dict[str, Claim]) -> tuple[Quote, ...]:
    return tuple(Quote(cid, claims[cid].source, claims[cid].text) for cid in group.claims)


def find_divergences(
    groups: Sequence[ClaimGroup],
    claims: dict[str, Claim],
    source_ids: Sequence[str],
    voices: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Omission, unique and emphasis findings, in group order then kind order.

    ``voices`` maps a source to its voice (:func:`divergence.derivation.voices`): supports are
    then counted in voices, so a claim carried only by a source and its copy is ``unique`` to
    them (``sources`` both) and is not an omission of the other sources by two carriers."""
    voice = voices or {}
    n_sources = len(source_ids) if voices is None else len({voice.get(s, s) for s in source_ids})
    min_support = max(1, min(2, n_sources - 1))
    findings: list[Finding] = []
    for g in groups:
        support = len(g.sources) if voices is None else len({voice.get(s, s) for s in g.sources})
        if n_sources >= 2 and support == 1:
            findings.append(
                Unique(
                    g.id,
                    g.sources,
                    prominence=max(g.prominence[s] for s in g.sources),
                    evidence=_evidence(g, claims),
                    voices=1 if voices is not None and len(g.sources) > 1 else None,
                )
            )
        if support >= min_support and g.missing_from:
            # one evidence tuple per group, shared by its omission findings: a group of a big
            # event can be omitted by hundreds of sources
            evidence = _evidence(g, claims)
            carrying = {voice.get(s, s) for s in g.sources}
            carrier_prominence = round(sum(g.prominence.values()) / max(support, 1), 4)
            for s in g.missing_from:
                if voices is not None and voice.get(s, s) in carrying:
                    continue  # its own voice carries it (a copy dropped what its original has)
                findings.append(
                    Omission(
                        g.id,
                        (s,),
                        carried_by=g.sources,
                        support=support,
                        of=n_sources,
                        counted="voices" if voices is not None else None,
                        carrier_prominence=carrier_prominence,
                        evidence=evidence,
                    )
                )
        emphasis = _emphasis(g, claims)
        if emphasis:
            findings.append(emphasis)
    return findings


def _emphasis(group: ClaimGroup, claims: dict[str, Claim]) -> Emphasis | None:
    by_source: dict[str, list[Claim]] = {}
    for cid in group.claims:
        by_source.setdefault(claims[cid].source, []).append(claims[cid])
    lede = [s for s in group.sources if any(c.lede for c in by_source[s])]
    if not lede:
        return None
    buried = [
        s
        for s in group.sources
        if s not in lede and all(c.position >= BURIED_FROM for c in by_source[s])
    ]
    absent = tuple(group.missing_from)
    if not buried and not absent:
        return None
    return Emphasis(
        group.id,
        tuple(lede),
        buried=tuple(buried),
        absent=absent,
        positions=tuple(
            (s, round(min(c.position for c in by_source[s]), 4)) for s in group.sources
        ),
        evidence=_evidence(group, claims),
    )


def with_related(
    findings: Sequence[Finding],
    groups: Sequence[ClaimGroup],
    links: Mapping[int, list[tuple[int, float]]],
    claim_at: Callable[[int], Claim],
) -> list[Finding]:
    """``findings`` with ``related`` claims: claims about the same topic as the group that
    (scored in the band under the grouping threshold, :func:`divergence.align.related_links`)
    do not state it. An omission gets the omitting source's, so a reader sees what that source
    says nearest to the claim; a unique claim gets the other sources', so a reader can check that
    no other source states it in other words. New findings; findings never change. ``links`` is
    keyed by position in ``groups``; ``claim_at`` gives the claim of a row index.

    >>> a = Claim("a#0", "a", "Nine died.", 0, 10, 0, 0.0)
    >>> b = Claim("b#0", "b", "The toll rose.", 0, 14, 0, 0.0)
    >>> groups = build_groups([[0], [1]], [a, b], ["a", "b"])
    >>> found = find_divergences(groups, {"a#0": a, "b#0": b}, ["a", "b"])
    >>> out = with_related(found, groups, {0: [(1, 0.3)]}, [a, b].__getitem__)
    >>> [(f.kind, f.sources, [r.text for r in f.related]) for f in out if f.group == groups[0].id]
    [('unique', ('a',), ['The toll rose.']), ('omission', ('b',), ['The toll rose.'])]
    """
    by_group = {groups[k].id: v for k, v in links.items()}
    out = []
    for f in findings:
        if isinstance(f, Omission | Unique) and f.group in by_group:
            own = isinstance(f, Omission)  # the omitting source's claims; else the others'
            related = tuple(
                Related(c.id, c.source, c.text, score)
                for c, score in ((claim_at(i), score) for i, score in by_group[f.group])
                if (c.source in f.sources) == own
            )
            if related:
                f = replace(f, related=related)
        out.append(f)
    return out
