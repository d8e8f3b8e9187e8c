"""Invariants as property tests (hypothesis), with the model-free hashing embedder.

* every character of an input is in exactly one claim or one dropped span, or is whitespace
  between them;
* offsets round-trip: ``text[start:end]`` is the claim (or dropped span), in memory and in JSON;
* ``compare([a, a])`` has no omissions and no unique claims;
* permuting the sources permutes them in the output but does not change the findings;
* the JSON output always validates against ``divergence/data/comparison.schema.json``.

Articles are generated from news-like sentences, junk lines of the kinds the clean stage knows,
blank lines, arbitrary unicode lines and any of the three line ends. Bounded (``max_examples``,
no deadline) so that the suite stays fast; ``make fuzz`` runs the same stages for longer.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import divergence
from divergence import Comparer
from divergence.clean import clean
from divergence.errors import InputError
from divergence.records import Source
from divergence.segment import segment

SCHEMA = json.loads(
    (Path(divergence.__file__).parent / "data" / "comparison.schema.json").read_text(
        encoding="utf-8"
    )
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
COMPARER = Comparer(embedder="hashing", threshold=0.5)
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = (
    "Biden Putin Kremlin talks said officials Tuesday arms treaty Navalny Mr. U.S. Jan. 17 "
    "the a of and in on with called agreed would 2021 \u201cquote\u201d caf\u00e9 e\u0301 "
    "\u0627\u0644\u0648\u0632\u064a\u0631 \U0001f54a\ufe0f (AP) -- 3.5% $1,000"
).split()
JUNK = [
    "READ MORE: Another story entirely",
    "Also read: Something else",
    "By Associated Press",
    "Published: 26 Jan 2021 | Updated: 27 Jan 2021",
    "Sign up for our newsletter",
    "(Photo | AP)",
    "Subscribe now",
    "END",
    "\u00a9 2021 Example News",
]


@st.composite
def sentences(draw) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
    end = draw(st.sampled_from([".", "?", "!", "", ".\u201d", ":", "..."]))
    return " ".join(words) + end


line = st.one_of(
    st.lists(sentences(), min_size=1, max_size=4).map(" ".join),
    st.sampled_from(JUNK),
    st.just(""),
    st.sampled_from([" ", "\t", "\u00a0", "\u2003"]),
    st.text(max_size=60),
)


@st.composite
def articles(draw) -> str:
    lines = draw(st.lists(line, min_size=1, max_size=14))
    ends = draw(
        st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines), max_size=len(lines))
    )
    text = "".join(a + b for a, b in zip(lines, ends, strict=True))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


def compare_or_skip(items):
    """Compare; inputs the tool refuses on purpose (nothing left to compare) are skipped."""
    # as {"text": ...} rows: a one-line string with a "/" in it would be read as a path
    try:
        return COMPARER.compare([{"text": t} if isinstance(t, str) else t for t in items])
    except InputError as exc:
        assume(not any(m in str(exc) for m in ("empty (no text", "no article text left")))
        raise


@BOUNDED
@given(articles())
def test_every_character_is_in_one_claim_or_dropped_span_or_whitespace(text):
    assume(text.strip())
    src = Source(id="a", name="a", text=text)
    cleaned = clean(src)
    claims = segment(cleaned)
    owner = [0] * len(text)
    for c in claims:
        assert text[c.start : c.end] == c.text
        assert c.text == c.text.strip() and c.text
        for i in range(c.start, c.end):
            owner[i] += 1
    for d in cleaned.dropped:
        assert text[d.start : d.end] == d.text
        for i in range(d.start, d.end):
            owner[i] += 1
    for i, ch in enumerate(text):
        assert owner[i] <= 1, (i, ch, text)
        if owner[i] == 0:
            assert ch.isspace(), (i, ch, text)


@BOUNDED
@given(articles(), articles())
def test_offsets_round_trip_through_json_and_it_validates(a, b):
    comp = compare_or_skip([a, b])
    data = json.loads(comp.to_json())
    VALIDATOR.validate(data)
    texts = {"s1": a, "s2": b}
    for c in data["claims"]:
        assert texts[c["source"]][c["start"] : c["end"]] == c["text"]
    for d in data["dropped"]:
        assert texts[d["source"]][d["start"] : d["end"]] == d["text"]


@BOUNDED
@given(articles())
def test_a_source_compared_with_itself_has_no_omissions(a):
    # Repeated sentences included: the aligner's overlapping membership lets a second copy join
    # its twin's group (it used to tie in the mutual-best match and look omitted).
    comp = compare_or_skip([a, a])
    assert comp.omissions() == [] and comp.unique() == []
    assert all(len(g.sources) == 2 for g in comp.groups)


def test_repeated_sentence_compared_with_itself_has_no_omissions():
    """Regression: a claim repeated within a source used to tie in the mutual-best match, so
    compare([a, a]) reported its second copy as omitted (found by the property test)."""
    a = "Biden called Putin.\nThey talked for an hour.\nThey talked for an hour.\n"
    comp = COMPARER.compare([a, a])
    assert comp.omissions() == []


def unordered(value):
    """A JSON value with every list sorted: lists that follow the source order compare equal
    when only that order differs."""
    if isinstance(value, dict):
        return {k: unordered(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return sorted((unordered(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def canon(comp):
    """Findings in a form independent of source order: claim ids are '<source>#<n>'."""
    groups = {g.id: tuple(sorted(g.claims)) for g in comp.groups}
    return sorted(
        (
            f.kind,
            groups[f.group],
            tuple(sorted(f.sources)),
            json.dumps(unordered(f.detail), sort_keys=True),
        )
        for f in comp.findings
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(articles(), min_size=2, max_size=4), st.randoms(use_true_random=False))
def test_permuting_sources_permutes_but_does_not_change_findings(texts, rnd):
    sources = [Source(id=f"src{i}", name=f"S{i}", text=t) for i, t in enumerate(texts)]
    shuffled = list(sources)
    rnd.shuffle(shuffled)
    first = compare_or_skip(sources)
    second = COMPARER.compare(shuffled)
    assert [s.id for s in second.sources] == [s.id for s in shuffled]
    assert canon(first) == canon(second)
    assert sorted(c.to_dict().items().__repr__() for c in first.claims) == sorted(
        c.to_dict().items().__repr__() for c in second.claims
    )


@pytest.mark.parametrize("seed_text", ["", "\n\n", "\r\r\n"])
def test_blank_inputs_are_refused_not_crashed(seed_text):
    with pytest.raises(InputError, match="empty"):
        COMPARER.compare([seed_text, "A real sentence is here."])


def test_conflict_pair_does_not_depend_on_source_order():
    """Regression (hypothesis found it): a group with several disagreeing pairs named the first
    pair in input order, so permuting the sources changed the conflict finding."""
    import itertools

    texts = [
        "\nBiden Biden Biden Biden Biden Biden Biden Biden (AP) \u201cquote\u201d Biden Biden.\n"
        "Biden Biden.\nBiden.\nBiden Biden Biden.",
        "Biden Biden Biden Biden Biden Biden Biden agreed Biden Biden. Biden. Biden. Biden Biden "
        "arms and -- Biden Navalny (AP) $1,000 \U0001f54a\ufe0f the treaty 17 U.S. Kremlin U.S. "
        "2021 on 2021 in with arms Biden Biden Biden.\nREAD MORE: Another story entirely\n"
        "READ MORE: Another story entirely\n",
        "Biden \U0001f54a\ufe0f Biden $1,000 and on Biden agreed Biden Biden Biden "
        "\u0627\u0644\u0648\u0632\u064a\u0631 $1,000 \U0001f54a\ufe0f with with \u201cquote\u201d "
        "Biden the Biden.\n\u0627\u0644\u0648\u0632\u064a\u0631 \u0627\u0644\u0648\u0632\u064a\u0631"
        " Biden --. Biden \u0627\u0644\u0648\u0632\u064a\u0631 17 Biden Biden. Biden. Biden.\n"
        "READ MORE: Another story entirely\n",
    ]
    sources = [Source(id=f"src{i}", name=f"S{i}", text=t) for i, t in enumerate(texts)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = [canon(COMPARER.compare(list(p))) for p in itertools.permutations(sources)]
    assert any(f[0] == "conflict" for f in results[0])
    assert all(r == results[0] for r in results[1:])
