"""The spaCy cue finder: the attribution frame of one parsed sentence by dependency rules.

>>> from divergence.parsing import parse
>>> _spacy_find(parse(["Putin said the talks were useful."])[0])  # doctest: +SKIP
_Found(speaker_start=0, speaker_end=5, cue='said', cue_start=6, cue_end=10, kind='reported')
"""

from __future__ import annotations

from .lexicon import (
    _DOC_WORDS,
    _ORG_WORDS,
    ACCOUNT_LEMMAS,
    CUE_LEMMAS,
    JUDGMENT_LEMMAS,
    LABEL_LEMMAS,
)
from .rules import _Found, _fronted, _outside_quotes

_MAIN_DEPS = {"ROOT", "parataxis", "conj"}
_DROP_DEPS = {"relcl", "acl", "punct", "cc", "advcl", "parataxis"}


def _span_of(tok) -> tuple[int, int]:
    """Character span of ``tok``'s subtree without relative clauses and trailing commas."""
    keep = []
    stack = [tok]
    while stack:
        t = stack.pop()
        keep.append(t)
        for child in t.children:
            if child.dep_ in _DROP_DEPS and child is not tok:
                if child.dep_ == "punct" and child.text in {"'", "’", "-"}:
                    keep.append(child)  # "Ekdahl-Rowe", "Putin's"
                elif child.dep_ == "cc" and child.text == "&":
                    keep.append(child)  # "Varrow Power & Light"
                elif child.text == "," and any(c.dep_ == "appos" for c in t.children):
                    keep.append(child)  # "his daughter, Hanne Pellow,": the name follows
                elif _name_and(child, tok):
                    keep.append(child)  # "the Medicines and Healthcare Agency"
                continue
            stack.append(child)
    keep.sort(key=lambda t: t.i)
    # a contiguous run around the head
    lo = hi = tok.i
    idx = {t.i for t in keep}
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    doc = tok.doc
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _dateline(tok) -> bool:
    """A sentence-initial place name in capitals before a comma ("HALMERIN, 17 May ...")."""
    doc = tok.doc
    return tok.i <= 1 and tok.text.isupper() and tok.i + 1 < len(doc) and doc[tok.i + 1].text == ","


def _after_dateline(tok) -> list:
    """The subject a dateline hides: "MARRENBURG, 8 October 2024 – Brenmoor Pharma plc today
    announced ..." parses with the place as the subject and the company as a conjunct of the
    date; the speaker is the name after the dash (none: the place is no speaker)."""
    dash = next((t.i for t in tok.subtree if t.text in {"–", "—", "-", "--"}), None)
    if dash is None:
        return []
    names = [
        t
        for t in tok.subtree
        if t.i > dash and t.dep_ in {"conj", "appos"} and t.pos_ in {"PROPN", "NOUN"}
    ]
    return names[:1]


def _name_and(cc, head) -> bool:
    """An "and" inside an organisation's name: between two capitalised words of a subject
    headed by an organisation word ("Medicines and Healthcare Agency", "Department of Health
    and Human Services"), never between two people ("Biden and Putin")."""
    doc = cc.doc
    return (
        cc.lower_ == "and"
        and head.lower_ in _ORG_WORDS
        and 0 < cc.i < len(doc) - 1
        and doc[cc.i - 1].text[:1].isupper()
        and doc[cc.i + 1].text[:1].isupper()
        and cc.i < head.i + 6
    )


def _put_it(tok) -> bool:
    """ "As X puts it, ..." / "X put it bluntly: ...": the idiom gives X's words."""
    if tok.lemma_.lower() != "put" or not any(
        c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children
    ):
        return False
    if any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        return True
    nxt = [t for t in tok.doc[tok.i + 1 : tok.i + 5] if t.lower_ != "it" and t.pos_ != "ADV"]
    return bool(nxt) and nxt[0].text == ":"


def _labels_with_quote(tok) -> bool:
    """ "called the ruling 'a victory for everyone'": a label given in the subject's words (a
    quotation as the object's complement; "called Putin on Tuesday" is a phone call)."""
    if tok.lemma_.lower() not in LABEL_LEMMAS:
        return False
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    comps = [c for c in tok.children if c.dep_ in {"oprd", "xcomp", "ccomp"} or c.lower_ == "as"]
    if not objs or not comps:
        return False
    doc = tok.doc
    end = max(t.i for c in comps for t in c.subtree)
    between = doc[objs[0].i : end + 1].text
    return any(q in between for q in "“\"‘'") and objs[0].i < min(c.i for c in comps)


def _organisation(span: str) -> bool:
    """Whether a subject names an organisation or its document ("the Kremlin", "the White
    House", "the ministry's statement"), the only subjects an account verb takes."""
    words = {w.strip(",.'’s").lower() for w in span.split()} | {w.lower() for w in span.split()}
    return bool(words & (_ORG_WORDS | _DOC_WORDS))


# a court's or an inquiry's judgment: "the court ruled that ...", "investigators found that ..."
# (with a that-clause only: "the court ruled on Tuesday" reports nothing)
_JUDGMENT_LEMMAS = set(JUDGMENT_LEMMAS)


def _that_clause(tok) -> bool:
    return any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in tok.children
    )


def _as_complement(tok) -> bool:
    """ "portrayed it as ...": the subject's own characterisation."""
    return tok.lemma_.lower() in {"portray", "characterize", "characterise", "describe"} and any(
        c.dep_ == "prep" and c.lower_ == "as" for c in tok.children
    )


def _spacy_find(doc) -> _Found | None:
    text = doc.text
    cands: list[tuple[int, _Found]] = []
    for tok in doc:
        if tok.lower_ == "according" and _outside_quotes(text, tok.idx):
            for to in tok.children:
                if to.lower_ == "to":
                    objs = [c for c in to.children if c.dep_ == "pobj"]
                    if objs:
                        s, e = _span_of(objs[0])
                        found = _Found(s, e, "according to", tok.idx, to.idx + 2, "according-to")
                        cands.append((3 if _fronted(text, found) else 0, found))
            continue
        lemma = tok.lemma_.lower()
        account = lemma in ACCOUNT_LEMMAS
        judgment = lemma in _JUDGMENT_LEMMAS and _that_clause(tok)
        idiom = _put_it(tok) or _labels_with_quote(tok)
        if tok.pos_ not in {"VERB", "AUX"} or not (
            lemma in CUE_LEMMAS or account or judgment or idiom
        ):
            continue
        if not _outside_quotes(text, tok.idx):
            continue
        if lemma == "recall" and not any(c.dep_ == "ccomp" for c in tok.children):
            continue  # "batches are being recalled by the agency": a product recall
        if any(c.dep_ == "aux" and c.lower_ in {"should", "must"} for c in tok.children):
            continue  # "patients should report any side effects": an instruction, no report
        # "X welcomed the judgment, saying ...": the participle's speaker is its clause's subject
        saying = (
            tok.dep_ == "advcl"
            and tok.tag_ == "VBG"
            and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)
            and tok.head.dep_ in _MAIN_DEPS
            and (lemma in CUE_LEMMAS or judgment)
        )
        # "data that the Authority said could reveal visits": the relative pronoun is the
        # subject of the reported clause, so the frame reports that clause
        extracted = tok.dep_ == "relcl" and any(
            c.dep_ == "ccomp"
            and any(g.dep_ == "nsubj" and g.lower_ in {"that", "which", "who"} for g in c.children)
            for c in tok.children
        )
        if (
            not saying
            and not extracted
            and not (idiom and tok.dep_ in {"advcl", "ccomp"} | _MAIN_DEPS)
            and (tok.dep_ not in _MAIN_DEPS or (tok.dep_ == "conj" and tok.head.dep_ != "ROOT"))
        ):
            continue  # a reporting verb inside a relative or adverbial clause
        # of several subjects the first before the verb that is no dateline ("HALMERIN, 17 May
        # (CPA) - the commission has declared ..."); one after the verb is the object's small
        # clause ("the commission declares X duly elected")
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        if len(subj) > 1:
            before = [c for c in subj if c.i < tok.i] or subj
            subj = ([c for c in before if not _dateline(c)] or before)[:1]
        if any(c.dep_ == "nsubjpass" for c in tok.children):  # "was said by X": the agent
            subj = [p for a in tok.children if a.dep_ == "agent" for p in a.children]
        elif (tok.dep_ == "conj" or saying) and not subj:
            subj = [c for c in tok.head.children if c.dep_ == "nsubj"]
        if subj and _dateline(subj[0]):
            subj = _after_dateline(subj[0])
        if not subj:
            continue
        s, e = _span_of(subj[0])
        if text[s:e].lower() in {"i", "we", "you"}:
            continue
        # an account verb takes an organisation; "portrayed / characterised X as Y" anyone
        if account and not (_organisation(text[s:e]) or _as_complement(tok)):
            continue
        rank = 2 if tok.dep_ == "ROOT" else 1
        found = _Found(s, e, tok.text, tok.idx, tok.idx + len(tok.text), "reported")
        cands.append((rank, found))
    if not cands:
        return None
    cands.sort(key=lambda rf: (rf[0], rf[1].cue_start))
    return cands[-1][1]
