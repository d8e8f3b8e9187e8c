import json

import pytest

from divergence.clean import clean, find_date, split_lines
from divergence.ingest import load_sources
from divergence.records import Source

from .conftest import CLUSTERS, FIXTURES


def _src(text: str, **kw) -> Source:
    return Source(id="x", name="x", text=text, meta={"name_from": "file"}, **kw)


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_seed_boilerplate_dropped_and_no_claim_dropped(cluster):
    gold = json.loads((FIXTURES / f"{cluster}.gold.json").read_text(encoding="utf-8"))
    for doc, info in gold["docs"].items():
        (src,) = load_sources([FIXTURES / cluster / info["file"]])
        dropped = {d.text for d in clean(src).dropped}
        junk = set(gold["boilerplate"].get(doc, []))
        assert junk <= dropped, f"{doc}: missed {junk - dropped}"
        # no line holding a gold fact mention is dropped
        for fact in gold["facts"]:
            for mention in fact["mentions"].get(doc, []):
                assert not any(mention in d for d in dropped - junk), (doc, mention)


def test_metadata_from_header_lines():
    text = "Source: www.example.com Date: 2022-01-02\n\nHEADLINE HERE\n\nBody sentence one.\n"
    c = clean(_src(text))
    assert (c.source.name, c.source.date, c.source.title) == (
        "example.com",
        "2022-01-02",
        "HEADLINE HERE",
    )


def test_byline_names_the_source():
    c = clean(_src("Title\nBy Associated Press\nBiden spoke with Putin on Tuesday.\n"))
    assert c.source.name == "Associated Press"
    assert [d.reason for d in c.dropped] == ["byline"]


def test_input_name_wins_over_header():
    src = Source(
        id="x",
        name="AP",
        text="Title\nBy Someone Else\nBody here today.",
        meta={"name_from": "input"},
    )
    assert clean(src).source.name == "AP"


@pytest.mark.parametrize(
    "line,reason",
    [
        ("Also read: Markets rally as oil falls", "related-link"),
        ("RELATED: Five things to know", "related-link"),
        ("Subscribe to our newsletter", "page-chrome"),
        ("Advertisement", "page-chrome"),
        ("A protester in Moscow. (AP Photo/Alexander Zemlianichenko)", "photo-caption"),
        ("Posted: March 3, 2020 | Updated: March 4, 2020", "dateline"),
        ("Copyright 2021 The Associated Press. All rights reserved.", "footer"),
    ],
)
def test_held_out_junk_patterns(line, reason):
    """Patterns not in the seeds: the rules are generic, not a list of the seeds' lines."""
    text = f"A headline\n{line}\nThe minister said on Monday that talks would resume next week.\n"
    c = clean(_src(text))
    assert [(d.text, d.reason) for d in c.dropped] == [(line, reason)]


@pytest.mark.parametrize(
    "line",
    [
        "Biden said the talks were frank.",
        "Read the full statement, the spokesman said, before judging it.",
        "Photos taken at the scene show the damage was extensive and widespread across the town.",
    ],
)
def test_sentences_are_kept(line):
    c = clean(
        _src(f"A headline\nFirst sentence of the body is here.\n{line}\nLast sentence here.\n")
    )
    assert line not in {d.text for d in c.dropped}


def test_repeated_title_with_different_quotes():
    c = clean(_src("Biden’s call\nBiden's call\nThe body sentence is here.\n"))
    assert [d.reason for d in c.dropped] == ["repeated-title"]


def test_footer_after_last_sentence():
    c = clean(_src("Title\nThe body sentence is here.\nEND\nDownloaded from example.com\n"))
    assert [d.reason for d in c.dropped] == ["footer", "footer"]


def test_lines_cover_text_with_any_newline():
    text = "a\r\nb\rc\n\nd"
    lines = split_lines(text)
    assert [(text[ln.start : ln.end]) for ln in lines] == ["a", "b", "c", "", "d"]


@pytest.mark.parametrize(
    "text,iso",
    [
        ("Published: 27th January 2021 12:33 AM", "2021-01-27"),
        ("January 28, 2021", "2021-01-28"),
        ("date 2021-01-27 X", "2021-01-27"),
        ("Sept. 3, 2019", "2019-09-03"),
        ("no date", None),
    ],
)
def test_find_date(text, iso):
    assert find_date(text) == iso
