"""Token-level NER scoring on CoNLL files (strict IOB2 entity matching)."""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from extractor.evaluation.records import FieldCounts

NER_LABELS = ("PER", "ORG", "LOC", "MISC")

# --- token-level NER (CoNLL, IOB2) -------------------------------------------------------------


def read_conll(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Sentences of a two-column CoNLL file (token TAB IOB2 tag; blank line between sentences; .gz ok).

    Tags outside NER_LABELS become "O".
    YIELDS (tuple[list[str], list[str]]): tokens and tags of one sentence.
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    tokens: list[str] = []
    tags: list[str] = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    yield tokens, tags
                tokens, tags = [], []
                continue
            token, _, tag = line.partition("\t")
            tag = tag.strip() or "O"
            if tag != "O" and tag[2:] not in NER_LABELS:
                tag = "O"
            tokens.append(token)
            tags.append(tag)
    if tokens:
        yield tokens, tags


def iob2_entities(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entities of a strict IOB2 sequence: B-X then I-X*; a stray I-X starts nothing (seqeval strict).

    RETURNS (set[tuple[int, int, str]]): (first token, end token exclusive, label).
    """
    found: set[tuple[int, int, str]] = set()
    start: int | None = None
    label = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if start is not None and not (prefix == "I" and kind == label):
            found.add((start, i, label))
            start = None
        if prefix == "B":
            start, label = i, kind
    return found


def spans_to_iob2(n_tokens: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags for non-overlapping token spans (start, end exclusive, label)."""
    tags = ["O"] * n_tokens
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def score_iob2(gold: Iterable[list[str]], pred: Iterable[list[str]]) -> dict[str, Any]:
    """Entity-level P/R/F1 of IOB2 sequences with strict matching (same tokens and label).

    RETURNS (dict): {"f1", "precision", "recall", "per_label": {LABEL: {"f1", "precision", "recall",
        "support"}}} with micro averages at the top.
    """
    counts: dict[str, FieldCounts] = {}
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g, p = iob2_entities(g_tags), iob2_entities(p_tags)
        for ent in g | p:
            c = counts.setdefault(ent[2], FieldCounts())
            if ent in g and ent in p:
                c.tp += 1
            elif ent in g:
                c.fn += 1
            else:
                c.fp += 1
    total = FieldCounts(sum(c.tp for c in counts.values()), sum(c.fp for c in counts.values()),
                        sum(c.fn for c in counts.values()))
    top = total.to_dict()
    per_label = {}
    for label in sorted(counts):
        d = counts[label].to_dict()
        per_label[label] = {"f1": d["f1"], "precision": d["precision"], "recall": d["recall"],
                            "support": counts[label].tp + counts[label].fn}
    return {"f1": top["f1"], "precision": top["precision"], "recall": top["recall"], "per_label": per_label}

