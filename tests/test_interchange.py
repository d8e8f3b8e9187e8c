"""A Comparison read back from its JSON, as tidy DataFrames and as notebook HTML
(``Comparison.from_json``, ``to_frames``, ``_repr_html_``; the work is in divergence.interchange)."""

from __future__ import annotations

import dataclasses
import json
import warnings

import pytest

from divergence import Comparer, Comparison, Source
from divergence.errors import InputError

from .conftest import FIXTURES

GOLDEN = FIXTURES.parent / "tests" / "golden" / "json"
GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))


@pytest.fixture(scope="module")
def first_call():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Comparer(embedder="hashing", attribution="rules").compare([FIXTURES / "first-call"])


def test_there_are_golden_files_to_read():
    assert len(GOLDEN_FILES) == 8


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_golden_json_reads_back_byte_identical(path):
    text = path.read_text(encoding="utf-8")
    comparison = Comparison.from_json(text)
    assert comparison.to_json() == text
    assert comparison == Comparison.from_json(text.encode("utf-8"))
    # the JSON holds no source texts: the rebuilt ones keep every offset
    for claim in comparison.claims:
        assert comparison.source(claim.source).text[claim.start : claim.end] == claim.text
    for span in comparison.dropped:
        assert comparison.source(span.source).text[span.start : span.end] == span.text


def test_from_json_of_to_json_equals_the_comparison(first_call):
    again = Comparison.from_json(first_call.to_json())
    assert again == first_call
    assert hash(again) == hash(first_call)
    assert again.to_json() == first_call.to_json()
    assert [f.kind for f in again.omissions()] == [f.kind for f in first_call.omissions()]
    assert again.summary() == first_call.summary()


def test_by_speaker_and_clause_comparisons_read_back():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for settings in ({"by": "speaker"}, {"unit": "clause"}):
            c = Comparer(embedder="hashing", attribution="rules", **settings).compare(
                [FIXTURES / "first-call"]
            )
            assert Comparison.from_json(c.to_json()) == c


def test_equality_sees_what_the_json_holds(first_call):
    findings = list(first_call.findings)
    k = next(i for i, f in enumerate(findings) if f.kind == "omission")
    findings[k] = dataclasses.replace(findings[k], support=99)
    changed = dataclasses.replace(first_call, findings=tuple(findings))
    assert changed != first_call  # the evidence was left out of equality before
    renamed = dataclasses.replace(
        first_call,
        sources=(dataclasses.replace(first_call.sources[0], name="X"),) + first_call.sources[1:],
    )
    assert renamed != first_call
    # settings stay out of equality, as before
    assert dataclasses.replace(first_call, settings={"other": 1}) == first_call
    assert first_call != "not a comparison"


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "not a comparison's JSON"),
        ("[]", "must be a JSON object, not list"),
        ('{"schema_version": "0.1"}', "schema_version '0.1' is not"),
        ('{"schema_version": "1.0", "signature": "s"}', "missing field"),
    ],
)
def test_bad_json_is_an_input_error(text, message):
    with pytest.raises(InputError, match=message):
        Comparison.from_json(text)


def test_to_frames_tables_join_on_ids(first_call):
    pd = pytest.importorskip("pandas")
    frames = first_call.to_frames()
    assert sorted(frames) == [
        "claims",
        "derivations",
        "findings",
        "groups",
        "memberships",
        "sources",
    ]
    assert len(frames["derivations"]) == len(first_call.derivations)
    for table in ("source", "from"):
        assert frames["derivations"][table].isin(frames["sources"]["source"]).all()
    assert all(isinstance(df, pd.DataFrame) for df in frames.values())
    claims, groups = frames["claims"], frames["groups"]
    members, findings = frames["memberships"], frames["findings"]
    assert len(frames["sources"]) == len(first_call.sources)
    assert len(claims) == len(first_call.claims) and claims["claim"].is_unique
    assert len(groups) == len(first_call.groups) and groups["group"].is_unique
    assert len(findings) == len(first_call.findings)
    assert len(members) == sum(len(g.claims) for g in first_call.groups)

    joined = claims.merge(members, on=["claim", "source"]).merge(groups, on="group")
    assert len(joined) == len(members)  # every membership finds its claim and its group
    for gid, rows in joined.groupby("group"):
        assert sorted(set(rows["source"])) == sorted(first_call.group(gid).sources)
        assert set(rows["text"]) == {first_call.claim(c).text for c in first_call.group(gid).claims}

    with_groups = findings.merge(groups, on="group", suffixes=("", "_group"))
    assert len(with_groups) == len(findings)
    per_source = findings.explode("sources").merge(
        frames["sources"], left_on="sources", right_on="source"
    )
    omitted = per_source[per_source["kind"] == "omission"].groupby("source").size()
    for row in first_call.summary():
        assert omitted.get(row["source"], 0) == row["omitted"]
    assert claims["source"].isin(frames["sources"]["source"]).all()


def test_to_frames_of_a_read_back_comparison_is_the_same(first_call):
    pytest.importorskip("pandas")
    again = Comparison.from_json(first_call.to_json()).to_frames()
    for name, df in first_call.to_frames().items():
        assert df.equals(again[name]), name


def test_repr_html_shows_the_summary_escaped():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = Comparer(embedder="hashing", attribution="rules").compare(
            [
                Source(id="a", name="<b>AP & Co</b>", text="Biden called Putin. Talks ran long."),
                Source(id="b", name="Reuters", text="Biden called Putin."),
            ]
        )
    html = c._repr_html_()
    assert html.startswith("<table>") and "<b>" not in html
    assert "&lt;b&gt;AP &amp; Co&lt;/b&gt;" in html
    for row in c.summary():
        cells = f"<td>{row['source']}</td>"
        assert cells in html
    assert html.count("<tr>") == 1 + len(c.sources)
    assert f"{len(c.claims)} claims" in html


def test_pandas_missing_gives_a_clear_error(first_call, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"divergence\[pandas\]"):
        first_call.to_frames()


def test_partial_presence_reads_back(first_call):
    groups = list(first_call.groups)
    partial = {"claim": first_call.claims[0].id, "score": 0.61234, "missing": ["treaty"]}
    groups[0] = dataclasses.replace(groups[0], partial={first_call.sources[-1].id: partial})
    with_partial = dataclasses.replace(first_call, groups=tuple(groups))
    again = Comparison.from_json(with_partial.to_json())
    assert again == with_partial
    assert again.groups[0].partial[first_call.sources[-1].id]["missing"] == ["treaty"]


def test_a_field_it_cannot_hold_is_refused_not_dropped(first_call):
    data = json.loads(first_call.to_json())
    data["groups"][2]["weight"] = 3
    with pytest.raises(InputError, match=r"groups\[2\] field\(s\) 'weight'"):
        Comparison.from_dict(data)
    data = json.loads(first_call.to_json())
    data["verdicts"] = []
    with pytest.raises(InputError, match="field 'verdicts'"):
        Comparison.from_dict(data)
