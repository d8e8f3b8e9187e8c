"""Frame storage: each sentence's spaCy frame, kept in a store across runs and parsed only
when a cue word could give one.

    >>> may_have_frame("Putin told Biden the talks were useful."), may_have_frame("Talks ended.")
    (True, False)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import astuple
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..parsing import SPACY_MODEL, load_spacy, parse
from .lexicon import (
    ACCOUNT_FORMS,
    CUE_FORMS,
    JUDGMENT_FORMS,
    LABEL_FORMS,
    PUT_FORMS,
)
from .rules import _Found
from .spacy_rules import _spacy_find


@lru_cache(maxsize=1)
def _frames_kind() -> str:
    """Cache kind of the spaCy frames: model and spaCy versions plus a hash of the code that
    makes a frame (the word lists, the rules and the spaCy rules: any change to them gives new
    keys, never stale frames)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        versions = f"{version('spacy')}/{version(SPACY_MODEL.replace('_', '-'))}"
    except PackageNotFoundError:
        versions = "unknown"
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("lexicon.py", "rules.py", "spacy_rules.py"):
        digest.update((here / name).read_bytes())
    code = digest.hexdigest()[:16]
    return f"attribution-frame|{SPACY_MODEL}@{versions}|{code}"


_LETTERS = re.compile(r"[a-z]+")


def may_have_frame(text: str) -> bool:
    """Whether ``text`` holds an inflected form of a cue lemma or "according": a sentence
    without one cannot give :func:`_spacy_find` a frame (it needs a token lemmatised to a cue
    lemma, or "according"), so it is not parsed at all. ``tools/check_cue_prefilter.py``
    checks on news sentences that spaCy lemmatises no other surface form to a cue lemma.

    >>> may_have_frame("Putin told Biden the talks were useful."), may_have_frame("Talks ended.")
    (True, False)
    """
    return any(
        w in CUE_FORMS
        or w in ACCOUNT_FORMS
        or w in JUDGMENT_FORMS
        or w in LABEL_FORMS
        or w in PUT_FORMS
        or w == "according"
        for w in _LETTERS.findall(text.lower())
    )


def _frame_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def frames_to_parse(texts: Sequence[str], store: Any | None) -> list[str]:
    """The distinct texts among ``texts`` whose spaCy frame is neither in ``store`` nor known
    to be empty without a parse (:func:`may_have_frame`): what :func:`parse_frames` must see.

    >>> frames_to_parse(["Talks ended.", "Putin said talks ended.", "Putin said talks ended."],
    ...                 None)
    ['Putin said talks ended.']
    """
    cands = {_frame_key(t): t for t in texts if may_have_frame(t)}
    if store is not None and cands:
        known = store.get_json(_frames_kind(), sorted(cands))
        cands = {k: t for k, t in cands.items() if k not in known}
    return list(cands.values())


def parse_frames(texts: Sequence[str]) -> dict[bytes, list | None]:
    """:func:`_spacy_find` of each text, parsed now, as storable values keyed like the store.
    Module-level and picklable: corpus mode runs it in a worker process while the main process
    loads the embedding model (:mod:`divergence.corpus`).

        >>> parse_frames(["Putin said the talks were useful."])  # doctest: +SKIP
        {b'...': [0, 5, 'said', 6, 10, 'reported']}
    """
    frames = (_spacy_find(d) for d in load_spacy().pipe(list(texts), batch_size=64))
    return {_frame_key(t): _stored(f) for t, f in zip(texts, frames, strict=True)}


def _stored(found: _Found | None) -> list | None:
    """A frame as the store keeps it (JSON: a list, or None for no frame)."""
    return None if found is None else list(astuple(found))


def store_frames(store: Any, frames: dict[bytes, list | None]) -> None:
    """Put frames computed by :func:`parse_frames` into ``store`` (``put_json``)."""
    if frames:
        store.put_json(_frames_kind(), frames)


def _spacy_frames(texts: list[str], store: Any | None) -> list[_Found | None]:
    """:func:`_spacy_find` of each sentence, through ``store`` when one is given (keyed by the
    exact text: frames hold offsets into it)."""
    keys = [_frame_key(t) for t in texts]
    kind = _frames_kind() if store is not None else ""
    known = store.get_json(kind, sorted(set(keys))) if store is not None else {}
    todo = {}
    for k, t in zip(keys, texts, strict=True):
        if k in known:
            continue
        if may_have_frame(t):
            todo[k] = t
        else:  # no cue word: no frame, nothing to parse
            known[k] = None
    if todo:
        frames = [_spacy_find(d) for d in parse(list(todo.values()))]
        fresh = {k: _stored(f) for k, f in zip(todo, frames, strict=True)}
        if store is not None:
            store.put_json(kind, fresh)
        known.update(fresh)
    return [None if known[k] is None else _Found(*known[k]) for k in keys]
