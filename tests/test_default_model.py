"""The trained NER shipped in extractor/default_model/ (built by scripts/train_ner.py).

The sentences are written for these tests, not taken from any training set. Each names a person,
organisation or place the rule components cannot see on their own (a bare surname, a company name
without legal form, a small town missing from the gazetteer); with the shipped model the pipeline
finds it with exact offsets. The model tests are skipped in a checkout without the model directory;
the data-preparation tests (tag cleaning, the fixed GermEval split) always run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from extractor import extensions
from extractor.ner_training import clean_tags, germeval_split
from extractor.pipeline import load_pipeline

MODEL_DIR = Path(__file__).resolve().parents[1] / "extractor" / "default_model"
needs_model = pytest.mark.skipif(
    not (MODEL_DIR / "config.cfg").is_file(),
    reason="extractor/default_model/ is absent (train it with scripts/train_ner.py)",
)

GROUP = {"PER": extensions.PERSONS, "ORG": extensions.ORGS, "LOC": extensions.LOCATIONS}

# (text, entity text, label): the entity is missed by the rules alone and found with the model.
CASES = [
    ("Nach der Sitzung erklärte Brandtner, man werde den Antrag erneut prüfen.", "Brandtner", "PER"),
    ("Der Vertrag mit Siemens wurde am Freitag unterzeichnet.", "Siemens", "ORG"),
    ("Die Mitarbeiter von Bosch demonstrierten vor dem Werk.", "Bosch", "ORG"),
    ("Die Delegation reiste anschließend weiter nach Talwiesau.", "Talwiesau", "LOC"),
    # common nouns used bare, as names (a determiner would make them nouns), and an unknown two-word place
    ("Zöllner will demnach einen neuen Antrag stellen.", "Zöllner", "PER"),
    ("Er meinte, dass man Facebook heute anders nutze.", "Facebook", "ORG"),
    ("Die Konkurrenz mit Softwareprimus Microsoft wächst.", "Microsoft", "ORG"),
    ("Die Klausur der Fraktion fand in Wildbad Kreuth statt.", "Wildbad Kreuth", "LOC"),
]


@pytest.fixture(scope="module")
def nlp_model():
    nlp, info = load_pipeline("default")
    return nlp, info


@pytest.fixture(scope="module")
def nlp_rules(tmp_path_factory):
    # A blank German pipeline from a directory: the same rule components, no statistical NER.
    path = tmp_path_factory.mktemp("blank_de")
    spacy.blank("de").to_disk(path)
    nlp, info = load_pipeline(str(path))
    assert info.has_ner is False
    return nlp


def _found(nlp, text: str, label: str) -> list[tuple[int, int, str]]:
    doc = nlp(text)
    return [(s.start_char, s.end_char, s.text) for s in doc.spans.get(GROUP[label], [])]


@needs_model
def test_default_model_loads_with_plain_spacy():
    # Load time is a benchmark figure (scripts/benchmark.py), not asserted here.
    nlp = spacy.load(MODEL_DIR)
    assert nlp.pipe_names == ["eventfacts_lexicon_flags", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC", "MISC"}


@needs_model
def test_default_model_size_under_50_mb():
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 50 * 1024 * 1024


@needs_model
def test_default_model_has_notice_and_sources():
    notice = (MODEL_DIR / "NOTICE").read_text(encoding="utf8")
    assert "Benikova" in notice  # GermEval 2014 attribution (CC BY 4.0)
    meta = spacy.load(MODEL_DIR).meta
    assert {s["licence"] for s in meta["sources"]} <= {"CC BY 4.0", "CC0 1.0", "same as the eventfacts project"}


@needs_model
def test_default_model_pipeline_info_has_ner(nlp_model):
    nlp, info = nlp_model
    assert info.base == "default"
    assert info.has_ner is True
    assert nlp.pipe_names[:2] == ["eventfacts_lexicon_flags", "ner"]
    assert "lemmatizer" not in nlp.pipe_names


@needs_model
@pytest.mark.parametrize("text,entity,label", CASES)
def test_default_model_finds_what_rules_miss(nlp_model, nlp_rules, text, entity, label):
    start = text.index(entity)
    expected = (start, start + len(entity), entity)
    assert expected not in _found(nlp_rules, text, label)
    assert expected in _found(nlp_model[0], text, label)


@pytest.mark.parametrize(
    "tags,expected",
    [
        (["B-PER", "I-PER", "O"], ["B-PER", "I-PER", "O"]),
        (["B-ROLE", "B-PER", "I-PER"], ["O", "B-PER", "I-PER"]),
        (["B-DATE", "I-DATE", "B-LOC"], ["O", "O", "B-LOC"]),
        (["O", "I-ORG", "I-ORG"], ["O", "B-ORG", "I-ORG"]),
        (["B-PER", "I-LOC"], ["B-PER", "B-LOC"]),
        (["B-MISC", "I-NUM"], ["B-MISC", "O"]),
    ],
)
def test_default_model_training_tags_are_cleaned(tags, expected):
    assert clean_tags(tags) == expected


def test_default_model_germeval_split_is_fixed_and_disjoint():
    sentences = [([f"w{i}"], ["O"]) for i in range(2200)]
    report, tune, train = germeval_split(sentences)
    assert (len(report), len(tune), len(train)) == (1000, 200, 1000)
    assert set(report).isdisjoint(tune) and set(report).isdisjoint(train) and set(tune).isdisjoint(train)
    assert germeval_split(sentences) == (report, tune, train)
    # the seeded permutation is part of the published split (extractor/default_model/README.md)
    assert (report[:8], tune[:5], train[:5]) == ([0, 1, 2, 3, 4, 7, 8, 9], [11, 25, 29, 31, 40], [5, 6, 10, 12, 13])


@needs_model
@pytest.mark.parametrize(
    "text",
    [
        # the model calls "Peer Learning" a person; after "aus" the rules do not take it
        "Die Mischung aus Peer Learning und Fachvorträgen kam bei den Gästen gut an.",
        "Diese Kombination aus Peer Learning und politischem Dialog hat sich bewährt.",
    ],
)
def test_default_model_person_guesses_after_aus_are_dropped(nlp_model, text):
    doc = nlp_model[0](text)
    assert ("Peer Learning", "PER") in [(e.text, e.label_) for e in doc.ents]
    assert list(doc.spans[extensions.PERSONS]) == []


@needs_model
def test_default_model_sentence_initial_adverb_is_no_person(nlp_model):
    # the model calls the capitalised adverb a person; the surname after the verb stays
    doc = nlp_model[0]("Später sagte Kowalski, die Zahlen seien gut.")
    assert ("Später", "PER") in [(e.text, e.label_) for e in doc.ents]
    assert [sp.text for sp in doc.spans[extensions.PERSONS]] == ["Kowalski"]
