"""The typed findings (divergence.finding_kinds): one frozen class per kind, ``involves``,
equality over the typed evidence, immutability, and the JSON read back into the typed classes."""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import jsonschema
import pytest

import divergence
from divergence import Comparison, Conflict, Emphasis, Finding, Omission, Quote, Related, Unique
from divergence.errors import InputError
from divergence.finding_kinds import FINDING_KINDS, KINDS

from .conftest import FIXTURES

GOLDEN_FILES = sorted((FIXTURES.parent / "tests" / "golden" / "json").glob("*.json"))
SCHEMA = json.loads(
    (Path(divergence.__file__).parent / "data" / "comparison.schema.json").read_text("utf-8")
)

QA = Quote("a#1", "a", "Six people died.")
QB = Quote("b#4", "b", "Five people died.")


def _conflict(type_: str = "number", **kw) -> Conflict:
    fields = dict(
        type=type_,
        claims=("a#1", "b#4"),
        spans=(("a", "Six"), ("b", "Five")),
        explanation="a says six where b says five",
        evidence=(QA, QB),
    )
    return Conflict("g2", ("a", "b"), **{**fields, **kw})


EMPHASIS = Emphasis("g1", ("a",), buried=("b",), absent=("c",), positions=(("a", 0.0), ("b", 0.9)))


def test_one_class_per_kind_exported():
    assert tuple(KINDS) == FINDING_KINDS
    for kind, cls in KINDS.items():
        assert cls.kind == kind and issubclass(cls, Finding)
        assert getattr(divergence, cls.__name__) is cls


def test_involves():
    assert [EMPHASIS.involves(s) for s in "abcd"] == [True, True, True, False]
    omission = Omission(
        "g1", ("b",), carried_by=("a", "c"), support=2, of=3, carrier_prominence=0.9
    )
    assert omission.involves("b") and not omission.involves("a")
    conflict = _conflict()
    assert conflict.involves("a") and conflict.involves("b") and not conflict.involves("c")
    unique = Unique("g3", ("c",), prominence=0.5)
    assert unique.involves("c") and not unique.involves("a")


def test_equality_includes_the_typed_evidence():
    number, contradiction = _conflict("number"), _conflict("contradiction")
    assert number != contradiction
    assert number == _conflict("number") and hash(number) == hash(_conflict("number"))
    assert _conflict(explanation="other") != number
    assert _conflict(values=(("a", "six"), ("b", "five"))) != number
    # the same group and sources in two kinds are two findings
    unique = Unique("g2", ("a", "b"), prominence=0.5, evidence=(QA, QB))
    omission = Omission(
        "g2", ("a", "b"), carried_by=(), support=0, of=2, carrier_prominence=0.5, evidence=(QA, QB)
    )
    assert len({number, contradiction, unique, omission}) == 4
    assert unique != omission and omission != number


def test_findings_cannot_be_changed():
    f = _conflict()
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.type = "attribution"
    with pytest.raises(dataclasses.FrozenInstanceError):
        EMPHASIS.buried = ()
    # the compatibility mapping is a copy: writing to it changes no finding
    f.detail["type"] = "attribution"
    f.detail["evidence"].append({"claim": "x", "source": "x", "text": "x"})
    assert f.type == "number" and f.detail["type"] == "number" and len(f.evidence) == 2
    # every field is immutable all the way down (hashable), so no evidence list can be shared
    for field in dataclasses.fields(f):
        hash(getattr(f, field.name))
    # a stage that adds to a finding builds a new one
    g = dataclasses.replace(f, values=(("a", "six"), ("b", "five")))
    assert f.values is None and g.detail["values"] == {"a": "six", "b": "five"}


def test_the_base_class_is_not_a_finding_kind():
    with pytest.raises(TypeError, match="typed findings"):
        Finding("unique", "g1", ("a",), {})
    with pytest.raises(ValueError, match="unknown finding kind"):
        Finding.from_detail("rumour", "g1", ("a",), {})
    with pytest.raises(ValueError, match="unknown detail key"):
        Finding.from_detail("unique", "g1", ("a",), {"prominence": 1.0, "colour": "red"})


def test_detail_and_to_dict_keep_the_previous_mapping():
    omission = Omission(
        "g1",
        ("b",),
        carried_by=("a", "c"),
        support=2,
        of=3,
        carrier_prominence=0.85,
        evidence=(QA,),
        related=(Related("b#2", "b", "Many were hurt.", 0.41),),
        voices=1,
        derived=(("c", "a"),),
        copy_only=True,
    )
    assert omission.to_dict() == {
        "kind": "omission",
        "group": "g1",
        "sources": ["b"],
        "detail": {
            "carried_by": ["a", "c"],
            "support": 2,
            "of": 3,
            "carrier_prominence": 0.85,
            "evidence": [{"claim": "a#1", "source": "a", "text": "Six people died."}],
            "related": [{"claim": "b#2", "source": "b", "text": "Many were hurt.", "score": 0.41}],
            "voices": 1,
            "derived": [["c", "a"]],
            "copy_only": True,
        },
    }
    assert EMPHASIS.detail["lede"] == ["a"] and EMPHASIS.detail["positions"] == {"a": 0.0, "b": 0.9}
    assert (
        _conflict().detail["spans"] == {"a": "Six", "b": "Five"} and _conflict().span("b") == "Five"
    )
    for f in (omission, EMPHASIS, _conflict(), Unique("g3", ("c",), prominence=0.5, voices=1)):
        assert Finding.from_dict(json.loads(json.dumps(f.to_dict()))) == f
        assert pickle.loads(pickle.dumps(f)) == f


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_from_json_gives_the_typed_classes(path):
    text = path.read_text(encoding="utf-8")
    comparison = Comparison.from_json(text)
    data = json.loads(text)
    assert [type(f).kind for f in comparison.findings] == [f["kind"] for f in data["findings"]]
    for f, d in zip(comparison.findings, data["findings"], strict=True):
        assert type(f) is KINDS[d["kind"]]
        assert f.detail == d["detail"]
        assert all(isinstance(q, Quote) for q in f.evidence)
    assert comparison.to_json() == text


def test_schema_has_one_definition_per_kind_matching_the_classes():
    defs = SCHEMA["$defs"]
    refs = [r["$ref"] for r in SCHEMA["properties"]["findings"]["items"]["oneOf"]]
    assert refs == [f"#/$defs/{k}" for k in FINDING_KINDS]
    for kind in KINDS:
        assert defs[kind]["properties"]["kind"] == {"const": kind}
    # every key a finding of each kind can write is defined for that kind, and no other
    full = Omission(
        "g1",
        ("b",),
        carried_by=("a",),
        support=1,
        of=2,
        carrier_prominence=0.9,
        counted="voices",
        related=(Related("b#2", "b", "x", 0.4),),
        voices=1,
        derived=(("a", "c"),),
        copy_only=True,
    )
    assert set(full.detail) == set(defs["omission"]["properties"]["detail"]["properties"])
    assert set(_conflict(values=(), stance=(), score=0.81).detail) == set(
        defs["conflict"]["properties"]["detail"]["properties"]
    )
    near = (Related("b#1", "b", "text", 0.3),)
    assert set(Unique("g", ("a",), prominence=1.0, voices=1, related=near).detail) == set(
        defs["unique"]["properties"]["detail"]["properties"]
    )
    assert set(EMPHASIS.detail) == set(defs["emphasis"]["properties"]["detail"]["properties"])
    # a detail of the wrong kind does not validate
    item = _conflict().to_dict()
    item["kind"] = "unique"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(item, {**SCHEMA["properties"]["findings"]["items"], "$defs": defs})


def test_a_finding_json_that_cannot_be_typed_is_an_input_error():
    data = json.loads(GOLDEN_FILES[0].read_text(encoding="utf-8"))
    data["findings"][0]["detail"]["colour"] = "red"
    with pytest.raises(InputError, match="unknown detail key"):
        Comparison.from_dict(data)
