"""`eventfacts.LexiconHashEmbed.v1`: spaCy's MultiHashEmbed plus one embedded lexicon-class column.

The lexicon flags of `eventfacts_lexicon_flags` (name candidate, first name, place, …) are folded into
one bit mask per token and embedded like any other attribute, so the tok2vec learns their
combinations ("first name and place": "Florenz") at the cost of one extra embedding column.
The rest mirrors spaCy's MultiHashEmbed (no static vectors): hash embeddings of NORM/PREFIX/SUFFIX/
SHAPE, concatenated and mixed by a Maxout layer.
"""

from __future__ import annotations

from typing import Callable

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array

from extractor.components.lexicon_flags import FLAG_ATTRS, FLAGS, register_flags

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


@registry.architectures("eventfacts.LexiconHashEmbed.v1")
def lexicon_hash_embed(width: int, attrs: list[str], rows: list[int], lexicon_rows: int) -> Model:
    """Hash embeddings of `attrs` (one row count each) and of the lexicon bit mask, mixed to `width`."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} rows vs {len(attrs)} attrs")
    sizes = [*rows, lexicon_rows]
    embeddings = [HashEmbed(width, size, column=i, seed=8 + i, dropout=0.0) for i, size in enumerate(sizes)]
    mix = with_array(Maxout(width, width * len(embeddings), nP=3, dropout=0.0, normalize=True))
    return chain(lexicon_features(attrs), list2ragged(), with_array(concatenate(*embeddings)), mix, ragged2list())
