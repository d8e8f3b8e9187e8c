"""A Comparison in and out of other forms: read back from its JSON, tidy DataFrames, notebook HTML.

    >>> import divergence
    >>> c = divergence.compare(["Biden called Putin.", "Putin took a call."],
    ...                        embedder="hashing", attribution="rules")
    >>> divergence.Comparison.from_json(c.to_json()) == c
    True
    >>> "<table>" in c._repr_html_()
    True

:class:`~divergence.comparison.Comparison` exposes these as ``from_dict`` / ``from_json``,
``to_frames`` and ``_repr_html_``; this module holds the work, so it depends on the records
only (never on ``comparison``: it is handed the comparison, and gives back constructor fields).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from .errors import InputError
from .records import (
    Attribution,
    Claim,
    ClaimGroup,
    Derivation,
    Dropped,
    Finding,
    Source,
    Topic,
)

#: The tables of :func:`frames` and their columns, in order.
FRAME_COLUMNS = {
    "sources": ["source", "name", "title", "date", "path", "n_claims", "n_dropped"],
    "claims": [
        "claim",
        "source",
        "text",
        "start",
        "end",
        "index",
        "position",
        "is_title",
        "lede",
        "speaker",
        "attribution_kind",
        "hedges",
    ],
    "groups": [
        "group",
        "support",
        "n_claims",
        "sources",
        "missing_from",
        "cohesion",
        "prominence",
        "topic",
        "topic_label",
    ],
    "memberships": ["claim", "group", "source"],
    "findings": ["finding", "kind", "group", "sources", "detail"],
    "derivations": [
        "source",
        "from",
        "relation",
        "direction",
        "basis",
        "reused",
        "taken",
        "claims",
        "words_changed",
        "in_order",
    ],
}


def comparison_from_dict(cls: Any, data: Any, schema_version: str) -> Any:
    """A ``cls`` (Comparison) from its ``to_dict()`` mapping, refusing to drop anything: when the
    result would not write the same mapping back (``settings`` aside), the field it cannot hold
    is named in an :class:`InputError` rather than silently lost."""
    comparison = cls(**fields_from_dict(data, schema_version))
    lost = _first_difference(data, comparison.to_dict())
    if lost:
        raise InputError(f"cannot read this comparison back without losing {lost}")
    return comparison


def _first_difference(given: Mapping[str, Any], rebuilt: Mapping[str, Any]) -> str | None:
    """Where ``rebuilt`` (a ``to_dict()``) differs from the ``given`` mapping, as JSON."""

    def same(a: Any, b: Any) -> bool:
        return json.dumps(a, sort_keys=True, default=str) == json.dumps(
            b, sort_keys=True, default=str
        )

    for key in sorted(set(given) | set(rebuilt)):
        if key == "settings" or same(given.get(key), rebuilt.get(key)):
            continue
        if key not in rebuilt:
            return f"its field '{key}'"
        a, b = given.get(key), rebuilt[key]
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for k, (x, y) in enumerate(zip(a, b, strict=True)):
                if isinstance(x, Mapping) and isinstance(y, Mapping) and not same(x, y):
                    fields = sorted(f for f in set(x) | set(y) if not same(x.get(f), y.get(f)))
                    return f"{key}[{k}] field(s) {', '.join(map(repr, fields))}"
        return f"its field '{key}'"
    return None


def fields_from_dict(data: Any, schema_version: str) -> dict[str, Any]:
    """The constructor fields of the Comparison a ``to_dict()`` mapping describes.

    The JSON holds no source texts: each ``Source.text`` is rebuilt from the claims and dropped
    spans at their offsets, the gaps between them (whitespace in the original) as spaces, so
    ``source.text[claim.start:claim.end] == claim.text`` still holds. Floats come back at the
    JSON's rounding. Raises :class:`InputError` for anything that is not such a mapping.

        >>> fields_from_dict({"schema_version": "0.9"}, "1.0")
        Traceback (most recent call last):
        ...
        divergence.errors.InputError: comparison schema_version '0.9' is not '1.0' (this \
version of divergence reads only its own)
    """
    if not isinstance(data, Mapping):
        raise InputError(f"a comparison must be a JSON object, not {type(data).__name__}")
    version = data.get("schema_version")
    if version != schema_version:
        raise InputError(
            f"comparison schema_version {version!r} is not {schema_version!r} (this version of "
            "divergence reads only its own)"
        )
    try:
        return _fields(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise InputError(f"not a divergence comparison: {what}") from None


def _fields(data: Mapping[str, Any]) -> dict[str, Any]:
    claims = tuple(
        Claim(
            id=c["id"],
            source=c["source"],
            text=c["text"],
            start=c["start"],
            end=c["end"],
            index=c["index"],
            position=c["position"],
            is_title=c["is_title"],
            lede=c["lede"],
            attribution=Attribution(**c["attribution"]) if c.get("attribution") else None,
            hedges=tuple(c.get("hedges") or ()),
        )
        for c in data["claims"]
    )
    dropped = tuple(Dropped(**d) for d in data["dropped"])
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for piece in (*claims, *dropped):
        spans.setdefault(piece.source, []).append((piece.start, piece.end, piece.text))
    sources = tuple(
        Source(
            id=s["id"],
            name=s["name"],
            text=_rebuilt_text(spans.get(s["id"], [])),
            title=s.get("title"),
            path=s.get("path"),
            date=s.get("date"),
            meta=dict(s.get("meta") or {}),
        )
        for s in data["sources"]
    )
    groups = tuple(
        ClaimGroup(
            id=g["id"],
            claims=tuple(g["claims"]),
            sources=tuple(g["sources"]),
            missing_from=tuple(g["missing_from"]),
            prominence=dict(g.get("prominence") or {}),
            cohesion=g.get("cohesion", 1.0),
            partial={k: dict(v) for k, v in (g.get("partial") or {}).items()},
        )
        for g in data["groups"]
    )
    findings = tuple(Finding.from_dict(f) for f in data["findings"])
    topics = tuple(
        Topic(
            id=t["id"],
            terms=tuple(t["terms"]),
            groups=tuple(t["groups"]),
            share=dict(t.get("share") or {}),
        )
        for t in data.get("topics") or ()
    )
    derivations = tuple(
        Derivation(
            source=d["source"],
            from_=d["from"],
            relation=d["relation"],
            direction=d["direction"],
            basis=d["basis"],
            reused=d["reused"],
            taken=d["taken"],
            claims=d["claims"],
            words_changed=d["words_changed"],
            in_order=d["in_order"],
            matches=tuple(tuple(m) for m in d.get("matches") or ()),
            evidence=tuple(dict(e) for e in d.get("evidence") or ()),
        )
        for d in data.get("derivations") or ()
    )
    return {
        "derivations": derivations,
        "sources": sources,
        "claims": claims,
        "dropped": dropped,
        "groups": groups,
        "findings": findings,
        "signature": data["signature"],
        "settings": dict(data.get("settings") or {}),
        "topics": topics,
    }


def _rebuilt_text(spans: list[tuple[int, int, str]]) -> str:
    """A text holding each (start, end, text) piece at its offsets, spaces between them.

    >>> _rebuilt_text([(6, 11, "world"), (0, 5, "Hello")])
    'Hello world'
    """
    out: list[str] = []
    at = 0
    for start, end, text in sorted(spans):
        if end <= at:  # inside a piece already placed (the invariant says none is)
            continue
        if start < at:
            text, start = text[at - start :], at
        out.append(" " * (start - at) + text)
        at = end
    return "".join(out)


def frames(comparison: Any) -> dict[str, Any]:
    """Tidy pandas DataFrames of a comparison, one per table of :data:`FRAME_COLUMNS`.

    One row per source (``source``), claim (``claim``, its ``source``), group (``group``),
    claim in a group (``memberships``: ``claim``, ``group``, ``source``; a claim may sit in
    several groups) and finding (``finding``, its position in ``Comparison.findings``; its
    ``group``; ``sources`` as a list, ``detail`` as a dict), and one row per text-reuse
    relation (``derivations``: ``source`` took text ``from`` another). Claims join groups through
    ``memberships``, findings join groups on ``group``, every table joins sources on ``source``.
    Values are those of the JSON (same rounding).
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_frames() needs pandas: pip install 'divergence[pandas]'") from None
    n_claims: dict[str, int] = {}
    for c in comparison.claims:
        n_claims[c.source] = n_claims.get(c.source, 0) + 1
    n_dropped: dict[str, int] = {}
    for d in comparison.dropped:
        n_dropped[d.source] = n_dropped.get(d.source, 0) + 1
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FRAME_COLUMNS}
    for s in comparison.sources:
        rows["sources"].append(
            {
                "source": s.id,
                "name": s.name,
                "title": s.title,
                "date": s.date,
                "path": s.path,
                "n_claims": n_claims.get(s.id, 0),
                "n_dropped": n_dropped.get(s.id, 0),
            }
        )
    source_of = {}
    for c in comparison.claims:
        d = c.to_dict()
        source_of[c.id] = c.source
        rows["claims"].append(
            {
                **{k: d[k] for k in ("source", "text", "start", "end", "index", "position")},
                "claim": d["id"],
                "is_title": d["is_title"],
                "lede": d["lede"],
                "speaker": c.attribution.label if c.attribution else None,
                "attribution_kind": c.attribution.kind if c.attribution else None,
                "hedges": d["hedges"],
            }
        )
    topic_of = {gid: t for t in comparison.topics for gid in t.groups}
    for g in comparison.groups:
        d = g.to_dict()
        topic = topic_of.get(g.id)
        rows["groups"].append(
            {
                "group": g.id,
                "support": len(g.sources),
                "n_claims": len(g.claims),
                "sources": d["sources"],
                "missing_from": d["missing_from"],
                "cohesion": d["cohesion"],
                "prominence": d["prominence"],
                "topic": topic.id if topic else None,
                "topic_label": topic.label if topic else None,
            }
        )
        for cid in g.claims:
            rows["memberships"].append({"claim": cid, "group": g.id, "source": source_of[cid]})
    for k, f in enumerate(comparison.findings):
        d = f.to_dict()
        rows["findings"].append(
            {"finding": k, "kind": f.kind, "group": f.group, "sources": d["sources"]}
            | {"detail": d["detail"]}
        )
    for der in comparison.derivations:
        d = der.to_dict()
        rows["derivations"].append({k: d[k] for k in FRAME_COLUMNS["derivations"]})
    return {
        name: pd.DataFrame([{col: row[col] for col in cols} for row in rows[name]], columns=cols)
        for name, cols in FRAME_COLUMNS.items()
    }


def summary_html(comparison: Any) -> str:
    """The per-source summary as an HTML table (what a notebook shows for a Comparison)."""
    heads = ["source", "name", "claims", "dropped", "carried", "omitted", "unique"]
    heads += ["emphasis", "conflicts"]
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(row[h]))}</td>" for h in heads) + "</tr>"
        for row in comparison.summary()
    )
    kinds = [f.kind for f in comparison.findings]
    caption = (
        f"divergence: {len(comparison.sources)} sources, {len(comparison.claims)} claims, "
        f"{len(comparison.groups)} claim groups; {kinds.count('omission')} omissions, "
        f"{kinds.count('unique')} unique, {kinds.count('emphasis')} emphasis, "
        f"{kinds.count('conflict')} conflicts"
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
