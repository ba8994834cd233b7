"""Data preparation for training the embedded default's statistical NER (used by scripts/train_ner.py).

Converts the openly licensed CoNLL sets under `/work/shared/data/ner/` (two columns, IOB2) and our own
gold corpus (`corpus/annotated/train.jsonl`, character-offset spans) into spaCy `Doc`s labelled
PER/ORG/LOC/MISC. Nothing here runs at extraction time; the module is only imported by the trainer.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from extractor.evaluation import read_conll

LABELS = ("PER", "ORG", "LOC", "MISC")
# GermEval 2014 is only available as its 2,200-sentence dev split: cut it once, with this seed, into a
# fixed reporting part (never trained on), a small tuning part (model selection) and a training part.
GERMEVAL_SEED = 20140
GERMEVAL_REPORT = 1000
GERMEVAL_TUNE = 200


def clean_tags(tags: list[str]) -> list[str]:
    """Map tags to PER/ORG/LOC/MISC IOB2 (ROLE, DATE, TIME, NUM -> O) and repair orphan I- tags."""
    out: list[str] = []
    for tag in tags:
        if tag == "O" or tag[2:] not in LABELS:
            out.append("O")
            continue
        prefix, label = tag[:1], tag[2:]
        # an I- after O or after another label starts a new entity (IOB1 leftovers, dropped labels)
        if prefix == "I" and (not out or out[-1] == "O" or out[-1][2:] != label):
            prefix = "B"
        out.append(f"{prefix}-{label}")
    return out


def sentences_to_docs(nlp: Language, sentences: Iterable[tuple[list[str], list[str]]]) -> Iterator[Doc]:
    """Docs from (tokens, IOB2 tags) sentences; tokens are joined by single spaces."""
    for words, tags in sentences:
        if not words:
            continue
        spaces = [True] * (len(words) - 1) + [False]
        yield Doc(nlp.vocab, words=words, spaces=spaces, ents=clean_tags(tags))


def mask_name_candidates(doc: Doc, is_candidate) -> int:
    """Mark O tokens that could be unannotated names as missing (not O); RETURNS how many.

    Most sets annotate only some of PER/ORG/LOC/MISC (NEISS has no ORG, only GermEval and LER have
    MISC), so their "O" on a work title or a company name teaches the model that such names are not
    entities. Leaving name-like O tokens unannotated (spaCy learns nothing from missing tokens) keeps
    the sets usable together. Sentence-initial tokens are kept: their capital says nothing.
    """
    missing = [doc[i : i + 1] for i, token in enumerate(doc)
               if i > 0 and token.ent_iob_ == "O" and is_candidate(token.text)]
    if missing:
        doc.set_ents([], missing=missing, default="unmodified")
    return len(missing)


def read_sentences(path: Path) -> list[tuple[list[str], list[str]]]:
    """All sentences of a CoNLL file (see `extractor.evaluation.read_conll`)."""
    return list(read_conll(path))


def germeval_split(
    sentences: list[tuple[list[str], list[str]]], seed: int = GERMEVAL_SEED
) -> tuple[list[int], list[int], list[int]]:
    """Sentence indices (0-based, file order) of the GermEval report, tune and train parts.

    The permutation depends only on `seed` and the number of sentences, so it is stable.
    RETURNS (tuple[list[int], list[int], list[int]]): report, tune, train indices, each sorted.
    """
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    report = sorted(order[:GERMEVAL_REPORT])
    tune = sorted(order[GERMEVAL_REPORT : GERMEVAL_REPORT + GERMEVAL_TUNE])
    train = sorted(order[GERMEVAL_REPORT + GERMEVAL_TUNE :])
    return report, tune, train


def subsample_mostly_o(
    sentences: list[tuple[list[str], list[str]]], negatives_per_positive: float, seed: int
) -> list[tuple[list[str], list[str]]]:
    """Keep every sentence with an entity and a seeded sample of entity-free ones (legal data is ~95 % O)."""
    positives = [s for s in sentences if any(t != "O" for t in clean_tags(s[1]))]
    negatives = [s for s in sentences if all(t == "O" for t in clean_tags(s[1]))]
    random.Random(seed).shuffle(negatives)
    return positives + negatives[: int(len(positives) * negatives_per_positive)]


def write_conll(path: Path, sentences: Iterable[tuple[list[str], list[str]]]) -> None:
    """Write sentences as gzip CoNLL (token TAB tag, blank line after each sentence)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for words, tags in sentences:
            handle.writelines(f"{w}\t{t}\n" for w, t in zip(words, clean_tags(tags)))
            handle.write("\n")


def corpus_docs(nlp: Language, path: Path) -> tuple[list[Doc], int]:
    """Docs from our gold JSONL: one Doc per non-empty line of each text, PER/ORG/LOC spans only.

    `nlp` must carry the adjusted tokenizer so training sees the same tokens as extraction. Spans are
    aligned with `char_span(..., alignment_mode="contract")`; spans that contract to nothing are dropped.
    RETURNS (tuple[list[Doc], int]): the docs and the number of spans that could not be aligned.
    """
    docs: list[Doc] = []
    lost = 0
    with path.open(encoding="utf8") as handle:
        for line in handle:
            record = json.loads(line)
            text: str = record["text"]
            spans = [s for s in record["spans"] if s["label"] in ("PER", "ORG", "LOC")]
            offset = 0
            for paragraph in text.split("\n"):
                start, end = offset, offset + len(paragraph)
                offset = end + 1
                if not paragraph.strip():
                    continue
                doc = nlp.make_doc(paragraph)
                ents: list[Span] = []
                for s in spans:
                    if s["start"] >= start and s["end"] <= end:
                        span = doc.char_span(s["start"] - start, s["end"] - start, label=s["label"],
                                             alignment_mode="contract")
                        if span is None or len(span) == 0:
                            lost += 1
                        else:
                            ents.append(span)
                doc.ents = filter_spans(ents)
                docs.append(doc)
    return docs, lost


def save_docbin(docs: Iterable[Doc], path: Path) -> int:
    """Write `docs` to a .spacy file; RETURNS the number of docs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc_bin = DocBin(store_user_data=False)
    n = 0
    for doc in docs:
        doc_bin.add(doc)
        n += 1
    doc_bin.to_disk(path)
    return n


__all__ = [
    "LABELS",
    "GERMEVAL_SEED",
    "clean_tags",
    "corpus_docs",
    "germeval_split",
    "read_sentences",
    "save_docbin",
    "sentences_to_docs",
    "subsample_mostly_o",
    "write_conll",
]
