"""Subword piece vectors of the NER's embedding (extractor/ner_pieces.py, scripts/build_piece_table.py).

Everything here is made by the test: a tiny SentencePiece model trained on invented German sentences
and a small piece table whose rows are known, so the expected word vectors can be computed by hand.
Neither the pretrained USE pieces nor the shipped model are needed.
"""

from __future__ import annotations

import importlib.util
import io
import shutil
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.training import Example

import extractor.ner_embed  # noqa: F401 - registers the architectures
from extractor.ner_pieces import SP_MODEL_FILE, TABLE_FILE, WORD_BOUNDARY, PieceVectors, read_piece_files

sentencepiece = pytest.importorskip("sentencepiece")

_SPEC = importlib.util.spec_from_file_location(
    "build_piece_table", Path(__file__).resolve().parents[1] / "scripts" / "build_piece_table.py")
build_piece_table = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(build_piece_table)

SENTENCES = [
    "Die Stadtwerke Kesselbrunn haben am Montag das neue Heizkraftwerk eröffnet.",
    "Bürgermeisterin Hannelore Quast sprach von einem wichtigen Tag für die Stadt.",
    "Der Verein Sportfreunde Kesselbrunn lädt zum Sommerfest auf dem Marktplatz ein.",
    "In der Feuerwache trafen sich am Abend die Helferinnen und Helfer.",
    "Die Polizei sperrte die Brücke über die Lauter für zwei Stunden.",
    "Landrat Oskar Wendtland besuchte die Grundschule am Mühlenweg.",
    "Das Kesselhaus der alten Brauerei wird zum Kulturzentrum umgebaut.",
    "Die Handwerkskammer ehrte zwölf junge Meisterinnen und Meister.",
]


@pytest.fixture(scope="module")
def sp_model() -> bytes:
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(SENTENCES * 4), model_writer=model, vocab_size=120, model_type="unigram",
        character_coverage=1.0, minloglevel=2)
    return model.getvalue()


@pytest.fixture(scope="module")
def pieces_dir(tmp_path_factory, sp_model: bytes) -> Path:
    """table.npz + sp.model as scripts/build_piece_table.py writes them: row i = (i, -i, 1, 0) quantised."""
    n_pieces = sentencepiece.SentencePieceProcessor(model_proto=sp_model).get_piece_size()
    rows = numpy.array([[i, -i, 1.0, 0.0] for i in range(n_pieces)], dtype="float32")
    table, scale = build_piece_table.quantise(rows)
    directory = tmp_path_factory.mktemp("pieces")
    numpy.savez(directory / TABLE_FILE, table=table, scale=scale)
    (directory / SP_MODEL_FILE).write_bytes(sp_model)
    return directory


def _vectors(pieces_dir: Path) -> PieceVectors:
    return PieceVectors(*read_piece_files(pieces_dir))


def test_word_vector_is_the_mean_of_its_pieces_rows(pieces_dir: Path) -> None:
    vectors = _vectors(pieces_dir)
    processor = vectors.processor
    ids = [i for i in processor.encode("Kesselhaus") if processor.id_to_piece(i) != WORD_BOUNDARY]
    assert len(ids) >= 2  # a word of several pieces, so the mean is a real mean
    expected = numpy.array([numpy.mean(ids), -numpy.mean(ids), 1.0, 0.0], dtype="float32")
    # int8 storage: each row is exact to half a quantisation step of its column
    step = numpy.abs(numpy.array([1, -1, 1, 0]) * (processor.get_piece_size() - 1)).max() / 127
    assert numpy.abs(vectors.word_vector("Kesselhaus") - expected).max() <= step / 2 + 1e-6
    assert vectors.word_vector("Kesselhaus")[2] == pytest.approx(1.0, abs=1e-2)


def test_bare_boundary_piece_is_dropped(pieces_dir: Path) -> None:
    vectors = _vectors(pieces_dir)
    boundary = vectors.processor.piece_to_id(WORD_BOUNDARY)
    # a word split as "▁" + its pieces: the boundary piece must not enter the mean
    splits = {w: vectors.processor.encode(w) for w in ("Quast", "zwölf", "Zwölf", "Öffnung", "!", "Xaver")}
    with_boundary = [w for w, ids in splits.items() if boundary in ids]
    assert with_boundary, splits
    for word in with_boundary:
        assert boundary not in vectors.pieces(word)
        assert vectors.pieces(word) == [i for i in splits[word] if i != boundary]


def test_unseen_word_gets_a_nonzero_vector(pieces_dir: Path) -> None:
    vectors = _vectors(pieces_dir)
    unseen = "Wolkenfeldt"
    assert all(unseen not in s for s in SENTENCES)
    vector = vectors.word_vector(unseen)
    assert vector.shape == (4,)
    assert numpy.abs(vector).sum() > 0.5
    assert vectors.word_vector(" ").tolist() == [0.0, 0.0, 0.0, 0.0]


def test_doc_vectors_one_row_per_token(pieces_dir: Path) -> None:
    vectors = _vectors(pieces_dir)
    doc = spacy.blank("de")("Landrat Wendtland kam.")
    matrix = vectors.doc_vectors(doc)
    assert matrix.shape == (4, 4)
    assert numpy.array_equal(matrix[1], vectors.word_vector("Wendtland"))


def test_batch_vectors_equal_the_word_by_word_vectors(pieces_dir: Path) -> None:
    nlp = spacy.blank("de")
    docs = [nlp("Quast  und Wendtland in Kesselbrunn"), nlp("Wendtland kam"), nlp.make_doc("")]  # "  ": a space token
    batched = _vectors(pieces_dir).batch_vectors(docs)
    one_by_one = _vectors(pieces_dir)
    expected = [one_by_one.word_vector(t.text) for doc in docs for t in doc]
    assert batched.shape == (8, 4)
    assert batched[1].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert numpy.allclose(batched, numpy.stack(expected), atol=1e-6)


def test_full_cache_is_cleared_without_losing_words_of_the_batch(pieces_dir: Path, monkeypatch) -> None:
    import extractor.ner_pieces as ner_pieces

    monkeypatch.setattr(ner_pieces, "_CACHE_LIMIT", 3)
    vectors = _vectors(pieces_dir)
    nlp = spacy.blank("de")
    first = vectors.batch_vectors([nlp("Quast kam nach Kesselbrunn")])  # 4 words: the cache is now full
    second = vectors.batch_vectors([nlp("Quast und Wendtland")])  # cleared, then filled again
    assert numpy.array_equal(second[0], first[0])
    assert len(vectors._cache) == 3


def test_projection_keeps_a_low_rank_table_exactly() -> None:
    rng = numpy.random.default_rng(3)
    basis = rng.normal(size=(2, 6))
    table = (rng.normal(size=(40, 2)) @ basis + 5.0).astype("float32")  # rank 2 after centring
    projected, explained = build_piece_table.project(table, numpy.arange(20), dims=2)
    assert projected.shape == (40, 2)
    assert explained == pytest.approx(1.0, abs=1e-5)
    # distances between rows survive the projection (also for rows the PCA was not fitted on)
    original = numpy.linalg.norm(table[25] - table[33])
    assert numpy.linalg.norm(projected[25] - projected[33]) == pytest.approx(original, rel=1e-4)


def test_dequantised_table_reads_interleaved_shards(tmp_path: Path) -> None:
    # three shards of two rows: row i lives in shard i % 3 at position i // 3
    shards = {f"q{s + 1}": numpy.array([[10 * s + p, 1] for p in range(2)], dtype="uint8") for s in range(3)}
    scale = numpy.array([1.0, 0.5, 2.0], dtype="float32")
    lo = numpy.array([0.0, -1.0, 3.0], dtype="float32")
    numpy.savez(tmp_path / "weights.npz", **shards, scale=scale, lo=lo)
    table = build_piece_table.dequantised_table(tmp_path / "weights.npz")
    assert table.shape == (6, 2)
    # row 4: shard 1, position 1 -> q value 11, times 0.5, minus 1
    assert table[4].tolist() == [4.5, -0.5]
    assert table[2].tolist() == [3.0 + 2.0 * 20, 5.0]


def test_build_script_without_training_data_exits_2(tmp_path: Path, capsys) -> None:
    assert build_piece_table.main(["--train", str(tmp_path / "missing.spacy"), "--out", str(tmp_path)]) == 2
    assert "missing.spacy: no training DocBin" in capsys.readouterr().err


CONFIG = """
[nlp]
lang = "de"
pipeline = ["eventfacts_lexicon_flags","ner"]

[components]

[components.eventfacts_lexicon_flags]
factory = "eventfacts_lexicon_flags"

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 16
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.ner.model.tok2vec.embed]
@architectures = "eventfacts.LexiconPieceEmbed.v1"
width = 16
attrs = ["NORM","SHAPE"]
rows = [200,50]
lexicon_rows = 16
pieces = "PIECES"
vector_dropout = 0.2

[components.ner.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 16
depth = 1
window_size = 1
maxout_pieces = 2
"""

TRAIN = [
    ("Landrat Oskar Wendtland besuchte Kesselbrunn.", [(8, 23, "PER"), (33, 44, "LOC")]),
    ("Hannelore Quast sprach in Kesselbrunn.", [(0, 15, "PER"), (26, 37, "LOC")]),
]


def _trained_pipeline(pieces_dir: Path):
    config = spacy.util.load_config_from_str(CONFIG.replace("PIECES", str(pieces_dir)))
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(15):
        nlp.update(examples, sgd=optimizer, drop=0.1)
    return nlp


def test_saved_pipeline_loads_with_plain_spacy_load_and_predicts_the_same(pieces_dir: Path, tmp_path: Path) -> None:
    own_pieces = tmp_path / "pieces"
    shutil.copytree(pieces_dir, own_pieces)
    nlp = _trained_pipeline(own_pieces)
    texts = ["Oskar Wendtland sprach in Kesselbrunn.", "Bürgermeisterin Quast kam nach Wolkenfeldt."]
    nlp.to_disk(tmp_path / "model")
    shutil.rmtree(own_pieces)  # the saved model must not need the build directory
    loaded = spacy.load(tmp_path / "model")
    for text in texts:
        ours, theirs = nlp(text), loaded(text)
        assert [(e.start_char, e.end_char, e.label_) for e in ours.ents] == \
            [(e.start_char, e.end_char, e.label_) for e in theirs.ents]
        tok2vec = [m.get_ref("tok2vec") for m in (nlp.get_pipe("ner").model, loaded.get_pipe("ner").model)]
        first, second = (t.predict([d]) for t, d in zip(tok2vec, (ours, theirs)))
        assert numpy.array_equal(first[0], second[0])
    # the table and the SentencePiece model travel inside the NER's weights
    layer = next(n for n in loaded.get_pipe("ner").model.walk() if n.name == "piece_vectors")
    assert layer.attrs["piece_table"].dtype == numpy.int8
    assert layer.attrs["sp_model"] == (pieces_dir / SP_MODEL_FILE).read_bytes()


def test_vector_dropout_drops_whole_word_vectors_only_in_training(pieces_dir: Path) -> None:
    nlp = _trained_pipeline(pieces_dir)
    layer = next(n for n in nlp.get_pipe("ner").model.walk() if n.name == "piece_vectors")
    layer.attrs.update({"dropout_rate": 0.0, "vector_dropout": 0.5})
    docs = [nlp.make_doc("Oskar Wendtland sprach in Kesselbrunn.")] * 8
    predicted = layer.predict(docs).data
    assert numpy.array_equal(predicted, layer.predict(docs).data)
    spacy.util.fix_random_seed(0)
    trained = layer(docs, is_train=True)[0].data
    dropped = [bool(numpy.all(row == 0)) for row in trained]
    assert 0 < sum(dropped) < len(dropped)
    for row, kept, was_dropped in zip(trained, predicted, dropped):
        if not was_dropped:  # kept rows are scaled by 1 / (1 - rate)
            assert numpy.allclose(row, 2 * kept, atol=1e-5)
