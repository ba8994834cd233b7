"""Score the pipeline's PER/ORG/LOC (and MISC) entities on a two-column CoNLL file (token TAB IOB2 tag).

Usage: python scripts/evaluate_ner.py PATH.conll[.gz] [--model M] [--json] [--limit N] [--batch-size B] [--ner-only]

Each sentence becomes `Doc(nlp.vocab, words=tokens)` (one space between tokens), so the pipeline's
tokenizer is bypassed and predictions align with the gold tokens. Predicted entities are the
`eventfacts_persons` / `eventfacts_orgs` / `eventfacts_locations` span groups, plus `doc.ents` labelled
MISC when the base model has an NER; overlaps keep the longest span. Scoring is strict IOB2 entity
matching (seqeval strict mode): same tokens, same label. Gold labels outside PER/ORG/LOC/MISC count as O.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.util import filter_spans, minibatch  # noqa: E402

from extractor import extensions  # noqa: E402
from extractor.evaluation import read_conll, score_iob2, spans_to_iob2  # noqa: E402
from extractor.pipeline import load_pipeline  # noqa: E402

GROUPS = {extensions.PERSONS: "PER", extensions.ORGS: "ORG", extensions.LOCATIONS: "LOC"}
LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})


def predicted_tags(doc: Doc) -> list[str]:
    """IOB2 tags of the pipeline's PER/ORG/LOC span groups (+ MISC from doc.ents) on one processed Doc."""
    labelled = [(s.start, s.end, label) for key, label in GROUPS.items() for s in doc.spans.get(key, [])]
    labelled += [(e.start, e.end, "MISC") for e in doc.ents if e.label_ == "MISC"]
    # filter_spans needs Span objects: rebuild them with our label names, keep the longest on overlap
    kept = filter_spans([doc[s:e] for s, e, _ in labelled])
    label_of = {}
    for s, e, label in labelled:
        label_of.setdefault((s, e), label)
    return spans_to_iob2(len(doc), [(span.start, span.end, label_of[(span.start, span.end)]) for span in kept])


def ner_tags(doc: Doc) -> list[str]:
    """IOB2 tags of the statistical NER's own entities (`doc.ents`), without the rule components."""
    return spans_to_iob2(len(doc), [(e.start, e.end, e.label_) for e in doc.ents if e.label_ in LABELS])


def run(nlp: Language, sentences: Iterable[list[str]], batch_size: int, *, ner_only: bool = False) -> Iterator[list[str]]:
    """Predicted tags per sentence, processing the pipeline component by component in batches.

    ner_only (bool): stop after the `ner` component and score its entities alone.
    """
    for batch in minibatch(sentences, size=batch_size):
        docs = [Doc(nlp.vocab, words=words, spaces=[True] * (len(words) - 1) + [False]) for words in batch]
        for name, proc in nlp.pipeline:
            docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(doc) for doc in docs]
            if ner_only and name == "ner":
                break
        yield from ((ner_tags if ner_only else predicted_tags)(doc) for doc in docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="CoNLL file, .conll or .conll.gz")
    parser.add_argument("--model", default="auto", help="spaCy pipeline: 'auto', 'default', a package or directory")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N sentences")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--ner-only", action="store_true",
                        help="score the statistical NER's own entities (doc.ents), without the rule components")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    nlp, _ = load_pipeline(args.model)
    data = list(islice(read_conll(args.path), args.limit))
    gold = [tags for _, tags in data]
    if args.ner_only and "ner" not in nlp.pipe_names:
        parser.error(f"--ner-only: the pipeline {args.model!r} has no 'ner' component")
    pred = list(run(nlp, (tokens for tokens, _ in data), args.batch_size, ner_only=args.ner_only))
    result = score_iob2(gold, pred)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.path}: {len(data)} sentences, {time.perf_counter() - began:.1f} s")
    print("| label | P | R | F1 | support |\n|---|---:|---:|---:|---:|")
    for label, f in result["per_label"].items():
        print(f"| {label} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | {f['support']} |")
    print(f"| **micro** | {result['precision']:.3f} | {result['recall']:.3f} | {result['f1']:.3f} | "
          f"{sum(f['support'] for f in result['per_label'].values())} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
