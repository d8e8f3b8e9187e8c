"""divergence: compare how different sources report the same event, claim by claim.

    >>> import divergence
    >>> result = divergence.compare(["fixtures/first-call"])          # doctest: +SKIP
    >>> for f in result.omissions("001_153bc2bf3a5df949")[:3]:        # doctest: +SKIP
    ...     print(f.evidence[0].text)                                  # or f.detail["evidence"]

Everything a user handles is importable from here: :func:`compare` / :class:`Comparer` and the
:class:`Comparison` they return with its records (:class:`Source`, :class:`Claim`,
:class:`ClaimGroup`, :class:`Finding` (one frozen class per kind: :class:`Omission`,
:class:`Unique`, :class:`Emphasis`, :class:`Conflict`, quoting :class:`Quote` and
:class:`Related` claims), :class:`Dropped`, :class:`Topic`), :func:`render` for the
report formats, corpus mode (:func:`compare_corpus`, :func:`run_corpus`, :class:`CorpusRun`), and
the errors and warning (:class:`DivergenceError`, :class:`InputError`, :class:`UsageError`,
:class:`DivergenceWarning`). The names are imported lazily so that ``import divergence`` (and
``divergence --help``) stays fast: torch and sentence-transformers load only when a model is
first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .__about__ import __version__

__all__ = [
    "__version__",
    "compare",
    "Comparer",
    "Comparison",
    "Source",
    "Claim",
    "ClaimGroup",
    "Finding",
    "Omission",
    "Unique",
    "Emphasis",
    "Conflict",
    "Quote",
    "Related",
    "Dropped",
    "Topic",
    "render",
    "compare_corpus",
    "run_corpus",
    "CorpusRun",
    "DivergenceError",
    "InputError",
    "UsageError",
    "DivergenceWarning",
]

_LAZY = {
    "compare": "pipeline",
    "Comparer": "pipeline",
    "Comparison": "comparison",
    "Source": "records",
    "Claim": "records",
    "ClaimGroup": "records",
    "Finding": "records",
    "Omission": "records",
    "Unique": "records",
    "Emphasis": "records",
    "Conflict": "records",
    "Quote": "records",
    "Related": "records",
    "Dropped": "records",
    "Topic": "records",
    "render": "report",
    "compare_corpus": "corpus",
    "run_corpus": "corpus",
    "CorpusRun": "corpus",
    "DivergenceError": "errors",
    "InputError": "errors",
    "UsageError": "errors",
    "DivergenceWarning": "errors",
}

if TYPE_CHECKING:  # pragma: no cover
    from .comparison import Comparison
    from .corpus import CorpusRun, compare_corpus, run_corpus
    from .errors import DivergenceError, DivergenceWarning, InputError, UsageError
    from .pipeline import Comparer, compare
    from .records import (
        Claim,
        ClaimGroup,
        Conflict,
        Dropped,
        Emphasis,
        Finding,
        Omission,
        Quote,
        Related,
        Source,
        Topic,
        Unique,
    )
    from .report import render


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'divergence' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
