"""The "installed spaCy model" path, with a real pipeline the test trains and saves itself.

A tiny German NER learns a handful of our sentences; eventfacts loads it from the directory
(as it would load de_core_news_lg), keeps its trained weights, and uses its entities.
"""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.training import Example

from extractor.api import Extractor
from extractor.pipeline import load_pipeline, resolve_model

SENTENCES = [
    ("Gestern sprach Zorvan Quolke über Bienen.", [("Zorvan Quolke", "PER")]),
    ("Zorvan Quolke lobte die Imker.", [("Zorvan Quolke", "PER")]),
    ("Am Abend dankte Zorvan Quolke den Gästen.", [("Zorvan Quolke", "PER")]),
    ("Die Firma Brumbelwerk baut Waben.", [("Brumbelwerk", "ORG")]),
    ("Brumbelwerk wächst weiter.", [("Brumbelwerk", "ORG")]),
    ("Der Rat tagte in Zwackingen.", [("Zwackingen", "LOC")]),
    ("Sie fuhr nach Zwackingen.", [("Zwackingen", "LOC")]),
    ("Die Sonne schien über dem Feld.", []),
]
TRAIN = [(t, [(t.index(s), t.index(s) + len(s), label) for s, label in ents]) for t, ents in SENTENCES]


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory):
    random.seed(0)
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("de")
    ner = nlp.add_pipe("ner")
    for _, ents in TRAIN:
        for _, _, label in ents:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(80):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("tiny_de") / "model"
    nlp.to_disk(path)
    return path


def test_installed_model_resolves_path(trained_dir):
    assert resolve_model(str(trained_dir)) == (str(trained_dir), f"requested {str(trained_dir)!r}")


def test_installed_model_keeps_trained_weights(trained_dir):
    plain = spacy.load(trained_dir)
    nlp, info = load_pipeline(str(trained_dir))
    assert info.has_ner is True
    assert nlp.pipe_names[0] == "ner"  # sourced first, ours appended after
    text = "Gestern sprach Zorvan Quolke über Bienen."
    assert [(e.text, e.label_) for e in nlp(text).ents] == [(e.text, e.label_) for e in plain(text).ents]
    assert [(e.text, e.label_) for e in plain(text).ents] == [("Zorvan Quolke", "PER")]


def test_installed_model_entities_reach_the_record(trained_dir):
    """Neither 'Zorvan' nor 'Quolke' is in our lexicons: only the model's NER finds the person."""
    text = "Gestern sprach Zorvan Quolke über Bienen."
    rules_only = Extractor("rules").extract(text)
    assert rules_only.persons == []
    rep = Extractor(str(trained_dir)).extract(text)
    assert [(p.name, [(m.start, m.end) for m in p.mentions]) for p in rep.persons] == [("Zorvan Quolke", [(15, 28)])]


def test_installed_model_saved_with_our_components_loads_with_spacy_load(trained_dir, tmp_path):
    nlp, _ = load_pipeline(str(trained_dir))
    nlp.to_disk(tmp_path / "full")
    again = spacy.load(tmp_path / "full")  # factories come from the spacy_factories entry points
    assert again.pipe_names == nlp.pipe_names
    doc = again("Bürgermeisterin Anna Beispiel begrüßte 25 Gäste in Fulda.")
    assert [s.text for s in doc.spans["eventfacts_persons"]] == ["Anna Beispiel"]
    assert [s.text for s in doc.spans["eventfacts_quantities"]] == ["25 Gäste"]


def test_installed_model_unknown_name_is_a_clear_error():
    from extractor.errors import ModelLoadError

    with pytest.raises(ModelLoadError, match=r"\[E001\] Cannot load spaCy pipeline 'de_core_news_xx'"):
        load_pipeline("de_core_news_xx")
