"""The per-Doc token lists the rule components share (extractor/doc_tokens.py)."""

from __future__ import annotations

import spacy

from extractor.doc_tokens import doc_tokens, sent_starts
from extractor.tokenizer import adjust_tokenizer

TEXT = (
    "Fachtag „Ausbildung inklusiv“ in Fulda\n\n"
    "Rund 120 Teilnehmer:innen kamen am 14. Mai 2024 zur IHK-Präsidentin Dr. Anna Beispiel.  "
    "Sie sprach über Übergänge."
)


def _nlp():
    nlp = spacy.blank("de")
    adjust_tokenizer(nlp)
    nlp.add_pipe("sentencizer")
    return nlp


def test_doc_tokens_match_the_token_attributes() -> None:
    doc = _nlp()(TEXT)
    toks = doc_tokens(doc)
    assert toks.text == [t.text for t in doc]
    assert toks.lower == [t.lower_ for t in doc]
    assert toks.whitespace == [t.whitespace_ for t in doc]
    assert toks.idx == [t.idx for t in doc]
    assert "Teilnehmer:innen" in toks.text and "Übergänge" in toks.text
    assert toks.doc_text == doc.text == TEXT


def test_span_text_and_offsets_match_spans() -> None:
    doc = _nlp()(TEXT)
    toks = doc_tokens(doc)
    for start in range(len(doc)):
        for end in range(start + 1, min(start + 5, len(doc)) + 1):
            span = doc[start:end]
            assert toks.span_text(start, end) == span.text
            assert toks.char_offsets(start, end) == [span.start_char, span.end_char]
    assert toks.span_text(3, 3) == ""


def test_doc_tokens_are_built_once_per_doc_and_rebuilt_after_retokenising() -> None:
    nlp = _nlp()
    doc, other = nlp(TEXT), nlp("Frau Müller aus Kassel.")
    first = doc_tokens(doc)
    assert doc_tokens(other).text == ["Frau", "Müller", "aus", "Kassel", "."]
    assert doc_tokens(doc) is first
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[0:2])
    assert doc_tokens(doc).text == [t.text for t in doc]
    assert doc_tokens(doc).text[0] == "Fachtag „"


def test_sent_starts_follow_the_sentencizer_and_later_changes() -> None:
    doc = _nlp()("Der Fachtag war gut. Alle kamen wieder.")
    assert sent_starts(doc) == [bool(t.is_sent_start) for t in doc]
    assert sent_starts(doc)[5] is True
    doc[2].is_sent_start = True
    assert sent_starts(doc)[2] is True
    assert sent_starts(_nlp()("")) == []
