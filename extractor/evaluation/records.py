"""Record-level scoring of the annotated corpus, and a whole evaluation run (`run_evaluation`).

Keys are compared as multisets, which is greedy matching on exact keys (whitespace collapsed, case
kept): two gold "Berlin" and one predicted give tp 1, fn 1. Event slots are single values; a wrong value
is one fp and one fn. Documents whose gold line has `meta.facts == false` (imported spans-only gold)
count at span level only.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import EventReport

from extractor.evaluation.spans import SCHEMES, SpanComparison, _f1, compare_spans, gold_spans, report_spans, summarise_spans

EVENT_SLOTS = ("name", "type", "topic", "location", "start", "end", "participants")
RECORD_FIELDS = (
    "persons",
    "roles",
    "affiliations",
    "organisations",
    "acronyms",
    "locations",
    "quantities",
    "dates",
    *(f"event_{slot}" for slot in EVENT_SLOTS),
    "event_organisers",
)


# --- record level ----------------------------------------------------------------------------


@dataclass
class FieldCounts:
    """tp/fp/fn of one record-level field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def to_dict(self) -> dict[str, Any]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return {"precision": precision, "recall": recall, "f1": _f1(precision, recall),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


Key = tuple[Any, ...]


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _first(mentions: list[Any]) -> int | None:
    return min((m.start for m in mentions), default=None)


def record_keys(report: EventReport) -> dict[str, list[tuple[Key, int | None]]]:
    """The comparable facts of one report: field -> [(key, offset of its first mention or None)].

    report (EventReport): a gold or predicted record.
    RETURNS (dict): one list per name in RECORD_FIELDS.
    """
    keys: dict[str, list[tuple[Key, int | None]]] = {name: [] for name in RECORD_FIELDS}
    org_at = {_norm(o.name): _first(o.mentions) for o in report.organisations}
    loc_at = {_norm(loc.name): _first(loc.mentions) for loc in report.locations}
    for p in report.persons:
        name, at = _norm(p.name), _first(p.mentions)
        keys["persons"].append(((name,), at))
        keys["roles"].extend(((name, _norm(r)), at) for r in p.roles)
        if p.organisation:
            keys["affiliations"].append(((name, _norm(p.organisation)), at))
    for o in report.organisations:
        keys["organisations"].append(((_norm(o.name),), _first(o.mentions)))
        if o.acronym:
            keys["acronyms"].append(((_norm(o.name), _norm(o.acronym)), _first(o.mentions)))
    for loc in report.locations:
        keys["locations"].append(((_norm(loc.name),), _first(loc.mentions)))
    for q in report.quantities:
        keys["quantities"].append(((_norm(q.value), _norm(q.unit)), q.mention.start))
    for d in report.dates:
        keys["dates"].append(((d.value,), d.mention.start))
    event = report.event
    if event is not None:
        for slot in EVENT_SLOTS:
            value = getattr(event, slot)
            if value is not None:
                at = loc_at.get(_norm(value)) if slot == "location" else None
                keys[f"event_{slot}"].append(((_norm(value),), at))
        # organisers are a set: one key per distinct name
        for name in dict.fromkeys(_norm(o) for o in event.organisers):
            keys["event_organisers"].append(((name,), org_at.get(name)))
    return keys


def match_keys(gold: list[Key], pred: list[Key]) -> tuple[FieldCounts, list[Key], list[Key]]:
    """One-to-one matching of exact keys (multiset intersection).

    RETURNS (tuple): the counts, the missed gold keys and the spurious predicted keys.
    """
    g, p = Counter(gold), Counter(pred)
    both = g & p
    missed = list((g - both).elements())
    spurious = list((p - both).elements())
    tp = sum(both.values())
    return FieldCounts(tp, len(spurious), len(missed)), missed, spurious


# --- the whole evaluation ----------------------------------------------------------------------


@dataclass
class ErrorItem:
    """One missed or spurious fact, with where it is."""

    field: str  # "span:PER" or a record field
    kind: str  # "missed" | "spurious" | "incorrect" | "partial"
    doc_id: str
    value: str
    sentence: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "kind": self.kind, "doc_id": self.doc_id, "value": self.value,
                "sentence": self.sentence}


@dataclass
class Evaluation:
    """Every figure of one evaluation run."""

    documents: int
    record_documents: int
    spans: dict[str, Any]
    fields: dict[str, dict[str, Any]]
    errors: list[ErrorItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, with_errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "documents": self.documents,
            "record_documents": self.record_documents,
            "spans": self.spans,
            "fields": self.fields,
            "warnings": self.warnings,
        }
        if with_errors:
            out["errors"] = [e.to_dict() for e in self.errors]
        return out


SentenceFinder = Callable[[str, int, int], str]


def line_sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], by punctuation and line breaks (fallback finder)."""
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in (". ", "! ", "? "))) + 1
    right_candidates = [i for i in (text.find(c, end) for c in ("\n", ". ", "! ", "? ")) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return text[left:right].strip()


def evaluate_records(
    gold: list[dict[str, Any]],
    predictions: list[EventReport],
    *,
    sentence: SentenceFinder | None = line_sentence,
) -> Evaluation:
    """Score predicted reports against gold lines, matched by position.

    gold (list[dict]): gold lines (id, text, meta, spans, facts).
    predictions (list[EventReport]): one report per gold line, same order.
    sentence (SentenceFinder | None): finds the sentence around offsets for the error list; None skips
        collecting errors.
    RETURNS (Evaluation): all figures, and the errors when `sentence` is given.
    """
    if len(gold) != len(predictions):
        raise ValueError(f"{len(gold)} gold lines but {len(predictions)} predictions")
    span_totals = SpanComparison()
    fields = {name: FieldCounts() for name in RECORD_FIELDS}
    errors: list[ErrorItem] = []
    record_docs = 0
    for record, report in zip(gold, predictions):
        text, doc_id = record["text"], record["id"]
        comparison, outcomes = compare_spans(gold_spans(record), report_spans(report, text))
        span_totals.add(comparison)
        if sentence is not None:
            for o in outcomes:
                value = f"{text[o.start:o.end]!r} {o.start}..{o.end}"
                if o.other is not None:
                    value += f" (gold {o.other[2]} {text[o.other[0]:o.other[1]]!r} {o.other[0]}..{o.other[1]})"
                errors.append(ErrorItem(f"span:{o.label}", o.kind, doc_id, value, sentence(text, o.start, o.end)))
        if (record.get("meta") or {}).get("facts") is False:
            continue
        record_docs += 1
        gold_report = EventReport.model_validate(record["facts"])
        gold_keys, pred_keys = record_keys(gold_report), record_keys(report)
        for name in RECORD_FIELDS:
            counts, missed, spurious = match_keys([k for k, _ in gold_keys[name]], [k for k, _ in pred_keys[name]])
            total = fields[name]
            total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
            if sentence is None:
                continue
            for kind, lost, side in (("missed", missed, gold_keys[name]), ("spurious", spurious, pred_keys[name])):
                for key in lost:
                    at = next((a for k, a in side if k == key), None)
                    where = sentence(text, at, at + 1) if at is not None else None
                    errors.append(ErrorItem(name, kind, doc_id, " | ".join(str(x) for x in key), where))
    return Evaluation(
        documents=len(gold),
        record_documents=record_docs,
        spans=summarise_spans(span_totals),
        fields={name: counts.to_dict() for name, counts in fields.items()},
        errors=errors,
    )


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-empty line of a JSONL file (.gz allowed)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, json.loads(line)


def align_predictions(gold: list[dict[str, Any]], reports: Iterable[EventReport]) -> tuple[list[EventReport], list[str]]:
    """Order predicted reports like the gold lines by doc_id; a missing one becomes an empty report.

    RETURNS (tuple): the aligned reports and warnings (missing / unknown / duplicate doc ids).
    """
    by_id: dict[str, EventReport] = {}
    warnings: list[str] = []
    for report in reports:
        if report.doc_id in by_id:
            warnings.append(f"prediction {report.doc_id!r} given twice; the first is used")
            continue
        by_id[report.doc_id] = report
    aligned = []
    for record in gold:
        report = by_id.pop(record["id"], None)
        if report is None:
            warnings.append(f"no prediction for gold document {record['id']!r}; scored as empty")
            report = EventReport(doc_id=record["id"])
        aligned.append(report)
    warnings.extend(f"prediction {doc_id!r} has no gold document; ignored" for doc_id in by_id)
    return aligned, warnings


def metric_value(result: dict[str, Any], field_name: str, metric: str) -> float:
    """Look one figure up in an `Evaluation.to_dict()` result.

    field_name (str): a record field ("persons", "event_start"), "spans:LABEL" or "spans:micro" /
        "spans:macro".
    metric (str): "precision", "recall", "f1" for fields; "<scheme>_<metric>" for spans ("strict_f1").
    RETURNS (float): the figure; a missing span label counts 0.0.
    RAISES (KeyError): for an unknown field or metric.
    """
    if field_name.startswith("spans:"):
        label = field_name.split(":", 1)[1]
        scheme, _, name = metric.partition("_")
        if scheme not in SCHEMES or name not in ("precision", "recall", "f1"):
            raise KeyError(f"unknown span metric {metric!r}")
        if label in ("micro", "macro"):
            return float(result["spans"][label][scheme][name])
        per_label = result["spans"]["labels"].get(label)
        return float(per_label[scheme][name]) if per_label else 0.0
    return float(result["fields"][field_name][metric])


# --- running it ----------------------------------------------------------------------------------


class SentenceIndex:
    """Sentence bounds from spaCy's rule sentencizer on our tokenizer, cut again at line breaks.

    Built lazily and cached per text; used only for the error listing.
    """

    def __init__(self) -> None:
        import spacy

        from extractor.tokenizer import adjust_tokenizer

        self.nlp = spacy.blank("de")
        adjust_tokenizer(self.nlp)
        self.nlp.add_pipe("sentencizer")
        self._cache: dict[str, list[tuple[int, int]]] = {}

    def _bounds(self, text: str) -> list[tuple[int, int]]:
        if text not in self._cache:
            bounds: list[tuple[int, int]] = []
            for sent in self.nlp(text).sents:
                start = sent.start_char
                for piece in text[sent.start_char : sent.end_char].split("\n"):
                    bounds.append((start, start + len(piece)))
                    start += len(piece) + 1
            self._cache[text] = bounds
        return self._cache[text]

    def __call__(self, text: str, start: int, end: int) -> str:
        for s, e in self._bounds(text):
            if s <= start < max(e, s + 1):
                return text[s:max(e, end)].strip()
        return line_sentence(text, start, end)


def run_evaluation(
    gold_path: Path,
    *,
    pred_path: Path | None = None,
    model: str = "auto",
    with_errors: bool = False,
    batch_size: int = 32,
) -> Evaluation:
    """Evaluate the pipeline (or a predictions file) on a gold JSONL file.

    gold_path (Path): gold lines (see corpus/README.md); read with `extractor.gold.load_gold`.
    pred_path (Path | None): JSONL of EventReports matched by doc_id; None runs the pipeline
        `model` over the gold texts with `published` from each line's meta.
    model (str): the pipeline for `extractor.api.Extractor`.
    with_errors (bool): collect every miss and spurious fact with its sentence.
    RETURNS (Evaluation): all figures; `warnings` names unmatched doc ids.
    RAISES (extractor.gold.GoldFormatError): when the gold file cannot be read.
    """
    from extractor.gold import load_gold

    gold = load_gold(gold_path)
    warnings: list[str] = []
    if pred_path is not None:
        reports = (EventReport.model_validate(obj) for _, obj in read_jsonl(pred_path))
        predictions, warnings = align_predictions(gold, reports)
    else:
        from extractor.api import Extractor

        extractor = Extractor(model)
        inputs = [
            {"id": r["id"], "text": r["text"], "published": (r.get("meta") or {}).get("published")} for r in gold
        ]
        predictions = list(extractor.pipe(inputs, batch_size=batch_size))
    finder = SentenceIndex() if with_errors else None
    result = evaluate_records(gold, predictions, sentence=finder)
    result.warnings = warnings
    return result
