"""Evaluation of eventfacts against gold, one module per concern.

- `spans`: span-level scoring of the annotated corpus (SemEval-2013 task 9.1 schemes).
- `records`: record-level scoring of the annotated corpus and a whole run (`run_evaluation`).
- `reports`: comparing runs and rendering them as Markdown.
- `conll`: token-level NER scoring on CoNLL files (IOB2).
- `matching`: reader-tolerant equality of facts (titles, case endings, seats, role heads, acronyms).
- `real_records`: record-level scoring against the gold of real reports (`corpus/real/gold`,
  written to ANNOTATION.md), `eventfacts evaluate --records`.

The public names of the corpus evaluation are re-exported here.
"""

from extractor.evaluation.conll import NER_LABELS, iob2_entities, read_conll, score_iob2, spans_to_iob2
from extractor.evaluation.records import (
    EVENT_SLOTS,
    RECORD_FIELDS,
    ErrorItem,
    Evaluation,
    FieldCounts,
    SentenceIndex,
    align_predictions,
    evaluate_records,
    line_sentence,
    match_keys,
    metric_value,
    read_jsonl,
    record_keys,
    run_evaluation,
)
from extractor.evaluation.reports import Delta, compare_results, render_comparison, render_errors, render_markdown
from extractor.evaluation.spans import (
    SCHEMES,
    SPAN_LABELS,
    SpanComparison,
    SpanCounts,
    compare_spans,
    find_occurrences,
    flatten_spans,
    gold_spans,
    report_spans,
    summarise_spans,
)

__all__ = [
    "EVENT_SLOTS", "NER_LABELS", "RECORD_FIELDS", "SCHEMES", "SPAN_LABELS", "Delta", "ErrorItem", "Evaluation",
    "FieldCounts", "SentenceIndex", "SpanComparison", "SpanCounts", "align_predictions", "compare_results",
    "compare_spans", "evaluate_records", "find_occurrences", "flatten_spans", "gold_spans", "iob2_entities",
    "line_sentence", "match_keys", "metric_value", "read_conll", "read_jsonl", "record_keys", "render_comparison",
    "render_errors", "render_markdown", "report_spans", "run_evaluation", "score_iob2", "spans_to_iob2",
    "summarise_spans",
]
