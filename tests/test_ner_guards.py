"""The checks that decide which statistical NER guesses the rule components keep.

They are word-level tests on German phrases, independent of any trained model: a bare noun reads
as a name, a noun with a determiner as a common noun; hyphenated and multiword unknown places
must look like names, not like compound nouns or borrowed English phrases.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from extractor.components.locations import _plausible_hyphenated, _plausible_multiword_place, _wordlike
from extractor.components.persons import _plausible_ner_name
from extractor.german import has_determiner


@pytest.mark.parametrize(
    "sentence,word,expected",
    [
        ("Der Zöllner kontrollierte die Papiere .", "Zöllner", True),
        ("Zöllner will demnach einen Antrag stellen .", "Zöllner", False),
        ("Das war ein tolles Ergebnis für Porsche .", "Ergebnis", True),
        ("Das war ein tolles Ergebnis für Porsche .", "Porsche", False),
        ("Er meinte , dass man Facebook nutzt .", "Facebook", False),
        ("Die Gäste kamen aus dem Norden und im Norden blieb es kalt .", "Norden", True),
        ("Die Konkurrenz mit Softwareprimus Microsoft wächst .", "Microsoft", False),
        ("Unsere Kassiererin zählte nach .", "Kassiererin", True),
    ],
)
def test_has_determiner(sentence: str, word: str, expected: bool) -> None:
    words = sentence.split()
    assert has_determiner(words, words.index(word)) is expected


@pytest.mark.parametrize(
    "text,expected",
    [("Tel-Aviv", True), ("Berlin-Mitte", True), ("Bremen-Vegesack", True), ("Elektro-Lkw", False), ("Fulda", True)],
)
def test_hyphenated_places(text: str, expected: bool) -> None:
    assert _plausible_hyphenated(text) is expected


def test_wordlike_keeps_hyphenated_names_not_punctuation() -> None:
    assert _wordlike("Tel-Aviv") and _wordlike("Kiel")
    assert not _wordlike("Wolfenbüttel,") and not _wordlike("Nord-") and not _wordlike("-")


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("de").vocab


def _span(vocab, sentence: str, phrase: str):
    words = sentence.split()
    first = words.index(phrase.split()[0])
    return Doc(vocab, words=words)[first : first + len(phrase.split())]


@pytest.mark.parametrize(
    "sentence,phrase,expected",
    [
        ("Das Spiel in Old Trafford endete torlos .", "Old Trafford", True),
        ("Die Klausur fand in Wildbad Kreuth statt .", "Wildbad Kreuth", True),
        ("Der Kurs setzt auf Peer Learning .", "Peer Learning", False),
        ("Die Tagung war in Bad Hersfeld .", "Bad Hersfeld", True),
        ("Im Fokus stand die Customer Journey .", "Customer Journey", False),
        ("Die Tagung fand in Gemeinsamer Verantwortung statt .", "Gemeinsamer Verantwortung", False),
    ],
)
def test_multiword_places(vocab, sentence: str, phrase: str, expected: bool) -> None:
    assert _plausible_multiword_place(_span(vocab, sentence, phrase)) is expected


@pytest.mark.parametrize(
    "sentence,phrase,expected",
    [
        ("Zöllner will demnach einen Antrag stellen .", "Zöllner", True),
        ("Der Zöllner kontrollierte die Papiere .", "Zöllner", False),
        ("Meister wurde er vor W. Fesenko .", "W. Fesenko", True),
        ("Er traf W. und ging .", "W.", False),
        ("Die Datenmanagementpläne liegen vor .", "Datenmanagementpläne", False),
        ("Gestern sprach Anna Hofmann .", "Anna Hofmann", True),
    ],
)
def test_plausible_ner_person(vocab, sentence: str, phrase: str, expected: bool) -> None:
    assert _plausible_ner_name(_span(vocab, sentence, phrase)) is expected
