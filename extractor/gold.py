"""Gold files: loading, checking and importing annotations from Prodigy, doccano and Label Studio.

A gold line is `{"id", "text", "meta", "spans", "relations", "facts"}` (see corpus/README.md).
Imported lines carry spans and relations only: their `facts` is an empty EventReport and
`meta.facts` is false, so the evaluator scores them at span level only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from spacy.language import Language

from models import EventReport

LABELS = ("PER", "ROLE", "ORG", "LOC", "QUANTITY", "DATE", "EVENT")
RELATION_LABELS = ("has_role", "member_of", "acronym_of")
# Which span labels a relation joins: (head, child).
RELATION_ENDS = {"has_role": ("PER", "ROLE"), "member_of": ("PER", "ORG"), "acronym_of": ("ORG", "ORG")}
REQUIRED_KEYS = ("id", "text", "meta", "spans", "relations", "facts")
IMPORT_FORMATS = ("prodigy", "doccano", "labelstudio")
# Label names other tools use for ours.
LABEL_ALIASES = {
    "PERSON": "PER", "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "LOCATION": "LOC", "GPE": "LOC",
    "TIME": "DATE", "NUM": "QUANTITY", "CARDINAL": "QUANTITY",
}


@dataclass(frozen=True)
class GoldProblem:
    """One problem in a gold file, located as file:line."""

    path: str
    line: int
    doc_id: str | None
    message: str

    def __str__(self) -> str:
        who = f" [{self.doc_id}]" if self.doc_id else ""
        return f"{self.path}:{self.line}:{who} {self.message}"


class GoldFormatError(Exception):
    """A gold file cannot be used; `problems` lists why."""

    def __init__(self, problems: list[GoldProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def gold_tokenizer() -> Language:
    """The pipeline's tokenizer (blank German + eventfacts adjustments), for span boundary checks."""
    import spacy

    from extractor.tokenizer import adjust_tokenizer

    nlp = spacy.blank("de")
    adjust_tokenizer(nlp)
    return nlp


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Read a gold JSONL file for evaluation.

    Lines need `id`, `text` and `spans`; `meta`, `relations` and `facts` default to empty, and a line
    without `facts` is marked spans-only (`meta.facts = false`).

    path (Path): the gold file.
    RETURNS (list[dict]): the gold lines in file order.
    RAISES (GoldFormatError): naming file:line for undecodable lines, missing keys and duplicate ids.
    """
    records: list[dict[str, Any]] = []
    problems: list[GoldProblem] = []
    seen: set[str] = set()
    for number, line in _lines(path):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(GoldProblem(str(path), number, None, f"not valid JSON: {exc}"))
            continue
        if not isinstance(obj, dict) or any(k not in obj for k in ("id", "text", "spans")):
            problems.append(GoldProblem(str(path), number, None, "a gold line needs 'id', 'text' and 'spans'"))
            continue
        doc_id = str(obj["id"])
        if doc_id in seen:
            problems.append(GoldProblem(str(path), number, doc_id, "id used twice"))
        seen.add(doc_id)
        meta = dict(obj.get("meta") or {})
        if "facts" not in obj:
            meta["facts"] = False
        records.append({**obj, "id": doc_id, "meta": meta, "relations": obj.get("relations") or [],
                        "facts": obj.get("facts") or EventReport(doc_id=doc_id).model_dump(mode="json")})
    if problems:
        raise GoldFormatError(problems)
    return records


# --- checking ---------------------------------------------------------------------------------


def check_record(obj: Any, nlp: Language) -> list[str]:
    """Every problem of one gold line, as messages without the location.

    obj (Any): the decoded line.
    nlp (Language): provides the tokenizer (see `gold_tokenizer`).
    RETURNS (list[str]): problems; empty when the line is sound.
    """
    if not isinstance(obj, dict):
        return [f"a gold line must be a JSON object, got {type(obj).__name__}"]
    missing = [k for k in REQUIRED_KEYS if k not in obj]
    if missing:
        return [f"missing key(s) {missing}"]
    text, meta = obj["text"], obj["meta"]
    if not isinstance(obj["id"], str) or not obj["id"]:
        return [f"'id' must be a non-empty string, got {obj['id']!r}"]
    if not isinstance(text, str):
        return [f"'text' must be a string, got {type(text).__name__}"]
    if not isinstance(meta, dict):
        return [f"'meta' must be an object, got {type(meta).__name__}"]
    problems: list[str] = []
    spans = _check_spans(obj["spans"], text, nlp, problems)
    _check_relations(obj["relations"], spans, problems)
    facts = obj["facts"]
    try:
        report = EventReport.model_validate(facts, context={"text": text})
    except ValidationError as exc:
        for e in exc.errors():
            where = ".".join(str(x) for x in e["loc"]) or "facts"
            problems.append(f"facts invalid at {where}: {e['msg']}")
        return problems
    if report.doc_id != obj["id"]:
        problems.append(f"facts.doc_id {report.doc_id!r} differs from id {obj['id']!r}")
    if meta.get("facts") is not False and spans is not None:
        _check_consistency(report, spans, text, problems)
    return problems


def _check_spans(raw: Any, text: str, nlp: Language, problems: list[str]) -> list[tuple[int, int, str]] | None:
    if not isinstance(raw, list):
        problems.append(f"'spans' must be a list, got {type(raw).__name__}")
        return None
    doc = nlp.make_doc(text)
    spans: list[tuple[int, int, str]] = []
    for i, span in enumerate(raw):
        if not isinstance(span, dict) or not all(k in span for k in ("start", "end", "label")):
            problems.append(f"spans[{i}] needs 'start', 'end' and 'label'")
            spans.append((-1, -1, ""))
            continue
        start, end, label = span["start"], span["end"], span["label"]
        spans.append((start, end, label) if isinstance(start, int) and isinstance(end, int) else (-1, -1, label))
        where = f"spans[{i}] {label} {start}..{end}"
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(f"{where}: offsets outside the text (length {len(text)})")
            continue
        if "text" in span and text[start:end] != span["text"]:
            problems.append(f"{where}: span text {span['text']!r} differs from the text there {text[start:end]!r}")
        if label not in LABELS:
            problems.append(f"{where}: label {label!r} is not one of {list(LABELS)}")
        if doc.char_span(start, end, alignment_mode="strict") is None:
            problems.append(f"{where} {text[start:end]!r}: does not align with token boundaries")
    ordered = sorted((s for s in spans if s[0] >= 0), key=lambda s: (s[0], s[1]))
    for a, b in zip(ordered, ordered[1:]):
        if b[0] < a[1]:
            problems.append(f"spans {a[2]} {text[a[0]:a[1]]!r} {a[0]}..{a[1]} and {b[2]} {text[b[0]:b[1]]!r} "
                            f"{b[0]}..{b[1]} overlap (spans must be flat)")
    return spans


def _check_relations(raw: Any, spans: list[tuple[int, int, str]] | None, problems: list[str]) -> None:
    if not isinstance(raw, list):
        problems.append(f"'relations' must be a list, got {type(raw).__name__}")
        return
    n = len(spans) if spans is not None else 0
    for i, rel in enumerate(raw):
        if not isinstance(rel, dict) or not all(k in rel for k in ("head", "child", "label")):
            problems.append(f"relations[{i}] needs 'head', 'child' and 'label'")
            continue
        head, child, label = rel["head"], rel["child"], rel["label"]
        if label not in RELATION_LABELS:
            problems.append(f"relations[{i}]: label {label!r} is not one of {list(RELATION_LABELS)}")
        bad = [k for k, v in (("head", head), ("child", child)) if not isinstance(v, int) or not 0 <= v < n]
        if bad:
            problems.append(f"relations[{i}] {label}: {' and '.join(bad)} must be a span index 0..{n - 1}")
            continue
        ends = RELATION_ENDS.get(label)
        if spans is not None and ends and (spans[head][2], spans[child][2]) != ends:
            problems.append(f"relations[{i}] {label} joins {spans[head][2]} -> {spans[child][2]}, "
                            f"expected {ends[0]} -> {ends[1]}")


def _check_consistency(report: EventReport, spans: list[tuple[int, int, str]], text: str, problems: list[str]) -> None:
    """Every fact mention has its span, and every PER/ORG/LOC/QUANTITY/DATE span is a fact mention."""
    facts: set[tuple[int, int, str]] = set()
    for label, items in (("PER", report.persons), ("ORG", report.organisations), ("LOC", report.locations)):
        facts.update((m.start, m.end, label) for item in items for m in item.mentions)
    facts.update((q.mention.start, q.mention.end, "QUANTITY") for q in report.quantities)
    facts.update((d.mention.start, d.mention.end, "DATE") for d in report.dates)
    span_set = set(spans)
    events = [s for s in spans if s[2] == "EVENT"]
    for start, end, label in sorted(facts - span_set):
        # By convention a year inside an event name is a date fact without a flat span.
        if label == "DATE" and any(e[0] <= start and end <= e[1] for e in events):
            continue
        problems.append(f"facts: {label} mention {text[start:end]!r} {start}..{end} has no {label} span")
    for start, end, label in sorted(span_set - facts):
        if label in ("PER", "ORG", "LOC", "QUANTITY", "DATE"):
            problems.append(f"span {label} {text[start:end]!r} {start}..{end} is no mention in facts")


def check_file(path: Path, nlp: Language | None = None) -> tuple[int, list[GoldProblem]]:
    """Check every line of one gold file.

    path (Path): a gold JSONL file.
    nlp (Language | None): tokenizer pipeline; `gold_tokenizer()` when None.
    RETURNS (tuple[int, list[GoldProblem]]): number of lines read and the problems, each naming file:line.
    """
    nlp = nlp or gold_tokenizer()
    problems: list[GoldProblem] = []
    seen: dict[str, int] = {}
    count = 0
    try:
        lines = list(_lines(path))
    except (OSError, UnicodeDecodeError) as exc:
        return 0, [GoldProblem(str(path), 0, None, f"cannot read: {exc}")]
    for number, line in lines:
        count += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(GoldProblem(str(path), number, None, f"not valid JSON: {exc}"))
            continue
        doc_id = str(obj.get("id")) if isinstance(obj, dict) and obj.get("id") is not None else None
        if doc_id is not None:
            if doc_id in seen:
                problems.append(GoldProblem(str(path), number, doc_id, f"id already used on line {seen[doc_id]}"))
            seen.setdefault(doc_id, number)
        problems.extend(GoldProblem(str(path), number, doc_id, m) for m in check_record(obj, nlp))
    return count, problems


# --- importers --------------------------------------------------------------------------------


def _label(raw: Any) -> str:
    name = str(raw)
    return LABEL_ALIASES.get(name.upper(), name.upper() if name.upper() in LABELS else name)


def gold_line(
    doc_id: str,
    text: str,
    spans: Iterable[tuple[int, int, str]],
    relations: Iterable[tuple[tuple[int, int], tuple[int, int], str]] = (),
    *,
    source: str | None = None,
    published: str | None = None,
) -> dict[str, Any]:
    """A spans-only gold line: sorted spans, relations by span index, empty facts, `meta.facts` false.

    spans: (start, end, label); relations: (head (start, end), child (start, end), label).
    """
    ordered = sorted(set(spans), key=lambda s: (s[0], s[1], s[2]))
    index = {(s[0], s[1]): i for i, s in enumerate(ordered)}
    rels = sorted(
        {(index[h], index[c], label) for h, c, label in relations if h in index and c in index}
    )
    return {
        "id": doc_id,
        "text": text,
        "meta": {"published": published, "source": source, "facts": False},
        "spans": [{"start": s, "end": e, "label": lab, "text": text[s:e]} for s, e, lab in ordered],
        "relations": [{"head": h, "child": c, "label": lab} for h, c, lab in rels],
        "facts": EventReport(doc_id=doc_id, source=source, published=published).model_dump(mode="json"),
    }


def import_prodigy(tasks: Iterable[dict[str, Any]], *, source: str | None = None) -> Iterator[dict[str, Any]]:
    """Prodigy tasks (`text`, `spans`, `relations` with `head_span`/`child_span`) to gold lines.

    Rejected and ignored answers are skipped. Relations are resolved by their span offsets, else by
    the token index inside a span's token_start..token_end.
    """
    for n, task in enumerate(tasks, start=1):
        if task.get("answer", "accept") != "accept":
            continue
        meta = task.get("meta") or {}
        doc_id = str(meta.get("id") or task.get("id") or task.get("_input_hash") or f"prodigy-{n}")
        spans = [(s["start"], s["end"], _label(s["label"])) for s in task.get("spans") or []]
        by_token = [(s.get("token_start"), s.get("token_end"), (s["start"], s["end"])) for s in task.get("spans") or []]

        def locate(rel: dict[str, Any], end: str) -> tuple[int, int] | None:
            span = rel.get(f"{end}_span")
            if isinstance(span, dict) and "start" in span:
                if "label" in span:
                    spans.append((span["start"], span["end"], _label(span["label"])))
                return span["start"], span["end"]
            token = rel.get(end)
            return next((se for ts, te, se in by_token if ts is not None and ts <= token <= te), None)

        relations = []
        for rel in task.get("relations") or []:
            head, child = locate(rel, "head"), locate(rel, "child")
            if head and child:
                relations.append((head, child, str(rel.get("label"))))
        yield gold_line(doc_id, task["text"], spans, relations, source=source, published=meta.get("published"))


def import_doccano(tasks: Iterable[dict[str, Any]], *, source: str | None = None) -> Iterator[dict[str, Any]]:
    """doccano JSONL (`text` with `label: [[start, end, label]]` or `entities` + `relations`) to gold lines."""
    for n, task in enumerate(tasks, start=1):
        doc_id = str(task.get("id") if task.get("id") is not None else f"doccano-{n}")
        spans: list[tuple[int, int, str]] = []
        by_id: dict[Any, tuple[int, int]] = {}
        for item in task.get("label") or []:
            spans.append((int(item[0]), int(item[1]), _label(item[2])))
        for ent in task.get("entities") or []:
            start, end = int(ent["start_offset"]), int(ent["end_offset"])
            spans.append((start, end, _label(ent["label"])))
            by_id[ent.get("id")] = (start, end)
        relations = [
            (by_id[rel["from_id"]], by_id[rel["to_id"]], str(rel.get("type") or rel.get("label")))
            for rel in task.get("relations") or []
            if rel.get("from_id") in by_id and rel.get("to_id") in by_id
        ]
        yield gold_line(doc_id, task["text"], spans, relations, source=source, published=task.get("published"))


def import_labelstudio(tasks: Iterable[dict[str, Any]], *, source: str | None = None) -> Iterator[dict[str, Any]]:
    """Label Studio JSON export (tasks with `data.text`, `annotations[0].result`) to gold lines.

    `labels` results become spans; `relation` results (from_id/to_id, first of `labels`) relations,
    reversed for direction "left". Tasks without annotations are skipped.
    """
    for n, task in enumerate(tasks, start=1):
        annotations = [a for a in task.get("annotations") or task.get("completions") or [] if not a.get("was_cancelled")]
        if not annotations:
            continue
        data = task.get("data") or {}
        text = data.get("text")
        if not isinstance(text, str):
            text = next((v for v in data.values() if isinstance(v, str)), "")
        doc_id = str(data.get("id") or task.get("id") or f"labelstudio-{n}")
        spans: list[tuple[int, int, str]] = []
        by_id: dict[str, tuple[int, int]] = {}
        results = annotations[0].get("result") or []
        for item in results:
            if item.get("type") == "labels":
                value = item["value"]
                spans.append((int(value["start"]), int(value["end"]), _label(value["labels"][0])))
                by_id[item.get("id")] = (int(value["start"]), int(value["end"]))
        relations = []
        for item in results:
            if item.get("type") != "relation" or not item.get("labels"):
                continue
            head, child = by_id.get(item.get("from_id")), by_id.get(item.get("to_id"))
            if head and child:
                if item.get("direction") == "left":
                    head, child = child, head
                relations.append((head, child, str(item["labels"][0])))
        yield gold_line(doc_id, text, spans, relations, source=source, published=data.get("published"))


def read_annotations(path: Path, fmt: str) -> list[dict[str, Any]]:
    """Read an annotation tool export and convert it to gold lines.

    path (Path): Prodigy / doccano JSONL, or a Label Studio JSON export (a list of tasks; JSONL works too).
    fmt (str): one of IMPORT_FORMATS.
    RETURNS (list[dict]): the gold lines.
    RAISES (ValueError): for an unknown format or undecodable input (naming file:line).
    """
    if fmt not in IMPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {list(IMPORT_FORMATS)}")
    raw = Path(path).read_text(encoding="utf-8")
    tasks: list[dict[str, Any]]
    stripped = raw.lstrip()
    if fmt == "labelstudio" and stripped.startswith("["):
        tasks = json.loads(raw)
    else:
        tasks = []
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                tasks.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON: {exc}") from exc
    importer = {"prodigy": import_prodigy, "doccano": import_doccano, "labelstudio": import_labelstudio}[fmt]
    try:
        return list(importer(tasks, source=str(path)))
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise ValueError(f"{path}: not a {fmt} export: {exc!r}") from exc
