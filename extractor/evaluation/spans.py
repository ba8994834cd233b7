"""Span-level scoring (SemEval-2013 task 9.1 schemes as `nervaluate` defines them) of the annotated corpus.

`strict` (same boundaries and label), `exact` (same boundaries, any label), `partial` (an overlap counts
half) and `type` (an overlap with the same label), each matching predictions to gold spans one-to-one.
Predicted spans come from the report's mentions (PER/ORG/LOC/QUANTITY/DATE) plus every word-bounded
occurrence of `event.name` (EVENT); a span inside a longer predicted span is dropped, like the gold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from models import EventReport

SPAN_LABELS = ("PER", "ORG", "LOC", "QUANTITY", "DATE", "EVENT")
SCHEMES = ("strict", "exact", "partial", "type")

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

