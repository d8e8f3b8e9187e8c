"""The findings: one frozen class per kind, sharing the small base :class:`Finding`.

Each kind keeps its evidence in typed fields; ``detail`` and ``to_dict()`` give the JSON
mapping of earlier versions, key for key, so code reading ``finding.detail["evidence"]`` keeps
working and the JSON contract does not change. Nothing here can be changed after creation:
a stage that adds to a finding builds a new one (``dataclasses.replace``).

    >>> q = Quote("a#3", "a", "Biden called Putin.")
    >>> f = Omission("g1", ("b",), carried_by=("a",), support=1, of=2,
    ...              carrier_prominence=0.9, evidence=(q,))
    >>> f.kind, f.involves("b"), f.involves("a")
    ('omission', True, False)
    >>> f.detail["evidence"][0]["text"]
    'Biden called Putin.'
    >>> Finding.from_dict(f.to_dict()) == f
    True

Pairs keyed by source (a conflict's ``spans``, ``values`` and ``stance``, an emphasis's
``positions``) are tuples of ``(source, value)`` in the JSON's key order, so every finding is
hashable; :meth:`Conflict.span` and friends look one up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

FINDING_KINDS = ("omission", "unique", "emphasis", "conflict")


@dataclass(frozen=True)
class Quote:
    """A claim quoted as evidence: its id, its source and its text."""

    claim: str
    source: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "source": self.source, "text": self.text}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Quote:
        return cls(claim=d["claim"], source=d["source"], text=d["text"])


@dataclass(frozen=True)
class Related:
    """A claim about the same topic as a claim group that does not state it (of the omitting
    source for an omission, of another source for a unique claim): its pair ``score`` is in
    ``[related_threshold, threshold)``."""

    claim: str
    source: str
    text: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "source": self.source, "text": self.text, "score": self.score}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Related:
        return cls(claim=d["claim"], source=d["source"], text=d["text"], score=d["score"])


Pairs = tuple[tuple[str, Any], ...]


def _pairs(mapping: Mapping[str, Any] | None) -> Pairs | None:
    return None if mapping is None else tuple((str(k), v) for k, v in mapping.items())


def _lookup(pairs: Pairs | None, source: str) -> Any:
    for k, v in pairs or ():
        if k == source:
            return v
    return None


def _check_keys(kind: str, detail: Mapping[str, Any], known: tuple[str, ...]) -> None:
    extra = sorted(set(detail) - set(known))
    if extra:
        raise ValueError(f"{kind} finding: unknown detail key(s) {', '.join(map(repr, extra))}")


@dataclass(frozen=True)
class Finding:
    """The base of the findings: one divergence between sources on one claim ``group``.

    ``kind`` names the class (``omission``, ``unique``, ``emphasis``, ``conflict``);
    ``sources`` are the sources the finding is about (see each kind). Build a kind's class,
    or :meth:`from_detail` from a kind and an earlier version's ``detail`` mapping.
    """

    kind: ClassVar[str] = ""
    group: str
    sources: tuple[str, ...]

    def __new__(cls, *args: Any, **kwargs: Any) -> Finding:
        if cls is Finding:
            raise TypeError(
                "Finding is the base of the typed findings: build Omission, Unique, Emphasis or "
                "Conflict, or Finding.from_detail(kind, group, sources, detail)"
            )
        return super().__new__(cls)

    @property
    def involved(self) -> tuple[str, ...]:
        """The sources the finding concerns: its ``sources``, and for an emphasis finding also
        the sources that bury or omit the claim."""
        return self.sources

    def involves(self, source: str) -> bool:
        """Whether the finding concerns ``source`` (``source in self.involved``)."""
        return source in self.involved

    @property
    def detail(self) -> dict[str, Any]:
        """The evidence as the JSON's ``detail`` mapping (a new dict on every call: changing
        it changes no finding)."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "group": self.group,
            "sources": list(self.sources),
            "detail": self.detail,
        }

    @staticmethod
    def from_detail(
        kind: str, group: str, sources: tuple[str, ...], detail: Mapping[str, Any] | None = None
    ) -> Finding:
        """The typed finding of ``kind`` an earlier version's ``Finding(kind, group, sources,
        detail)`` described. Raises ``ValueError`` for an unknown kind or detail key and
        ``KeyError`` for a missing one."""
        if kind not in KINDS:
            raise ValueError(f"unknown finding kind {kind!r} (one of {', '.join(FINDING_KINDS)})")
        return KINDS[kind]._from_detail(group, tuple(sources), dict(detail or {}))

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> Finding:
        """The finding a :meth:`to_dict` mapping describes."""
        return Finding.from_detail(d["kind"], d["group"], tuple(d["sources"]), d["detail"])

    @classmethod
    def _from_detail(cls, group: str, sources: tuple[str, ...], d: dict[str, Any]) -> Finding:
        raise NotImplementedError


def _quotes(items: Any) -> tuple[Quote, ...]:
    return tuple(Quote.from_dict(e) for e in items or ())


@dataclass(frozen=True)
class Omission(Finding):
    """``sources`` (one source) omit a claim that ``carried_by`` carry: ``support`` of ``of``
    sources (or voices, ``counted="voices"``, when copies count as one voice). ``related`` are
    the omitting source's claims on the same topic that do not state it; ``voices``,
    ``derived`` and ``copy_only`` say when the carriers are a source and its copy."""

    kind: ClassVar[str] = "omission"
    carried_by: tuple[str, ...]
    support: int
    of: int
    carrier_prominence: float
    evidence: tuple[Quote, ...] = ()
    counted: str | None = None
    related: tuple[Related, ...] = ()
    voices: int | None = None
    derived: tuple[tuple[str, str], ...] | None = None
    copy_only: bool = False

    @property
    def detail(self) -> dict[str, Any]:
        d: dict[str, Any] = {"carried_by": list(self.carried_by), "support": self.support}
        d["of"] = self.of
        if self.counted is not None:
            d["counted"] = self.counted
        d["carrier_prominence"] = self.carrier_prominence
        d["evidence"] = [q.to_dict() for q in self.evidence]
        if self.related:
            d["related"] = [r.to_dict() for r in self.related]
        if self.voices is not None:
            d["voices"] = self.voices
        if self.derived is not None:
            d["derived"] = [list(p) for p in self.derived]
        if self.copy_only:
            d["copy_only"] = True
        return d

    @classmethod
    def _from_detail(cls, group: str, sources: tuple[str, ...], d: dict[str, Any]) -> Omission:
        _check_keys("omission", d, _OMISSION_KEYS)
        return cls(
            group,
            sources,
            carried_by=tuple(d["carried_by"]),
            support=d["support"],
            of=d["of"],
            carrier_prominence=d["carrier_prominence"],
            evidence=_quotes(d.get("evidence")),
            counted=d.get("counted"),
            related=tuple(Related.from_dict(r) for r in d.get("related") or ()),
            voices=d.get("voices"),
            derived=None if d.get("derived") is None else tuple(tuple(p) for p in d["derived"]),
            copy_only=bool(d.get("copy_only", False)),
        )


_OMISSION_KEYS = (
    "carried_by",
    "support",
    "of",
    "counted",
    "carrier_prominence",
    "evidence",
    "related",
    "voices",
    "derived",
    "copy_only",
)


@dataclass(frozen=True)
class Unique(Finding):
    """Only ``sources`` carry the claim (one source, or a source and its copies with
    ``voices=1``); ``prominence`` is their best prominence for it; ``related`` are the other
    sources' claims on the same topic that do not state it (the nearest, to check by eye)."""

    kind: ClassVar[str] = "unique"
    prominence: float
    evidence: tuple[Quote, ...] = ()
    voices: int | None = None
    related: tuple[Related, ...] = ()

    @property
    def detail(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "evidence": [q.to_dict() for q in self.evidence],
            "prominence": self.prominence,
        }
        if self.voices is not None:
            d["voices"] = self.voices
        if self.related:
            d["related"] = [r.to_dict() for r in self.related]
        return d

    @classmethod
    def _from_detail(cls, group: str, sources: tuple[str, ...], d: dict[str, Any]) -> Unique:
        _check_keys("unique", d, ("evidence", "prominence", "voices", "related"))
        return cls(
            group,
            sources,
            prominence=d["prominence"],
            evidence=_quotes(d.get("evidence")),
            voices=d.get("voices"),
            related=tuple(Related.from_dict(r) for r in d.get("related") or ()),
        )


@dataclass(frozen=True)
class Emphasis(Finding):
    """``sources`` lead with the claim (title or first two body sentences; also ``lede``) while
    ``buried`` mention it only in the last quarter of their body and ``absent`` omit it;
    ``positions`` are each carrier's first position, 0 (top) to 1 (end)."""

    kind: ClassVar[str] = "emphasis"
    buried: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    positions: tuple[tuple[str, float], ...] = ()
    evidence: tuple[Quote, ...] = ()

    @property
    def lede(self) -> tuple[str, ...]:
        return self.sources

    @property
    def involved(self) -> tuple[str, ...]:
        return self.sources + self.buried + self.absent

    def position(self, source: str) -> float | None:
        return _lookup(self.positions, source)

    @property
    def detail(self) -> dict[str, Any]:
        return {
            "lede": list(self.sources),
            "buried": list(self.buried),
            "absent": list(self.absent),
            "positions": dict(self.positions),
            "evidence": [q.to_dict() for q in self.evidence],
        }

    @classmethod
    def _from_detail(cls, group: str, sources: tuple[str, ...], d: dict[str, Any]) -> Emphasis:
        _check_keys("emphasis", d, ("lede", "buried", "absent", "positions", "evidence"))
        if "lede" in d and tuple(d["lede"]) != sources:
            raise ValueError("emphasis finding: detail 'lede' differs from its sources")
        return cls(
            group,
            sources,
            buried=tuple(d.get("buried") or ()),
            absent=tuple(d.get("absent") or ()),
            positions=_pairs(d.get("positions") or {}) or (),
            evidence=_quotes(d.get("evidence")),
        )


@dataclass(frozen=True)
class Conflict(Finding):
    """Aligned claims of ``sources`` (two) disagree. ``type`` is ``number``, ``attribution``
    or ``contradiction``; ``claims`` the two claim ids; ``spans`` the words that differ, per
    source; ``values`` (number conflicts) the figures as written; ``stance`` (attribution
    conflicts) ``fact``, ``attributed`` or ``hedged`` per source; ``score`` the aligner's score
    of the two claims, when the pipeline made the finding."""

    kind: ClassVar[str] = "conflict"
    type: str
    claims: tuple[str, ...] = ()
    spans: tuple[tuple[str, str], ...] = ()
    explanation: str = ""
    evidence: tuple[Quote, ...] = ()
    values: tuple[tuple[str, str], ...] | None = None
    stance: tuple[tuple[str, str], ...] | None = None
    score: float | None = None

    def span(self, source: str) -> str | None:
        return _lookup(self.spans, source)

    @property
    def detail(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "type": self.type,
            "claims": list(self.claims),
            "spans": dict(self.spans),
            "explanation": self.explanation,
            "evidence": [q.to_dict() for q in self.evidence],
        }
        if self.values is not None:
            d["values"] = dict(self.values)
        if self.stance is not None:
            d["stance"] = dict(self.stance)
        if self.score is not None:
            d["score"] = self.score
        return d

    @classmethod
    def _from_detail(cls, group: str, sources: tuple[str, ...], d: dict[str, Any]) -> Conflict:
        known = ("type", "claims", "spans", "explanation", "evidence", "values", "stance", "score")
        _check_keys("conflict", d, known)
        return cls(
            group,
            sources,
            type=d["type"],
            claims=tuple(d.get("claims") or ()),
            spans=_pairs(d.get("spans") or {}) or (),
            explanation=d.get("explanation", ""),
            evidence=_quotes(d.get("evidence")),
            values=_pairs(d.get("values")),
            stance=_pairs(d.get("stance")),
            score=d.get("score"),
        )


#: The class of each finding kind.
KINDS: dict[str, type[Finding]] = {
    "omission": Omission,
    "unique": Unique,
    "emphasis": Emphasis,
    "conflict": Conflict,
}
