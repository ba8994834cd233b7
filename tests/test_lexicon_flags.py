"""Lexicon flags for the NER's tok2vec (`eventfacts_lexicon_flags`, `eventfacts.LexiconHashEmbed.v1`).

The flags are lexeme properties set once per word type; the embedding folds them into one bit mask.
A pipeline with both is saved and loaded again with plain `spacy.load` in a fresh interpreter, which
only works if the package's entry points register the factory and the architecture.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy
import pytest
import spacy
from spacy.tokens import Doc
from spacy.training import Example
from thinc.api import Config

from extractor.components import lexicon_flags as lf
from extractor.ner_embed import lexicon_features
from extractor.ner_training import mask_name_candidates

SENTENCE = "Pischetsrieder wollte das nicht kommentieren, sagte Bürgermeisterin Anna Hofmann in Fulda."


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("de")
    nlp.add_pipe("eventfacts_lexicon_flags")
    return nlp


def _flags(doc: Doc) -> dict[str, set[int]]:
    return {t.text: {bit for bit in lf.FLAGS if t.check_flag(bit)} for t in doc}


def test_flags_of_a_report_sentence(nlp):
    flags = _flags(nlp(SENTENCE))
    assert flags["Pischetsrieder"] >= {lf.NAME_CANDIDATE}
    assert lf.COMMON_NOUN not in flags["Pischetsrieder"]
    assert flags["wollte"] == set() and flags["kommentieren"] == set()
    assert flags["Bürgermeisterin"] >= {lf.COMMON_NOUN, lf.ROLE_WORD}
    assert lf.NAME_CANDIDATE not in flags["Bürgermeisterin"]
    assert lf.FIRST_NAME in flags["Anna"]
    assert lf.PLACE in flags["Fulda"]


def test_flags_of_compounds_and_legal_forms(nlp):
    flags = _flags(nlp("Die Handwerkskammer und die Brumbel GmbH luden zum Werkstatttreffen."))
    assert lf.ORG_WORD in flags["Handwerkskammer"]
    assert lf.ORG_WORD in flags["GmbH"]
    assert lf.NOUN_COMPOUND in flags["Werkstatttreffen"]
    assert lf.FIRST_NAME not in flags["Handwerkskammer"]


def test_acronym_is_a_name_candidate():
    candidate = lf.name_candidate_getter()
    assert candidate("BOSNET") and candidate("Meriva")
    assert not candidate("Sitzung") and not candidate("die") and not candidate("A")


def test_words_seen_before_registration_get_flags_too():
    nlp = spacy.blank("de")
    early = nlp("Anna kam.")  # lexemes created before the component exists
    nlp.add_pipe("eventfacts_lexicon_flags")
    assert early[0].check_flag(lf.FIRST_NAME)
    assert lf.NAME_CANDIDATE in nlp.vocab.lex_attr_getters
    lf.register_flags(nlp.vocab)  # a second registration changes nothing
    assert nlp("Anna kam.")[0].check_flag(lf.FIRST_NAME)


def test_lexicon_features_fold_flags_into_one_column(nlp):
    doc = nlp("Anna Hofmann kam nach Fulda.")
    features, _ = lexicon_features(["NORM"])([doc], False)
    column = numpy.asarray(features[0])[:, -1]
    expected = [sum(1 << i for i, bit in enumerate(lf.FLAGS) if t.check_flag(bit)) for t in doc]
    assert column.tolist() == expected
    assert column[0] & (1 << lf.FLAGS.index(lf.FIRST_NAME))
    assert column[2] == 0  # "kam"


def test_masking_leaves_name_like_o_tokens_unannotated(nlp):
    words = "Die neue Meriva von Opel fuhr gestern nach Berlin zu Anna".split()
    tags = ["O"] * 8 + ["B-LOC", "O", "B-PER"]
    doc = Doc(nlp.vocab, words=words, ents=tags)
    assert mask_name_candidates(doc, lf.name_candidate_getter()) == 2
    assert [t.ent_iob_ for t in doc] == ["O", "O", "", "O", "", "O", "O", "O", "B", "O", "B"]
    assert [(e.text, e.label_) for e in doc.ents] == [("Berlin", "LOC"), ("Anna", "PER")]


TRAIN = [
    ("Gestern sprach Zorvan Quolke über Bienen.", [(15, 28, "PER")]),
    ("Zorvan Quolke lobte die Imker in Zwackingen.", [(0, 13, "PER"), (33, 43, "LOC")]),
    ("Die Sonne schien über dem Feld.", []),
]


def test_saved_pipeline_with_lexicon_embedding_loads_with_plain_spacy(tmp_path):
    config = Config().from_disk("extractor/ner/config.cfg").interpolate()
    ner_cfg = dict(config["components"]["ner"])
    ner_cfg.pop("factory")
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("de")
    nlp.add_pipe("eventfacts_lexicon_flags")
    nlp.add_pipe("ner", config=ner_cfg)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    text = "Zorvan Quolke lobte die Imker in Zwackingen."
    expected = [[e.text, e.label_] for e in nlp(text).ents]
    assert ["Zorvan Quolke", "PER"] in expected
    nlp.to_disk(tmp_path / "model")
    code = ("import json, spacy; nlp = spacy.load(%r); "
            "print(json.dumps([[e.text, e.label_] for e in nlp(%r).ents]))") % (str(tmp_path / "model"), text)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected


def test_embedding_registers_flags_when_the_component_is_missing():
    # A NER sourced into a pipeline without eventfacts_lexicon_flags must still see the flags.
    vocab_nlp = spacy.blank("de")
    doc = vocab_nlp("Anna kam nach Fulda.")
    assert not doc[0].check_flag(lf.FIRST_NAME)
    features, _ = lexicon_features(["NORM"])([doc], False)
    assert doc[0].check_flag(lf.FIRST_NAME) and doc[3].check_flag(lf.PLACE)
    assert numpy.asarray(features[0])[0, -1] & (1 << lf.FLAGS.index(lf.FIRST_NAME))
