"""CSV report: one row per (claim group, source), ready for pandas or a spreadsheet.

    >>> import divergence
    >>> c = divergence.compare(["Biden called Putin.", "Putin took a call."], embedder="hashing")
    >>> render_csv(c).splitlines()[0]
    'group,topic,topic_label,source,name,status,present,n_claims,support,prominence,findings,claims'

Rows come from :meth:`Comparison.rows`; ``status`` is ``present``, ``omitted`` (an omission
finding names this source for this group) or ``absent`` (missing, but not counted as an omission,
e.g. another source's unique claim when three or more sources are compared). Several claims of
one source in one group are joined with ``" || "``; claim text is exact (newlines kept,
quoted). Spreadsheet formula injection is neutralised:
a text cell starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = [
    "group",
    "topic",
    "topic_label",
    "source",
    "name",
    "status",
    "present",
    "n_claims",
    "support",
    "prominence",
    "findings",
    "claims",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would run as a formula.

    >>> safe_cell("=HYPERLINK(\\"x\\")"), safe_cell("-2"), safe_cell(0.5)
    ('\\'=HYPERLINK("x")', "'-2", 0.5)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render_csv(comparison: Any, **_: Any) -> str:
    topic_of = {g: t for t in comparison.topics for g in t.groups}
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in comparison.rows():
        kinds = row["findings"].split(",") if row["findings"] else []
        topic = topic_of.get(row["group"])
        status = "present" if row["present"] else ("omitted" if "omission" in kinds else "absent")
        out = {
            "group": row["group"],
            "topic": topic.id if topic else "",
            "topic_label": topic.label if topic else "",
            "source": row["source"],
            "name": row["name"],
            "status": status,
            "present": "true" if row["present"] else "false",
            "n_claims": row["n_claims"],
            "support": row["support"],
            "prominence": f"{row['prominence']:.4f}",
            "findings": row["findings"],
            "claims": row["claims"] or "",
        }
        writer.writerow({k: safe_cell(v) for k, v in out.items()})
    return buf.getvalue()
