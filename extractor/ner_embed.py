"""`eventfacts.LexiconHashEmbed.v1`: spaCy's MultiHashEmbed plus one embedded lexicon-class column.

The lexicon flags of `eventfacts_lexicon_flags` (name candidate, first name, place, …) are folded into
one bit mask per token and embedded like any other attribute, so the tok2vec learns their
combinations ("first name and place": "Florenz") at the cost of one extra embedding column.
The rest mirrors spaCy's MultiHashEmbed (no static vectors): hash embeddings of NORM/PREFIX/SUFFIX/
SHAPE, concatenated and mixed by a Maxout layer.

`eventfacts.LexiconPieceEmbed.v1` adds pretrained subword vectors (extractor/ner_pieces.py) beside
them, where MultiHashEmbed would put static word vectors: every word form gets one, unseen names too.
"""

from __future__ import annotations

from typing import Callable

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array

from extractor.components.lexicon_flags import FLAG_ATTRS, FLAGS, register_flags
from extractor.ner_pieces import piece_vectors

_WEIGHTS = (1 << numpy.arange(len(FLAGS), dtype="uint64")).reshape((len(FLAGS), 1))


def lexicon_features(columns: list[str]) -> Model:
    """Docs -> one uint64 array per doc: the `columns` attributes, then the lexicon bit mask."""
    return Model("lexicon_features", _features_forward, attrs={"columns": [*columns, *FLAG_ATTRS]})


def _features_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list, Callable]:
    columns = model.attrs["columns"]
    n_plain = len(columns) - len(FLAGS)
    features = []
    if docs:
        # Normally done by eventfacts_lexicon_flags; this covers a NER sourced into another pipeline
        # without it (without flags every lexicon column would silently read 0).
        register_flags(docs[0].vocab)
    for doc in docs:
        values = doc.to_array(columns).astype("uint64").reshape((len(doc), len(columns)))
        mask = values[:, n_plain:] @ _WEIGHTS  # the flags of one token as one integer
        features.append(model.ops.asarray2i(numpy.hstack([values[:, :n_plain], mask]), dtype="uint64"))
    return features, lambda d_features: []


def _hash_embeddings(width: int, attrs: list[str], rows: list[int], lexicon_rows: int) -> list[Model]:
    """One hash embedding per attribute column and one for the lexicon bit mask."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} rows vs {len(attrs)} attrs")
    sizes = [*rows, lexicon_rows]
    return [HashEmbed(width, size, column=i, seed=8 + i, dropout=0.0) for i, size in enumerate(sizes)]


def _mix(width: int, n_inputs: int) -> Model:
    return with_array(Maxout(width, width * n_inputs, nP=3, dropout=0.0, normalize=True))


@registry.architectures("eventfacts.LexiconHashEmbed.v1")
def lexicon_hash_embed(width: int, attrs: list[str], rows: list[int], lexicon_rows: int) -> Model:
    """Hash embeddings of `attrs` (one row count each) and of the lexicon bit mask, mixed to `width`."""
    # The layer structure must stay as the shipped model D saved it (weights load node by node).
    embeddings = _hash_embeddings(width, attrs, rows, lexicon_rows)
    return chain(lexicon_features(attrs), list2ragged(), with_array(concatenate(*embeddings)),
                 _mix(width, len(embeddings)), ragged2list())


@registry.architectures("eventfacts.LexiconPieceEmbed.v1")
def lexicon_piece_embed(width: int, attrs: list[str], rows: list[int], lexicon_rows: int,
                        pieces: str | None = None, vector_dropout: float = 0.0) -> Model:
    """`LexiconHashEmbed.v1` plus the piece vectors of each word (projected to `width`) before the mix.

    `pieces`: directory of scripts/build_piece_table.py, read when the model is initialised for training;
    a trained model carries the table in its weights.
    """
    embeddings = _hash_embeddings(width, attrs, rows, lexicon_rows)
    hashed = chain(lexicon_features(attrs), list2ragged(), with_array(concatenate(*embeddings)))
    vectors = piece_vectors(width, pieces=pieces, vector_dropout=vector_dropout)
    return chain(concatenate(hashed, vectors), _mix(width, len(embeddings) + 1), ragged2list())
