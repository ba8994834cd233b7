"""The adjusted tokenizer (extractor/tokenizer.py) on German press text."""

from __future__ import annotations

import pytest
import spacy

from extractor.tokenizer import adjust_tokenizer


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("de")
    adjust_tokenizer(nlp)
    return nlp


@pytest.mark.parametrize(
    "text,tokens",
    [
        ("Rund 120 Teilnehmer:innen kamen.", ["Rund", "120", "Teilnehmer:innen", "kamen", "."]),
        ("Die Kolleg*innen und eine Referent:in sprachen.", ["Die", "Kolleg*innen", "und", "eine", "Referent:in", "sprachen", "."]),
        ("Alle Bürger_innen und Nutzer/innen.", ["Alle", "Bürger_innen", "und", "Nutzer/innen", "."]),
        # Not gender forms: a colon before other words, "innen" as a word of its own.
        ("Thema: innen und außen", ["Thema", ":", "innen", "und", "außen"]),
        ("Das Fest war 2024.", ["Das", "Fest", "war", "2024", "."]),
        ("Vom 4.–6. März tagte die IHK-Präsidentin.", ["Vom", "4.", "–", "6.", "März", "tagte", "die", "IHK", "-", "Präsidentin", "."]),
    ],
)
def test_adjusted_tokenizer_splits(nlp, text: str, tokens: list[str]) -> None:
    assert [t.text for t in nlp(text)] == tokens
