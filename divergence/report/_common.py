"""Presentation helpers shared by the renderers: labels and wording, no analysis.

>>> labels(["a", "b"])
{'a': 'A', 'b': 'B'}
>>> one_line("  two\\n lines ")
'two lines'
"""

from __future__ import annotations

import re
from typing import Any

from ..records import clause_of

FINDING_WORDS = {
    "omission": "omitted",
    "unique": "unique",
    "emphasis": "emphasis",
    "conflict": "conflict",
}


def labels(source_ids: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Short letters for sources in the order given: A, B, ... Z, then 27, 28, ..."""
    return {s: chr(65 + i) if i < 26 else str(i + 1) for i, s in enumerate(source_ids)}


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return " ".join(str(text).split())


def short(text: str, limit: int = 240) -> str:
    """``one_line(text)`` cut at ``limit`` characters with an ellipsis."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def as_read(claim_id: str, text: str) -> str:
    """A claim's text as a reader should see it: a clause cut from a longer sentence (claim id
    ``a#3.1``; ``unit="clause"``, the default judge's unit) opens with "…" unless it is the
    sentence's first clause, and ends with "…" where the sentence goes on, so a fragment such as
    "and has agreed to a new start." is not read as a whole sentence. Only the reports mark it;
    the JSON keeps the claim's exact text.

    >>> as_read("a#3.1", "and was ready to allow New START to lapse.")
    '…and was ready to allow New START to lapse.'
    >>> as_read("a#3.0", "The note said the presidents agreed,")
    'The note said the presidents agreed…'
    >>> as_read("a#3", "A whole sentence, not cut")
    'A whole sentence, not cut'
    """
    k = clause_of(claim_id)[1]
    if k is None:
        return text
    if k > 0:
        text = "…" + text.lstrip()
    if not re.search(r"[.!?][\"'”’)]?\s*$", text):
        text = text.rstrip().rstrip(",;:—–-").rstrip() + "…"
    return text


def quoted(f: Any, spans: bool = False) -> list[tuple[str, str]]:
    """A finding's evidence as ``(source, text)`` pairs (clause fragments marked, see
    :func:`as_read`); with ``spans``, a conflict's words that differ instead, when it has
    them."""
    return (spans and list(getattr(f, "spans", ()))) or [
        (q.source, as_read(q.claim, q.text)) for q in f.evidence
    ]


def check_first(findings: list, source_id: str | None = None) -> str:
    """The note under an omission or unique-claim heading: how many of the findings show a
    nearest claim (of the omitting source ``source_id``; for unique claims, ``None``: of another
    source) scored under the threshold. Those are the ones to check, as such a claim often states
    the finding's claim in other words (docs/judge.md: held out on dev, an omission with a
    nearest claim was right a third of the time, one without it 58%; unique claims 38% and 61%).

    >>> from divergence.finding_kinds import Omission, Related
    >>> f = Omission(group="g1", sources=("b",), carried_by=("a",), support=1, of=2,
    ...     carrier_prominence=0.5, related=(Related("b#2", "b", "The toll may rise.", 0.31),))
    >>> check_first([f], "b")
    '1 with a nearest claim that may state it: check those'
    """
    n = sum(1 for f in findings if nearest(f, source_id) is not None)
    return f"{n} with a nearest claim that may state it: check those" if n else ""


def nearest(f: Any, source_id: str | None = None) -> tuple[str, str, float] | None:
    """A finding's nearest ``related`` claim as ``(source, text as read, score)``, or ``None``:
    for an omission the omitting source's claim closest to the group (``source_id``), for a
    unique claim another source's. Shown beside the finding so a reader can check it: a source
    that states the claim in words the judge scored under the threshold shows it here.

    >>> from divergence.finding_kinds import Omission, Related
    >>> f = Omission(group="g1", sources=("b",), carried_by=("a",), support=1, of=2,
    ...     carrier_prominence=0.5,
    ...     related=(Related("b#2.1", "b", "and the toll is expected to rise.", 0.31),))
    >>> nearest(f, "b")
    ('b', '…and the toll is expected to rise.', 0.31)
    >>> nearest(f, "c") is None
    True
    """
    for r in getattr(f, "related", ()):  # strongest first
        if source_id is None or r.source == source_id:
            return r.source, as_read(r.claim, r.text), r.score
    return None


def pct(x: float) -> str:
    """A 0..1 share as a whole percentage: ``pct(0.456) == '46%'``."""
    return f"{round(100 * x)}%"


def emphasis_for(comparison: Any, source_id: str) -> list[Any]:
    """Emphasis findings that concern a source: it leads with the claim, buries or omits it."""
    return [f for f in comparison.emphasis() if f.involves(source_id)]


def emphasis_words(f: Any, lab: dict[str, str]) -> str:
    """'lede in A; buried in B; absent from C' for one emphasis finding."""
    parts = [f"lede in {', '.join(lab[x] for x in f.sources)}"]
    if f.buried:
        parts.append(f"buried in {', '.join(lab[x] for x in f.buried)}")
    if f.absent:
        parts.append(f"absent from {', '.join(lab[x] for x in f.absent)}")
    return "; ".join(parts)


def conflict_words(f: Any) -> str:
    """A conflict finding's type and explanation, as given by the scoring stage."""
    kind = f.type or "conflict"
    text = f.explanation
    return f"{kind}: {text}" if text else str(kind)


def two_sided(comparison: Any) -> bool:
    """With exactly two sources, A's omissions are B's unique claims: list them once."""
    return len(comparison.sources) == 2


def topic_name(topic: Any) -> str:
    return topic.label or topic.id
