"""Conflicts inside aligned groups: numbers, attribution shifts, contradictions.

    >>> [(q.low, q.high, q.unit) for q in quantities("more than 3,700 people were arrested")]
    [(3650.0, inf, 'people')]
    >>> [(q.low, q.high) for q in quantities("some 1,00,000 troops")]
    [(90000.0, 110000.0)]
    >>> [(q.low, q.high) for q in quantities("3,700 people")]
    [(3650.0, 3750.0)]
    >>> [(q.low, q.high) for q in quantities("tens of thousands of troops")]
    [(10000.0, 99999.0)]
    >>> [(q.kind, q.low, q.unit) for q in quantities("arrested on Jan. 17 after a five-year term")]
    [('date', 117.0, ''), ('quantity', 5.0, 'year')]

A finding of kind ``conflict`` is made for a group when two of its sources disagree:

* ``number``: both state a quantity of the same kind (a date; a duration in the same unit; a
  count of the same thing, judged by a shared word in the noun after the number) and the two
  intervals do not overlap. Each quantity is an interval: exact figures carry their rounding
  ("3,700" is 3,650-3,750, at most +-5%), approximators replace that with their own band
  ("about"/"some" +-10%, "nearly" -10%),
  "more than"/"over" open it upwards, "tens of thousands" is 10,000-99,999. Indian digit
  grouping ("1,00,000") is read as the number it writes.
* ``attribution``: one source hedges or distances content ("alleged", "reports of", "blames ...
  on", "claimed") that another states without a hedge. The hedge counts only when words near it
  (its scope: six words either side) also occur in the other source's claim, so the hedge is on
  shared content.
* ``contradiction``: one source negates ("not", "never", "no", "denied", "rejected") or uses the
  antonym of a predicate ("agreed"/"refused", "accepted"/"rejected") that the other states
  positively, with shared content in the negation's scope. No natural-language-inference model
  with weights installable from PyPI is used (none ships its weights there); this is a cue rule.

The rules are written from the definitions above and unit-tested on hand-made sentences
(``tests/test_conflicts.py``), not fitted to the seed gold.

Layout (each module imports only those above it): :mod:`.measure` (what a figure counts, from
the words around it), :mod:`.numwords` (the words numbers are written with), :mod:`.quantity`
(the number parser), :mod:`.scope` (words, clauses, quotations and the quoted spans),
:mod:`.numbers` (the number test on a pair of texts), :mod:`.hedging` (what each hedge governs),
:mod:`.negation` (what a text negates or denies), :mod:`.rules` (the attribution and
contradiction tests on a pair of texts), :mod:`.voice` (whose words a claim gives: a speaker, a
reporting verb, a quotation, or its own voice), :mod:`.detect` (findings for groups).
"""

from __future__ import annotations

from .detect import find_conflicts
from .numbers import number_conflict
from .quantity import Quantity, quantities
from .rules import attribution_shift, contradiction

__all__ = [
    "Quantity",
    "attribution_shift",
    "contradiction",
    "find_conflicts",
    "number_conflict",
    "quantities",
]
