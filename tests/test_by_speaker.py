"""The by-speaker view on a small constructed article pair."""

import json
from pathlib import Path

import jsonschema
import pytest

import divergence
from divergence import compare
from divergence.errors import UsageError

ARTICLE_A = (
    "Leaders discuss dam\n"
    "The two leaders spoke by phone on Monday. "
    "The dam project will go ahead next year, the Interior Ministry said. "
    "Compensation will be paid to farmers, the ministry said. "
    "Water levels upstream were rising, according to Lena Ortiz."
)
ARTICLE_B = (
    "Phone call on dam\n"
    "The two leaders spoke by phone on Monday. "
    "The dam project will go ahead next year, according to the Interior Ministry. "
    "Fishing rights will be reviewed, the Fisheries Agency said."
)


@pytest.fixture(scope="module")
def by_speaker():
    return compare(
        [ARTICLE_A, ARTICLE_B], embedder="hashing", threshold=0.5, by="speaker", attribution="rules"
    )


def test_each_speaker_is_a_source(by_speaker):
    names = {s.name for s in by_speaker.sources}
    assert {"Interior Ministry", "Fisheries Agency", "Lena Ortiz"} <= names
    assert sum(1 for n in names if n.startswith("(unattributed)")) == 2
    # the same speaker across both articles is one source
    ministry = [s for s in by_speaker.sources if s.name == "Interior Ministry"]
    assert len(ministry) == 1 and len(ministry[0].meta["articles"]) == 2


def test_claims_keep_their_origin_and_offsets(by_speaker):
    for s in by_speaker.sources:
        for c in by_speaker.claims_of(s.id):
            assert s.text[c.start : c.end] == c.text
            art, start, end = s.meta["origin"][c.id]
            assert end - start == len(c.text)


def test_speaker_omissions_are_reported(by_speaker):
    # the ministry's compensation claim is carried by the ministry only: unique to it
    ministry = next(s for s in by_speaker.sources if s.name == "Interior Ministry")
    texts = [f.detail["evidence"][0]["text"] for f in by_speaker.unique(ministry.id)]
    texts += [
        ev["text"]
        for f in by_speaker.findings
        if ministry.id in f.sources or ministry.id in f.detail.get("carried_by", [])
        for ev in f.detail.get("evidence", [])
    ]
    assert any("Compensation" in t for t in texts)
    assert by_speaker.settings["by"] == "speaker"


def test_json_validates(by_speaker):
    schema = json.loads(
        (Path(divergence.__file__).parent / "data" / "comparison.schema.json").read_text()
    )
    jsonschema.validate(json.loads(by_speaker.to_json()), schema)


def test_sides_merge_speakers():
    c = compare(
        [ARTICLE_A, ARTICLE_B],
        embedder="hashing",
        by="speaker",
        attribution="rules",
        sides={"Interior Ministry": "government", "Fisheries Agency": "government"},
    )
    assert "government" in {s.name for s in c.sources}


def test_by_speaker_needs_attribution():
    with pytest.raises(UsageError):
        compare([ARTICLE_A, ARTICLE_B], embedder="hashing", by="speaker", attribution=None)
    with pytest.raises(UsageError):
        compare([ARTICLE_A, ARTICLE_B], embedder="hashing", by="outlet")


def test_cli_by_speaker(tmp_path):
    from typer.testing import CliRunner

    from divergence.cli import app

    (tmp_path / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    res = CliRunner().invoke(
        app,
        [
            "compare",
            str(tmp_path),
            "--by",
            "speaker",
            "--attribution",
            "rules",
            "-m",
            "hashing",
            "-f",
            "json",
            "-q",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert any(s["id"].startswith("speaker:") for s in data["sources"])
    bad = CliRunner().invoke(
        app, ["compare", str(tmp_path), "--by", "outlet", "-m", "hashing", "-q"]
    )
    assert bad.exit_code == 2


def test_unnamed_speakers_stay_with_their_article():
    """A bare common noun ("officials said") names nobody: each article's unnamed officials are
    their own source, labelled with the article, never pooled across outlets; a side the user
    names for them is kept whole."""
    a = "Talks resume\nThe talks will resume in May, officials said. The venue is Oslo."
    b = "Talks to restart\nThe talks restart in May, officials said. Delegates will meet."
    c = compare([a, b], embedder="hashing", threshold=0.5, by="speaker", attribution="rules")
    officials = [s for s in c.sources if s.name.startswith("officials (")]
    assert len(officials) == 2
    assert all(len(s.meta["articles"]) == 1 for s in officials)
    assert officials[0].meta["articles"] != officials[1].meta["articles"]
    assert not any(s.name == "officials" for s in c.sources)
    sided = compare(
        [a, b], embedder="hashing", by="speaker", attribution="rules", sides={"officials": "govt"}
    )
    govt = [s for s in sided.sources if s.name == "govt"]
    assert len(govt) == 1 and len(govt[0].meta["articles"]) == 2


def test_affiliated_speaker_reads_name_and_organisation():
    from divergence.records import Attribution, Claim, Source
    from divergence.speakers import by_speaker

    a = Source(id="a", name="A", text="X. Y.")
    att = Attribution("Justice Oruel", "said", 0, 1, affiliation="National Electoral Commission")
    claims = [
        Claim("a#0", "a", "X.", 0, 2, 0, 0.0, attribution=att),
        Claim(
            "a#1", "a", "Y.", 3, 5, 1, 0.5, attribution=Attribution("Justice Oruel", "said", 3, 4)
        ),
    ]
    sources, _ = by_speaker([a], claims)
    assert [s.name for s in sources] == ["Justice Oruel (National Electoral Commission)"]
