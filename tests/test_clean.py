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
    assert [d.reason for d in c.dropped] == ["sign-off", "footer"]


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


# Furniture written for these tests (none of these lines is in ../shared/dev or the seeds).
@pytest.mark.parametrize(
    "line,reason",
    [
        ("- ends -", "sign-off"),
        ("# # #", "sign-off"),
        ("(Writing by Jo Parks; Editing by Sam Lee and Ann Roe)", "sign-off"),
        ("Compiled by the foreign desk; edited by R. Hale", "sign-off"),
        ("This article will be updated as more information becomes available.", "sign-off"),
        ("This is a developing story.", "sign-off"),
        ("Press enquiries: Kim Bell, +44 20 7946 0000, kim@example.org", "contact"),
        ("For further information, please contact the press team on 555 0100.", "contact"),
        ("Follow our reporters on Bluesky for live coverage", "page-chrome"),
        ("Want the biggest stories sent to your inbox? Sign up here.", "newsletter"),
        ("Please support our reporting: become a supporter from 1 a month.", "newsletter"),
        ("Have you got a story or pictures from the scene? Email the newsdesk.", "reader-appeal"),
        ("Our editorial standards and corrections policy", "footer"),
        ("Disclaimer: this material is for information purposes only.", "disclaimer"),
        ("Friday 3 May 2024, 10.15 a.m.", "dateline"),
        ("By Jo Parks, Health Editor, and Sam Lee", "byline"),
    ],
)
def test_furniture_kinds(line, reason):
    text = (
        f"A headline\nThe council said on Monday that the road would reopen next week.\n{line}\n"
        "Work on the bridge is expected to last until the spring, officials said.\n"
    )
    c = clean(_src(text))
    assert [(d.text, d.reason) for d in c.dropped] == [(line, reason)]


def test_letterhead_and_header_fields_above_the_body():
    text = (
        "Ruling on the canal dispute\n"
        "HIGH COURT OF EXAMPLE PROVINCE\n"
        "River Trust (Claimant) v Harbour Board (Defendant)\n"
        "Heard by: Judge Amos, Judge Bell, Judge Carr\n"
        "Judgment given on: [2024] EHC 77\n"
        "The court ruled that the harbour board must restore the canal's water level.\n"
    )
    c = clean(_src(text))
    assert [d.reason for d in c.dropped] == ["letterhead", "metadata", "metadata", "metadata"]
    assert c.title.text == "Ruling on the canal dispute"


@pytest.mark.parametrize(
    "line",
    [
        "Scammers send fake invoices to your inbox, police warned on Monday.",
        "Support for independent news outlets fell sharply, the survey found.",
        "Follow-up inspections on the bridge are planned for the spring.",
        "Donations to the flood appeal reached two million by Friday, organisers said.",
    ],
)
def test_article_sentences_like_prompts_are_kept(line):
    text = f"A headline\nThe first sentence of the body is here.\n{line}\nThe last one is here.\n"
    assert clean(_src(text)).dropped == ()


def test_capitals_headline_and_topic_headline_are_kept():
    """A headline-shaped line with a verb or a number carries a fact: never a letterhead/field."""
    text = (
        "Storm news\n"
        "POLICE HUNT GUNMAN AFTER NIGHT OF SHOOTINGS IN TOWN\n"
        "MAYOR ARRESTED AFTER RAID ON CITY HALL\n"
        "Sheriff: flash flood kills 3, strands dozens more\n"
        "Police raided the building on Monday morning, a spokesman said.\n"
    )
    assert clean(_src(text)).dropped == ()


def test_section_headings_of_a_sectioned_document():
    text = (
        "Council notice on water supply\n"
        "The council has lifted the boil-water notice for the east of the city.\n"
        "Summary of changes\n"
        "Tap water in all eastern districts is safe to drink again from today.\n"
        "Next steps for residents\n"
        "Run each cold tap for two minutes before using the water for drinking.\n"
        "Burst main repaired near station\n"
        "Repairs to the main near the station will take another week.\n"
    )
    c = clean(_src(text))
    dropped = [(d.text, d.reason) for d in c.dropped]
    assert dropped == [("Summary of changes", "heading"), ("Next steps for residents", "heading")]


def test_one_short_line_is_not_a_sectioned_document():
    text = "Title\nThe first sentence is here.\nPower cut\nThe lights went out at nine.\n"
    assert clean(_src(text)).dropped == ()


def test_release_back_matter_only_at_the_end():
    body = "The company said on Tuesday it would close the plant in June.\n"
    about = "About Example Holdings\nExample Holdings is a maker of garden tools founded in 1950.\n"
    tail = "Safe harbor statement\nThese statements involve risks and uncertainties.\n"
    c = clean(_src("Plant to close\n" + body + about + tail + "Press contact: a@b.example\n"))
    assert [d.reason for d in c.dropped] == ["about-boilerplate"] * 2 + ["disclaimer"] * 2 + [
        "contact"
    ]
    # an "About ..." heading followed by more than a block's four paragraphs is a section of
    # the article, not back matter
    c = clean(_src("Plant to close\n" + body + about + body * 4))
    assert "about-boilerplate" not in {d.reason for d in c.dropped}


DEV_CLUSTERS = [
    "bridge-collapse",
    "disputed-election",
    "drug-recall",
    "privacy-ruling",
    "stadium-crush",
    "wildfire-evacuation",
]


@pytest.mark.parametrize("cluster", DEV_CLUSTERS)
def test_dev_cluster_junk(cluster):
    """On the six dev clusters (fixtures/, copies of ../shared/dev): no line outside the gold's
    boilerplate is dropped, every gold fact mention stays in a kept line, and at least 95% of
    the boilerplate lines are dropped (experiments/junk_loco.py prints the table)."""
    gold_path = FIXTURES / f"{cluster}.gold.json"
    if not gold_path.exists():
        pytest.skip(f"{gold_path} absent")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    found = total = 0
    for doc, info in gold["docs"].items():
        (src,) = load_sources([FIXTURES / cluster / info["file"]])
        dropped = {d.text for d in clean(src).dropped}
        junk = set(gold["boilerplate"].get(doc, []))
        assert dropped <= junk, f"{doc}: dropped article lines {dropped - junk}"
        # every fact mention is still in a kept line (a title's copy may be junk, not the title)
        kept = [ln.text for ln in clean(src).kept]
        for fact in gold["facts"]:
            for mention in fact["mentions"].get(doc, []):
                assert any(mention in k for k in kept), (doc, mention)
        found += len(junk & dropped)
        total += len(junk)
    assert found >= 0.95 * total, (found, total)
