import pytest

from divergence.clean import clean
from divergence.ingest import load_sources
from divergence.records import Source
from divergence.segment import SyntokSegmenter, segment

from .conftest import CLUSTERS, FIXTURES


def _claims(text: str):
    return [c.text for c in segment(clean(Source(id="x", name="x", text="Headline\n" + text)))][1:]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Oh. U.S. In a phone call, leaders spoke on Tuesday.",
            ["Oh. U.S. In a phone call, leaders spoke on Tuesday."],
        ),
        (
            "Biden told Putin that the U.S.To ensure that Moscow does not act with impunity, it would act.",
            [
                "Biden told Putin that the U.S.To ensure that Moscow does not act with impunity, it would act."
            ],
        ),
        (
            "Navalny was arrested on Jan. 17 in Moscow. He had returned.",
            ["Navalny was arrested on Jan. 17 in Moscow.", "He had returned."],
        ),
        (
            "Mr. Biden spoke. Mr. Putin replied at length.",
            ["Mr. Biden spoke.", "Mr. Putin replied at length."],
        ),
        (
            "Russia massed some 1,00,000 troops. Talks follow soon.",
            ["Russia massed some 1,00,000 troops.", "Talks follow soon."],
        ),
        (
            "“It is wonderful to see you!” A chuckle followed from Biden.",
            ["“It is wonderful to see you!”", "A chuckle followed from Biden."],
        ),
        (
            "“Sanctions aren’t new,” Ushakov said. “They have had no effect.”",
            ["“Sanctions aren’t new,” Ushakov said.", "“They have had no effect.”"],
        ),
    ],
)
def test_news_traps(text, expected):
    assert _claims(text) == expected


def test_sentence_broken_over_a_blank_line_is_glued():
    out = _claims("Officials who served under George W. Bush\n\nand Clinton signed a letter today.")
    assert out == [
        "Officials who served under George W. Bush\n\nand Clinton signed a letter today."
    ]


def test_very_long_unpunctuated_sentence_is_cut():
    text = " ".join(["word"] * 3000)
    claims = segment(
        clean(Source(id="x", name="x", text="Headline\n" + text)),
        SyntokSegmenter(max_claim_chars=1000),
    )
    assert all(len(c.text) <= 1000 for c in claims)
    assert sum(len(c.text.split()) for c in claims[1:]) == 3000


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_offsets_and_full_coverage_on_fixtures(cluster):
    """Every non-space character is in exactly one claim or one dropped line."""
    for src in load_sources([FIXTURES / cluster]):
        cleaned = clean(src)
        claims = segment(cleaned)
        owner = [None] * len(src.text)
        for c in claims:
            assert src.text[c.start : c.end] == c.text
            for k in range(c.start, c.end):
                assert owner[k] is None
                owner[k] = c.id
        for d in cleaned.dropped:
            assert src.text[d.start : d.end] == d.text
            for k in range(d.start, d.end):
                assert owner[k] is None
                owner[k] = "dropped"
        uncovered = [
            ch for ch, o in zip(src.text, owner, strict=True) if o is None and not ch.isspace()
        ]
        assert uncovered == []


def test_title_and_lede_flags():
    src = Source(
        id="x", name="x", text="Headline\nOne is here now. Two is here now. Three is here now."
    )
    claims = segment(clean(src))
    assert [(c.is_title, c.lede) for c in claims] == [
        (True, True),
        (False, True),
        (False, True),
        (False, False),
    ]
    assert claims[1].position == 0.0 and 0.5 < claims[3].position < 1.0
