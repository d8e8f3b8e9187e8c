"""Immutable records that flow between the pipeline stages.

Every stage takes and returns these small frozen dataclasses, so that a stage can be swapped or
tested alone. Offsets (``start``/``end``) always index ``Source.text`` exactly as it was decoded
from its input: ``source.text[claim.start:claim.end] == claim.text``.

>>> s = Source(id="a", name="AP", text="Biden called Putin.")
>>> s.text[0:5]
'Biden'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# the findings, one frozen class per kind, live in their own module; importable from here too
from .finding_kinds import (  # noqa: F401
    FINDING_KINDS,
    KINDS,
    Conflict,
    Emphasis,
    Finding,
    Omission,
    Quote,
    Related,
    Unique,
)


@dataclass(frozen=True)
class Source:
    """One report of the event, exactly as read.

    ``id`` is unique within a comparison; ``name`` is the display name (outlet, file stem or
    speaker). ``title`` and ``date`` are filled by the clean stage when the text gives them and
    the input did not. ``meta`` keeps every extra field the input carried (e.g. extra JSONL keys).
    """

    id: str
    name: str
    text: str
    title: str | None = None
    path: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "meta": dict(self.meta),
        }


@dataclass(frozen=True)
class Dropped:
    """A span of a source left out of the comparison, and why (``reason``)."""

    source: str
    start: int
    end: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Attribution:
    """Who a claim is attributed to inside its article, and by which cue."""

    speaker: str
    cue: str
    speaker_start: int
    speaker_end: int
    kind: str = "reported"  # reported | direct-quote | according-to | carried-over | own-voice
    # the organisation the text ties the speaker to by a role ("its chairman", "a spokesman
    # for Brenmoor Pharma"); None when it names none
    affiliation: str | None = None

    @property
    def label(self) -> str:
        """The speaker as shown: "Name (Organisation)" when the affiliation is known and the
        name does not already say it ("spokesman for Brenmoor Pharma")."""
        if not self.affiliation or self.affiliation.lower() in self.speaker.lower():
            return self.speaker
        return f"{self.speaker} ({self.affiliation})"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "speaker": self.speaker,
            "cue": self.cue,
            "speaker_start": self.speaker_start,
            "speaker_end": self.speaker_end,
            "kind": self.kind,
        }
        if self.affiliation:
            out["affiliation"] = self.affiliation
        return out


def clause_of(claim_id: str) -> tuple[str, int | None]:
    """``(sentence claim id, clause number)`` of a claim id: a clause cut by
    :mod:`divergence.clauses` is ``<sentence id>.<k>``; a whole sentence gives ``(id, None)``.

    >>> clause_of("story.v2#3.1"), clause_of("story.v2#3")
    (('story.v2#3', 1), ('story.v2#3', None))
    """
    head, sep, tail = claim_id.rpartition("#")
    number, dot, k = tail.partition(".")
    if not sep or not dot or not k.isdigit():
        return claim_id, None
    return f"{head}#{number}", int(k)


@dataclass(frozen=True)
class Claim:
    """A checkable statement: one sentence of a source, or one clause of it with
    ``unit="clause"`` (:mod:`divergence.clauses`; id ``<sentence id>.<k>``).

    ``index`` is the claim's order within its source (the title is 0 when there is one);
    ``position`` is where the claim starts within the body, 0.0 (top) to 1.0 (end); the title's
    position is 0.0. ``lede`` marks the title and the first two body sentences.
    """

    id: str
    source: str
    text: str
    start: int
    end: int
    index: int
    position: float
    is_title: bool = False
    lede: bool = False
    attribution: Attribution | None = None
    hedges: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "index": self.index,
            "position": round(self.position, 4),
            "is_title": self.is_title,
            "lede": self.lede,
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "hedges": list(self.hedges),
        }


@dataclass(frozen=True)
class ClaimGroup:
    """Claims from one or more sources that state the same thing.

    ``claims`` are claim ids (a source may contribute several); ``sources`` the sources that carry
    the claim, ``missing_from`` those that do not. ``prominence`` maps each carrying source to a
    0..1 score (title/lede high, buried low, repetition adds). ``cohesion`` is the mean pairwise
    similarity of the group's cross-source members (1.0 for single-claim groups).
    ``partial`` maps each source that *partly* carries the claim (its best sentence scored in
    the judge's "partly present" band, :mod:`divergence.presence`) to ``{claim, score,
    missing}``: that sentence, its score and the claim's content words it lacks. Such a source
    is neither in ``sources`` nor in ``missing_from``.
    """

    id: str
    claims: tuple[str, ...]
    sources: tuple[str, ...]
    missing_from: tuple[str, ...]
    prominence: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    cohesion: float = 1.0
    partial: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "claims": list(self.claims),
            "sources": list(self.sources),
            "missing_from": list(self.missing_from),
            "prominence": {k: round(v, 4) for k, v in self.prominence.items()},
            "cohesion": round(self.cohesion, 4),
        }
        if self.partial:
            out["partial"] = {
                s: {"claim": p["claim"], "score": round(p["score"], 4), "missing": p["missing"]}
                for s, p in self.partial.items()
            }
        return out


@dataclass(frozen=True)
class Topic:
    """A cluster of claim groups: ``terms`` label it (most characteristic first), ``groups`` are
    its claim-group ids, ``share`` maps each source id to the fraction of its claims in it."""

    id: str
    terms: tuple[str, ...]
    groups: tuple[str, ...]
    share: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        return ", ".join(self.terms) if self.terms else self.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "terms": list(self.terms),
            "groups": list(self.groups),
            "share": {k: round(v, 4) for k, v in self.share.items()},
        }


@dataclass(frozen=True)
class Derivation:
    """Text reuse between two sources (:mod:`divergence.derivation`): ``source`` took over
    ``taken`` of its ``claims`` claims from ``from_`` (``"from"`` in JSON).

    ``relation`` is ``copy`` (mostly near-verbatim, in order), ``rewrite`` (spun or edited
    copy) or ``quotes`` (a few near-verbatim passages). ``direction`` is ``known`` when the
    dates (``basis: date``) or the text (``basis: text``) say which one is derived, else
    ``unknown`` (then ``source``/``from_`` are only the more / less reused of the two).
    ``matches`` are the aligned claim pairs ``(source claim, from claim, score)``; ``evidence``
    a few of them with the words that changed (``[old, new]`` pairs).
    """

    source: str
    from_: str
    relation: str
    direction: str
    basis: str | None
    reused: float
    taken: int
    claims: int
    words_changed: int
    in_order: float
    matches: tuple[tuple[str, str, float], ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "from": self.from_,
            "relation": self.relation,
            "direction": self.direction,
            "basis": self.basis,
            "reused": round(self.reused, 4),
            "taken": self.taken,
            "claims": self.claims,
            "words_changed": self.words_changed,
            "in_order": round(self.in_order, 4),
            "matches": [list(m) for m in self.matches],
            "evidence": [dict(e) for e in self.evidence],
        }
