"""Subword vectors for the NER's embedding: each word is the mean of its SentencePiece pieces' rows.

The piece table (one int8 row per piece, a float scale per column) and the SentencePiece model are
attributes of the layer, so they are saved inside the NER's weights (`ner/model`) and a pipeline
loads with plain `spacy.load`; run time needs only the `sentencepiece` package. The table itself is
built once, at training time, by `scripts/build_piece_table.py` (pretrained USE-multilingual pieces,
projected to a few dimensions); here it is only read.

Every word form gets a vector, unseen names included: all that is needed are its pieces. The word
-> vector mapping is cached per layer, so each distinct word form is split into pieces once.
Like spaCy's `StaticVectors`, the vectors are static and pass through a learned projection
(`W`, width x dimensions) with dropout over the output columns; `vector_dropout` additionally drops
whole word vectors during training, so the model cannot lean on them alone.
"""

from __future__ import annotations

from itertools import chain
from pathlib import Path
from typing import Callable

import numpy
from spacy.tokens import Doc
from thinc.api import Model, Ragged, glorot_uniform_init

# The bare word-boundary piece carries no information about the word ("," -> "▁" ","); the sentence
# markers are never produced for single words but are excluded in case a model defines them.
WORD_BOUNDARY = "\u2581"
# Beyond this many cached word forms (512 bytes each at 128 dims) the cache is dropped and rebuilt.
_CACHE_LIMIT = 100_000
TABLE_FILE = "table.npz"
SP_MODEL_FILE = "sp.model"


class PieceVectors:
    """Word form -> mean of its pieces' rows (dequantised), with a per-word cache."""

    def __init__(self, table: numpy.ndarray, scale: numpy.ndarray, sp_model: bytes) -> None:
        import sentencepiece

        self.table = table
        self.scale = numpy.asarray(scale, dtype="float32")
        self.processor = sentencepiece.SentencePieceProcessor(model_proto=sp_model)
        ids = (self.processor.piece_to_id(WORD_BOUNDARY), self.processor.bos_id(), self.processor.eos_id(),
               self.processor.pad_id())
        # piece_to_id answers unk for a missing piece: never skip unk by accident
        self.skip = {i for i in ids if i >= 0 and i != self.processor.unk_id()}
        self.width = int(table.shape[1])
        self._cache: dict[str, numpy.ndarray] = {}

    def pieces(self, word: str) -> list[int]:
        """Piece ids of `word` without the bare boundary piece and sentence markers."""
        return [i for i in self.processor.encode(word) if i not in self.skip]

    def word_vector(self, word: str) -> numpy.ndarray:
        vector = self._cache.get(word)
        if vector is None:
            self._limit_cache()
            self._fill([word])
            vector = self._cache[word]
        return vector

    def _fill(self, words: list[str]) -> None:
        """Cache the vectors of `words` (distinct, not cached yet): one batched encode and one gather."""
        pieces = [[i for i in ids if i not in self.skip] for ids in self.processor.encode(words)]
        lengths = numpy.array([len(ids) for ids in pieces], dtype="int64")
        vectors = numpy.zeros((len(words), self.width), dtype="float32")
        has_pieces = lengths > 0  # a whitespace-only word keeps the zero vector
        if has_pieces.any():
            flat = numpy.fromiter(chain.from_iterable(pieces), dtype="int64", count=int(lengths.sum()))
            starts = numpy.concatenate([[0], numpy.cumsum(lengths[has_pieces])[:-1]])
            sums = numpy.add.reduceat(self.table[flat].astype("float32"), starts, axis=0)
            vectors[has_pieces] = sums / lengths[has_pieces, None] * self.scale
        self._cache.update(zip(words, vectors))

    def _limit_cache(self) -> None:
        if len(self._cache) >= _CACHE_LIMIT:  # long-running processes: start afresh
            self._cache.clear()

    def doc_vectors(self, doc: Doc) -> numpy.ndarray:
        """(len(doc), width) float32: one row per token."""
        return self.batch_vectors([doc])

    def batch_vectors(self, docs: list[Doc]) -> numpy.ndarray:
        """(tokens of all docs, width) float32, in order; unseen word forms are split in one batch."""
        words = [token.text for doc in docs for token in doc]
        if not words:
            return numpy.zeros((0, self.width), dtype="float32")
        self._limit_cache()
        missing = [w for w in dict.fromkeys(words) if w not in self._cache]
        if missing:
            self._fill(missing)
        return numpy.stack([self._cache[w] for w in words])


def read_piece_files(directory: Path) -> tuple[numpy.ndarray, numpy.ndarray, bytes]:
    """(table int8, column scale, sp.model bytes) as written by scripts/build_piece_table.py."""
    with numpy.load(Path(directory) / TABLE_FILE) as data:
        table, scale = data["table"], data["scale"]
    return table, scale, (Path(directory) / SP_MODEL_FILE).read_bytes()


# One PieceVectors per layer (thinc's Model.id; models cannot be weakly referenced), rebuilt when the
# layer's table changes (from_bytes replaces the attrs).
_STATES: dict[int, PieceVectors] = {}


def piece_state(model: Model) -> PieceVectors:
    table = model.attrs["piece_table"]
    if table is None:
        raise ValueError("piece_vectors layer has no piece table: initialise it or load a trained model")
    state = _STATES.get(model.id)
    if state is None or state.table is not table:
        state = PieceVectors(table, model.attrs["piece_scale"], model.attrs["sp_model"])
        _STATES[model.id] = state
    return state


def piece_vectors(nO: int | None = None, pieces: str | None = None, vector_dropout: float = 0.0) -> Model:
    """Docs -> Ragged (tokens, nO): the projected piece vectors of every token.

    `pieces` is the directory with table.npz and sp.model, read only by `initialize` (training);
    a loaded model brings its table in its own attributes.
    """
    return Model(
        "piece_vectors", _forward, init=_init, params={"W": None}, dims={"nO": nO, "nV": None},
        attrs={"pieces": pieces, "piece_table": None, "piece_scale": None, "sp_model": None,
               "dropout_rate": None, "vector_dropout": vector_dropout},
    )


def _init(model: Model, X: list[Doc] | None = None, Y=None) -> Model:
    if model.attrs["piece_table"] is None:
        if not model.attrs["pieces"]:
            raise ValueError("piece_vectors needs `pieces`, the directory of scripts/build_piece_table.py")
        table, scale, sp_model = read_piece_files(Path(model.attrs["pieces"]))
        model.attrs.update({"piece_table": table, "piece_scale": scale, "sp_model": sp_model})
    model.set_dim("nV", int(model.attrs["piece_table"].shape[1]))
    model.set_param("W", glorot_uniform_init(model.ops, (model.get_dim("nO"), model.get_dim("nV"))))
    return model


def _forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[Ragged, Callable]:
    lengths = model.ops.asarray1i([len(doc) for doc in docs])
    n_out = model.get_dim("nO")
    W = model.get_param("W")
    if not sum(len(doc) for doc in docs):
        return Ragged(model.ops.alloc2f(0, n_out), lengths), lambda d: []
    state = piece_state(model)
    V = model.ops.asarray2f(state.batch_vectors(docs))
    if is_train and model.attrs["vector_dropout"]:  # drop whole word vectors
        V = V * model.ops.get_dropout_mask((V.shape[0], 1), model.attrs["vector_dropout"])
    output = model.ops.gemm(V, W, trans2=True)
    mask = None
    if is_train and model.attrs["dropout_rate"]:  # as StaticVectors: drop output columns
        mask = model.ops.get_dropout_mask((n_out,), model.attrs["dropout_rate"])
        output *= mask

    def backprop(d_output: Ragged) -> list:
        d_data = d_output.data * mask if mask is not None else d_output.data
        model.inc_grad("W", model.ops.gemm(d_data, V, trans1=True))
        return []

    return Ragged(output, lengths), backprop
