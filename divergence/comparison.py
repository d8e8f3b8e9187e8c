"""The result of a comparison: sources, claims, dropped spans, groups, findings, signature.

    >>> import divergence
    >>> c = divergence.compare(["Biden called Putin on Tuesday.", "Putin took a call."],
    ...                        embedder="hashing")
    >>> sorted(c.to_dict())[:4]
    ['claims', 'derivations', 'dropped', 'findings']

``Comparison`` is plain data plus read-only helpers; renderers in :mod:`divergence.report` only
format it. ``to_json()`` is byte-identical for the same input and settings (sorted keys, fixed
float rounding, no timestamps).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .records import Claim, ClaimGroup, Derivation, Dropped, Finding, Source, Topic

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class Comparison:
    sources: tuple[Source, ...]
    claims: tuple[Claim, ...]
    dropped: tuple[Dropped, ...]
    groups: tuple[ClaimGroup, ...]
    findings: tuple[Finding, ...]
    signature: str
    settings: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    topics: tuple[Topic, ...] = ()
    derivations: tuple[Derivation, ...] = ()

    def topic_of(self, group_id: str) -> Topic | None:
        """The topic holding a claim group (None when topics were not computed)."""
        for t in self.topics:
            if group_id in t.groups:
                return t
        return None

    # -- lookups -------------------------------------------------------------------------------
    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def claim(self, claim_id: str) -> Claim:
        return self._claims[claim_id]

    def group(self, group_id: str) -> ClaimGroup:
        return self._groups[group_id]

    @property
    def _claims(self) -> dict[str, Claim]:
        cache = self.__dict__.get("_claim_index")
        if cache is None:
            cache = {c.id: c for c in self.claims}
            object.__setattr__(self, "_claim_index", cache)
        return cache

    @property
    def _groups(self) -> dict[str, ClaimGroup]:
        cache = self.__dict__.get("_group_index")
        if cache is None:
            cache = {g.id: g for g in self.groups}
            object.__setattr__(self, "_group_index", cache)
        return cache

    def group_of(self, claim_id: str) -> ClaimGroup:
        """The first group (in group order) holding a claim; see :meth:`groups_of`."""
        return self.groups_of(claim_id)[0]

    def groups_of(self, claim_id: str) -> list[ClaimGroup]:
        """Every group holding a claim: groups may overlap when a sentence carrying several
        claims also joins the groups of its other claims."""
        cache = self.__dict__.get("_claim_groups")
        if cache is None:
            cache = {}
            for g in self.groups:
                for cid in g.claims:
                    cache.setdefault(cid, []).append(g)
            object.__setattr__(self, "_claim_groups", cache)
        if claim_id not in cache:
            raise KeyError(claim_id)
        return list(cache[claim_id])

    def claims_of(self, source_id: str) -> list[Claim]:
        return [c for c in self.claims if c.source == source_id]

    # -- findings by kind --------------------------------------------------------------------
    def findings_of(self, kind: str, source_id: str | None = None) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.kind == kind and (source_id is None or source_id in f.sources)
        ]

    def omissions(self, source_id: str | None = None) -> list[Finding]:
        """Omission findings, most widely carried and most prominent first."""
        found = self.findings_of("omission", source_id)
        return sorted(
            found,
            key=lambda f: (-f.support, -f.carrier_prominence, _gnum(f.group)),
        )

    def partly(self, source_id: str) -> list[tuple[ClaimGroup, dict]]:
        """Groups ``source_id`` carries only in part (no omission is reported for them), with
        ``{claim, score, missing}``: its closest sentence and the claim's words it lacks."""
        return [(g, g.partial[source_id]) for g in self.groups if source_id in g.partial]

    def unique(self, source_id: str | None = None) -> list[Finding]:
        found = self.findings_of("unique", source_id)
        return sorted(found, key=lambda f: (-f.prominence, _gnum(f.group)))

    def emphasis(self, source_id: str | None = None) -> list[Finding]:
        return self.findings_of("emphasis", source_id)

    def conflicts(self, source_id: str | None = None) -> list[Finding]:
        return self.findings_of("conflict", source_id)

    def summary(self) -> list[dict[str, Any]]:
        """Per source: claims, groups carried, omitted, unique, emphasis (as lede), conflicts."""
        rows = []
        for s in self.sources:
            rows.append(
                {
                    "source": s.id,
                    "name": s.name,
                    "claims": sum(1 for c in self.claims if c.source == s.id),
                    "dropped": sum(1 for d in self.dropped if d.source == s.id),
                    "carried": sum(1 for g in self.groups if s.id in g.sources),
                    "omitted": len(self.findings_of("omission", s.id)),
                    "unique": len(self.findings_of("unique", s.id)),
                    "emphasis": sum(
                        1 for f in self.findings if f.kind == "emphasis" and f.involves(s.id)
                    ),
                    "conflicts": len(self.findings_of("conflict", s.id)),
                }
            )
        return rows

    # -- tabular -----------------------------------------------------------------------------
    def rows(self) -> Iterator[dict[str, Any]]:
        """One row per (group, source): claim text(s) or None, present/omitted, prominence and
        the kinds of findings that concern this source on this group. No pandas needed."""
        kinds: dict[tuple[str, str], set[str]] = {}
        for f in self.findings:
            for s in f.involved:  # f.involves(s) for exactly these sources
                kinds.setdefault((f.group, s), set()).add(f.kind)
        for g in self.groups:
            for s in self.sources:
                texts = [self.claim(c).text for c in g.claims if self.claim(c).source == s.id]
                yield {
                    "group": g.id,
                    "source": s.id,
                    "name": s.name,
                    "present": bool(texts),
                    "claims": " || ".join(texts) if texts else None,
                    "n_claims": len(texts),
                    "support": len(g.sources),
                    "prominence": round(g.prominence.get(s.id, 0.0), 4),
                    "findings": ",".join(sorted(kinds.get((g.id, s.id), ()))),
                }

    def to_dataframe(self):
        """The :meth:`rows` as a pandas DataFrame (needs pandas installed)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from None
        return pd.DataFrame(list(self.rows()))

    # -- serialisation -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "signature": self.signature,
            "settings": dict(self.settings),
            "sources": [s.to_dict() for s in self.sources],
            "claims": [c.to_dict() for c in self.claims],
            "dropped": [d.to_dict() for d in self.dropped],
            "groups": [g.to_dict() for g in self.groups],
            "findings": [f.to_dict() for f in self.findings],
            "topics": [t.to_dict() for t in self.topics],
            "derivations": [d.to_dict() for d in self.derivations],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, sort_keys=True) + "\n"

    # -- read back, tidy tables, notebook display (the work is in divergence.interchange) ----
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Comparison:
        """The Comparison a :meth:`to_dict` mapping (or parsed JSON) describes; source texts are
        rebuilt from the claims and dropped spans (see :func:`~divergence.interchange.
        fields_from_dict`). Raises :class:`~divergence.errors.InputError` for anything else, and
        for a field it could not hold (nothing is dropped silently)."""
        from .interchange import comparison_from_dict

        return comparison_from_dict(cls, data, SCHEMA_VERSION)

    @classmethod
    def from_json(cls, text: str | bytes) -> Comparison:
        """The Comparison a :meth:`to_json` text describes: ``from_json(c.to_json()) == c``.

        >>> from divergence import compare
        >>> c = compare(["Biden called Putin.", "Putin took a call."], embedder="hashing")
        >>> Comparison.from_json(c.to_json()).to_json() == c.to_json()
        True
        """
        from .errors import InputError

        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise InputError(f"not a comparison's JSON: {exc}") from None
        return cls.from_dict(data)

    def __eq__(self, other: object) -> bool:
        """Equal when the JSON contracts are equal, ``settings`` aside (as before): every record
        field, the findings' ``detail`` and the sources' ``meta`` included, at the JSON's
        rounding; so a comparison equals itself read back with :meth:`from_json`."""
        if not isinstance(other, Comparison):
            return NotImplemented
        return self is other or self._contract() == other._contract()

    def __hash__(self) -> int:
        return hash((self.signature, tuple(c.id for c in self.claims), len(self.findings)))

    def _contract(self) -> str:
        data = self.to_dict()
        data.pop("settings", None)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    def to_frames(self) -> dict[str, Any]:
        """Tidy pandas DataFrames: ``sources``, ``claims``, ``groups``, ``memberships`` (claim in
        group), ``findings`` and ``derivations``, joinable on ``source``, ``claim`` and ``group``
        ids; see
        :func:`divergence.interchange.frames`. Needs pandas (``divergence[pandas]``)."""
        from .interchange import frames

        return frames(self)

    def _repr_html_(self) -> str:
        """The per-source summary table, shown by notebooks."""
        from .interchange import summary_html

        return summary_html(self)


def _gnum(group_id: str) -> int:
    digits = "".join(ch for ch in group_id if ch.isdigit())
    return int(digits) if digits else 0
