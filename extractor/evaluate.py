"""Scoring extracted EventReports against the gold corpus (no printing; renderers return strings).

Two levels:

- **Span level**, per label, with the four schemes of SemEval-2013 task 9.1 as `nervaluate` (>= 1.0)
  defines them: `strict` (same boundaries and label), `exact` (same boundaries, any label), `partial`
  (an overlap counts half) and `type` (an overlap with the same label), each matching predictions to
  gold spans one-to-one. Predicted spans come from the report's mentions (PER/ORG/LOC/QUANTITY/DATE)
  plus every word-bounded occurrence of `event.name` (EVENT). ROLE is not scored: the record keeps no
  role offsets. Predicted spans are flattened like the gold (a span inside a longer predicted span is
  dropped: the year in "Praxiswerkstatt 2024"). "micro" is nervaluate's overall evaluation of all
  labels together, "macro" the mean of the per-label figures.
- **Record level**, per field, one-to-one: keys are compared as multisets, which is greedy matching on
  exact keys (whitespace collapsed, case kept). Two gold "Berlin" and one predicted give tp 1, fn 1.
  Event slots are single values; a wrong value is one fp and one fn.

Documents whose gold line has `meta.facts == false` (imported spans-only gold) count at span level only.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import EventReport

SPAN_LABELS = ("PER", "ORG", "LOC", "QUANTITY", "DATE", "EVENT")
SCHEMES = ("strict", "exact", "partial", "type")
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
NER_LABELS = ("PER", "ORG", "LOC", "MISC")

Span = tuple[int, int, str]


# --- span level: SemEval-2013 9.1 ------------------------------------------------------------


@dataclass
class SpanCounts:
    """nervaluate's counts for one scheme."""

    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    @property
    def possible(self) -> int:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        return self.correct + self.incorrect + self.partial + self.spurious

    def add(self, other: SpanCounts) -> None:
        self.correct += other.correct
        self.incorrect += other.incorrect
        self.partial += other.partial
        self.missed += other.missed
        self.spurious += other.spurious

    def scores(self, half_partial: bool) -> dict[str, float]:
        """Precision, recall, F1; `half_partial` credits partial matches with 0.5 (partial/type)."""
        hits = self.correct + (0.5 * self.partial if half_partial else 0.0)
        precision = hits / self.actual if self.actual else 0.0
        recall = hits / self.possible if self.possible else 0.0
        return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}

    def to_dict(self, half_partial: bool) -> dict[str, Any]:
        out: dict[str, Any] = self.scores(half_partial)
        out.update(
            correct=self.correct, incorrect=self.incorrect, partial=self.partial, missed=self.missed,
            spurious=self.spurious, possible=self.possible, actual=self.actual,
        )
        return out


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class SpanOutcome:
    """What happened to one span of one document under the strict scheme, for the error listing."""

    kind: str  # "missed" | "spurious" | "incorrect"
    label: str
    start: int
    end: int
    other: Span | None = None  # the gold span an incorrect prediction overlapped


def _scheme_counts(scheme: str, gold: list[Span], pred: list[Span]) -> tuple[SpanCounts, list[SpanOutcome]]:
    """One scheme of nervaluate (>= 1.0) on one document: one-to-one, predictions in order.

    Each prediction takes the first unmatched gold span that fits, in gold order; a gold span is used
    at most once. strict: same (start, end, label) is correct, else the first overlap is incorrect.
    exact: same boundaries is correct, else the first overlap is incorrect. partial: same boundaries is
    correct, else the first overlap is partial. type: of the overlaps with the same label the one
    with the closest boundaries is correct, else the first overlap is incorrect. A prediction without
    an overlap is spurious; unmatched gold spans are missed.
    """
    counts = SpanCounts()
    outcomes: list[SpanOutcome] = []
    used: set[int] = set()
    for p in pred:
        hit: int | None = None
        fallback: int | None = None
        best = -1
        for i, g in enumerate(gold):
            if i in used or not _overlap(g, p):
                continue
            same_bounds = g[0] == p[0] and g[1] == p[1]
            if scheme == "type":
                distance = abs(g[0] - p[0]) + abs(g[1] - p[1])
                if g[2] == p[2] and (hit is None or distance < best):
                    hit, best = i, distance
            elif same_bounds and (scheme != "strict" or g[2] == p[2]):
                hit = i
                break
            if fallback is None and (scheme != "type" or g[2] != p[2]):
                fallback = i
        if hit is not None:
            used.add(hit)
            counts.correct += 1
        elif fallback is not None:
            used.add(fallback)
            if scheme == "partial":
                counts.partial += 1
            else:
                counts.incorrect += 1
                outcomes.append(SpanOutcome("incorrect", p[2], p[0], p[1], gold[fallback]))
        else:
            counts.spurious += 1
            outcomes.append(SpanOutcome("spurious", p[2], p[0], p[1]))
    for i, g in enumerate(gold):
        if i not in used:
            counts.missed += 1
            outcomes.append(SpanOutcome("missed", g[2], g[0], g[1]))
    return counts, outcomes


@dataclass
class SpanComparison:
    """Span counts of one or more documents: all labels together and per label, for every scheme."""

    overall: dict[str, SpanCounts] = field(default_factory=lambda: {s: SpanCounts() for s in SCHEMES})
    labels: dict[str, dict[str, SpanCounts]] = field(default_factory=dict)

    def add(self, other: SpanComparison) -> None:
        for scheme in SCHEMES:
            self.overall[scheme].add(other.overall[scheme])
        for label, schemes in other.labels.items():
            mine = self.labels.setdefault(label, {s: SpanCounts() for s in SCHEMES})
            for scheme in SCHEMES:
                mine[scheme].add(schemes[scheme])


def compare_spans(gold: list[Span], pred: list[Span]) -> tuple[SpanComparison, list[SpanOutcome]]:
    """Compare one document's spans in the four SemEval-2013 9.1 schemes, as nervaluate (>= 1.0) does.

    Overall counts compare all spans together; per-label counts compare only the gold and predicted
    spans of that label (so a prediction with the wrong label is spurious for its label and the gold
    span missed for its own, as in nervaluate's per-entity results). Spans are (start, end, label)
    with exclusive ends; any shared character is an overlap.

    gold (list[Span]): gold spans, in text order.
    pred (list[Span]): predicted spans, in text order.
    RETURNS (tuple[SpanComparison, list[SpanOutcome]]): the counts and the strict-scheme errors.
    """
    result = SpanComparison()
    outcomes: list[SpanOutcome] = []
    for scheme in SCHEMES:
        counts, found = _scheme_counts(scheme, gold, pred)
        result.overall[scheme] = counts
        if scheme == "strict":
            outcomes = found
    for label in sorted({s[2] for s in gold} | {s[2] for s in pred}):
        g = [s for s in gold if s[2] == label]
        p = [s for s in pred if s[2] == label]
        result.labels[label] = {scheme: _scheme_counts(scheme, g, p)[0] for scheme in SCHEMES}
    return result, outcomes


def summarise_spans(comparison: SpanComparison) -> dict[str, Any]:
    """Per-label, micro (nervaluate's overall evaluation) and macro (mean over labels) figures.

    comparison (SpanComparison): counts summed over documents.
    RETURNS (dict): {"labels": {LABEL: {scheme: figures}}, "micro": {scheme: figures},
        "macro": {scheme: {"precision", "recall", "f1"}}}.
    """
    labels = {
        label: {s: comparison.labels[label][s].to_dict(s in ("partial", "type")) for s in SCHEMES}
        for label in sorted(comparison.labels)
    }
    micro = {s: comparison.overall[s].to_dict(s in ("partial", "type")) for s in SCHEMES}
    n = len(labels)
    macro = {
        s: {m: (sum(labels[lab][s][m] for lab in labels) / n if n else 0.0) for m in ("precision", "recall", "f1")}
        for s in SCHEMES
    }
    return {"labels": labels, "micro": micro, "macro": macro}


def find_occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Occurrences of `needle` at word boundaries (no letter or digit just outside), in text order."""
    if not needle:
        return []
    found = []
    for match in re.finditer(re.escape(needle), text):
        start, end = match.span()
        if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            continue
        found.append((start, end))
    return found


def flatten_spans(spans: Iterable[Span]) -> list[Span]:
    """Drop duplicates and spans lying inside a longer span, as the gold's flat annotation does."""
    unique = sorted(set(spans))
    return [s for s in unique if not any(o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0] for o in unique)]


def report_spans(report: EventReport, text: str) -> list[Span]:
    """The spans a report claims: its mentions by label plus every occurrence of the event name, flattened."""
    spans: list[Span] = []
    for label, items in (("PER", report.persons), ("ORG", report.organisations), ("LOC", report.locations)):
        spans.extend((m.start, m.end, label) for item in items for m in item.mentions)
    spans.extend((q.mention.start, q.mention.end, "QUANTITY") for q in report.quantities)
    spans.extend((d.mention.start, d.mention.end, "DATE") for d in report.dates)
    if report.event is not None and report.event.name:
        spans.extend((s, e, "EVENT") for s, e in find_occurrences(text, report.event.name))
    return flatten_spans(spans)


def gold_spans(record: dict[str, Any]) -> list[Span]:
    """The scored gold spans of one gold line (ROLE and unknown labels left out)."""
    return [(s["start"], s["end"], s["label"]) for s in record.get("spans", []) if s["label"] in SPAN_LABELS]


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


# --- comparison and rendering (strings only) ---------------------------------------------------


@dataclass(frozen=True)
class Delta:
    """Change of one F1 between a baseline and the current run."""

    name: str
    baseline: float | None
    current: float | None

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


def _f1_table(result: dict[str, Any]) -> dict[str, float]:
    rows: dict[str, float] = {}
    for label, schemes in result.get("spans", {}).get("labels", {}).items():
        rows[f"spans:{label} (strict)"] = schemes["strict"]["f1"]
    for avg in ("micro", "macro"):
        if avg in result.get("spans", {}):
            rows[f"spans:{avg} (strict)"] = result["spans"][avg]["strict"]["f1"]
    for name, figures in result.get("fields", {}).items():
        rows[name] = figures["f1"]
    return rows


def compare_results(current: dict[str, Any], baseline: dict[str, Any]) -> list[Delta]:
    """F1 changes per span label (strict), span averages and record field, between two `--json` outputs."""
    now, before = _f1_table(current), _f1_table(baseline)
    names = list(now) + [n for n in before if n not in now]
    return [Delta(n, before.get(n), now.get(n)) for n in names]


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def render_markdown(result: dict[str, Any]) -> str:
    """Markdown tables of an `Evaluation.to_dict()` result."""
    out = [f"# Evaluation: {result['documents']} documents "
           f"({result['record_documents']} with record-level gold)", "", "## Spans (SemEval-2013 9.1)", ""]
    out.append("| label | " + " | ".join(f"{s} P | {s} R | {s} F1" for s in SCHEMES) + " | support |")
    out.append("|---|" + "---:|" * (3 * len(SCHEMES) + 1))
    spans = result["spans"]
    rows = [(label, spans["labels"][label]) for label in spans["labels"]]
    rows += [("**micro**", spans["micro"]), ("**macro**", spans["macro"])]
    for name, schemes in rows:
        cells = [f"{schemes[s]['precision']:.3f} | {schemes[s]['recall']:.3f} | {schemes[s]['f1']:.3f}" for s in SCHEMES]
        support = schemes["strict"].get("possible", "")
        out.append(f"| {name} | " + " | ".join(cells) + f" | {support} |")
    out += ["", "## Record fields", "", "| field | P | R | F1 | tp | fp | fn |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, f in result["fields"].items():
        out.append(f"| {name} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | {f['tp']} | {f['fp']} | {f['fn']} |")
    return "\n".join(out) + "\n"


def render_errors(errors: list[dict[str, Any]]) -> str:
    """Markdown list of errors grouped by field (span labels first)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for e in errors:
        groups.setdefault(e["field"], []).append(e)
    out = ["## Errors", ""]
    for name in sorted(groups, key=lambda n: (not n.startswith("span:"), n)):
        out += [f"### {name} ({len(groups[name])})", ""]
        for e in groups[name]:
            where = f" — “{e['sentence']}”" if e.get("sentence") else ""
            out.append(f"- {e['kind']} `{e['doc_id']}`: {e['value']}{where}")
        out.append("")
    return "\n".join(out)


def render_comparison(deltas: list[Delta]) -> str:
    """Markdown table of F1 changes, signed (+0.012 / -0.034)."""
    out = ["## Change against baseline (F1)", "", "| field | baseline | now | change |", "|---|---:|---:|---:|"]
    for d in deltas:
        change = "–" if d.delta is None else f"{d.delta:+.3f}"
        out.append(f"| {d.name} | {_pct(d.baseline)} | {_pct(d.current)} | {change} |")
    return "\n".join(out) + "\n"


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
