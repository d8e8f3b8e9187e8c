"""Attribution cues, speakers, carry-over, quotes and hedges on hand-made sentences."""

import pytest

from divergence.attribution import attribute, find_hedges, normalise_speaker, spacy_available
from divergence.errors import UsageError
from divergence.records import Claim, Source

METHODS = ["rules"] + (["spacy"] if spacy_available() else [])
needs_spacy = pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")


def _claims(*sentences):
    return _claims_in(" ".join(sentences), *sentences)


def _claims_in(text, *sentences, name="s"):
    """A source with ``text`` and its claims at the given sentences (in order)."""
    src = Source(id="s", name=name, text=text)
    claims, pos = [], 0
    for k, sent in enumerate(sentences):
        start = text.index(sent, pos)
        claims.append(Claim(f"s#{k}", "s", sent, start, start + len(sent), k, k / len(sentences)))
        pos = start + len(sent)
    return src, claims


def _attr(method, *sentences):
    src, claims = _claims(*sentences)
    out = attribute(src, claims, method=method)
    for c in out:
        if c.attribution:
            a = c.attribution
            assert src.text[a.speaker_start : a.speaker_end].strip()
    return src, out


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "sentence, speaker, cue, kind",
    [
        (
            "The talks will resume in March, the foreign ministry said.",
            "foreign ministry",
            "said",
            "reported",
        ),
        ("The mayor told reporters that the bridge would reopen.", "mayor", "told", "reported"),
        (
            "According to the health agency, 40 cases were confirmed.",
            "health agency",
            "according to",
            "according-to",
        ),
        (
            "The port was closed for repairs, according to the harbour authority.",
            "harbour authority",
            "according to",
            "according-to",
        ),
        (
            "Maria Lopez, the city's treasurer, said the budget was balanced.",
            "Maria Lopez",
            "said",
            "reported",
        ),
        (
            "“We have no plans to raise taxes,” said Finance Minister Anna Berg.",
            "Anna Berg",
            "said",
            "direct-quote",
        ),
        (
            "The opposition claimed that the vote had been rigged.",
            "opposition",
            "claimed",
            "reported",
        ),
        ("The company denied that it had broken the law.", "company", "denied", "reported"),
    ],
)
def test_cues_and_speakers(method, sentence, speaker, cue, kind):
    _src, out = _attr(method, sentence)
    a = out[0].attribution
    assert a is not None
    assert a.speaker == speaker
    assert a.cue.lower() == cue
    assert a.kind == kind


@pytest.mark.parametrize("method", METHODS)
def test_no_cue_no_attribution(method):
    _src, out = _attr(method, "The river flooded three villages on Sunday.")
    assert out[0].attribution is None


@pytest.mark.parametrize("method", METHODS)
def test_pronoun_resolves_to_last_named_speaker(method):
    src, out = _attr(
        method,
        "The water will be safe by Friday, engineer Tom Hale said.",
        "The pipes were old, he said.",
    )
    a = out[1].attribution
    assert a.speaker == "Tom Hale"
    assert src.text[a.speaker_start : a.speaker_end].endswith("Tom Hale")


@pytest.mark.parametrize("method", METHODS)
def test_surname_and_definite_remention_resolve(method):
    _src, out = _attr(
        method,
        "Harbour master Lena Ortiz said the port was closed.",
        "Ships were turned away, Ortiz said.",
        "The storm cost millions, two senior insurance officials said.",
        "Claims will be paid in May, according to the officials.",
    )
    assert [c.attribution.speaker for c in out] == [
        "Lena Ortiz",
        "Lena Ortiz",
        "senior insurance officials",
        "senior insurance officials",
    ]


@pytest.mark.parametrize("method", METHODS)
def test_continuing_quote_is_carried_over(method):
    _src, out = _attr(
        method,
        "“The dam held,” the engineer said.",
        "“It was built to last a century.”",
        "The valley was evacuated anyway.",
    )
    assert out[0].attribution.kind == "direct-quote"
    assert out[1].attribution.kind == "carried-over"
    assert out[1].attribution.speaker == "engineer"
    assert out[2].attribution is None


def test_reporting_verb_inside_quotes_is_not_the_frame():
    _src, out = _attr("rules", "“They said it could not be done,” the builder recalled.")
    assert out[0].attribution.speaker == "builder"


def test_noun_forms_are_not_cues():
    _src, out = _attr("rules", "Secretary of State Ann Lee met the reporters on Friday.")
    assert out[0].attribution is None
    _src, out = _attr("rules", "He read the alleged note aloud.")
    assert out[0].attribution is None


@pytest.mark.parametrize(
    "span, entity",
    [
        ("Putin's foreign policy adviser, Yuri Ushakov", "Yuri Ushakov"),
        ("the Kremlin", "Kremlin"),
        ("a Kremlin readout", "Kremlin"),
        ("A statement from the Interior Ministry", "Interior Ministry"),
        ("three senior officials", "senior officials"),
        ("Peskov, a spokesman for the Kremlin", "Peskov"),
        ("the U.S.", "U.S."),
    ],
)
def test_normalise_speaker(span, entity):
    assert normalise_speaker(span) == entity


@pytest.mark.parametrize(
    "text, labels",
    [
        ("The alleged bribe was paid in cash.", ["alleged"]),
        ("He reportedly left the country.", ["reportedly"]),
        ("There were reports of looting overnight.", ["reports of"]),
        ("The fire, which he blames on arsonists, spread fast.", ["blames on"]),
        ("She was accused of fraud.", ["accused of"]),
        ("The minister claims that taxes fell.", ["claims that"]),
        ("The so-called peace plan failed.", ["so-called"]),
        ("They called it a 'temporary' measure.", ["scare quotes: “temporary”"]),
        ("The bridge was closed for repairs.", []),
        ("“We will win,” the coach said.", []),
    ],
)
def test_hedges(text, labels):
    assert [h[2] for h in find_hedges(text)] == labels


def test_hedges_fill_claims_even_without_attribution():
    src, claims = _claims("The alleged plot was foiled.")
    out = attribute(src, claims, method=None)
    assert out[0].hedges == ("alleged",) and out[0].attribution is None


def test_unknown_method_is_a_usage_error():
    src, claims = _claims("A b c d.")
    with pytest.raises(UsageError):
        attribute(src, claims, method="nli")


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
def test_spacy_on_fixture_article():
    """The real spaCy pipeline on a seed article: speakers found with exact offsets."""
    from divergence.clean import clean
    from divergence.ingest import load_sources
    from divergence.segment import segment

    from .conftest import FIXTURES

    src = load_sources([FIXTURES / "ukraine-calls" / "003_a18e85e05d343b14.txt"])[0]
    cleaned = clean(src)
    out = attribute(cleaned.source, segment(cleaned), method="spacy")
    speakers = {c.attribution.speaker for c in out if c.attribution}
    assert {"Ushakov", "Kremlin", "Jake Sullivan"} <= speakers
    for c in out:
        if c.attribution:
            a = c.attribution
            assert src.text[a.speaker_start : a.speaker_end].strip()
            if a.kind != "carried-over":
                assert a.cue.lower() in c.text.lower()


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
def test_spacy_frames_come_back_from_the_store_without_spacy(tmp_path, monkeypatch):
    """A store keeps each sentence's spaCy frame: the second pass returns the same claims
    without parsing (spaCy is not even loaded) and a new sentence is parsed again."""
    import divergence.parsing as parsing_mod
    from divergence.cache import EmbeddingCache
    from divergence.clean import clean
    from divergence.ingest import load_sources
    from divergence.segment import segment

    from .conftest import FIXTURES

    src = load_sources([FIXTURES / "ukraine-calls" / "003_a18e85e05d343b14.txt"])[0]
    cleaned = clean(src)
    claims = segment(cleaned)
    store = EmbeddingCache(tmp_path)
    plain = attribute(cleaned.source, claims, method="spacy")
    first = attribute(cleaned.source, claims, method="spacy", store=store)
    assert first == plain

    def no_spacy():
        raise AssertionError("spaCy loaded although every frame is stored")

    monkeypatch.setattr(parsing_mod, "load_spacy", no_spacy)
    parsing_mod.clear_parse_cache()  # nothing parsed in this process either
    assert attribute(cleaned.source, claims, method="spacy", store=store) == plain
    other = EmbeddingCache(tmp_path / "empty")
    with pytest.raises(AssertionError, match="spaCy loaded"):
        attribute(cleaned.source, claims, method="spacy", store=other)


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
def test_sentences_skipped_by_the_cue_filter_have_no_spacy_frame():
    """The filter only saves work: every fixture sentence it skips gets no frame when parsed,
    and no token is lemmatised to a cue lemma from a surface form the filter does not know
    (tools/check_cue_prefilter.py runs the same check on 12,000 news sentences)."""
    from divergence.attribution import CUE_FORMS, CUE_LEMMAS, load_spacy, may_have_frame
    from divergence.attribution.spacy_rules import _spacy_find
    from divergence.clean import clean
    from divergence.ingest import load_sources
    from divergence.segment import segment

    from .conftest import FIXTURES

    texts = [
        c.text
        for f in sorted(FIXTURES.glob("*/*.txt"))
        for c in segment(clean(load_sources([f])[0]))
    ]
    skipped = 0
    for text, doc in zip(texts, load_spacy().pipe(texts), strict=True):
        assert all(t.lower_ in CUE_FORMS for t in doc if t.lemma_.lower() in set(CUE_LEMMAS)), text
        if not may_have_frame(text):
            skipped += 1
            assert _spacy_find(doc) is None, text
    assert 0 < skipped < len(texts)


# --- attribution that follows the text (issue 13) ------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_a_document_speaks_for_its_issuer(method):
    _src, out = _attr(
        method,
        "The Kremlin's readout of the call was brief.",
        "The note said the two leaders discussed Ukraine.",
    )
    assert out[1].attribution.speaker == "Kremlin"


@pytest.mark.parametrize("method", METHODS)
def test_a_document_without_issuer_names_no_speaker(method):
    _src, out = _attr(method, "The talks ended late.", "The statement said the talks were useful.")
    assert out[1].attribution is None


@pytest.mark.parametrize("method", METHODS)
def test_fronted_according_to_governs_its_paragraph(method):
    text = (
        "According to the White House, Biden raised the hack. He also pressed for a prisoner "
        "swap.\n\nThe markets were calm."
    )
    src, claims = _claims_in(
        text,
        "According to the White House, Biden raised the hack.",
        "He also pressed for a prisoner swap.",
        "The markets were calm.",
    )
    out = attribute(src, claims, method=method)
    assert out[0].attribution.speaker == "White House"
    assert out[1].attribution.speaker == "White House"
    assert out[1].attribution.kind == "carried-over"
    assert out[2].attribution is None  # a new paragraph ends the frame


@pytest.mark.parametrize("method", METHODS)
def test_an_organisation_gives_its_account(method):
    _src, out = _attr(method, "Meanwhile, the Kremlin concentrated on Putin's response.")
    assert out[0].attribution.speaker == "Kremlin"
    _src, out = _attr(method, "Firefighters focused on the eastern flank overnight.")
    assert out[0].attribution is None


@pytest.mark.parametrize("method", METHODS)
def test_a_quote_split_over_sentences_takes_the_speaker_named_at_its_end(method):
    _src, out = _attr(
        method,
        "“We will respond firmly.",
        "This is unacceptable,” Peskov said on Friday.",
    )
    assert [c.attribution.speaker for c in out] == ["Peskov", "Peskov"]
    assert out[0].attribution.kind == "carried-over"


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
def test_hyphenated_and_appositive_speakers_keep_the_whole_name():
    _src, out = _attr(
        "spacy",
        "“We will not let these communities face this alone,” Ekdahl-Rowe told reporters.",
    )
    assert out[0].attribution.speaker == "Ekdahl-Rowe"
    _src, out = _attr(
        "spacy", "He did the right thing, his daughter, Hanne Pellow, told the Gazette."
    )
    assert out[0].attribution.speaker == "Hanne Pellow"


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
@pytest.mark.parametrize(
    "sentence, speaker",
    [
        # a participle frame: its speaker is the subject of the clause it hangs on
        ("Greta Solvang welcomed the judgment, saying it was clear.", "Greta Solvang"),
        # a judgment with a that-clause
        ("The Supreme Court ruled on Tuesday that the company broke the law.", "Supreme Court"),
        ("Investigators found that the bolts had failed.", "Investigators"),
        # a person's characterisation ("portrayed it as")
        (
            "Fire chief Hedda Marrowick portrayed it as a fast and dangerous fire.",
            "Hedda Marrowick",
        ),
    ],
)
def test_spacy_participle_judgment_and_characterisation_frames(sentence, speaker):
    _src, (c,) = _attr("spacy", sentence)
    assert c.attribution is not None and c.attribution.speaker == speaker


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
@pytest.mark.parametrize(
    "sentence",
    ["The court ruled on Tuesday.", "Crews focused on the northern flank.", "Talks found no end."],
)
def test_spacy_no_frame_without_a_judgment_or_an_organisation(sentence):
    _src, (c,) = _attr("spacy", sentence)
    assert c.attribution is None


@pytest.mark.parametrize("method", METHODS)
def test_bare_common_noun_speaker_points_back_to_the_named_group(method):
    _src, out = _attr(
        method,
        "The talks were useful, two senior administration officials said.",
        "The leaders spoke for an hour, officials said.",
    )
    assert [c.attribution.speaker for c in out] == ["senior administration officials"] * 2


def test_a_judgment_names_its_issuer():
    assert normalise_speaker("the Supreme Court's ruling") == "Supreme Court"


@pytest.mark.parametrize(
    "span, entity",
    [
        ("Two of the seven justices", "justices"),
        ("- Ostreland's Supreme Court", "Ostreland's Supreme Court"),
    ],
)
def test_normalise_drops_a_partitive_and_a_dateline_dash(span, entity):
    assert normalise_speaker(span) == entity


def test_bare_plural_does_not_point_back_to_one_person():
    from divergence.attribution.resolve import _Resolver

    r = _Resolver()
    r.resolve("Justice Amara Thorsby", 0, 21)
    assert r.resolve("justices", 40, 48)[0] == "justices"


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
def test_spacy_frame_of_an_extracted_relative_clause():
    _src, (c,) = _attr(
        "spacy",
        "Halcyra shared location data that the Data Protection Authority said could reveal "
        "visits to clinics.",
    )
    assert c.attribution is not None and c.attribution.speaker == "Data Protection Authority"
    _src, (c,) = _attr("spacy", "The report that he wrote last year was long.")
    assert c.attribution is None


@pytest.mark.parametrize("method", METHODS)
def test_a_definite_role_re_mention_names_the_person_titled_so(method):
    """'the new president' is no speaker of its own: it is the person the article titled
    President without a qualifier; 'the Russian president' the one titled Russian President."""
    _src, out = _attr(
        method,
        "President Joe Biden spoke with Russian President Vladimir Putin on Tuesday.",
        "The new president said the two nations should extend the treaty.",
        "The Russian president said relations could improve.",
    )
    assert [c.attribution and c.attribution.speaker for c in out[1:]] == [
        "Joe Biden",
        "Vladimir Putin",
    ]


# --- round 3: speakers that follow the text ----------------------------------------------------
@pytest.mark.parametrize(
    "span, entity",
    [
        ("OSTRAVEN, 2 May (NRA) - the transport ministry", "transport ministry"),
        ("OSTRAVEN (NRA) - Dalby's harbour board", "Dalby's harbour board"),
        ("LONDON, May 3 - the foreign ministry", "foreign ministry"),
        ("a study by the Dalby Institute", "Dalby Institute"),
    ],
)
def test_normalise_drops_a_dateline_and_names_a_study_by_its_author(span, entity):
    assert normalise_speaker(span) == entity


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "OSTRAVEN, 2 May (NRA) - Dalby's transport ministry has announced that fares will "
            "rise by a tenth,",
            "Dalby's transport ministry",
        ),
        # the parse makes the place the only subject, the company a conjunct of the date
        (
            "MARRENBURG, 8 October 2024 – Brenmoor Pharma plc (VSE: BRN) today announced a "
            "voluntary recall of 14 batches.",
            "Brenmoor Pharma plc",
        ),
    ],
)
def test_spacy_a_dateline_parsed_as_a_subject_is_not_the_speaker(sentence, speaker):
    _src, (c,) = _attr("spacy", sentence)
    assert c.attribution is not None and c.attribution.speaker == speaker


@pytest.mark.parametrize("method", METHODS)
def test_a_negative_subject_is_no_speaker(method):
    _src, (c,) = _attr(method, "None of the audits examined so far discloses any loss.")
    assert c.attribution is None


@pytest.mark.parametrize("method", METHODS)
def test_it_is_the_organisation_the_sentence_before_opened_with(method):
    _src, out = _attr(
        method,
        "The port authority said the ferry line would close.",
        "The Harbour Board rejects the plan.",
        "It says that the quay is unsafe.",
    )
    assert out[2].attribution.speaker == "Harbour Board"
    # a person opening the sentence before is no "it"
    _src, out = _attr(
        method,
        "The port authority said the ferry line would close.",
        "Anna Berg rejects the plan.",
        "It says that the quay is unsafe.",
    )
    assert out[2].attribution.speaker == "port authority"


@pytest.mark.parametrize("method", METHODS)
def test_the_company_is_the_company_named_last(method):
    _src, out = _attr(
        method,
        "Shares in the drugmaker Orrin Labs fell on Monday.",
        "The company said it would appeal.",
        "It said that no patient had been harmed.",
    )
    assert [c.attribution.speaker for c in out[1:]] == ["Orrin Labs", "Orrin Labs"]


@pytest.mark.parametrize("method", METHODS)
def test_the_agency_is_the_agency_named_before(method):
    _src, out = _attr(
        method,
        "The Dalby Water and Power Agency (DWPA) raised prices on Monday.",
        "The agency said demand had doubled.",
    )
    assert out[1].attribution.speaker == "Dalby Water and Power Agency"


@pytest.mark.parametrize("method", METHODS)
def test_a_judgment_is_the_court_s_not_the_last_organisation_s(method):
    _src, out = _attr(
        method,
        "The Dalby High Court heard the case on Monday.",
        "The Tenants' League said it was pleased.",
        "The judgment said the lease was void.",
    )
    assert out[2].attribution.speaker == "Dalby High Court"


@pytest.mark.parametrize("method", METHODS)
def test_she_is_a_woman_whose_name_ends_in_s(method):
    _src, out = _attr(
        method,
        "Tom Hale said the dam leaked.",
        "Ines Dimas said the dam was safe.",
        "“We checked it twice,” she said.",
    )
    assert out[2].attribution.speaker == "Ines Dimas"


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
@pytest.mark.parametrize(
    "sentence, speaker",
    [
        # "put it": the idiom gives the subject's words
        ("As the coach puts it, “we simply lost the plot.”", "coach"),
        ("Ola Brant put it bluntly: the old bridge must go.", "Ola Brant"),
        # a label in the subject's words (a quotation as the object's complement)
        ("The nurses' union called the offer “an insult to every nurse”.", "nurses' union"),
        ("The editor hailed the verdict as “long overdue”.", "editor"),
        # "and" inside an organisation's name
        (
            "The Dalby Water and Power Agency said prices would rise.",
            "Dalby Water and Power Agency",
        ),
    ],
)
def test_spacy_idiom_label_and_organisation_name_frames(sentence, speaker):
    _src, (c,) = _attr("spacy", sentence)
    assert c.attribution is not None and c.attribution.speaker == speaker


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
@pytest.mark.parametrize(
    "sentence",
    [
        "Biden called Putin on Tuesday.",
        "She put it on the table.",
        "The rebels put it to the vote on Friday.",
        "Forty batches are being recalled by the regulator.",
    ],
)
def test_spacy_no_frame_for_a_call_a_put_or_a_product_recall(sentence):
    _src, (c,) = _attr("spacy", sentence)
    assert c.attribution is None


STATEMENT = (
    "Recall of Corvessa tablets\n"
    "Veldoria Medicines and Healthcare Agency\n"
    "Drug Safety Notice DSN/2024/041\n\n"
    "The Agency found an impurity above the limit in 14 batches. "
    "Patients should not stop taking their medicine. "
    "A spokesman for the maker said it would comply."
)


@pytest.mark.parametrize("method", METHODS)
def test_own_statement_speaks_in_its_issuers_voice(method):
    src, claims = _claims_in(
        STATEMENT,
        "The Agency found an impurity above the limit in 14 batches.",
        "Patients should not stop taking their medicine.",
        "A spokesman for the maker said it would comply.",
        name="vmha-notice",
    )
    out = attribute(src, claims, method=method)
    for c in out[:2]:  # unattributed: the issuer speaks
        a = c.attribution
        assert a is not None and a.kind == "own-voice" and a.cue == "own statement"
        assert a.speaker == "Veldoria Medicines and Healthcare Agency"
        assert STATEMENT[a.speaker_start : a.speaker_end] == a.speaker
    assert out[2].attribution.kind != "own-voice"  # a named speaker keeps its frame
    assert "spokesman" in out[2].attribution.speaker.lower()


@pytest.mark.parametrize("method", METHODS)
def test_news_article_has_no_own_voice(method):
    _src, out = _attr(
        method, "The agency ordered a recall.", "Patients were told to keep taking it."
    )
    assert all(c.attribution is None for c in out)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Agency has directed the maker to recall 14 batches.",  # an infinitive
        "Police want to tell residents the roads are shut.",
        "The firm will recall 14 batches.",  # a product recall, no clause reported
    ],
)
def test_rules_read_no_report_in_infinitives_or_product_recalls(sentence):
    _src, out = _attr("rules", sentence)
    assert out[0].attribution is None


def test_rules_recalled_that_still_reports():
    _src, out = _attr("rules", "Mayor Varnell recalled that the bridge shook.")
    assert out[0].attribution is not None and out[0].attribution.cue == "recalled"


_COMMISSION = "The National Electoral Commission declared the result on Tuesday."


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "sentences, affiliation",
    [
        # "its": the organisation named last before
        (
            (_COMMISSION, "Its chairman, Justice Benedikt Oruel, said the count was checked."),
            "National Electoral Commission",
        ),
        # a possessive: "the commission" as named before
        (
            (_COMMISSION, "The commission's chairman, Justice Oruel, said the count was fair."),
            "National Electoral Commission",
        ),
        # an organisation word before the role
        (
            (
                "Officers were trying to establish what happened, police spokeswoman Inspector Anouk "
                "Drayfield said.",
            ),
            "police",
        ),
        # "a spokesman for X"
        (("Sales fell sharply, a spokesman for Brenmoor Pharma said.",), "Brenmoor Pharma"),
        # an appositive after the name
        (("Marcus Thelwell, chief executive of Brenmoor, said sales would recover.",), "Brenmoor"),
    ],
)
def test_affiliation_from_the_role(method, sentences, affiliation):
    src, out = _attr(method, *sentences)
    a = out[-1].attribution
    assert a is not None and a.affiliation == affiliation
    assert a.to_dict()["affiliation"] == affiliation
    if affiliation.lower() not in a.speaker.lower():
        assert a.label == f"{a.speaker} ({affiliation})"


@pytest.mark.parametrize("method", METHODS)
def test_affiliation_carries_to_a_remention(method):
    _src, out = _attr(
        method,
        _COMMISSION,
        "Commission chairman Justice Benedikt Oruel said the figures were right.",
        "The tally sheets were checked, Justice Oruel said.",
    )
    assert [c.attribution.label for c in out[1:]] == [
        "Justice Benedikt Oruel (National Electoral Commission)",
        "Justice Oruel (National Electoral Commission)",
    ]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "sentence",
    [
        "Engineer Tom Hale said the bridge was unsafe.",  # a role, no organisation
        "Chief executive Marcus Thelwell said nothing had changed.",  # nor here
        "Putin's foreign policy adviser, Yuri Ushakov, said the talks were useful.",  # a person
    ],
)
def test_no_affiliation_without_an_organisation(method, sentence):
    _src, out = _attr(method, sentence)
    a = out[0].attribution
    assert a is not None and a.affiliation is None and a.label == a.speaker
    assert "affiliation" not in a.to_dict()


def test_rules_take_the_person_named_after_a_role():
    """ "Its chairman, Justice X, said": the rules, like spaCy, give the person, with the
    role's organisation as the affiliation."""
    src, out = _attr(
        "rules",
        "The National Electoral Commission declared the result.",
        "Its chairman, Justice Benedikt Oruel, said the count was complete.",
    )
    a = out[1].attribution
    assert a.speaker == "Justice Benedikt Oruel"
    assert a.affiliation == "National Electoral Commission"
    _src, out = _attr("rules", "The minister, however, said no.")
    assert out[0].attribution.speaker.lower().endswith("minister")  # no name: the role speaks


def _clause_speakers(text):
    """Speakers of the clause claims of one sentence (spaCy attribution and clause cuts)."""
    from divergence.attribution import clause_speakers
    from divergence.clauses import split_clauses

    src, claims = _claims_in(text, text)
    cut = split_clauses(src, attribute(src, claims, method="spacy"), method="spacy")
    out = clause_speakers(src, cut, method="spacy")
    return [(c.text.split()[0], c.attribution and c.attribution.speaker) for c in out]


@needs_spacy
@pytest.mark.parametrize(
    "text, second",
    [
        (  # a later clause that opens with its own frame is that speaker's
            "Police spokesman Dario Pell said two men had died in a crush, "
            "while the UCF said the victims had been shot by police.",
            ("while", "UCF"),
        ),
        (
            "Supporters' groups alleged that more tickets had been sold than the stadium "
            "could hold, and fans said the gates had opened two hours late.",
            ("and", "fans"),
        ),
    ],
)
def test_a_later_clause_takes_its_own_frame(text, second):
    out = _clause_speakers(text)
    assert len(out) == 2 and out[1] == second and out[0][1] != second[1]


@needs_spacy
def test_a_later_clause_frame_does_not_reach_back():
    """The clause before a fronted frame is the outlet's, also when the sentence's frame was it."""
    text = (
        "More than 40 agents have been dispatched to the town, and the minister said they are "
        "investigating the shooting."
    )
    assert _clause_speakers(text) == [("More", None), ("and", "minister")]
    # a post-posed frame at the sentence's end governs the clauses before it
    text = "The fire crossed the river overnight, and then it reached the farms, firefighters said."
    assert {speaker for _w, speaker in _clause_speakers(text)} == {"firefighters"}


@needs_spacy
@pytest.mark.parametrize(
    "text",
    [
        # a relative clause's "which stressed": the sentence's speaker again
        "More than 200,000 people take the drug, according to the regulator, "
        "which stressed that patients should not stop their tablets.",
        # a noun ("reports on") that the parse of the clause alone reads as a verb
        "The White House said Biden raised the hacking of federal agencies and Russian "
        "bounty reports on US troops in Afghanistan.",
    ],
)
def test_a_later_clause_without_a_frame_of_its_own_keeps_the_sentence_speaker(text):
    out = _clause_speakers(text)
    assert len(out) == 2 and len({speaker for _w, speaker in out}) == 1


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "sentence",
    [
        "And VitalWatch can reveal that Brenmoor knew its tablets were contaminated in June.",
        "The Courier can reveal that the council cut the bridge budget by 38 per cent.",
    ],
)
def test_an_outlet_revealing_its_own_finding_speaks_in_its_own_voice(method, sentence):
    """An outlet writing "X can reveal" claims a finding of its own: the article's own statement
    (read as stated by the conflict stage), not a report of what someone says."""
    _src, out = _attr(method, sentence)
    a = out[0].attribution
    if method == "spacy" or a is not None:
        assert a is not None and a.kind == "own-voice" and a.cue == "reveal"
        assert a.speaker in {"VitalWatch", "Courier"}  # the modal is no part of the name
    # else: the rules see no frame across "And ... can": unattributed, the outlet's own too


@pytest.mark.parametrize("method", METHODS)
def test_a_source_revealing_something_is_still_reported(method):
    _src, out = _attr(method, "The analyst revealed that Brenmoor knew of the impurity in June.")
    a = out[0].attribution
    assert a is not None and a.kind == "reported" and a.speaker == "analyst"


NEC = (
    "Declaration of Results: Presidential Election\n"
    "NATIONAL ELECTORAL COMMISSION OF THE REPUBLIC OF VELASTRIA\n"
    "PRESS STATEMENT No. 61/PE\n\n"
    "The Commission acknowledges that results from 214 polling stations were delayed. "
    "The Commission hereby declares Aurel Demarcq duly elected. "
    "The opposition leader said the count was rigged."
)


@pytest.mark.parametrize("method", METHODS)
def test_an_issuer_naming_itself_speaks_in_its_own_voice(method):
    """In its own statement, "The Commission acknowledges that ..." is the issuer asserting it
    (own-voice, its frame kept as the cue), not a report of what someone else says; another
    speaker keeps its frame."""
    src, claims = _claims_in(
        NEC,
        "The Commission acknowledges that results from 214 polling stations were delayed.",
        "The Commission hereby declares Aurel Demarcq duly elected.",
        "The opposition leader said the count was rigged.",
        name="nec-statement",
    )
    out = attribute(src, claims, method=method)
    a = out[0].attribution
    assert (a.kind, a.cue) == ("own-voice", "acknowledges")
    assert a.speaker == "National Electoral Commission of the Republic of Velastria"
    assert NEC[a.speaker_start : a.speaker_end] == "The Commission"
    assert out[2].attribution.kind == "reported" and "opposition" in out[2].attribution.speaker
    if method == "spacy":  # the rules find no frame in "hereby declares X duly elected"
        assert out[1].attribution.kind == "own-voice"


@pytest.mark.parametrize("method", METHODS)
def test_an_issuer_named_by_a_news_article_is_still_reported(method):
    _src, (c,) = _attr(method, "The Commission acknowledges that results were delayed.")
    assert c.attribution is not None and c.attribution.kind == "reported"


@pytest.mark.parametrize("method", METHODS)
def test_an_instruction_to_report_is_no_frame(method):
    _src, (c,) = _attr(
        method, "Patients and healthcare professionals should report any suspected side effects."
    )
    assert c.attribution is None


READOUT = (
    "Readout of President Joseph R. Biden, Jr. Call with President Vladimir Putin of Russia\n"
    "THE WHITE HOUSE\n"
    "January 26, 2021\n\n"
    "President Biden spoke today with President Putin of Russia."
)


@pytest.mark.parametrize("method", METHODS)
def test_a_readout_titled_of_a_call_speaks_for_its_letterhead(method):
    """ "Readout of President ... Call with ..." names the call, not the issuer (it was read as an
    issuer "President Joseph R. Biden, Jr. Call with ..."); the letterhead under it is."""
    from divergence.attribution.issuer import issuer_names

    assert issuer_names(READOUT) == ("THE WHITE HOUSE",)
    assert issuer_names("Declaration of Results\nThe count was slow.") == ()
    src, (c,) = _claims_in(
        READOUT, "President Biden spoke today with President Putin of Russia.", name="wh"
    )
    a = attribute(src, [c], method=method)[0].attribution
    assert (a.speaker, a.kind) == ("The White House", "own-voice")
