"""Record-level scoring against the gold of real reports (`corpus/real/gold/<id>.json`, ANNOTATION.md).

Real-report gold has no offsets: it lists the facts a careful reader writes down. Each field is
scored by one-to-one matching of gold and predicted facts, first on exact keys, then with the
reader's tolerance of `extractor.evaluation.matching` (titles, case endings, seats, role heads,
acronyms). Repeated predictions of one fact count once, as the gold lists each fact once.

- persons, organisations, locations, quantities, dates: P/R/F1 over the matched facts.
- roles: (person, role) pairs; a role counts only on a matched person, by its head noun and modifiers.
- affiliations: (person, organisation) pairs on matched persons; the organisation matches by its long
  form or its acronym (as either side lists them).
- acronyms: (organisation, acronym) pairs on matched organisations.
- event slots (name, location, start, end, participants): accuracy over all documents (two nulls
  agree; an end equal to the start counts as null), and P/R/F1 over the values given.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, TypeVar

from models import EventReport

from extractor.evaluation import matching as m
from extractor.evaluation.records import read_jsonl

FIELDS = ("persons", "roles", "affiliations", "organisations", "acronyms", "locations", "quantities", "dates")
SLOTS = ("name", "location", "start", "end", "participants")
GOLD_KEYS = {"id", "published", "persons", "organisations", "locations", "quantities", "dates", "event", "notes"}

T = TypeVar("T")
U = TypeVar("U")


class RealGoldError(ValueError):
    """A gold file that does not follow ANNOTATION.md; `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the gold files: " + "; ".join(problems[:5]))
        self.problems = problems


# --- reading the gold ------------------------------------------------------------------------


def check_gold(data: Any, name: str) -> list[str]:
    """Problems of one gold object, each naming the file."""
    if not isinstance(data, dict):
        return [f"{name}: not a JSON object"]
    problems = [f"{name}: unknown key {key!r}" for key in data if key not in GOLD_KEYS]
    problems += [f"{name}: missing key {key!r}" for key in ("id", "persons", "organisations", "locations") if key not in data]

    def each(key: str, check: Callable[[Any], bool], what: str) -> None:
        for i, item in enumerate(data.get(key) or []):
            if not check(item):
                problems.append(f"{name}: {key}[{i}] is not {what}: {item!r}")

    each("persons", lambda p: isinstance(p, dict) and isinstance(p.get("name"), str) and isinstance(p.get("roles", []), list),
         "{name, roles, organisation}")
    each("organisations", lambda o: isinstance(o, dict) and isinstance(o.get("name"), str), "{name, acronym}")
    each("locations", lambda loc: isinstance(loc, str), "a string")
    each("quantities", lambda q: isinstance(q, dict) and isinstance(q.get("value"), (int, float)) and isinstance(q.get("unit"), str),
         "{value: number, unit, text}")
    each("dates", lambda d: isinstance(d, dict) and isinstance(d.get("value"), str), "{text, value}")
    event = data.get("event")
    if event is not None and not isinstance(event, dict):
        problems.append(f"{name}: event is not an object")
    elif event:
        problems += [f"{name}: event has unknown slot {key!r}" for key in event if key not in SLOTS]
        if event.get("participants") is not None and not isinstance(event["participants"], int):
            problems.append(f"{name}: event.participants is not an integer")
    return problems


def load_gold_dir(directory: Path, ids: Optional[Iterable[str]] = None) -> list[dict[str, Any]]:
    """The gold objects of `directory` (all, or those of `ids`), sorted by id.

    RAISES (RealGoldError): listing every file that is not valid JSON or not in the gold format."""
    wanted = set(ids) if ids is not None else None
    records, problems = [], []
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise RealGoldError([f"{directory}: no gold files (*.json)"])
    for path in paths:
        if wanted is not None and path.stem not in wanted:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{path.name}: not readable JSON ({exc})")
            continue
        found = check_gold(data, path.name)
        if not found and data["id"] != path.stem:
            found.append(f"{path.name}: id {data['id']!r} differs from the file name")
        problems += found
        if not found:
            records.append(data)
    if problems:
        raise RealGoldError(problems)
    return records


# --- matching --------------------------------------------------------------------------------


def pair_up(gold: Sequence[T], pred: Sequence[U], exact: Callable[[T, U], bool], tolerant: Callable[[T, U], bool]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index): exact matches first, then tolerant ones, in order."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for same in (exact, tolerant):
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            for pi, p in enumerate(pred):
                if pi not in used_p and same(g, p):
                    pairs.append((gi, pi))
                    used_g.add(gi)
                    used_p.add(pi)
                    break
    return pairs


def unique(items: Iterable[T], key: Callable[[T], Any]) -> list[T]:
    """The items with repeats of one key dropped (first kept)."""
    seen, out = set(), []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def to_dict(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class SlotCounts:
    correct: int = 0
    documents: int = 0
    counts: Counts = field(default_factory=Counts)

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": self.correct / self.documents if self.documents else 0.0, "correct": self.correct,
                "documents": self.documents, **self.counts.to_dict()}


@dataclass
class RealError:
    doc_id: str
    field: str
    kind: str  # missed | spurious | wrong
    value: str

    def to_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "field": self.field, "kind": self.kind, "value": self.value}


@dataclass
class DocumentScore:
    doc_id: str
    fields: dict[str, Counts]
    slots: dict[str, bool]
    slot_counts: dict[str, Counts]
    errors: list[RealError]


def _score_pairs(doc_id: str, name: str, gold: list, pred: list, pairs: list[tuple[int, int]],
                 show: Callable[[Any], str], errors: list[RealError]) -> Counts:
    matched_g = {g for g, _ in pairs}
    matched_p = {p for _, p in pairs}
    errors += [RealError(doc_id, name, "missed", show(g)) for i, g in enumerate(gold) if i not in matched_g]
    errors += [RealError(doc_id, name, "spurious", show(p)) for i, p in enumerate(pred) if i not in matched_p]
    return Counts(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs))


def _same_slot(slot: str, gold: Any, pred: Any) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if slot == "name":
        return m.event_name_match(str(gold), str(pred))
    if slot == "location":
        return m.place_match(str(gold), str(pred)) or m.org_key(str(pred)) == m.org_key(str(gold))
    if slot == "participants":
        return int(gold) == int(pred)
    return str(gold) == str(pred)


def _one_day(event: dict[str, Any]) -> dict[str, Any]:
    """An end equal to the start says nothing more: a one-day event has end null either way."""
    if event.get("end") is not None and event.get("end") == event.get("start"):
        return {**event, "end": None}
    return event


def score_document(gold: dict[str, Any], report: EventReport) -> DocumentScore:
    """Compare one gold object with one predicted report, field by field."""
    doc_id = gold["id"]
    errors: list[RealError] = []
    fields: dict[str, Counts] = {}

    # persons, and through them roles and affiliations
    g_persons = gold.get("persons") or []
    p_persons = unique(report.persons, lambda p: m.person_key(p.name))
    person_pairs = pair_up(g_persons, p_persons, lambda g, p: m.person_key(g["name"]) == m.person_key(p.name),
                           lambda g, p: m.person_match(g["name"], p.name))
    fields["persons"] = _score_pairs(doc_id, "persons", g_persons, p_persons, person_pairs,
                                     lambda x: x["name"] if isinstance(x, dict) else x.name, errors)
    pred_of = dict(person_pairs)
    gold_of = {p: g for g, p in person_pairs}

    roles = Counts()
    for gi, g in enumerate(g_persons):
        g_roles = list(dict.fromkeys(g.get("roles") or []))
        p_roles = list(dict.fromkeys(p_persons[pred_of[gi]].roles)) if gi in pred_of else []
        pairs = pair_up(g_roles, p_roles, lambda a, b: m.fold(a) == m.fold(b), m.role_match)
        roles.add(_score_pairs(doc_id, "roles", g_roles, p_roles, pairs, lambda r, name=g["name"]: f"{name} | {r}", errors))
    for pi, p in enumerate(p_persons):
        if pi not in gold_of:
            p_roles = list(dict.fromkeys(p.roles))
            roles.add(_score_pairs(doc_id, "roles", [], p_roles, [], lambda r, name=p.name: f"{name} | {r}", errors))
    fields["roles"] = roles

    g_orgs = gold.get("organisations") or []
    known_orgs = [(o["name"], o.get("acronym")) for o in g_orgs] + [(o.name, o.acronym) for o in report.organisations]
    affiliations = Counts()
    for gi, g in enumerate(g_persons):
        g_org = g.get("organisation")
        p_org = p_persons[pred_of[gi]].organisation if gi in pred_of else None
        if g_org and p_org and m.org_ref_match(g_org, p_org, known_orgs):
            affiliations.tp += 1
            continue
        if g_org:
            affiliations.fn += 1
            errors.append(RealError(doc_id, "affiliations", "missed", f"{g['name']} | {g_org}" + (f" (predicted {p_org})" if p_org else "")))
        if p_org:
            affiliations.fp += 1
            errors.append(RealError(doc_id, "affiliations", "spurious", f"{g['name']} | {p_org}"))
    for pi, p in enumerate(p_persons):
        if pi not in gold_of and p.organisation:
            affiliations.fp += 1
            errors.append(RealError(doc_id, "affiliations", "spurious", f"{p.name} | {p.organisation}"))
    fields["affiliations"] = affiliations

    # organisations and their acronyms
    p_orgs = unique(report.organisations, lambda o: m.org_key(o.name))
    org_pairs = pair_up(g_orgs, p_orgs, lambda g, p: m.org_key(g["name"]) == m.org_key(p.name),
                        lambda g, p: m.org_match(g["name"], g.get("acronym"), p.name, p.acronym))
    fields["organisations"] = _score_pairs(doc_id, "organisations", g_orgs, p_orgs, org_pairs,
                                           lambda x: x["name"] if isinstance(x, dict) else x.name, errors)
    acronyms = Counts()
    p_by_g = dict(org_pairs)
    def short_form(name: str, acronym: str | None) -> str | None:
        # a short form that is the whole name is no acronym pair ("TSV" alone)
        return acronym if acronym and m.fold(acronym) != m.fold(name) else None

    for gi, g in enumerate(g_orgs):
        g_acr = short_form(g["name"], g.get("acronym"))
        p_acr = short_form(p_orgs[p_by_g[gi]].name, p_orgs[p_by_g[gi]].acronym) if gi in p_by_g else None
        if g_acr and p_acr and m.fold(g_acr) == m.fold(p_acr):
            acronyms.tp += 1
            continue
        if g_acr:
            acronyms.fn += 1
            errors.append(RealError(doc_id, "acronyms", "missed", f"{g['name']} | {g_acr}"))
        if p_acr:
            acronyms.fp += 1
            errors.append(RealError(doc_id, "acronyms", "spurious", f"{g['name']} | {p_acr}"))
    matched_p = set(p_by_g.values())
    for pi, p in enumerate(p_orgs):
        if pi not in matched_p and short_form(p.name, p.acronym):
            acronyms.fp += 1
            errors.append(RealError(doc_id, "acronyms", "spurious", f"{p.name} | {p.acronym}"))
    fields["acronyms"] = acronyms

    # places, quantities, dates
    g_locs = unique(gold.get("locations") or [], m.place_key)
    p_locs = unique([loc.name for loc in report.locations], m.place_key)
    fields["locations"] = _score_pairs(doc_id, "locations", g_locs, p_locs,
                                       pair_up(g_locs, p_locs, lambda g, p: m.place_key(g) == m.place_key(p), m.place_match),
                                       str, errors)
    g_q = unique(gold.get("quantities") or [], lambda q: (float(q["value"]), m.unit_key(q["unit"])))
    p_q = unique(report.quantities, lambda q: (float(q.value), m.unit_key(q.unit)))
    q_same = lambda g, p: m.quantity_match(g["value"], g["unit"], p.value, p.unit)  # noqa: E731
    fields["quantities"] = _score_pairs(doc_id, "quantities", g_q, p_q, pair_up(g_q, p_q, q_same, q_same),
                                        lambda x: f"{x['value']} {x['unit']}" if isinstance(x, dict) else f"{x.value} {x.unit} ({x.text})",
                                        errors)
    g_d = unique(gold.get("dates") or [], lambda d: m.date_key(d["value"]))
    p_d = unique(report.dates, lambda d: m.date_key(d.value))
    d_same = lambda g, p: m.date_key(g["value"]) == m.date_key(p.value)  # noqa: E731
    fields["dates"] = _score_pairs(doc_id, "dates", g_d, p_d, pair_up(g_d, p_d, d_same, d_same),
                                   lambda x: f"{x['value']} ({x.get('text')})" if isinstance(x, dict) else f"{x.value} ({x.text})",
                                   errors)

    # the event frame
    g_event = _one_day(gold.get("event") or {})
    p_event = _one_day(report.event.model_dump() if report.event is not None else {})
    slots: dict[str, bool] = {}
    slot_counts: dict[str, Counts] = {}
    for slot in SLOTS:
        g_val = g_event.get(slot)
        p_val = p_event.get(slot)
        same = _same_slot(slot, g_val, p_val)
        slots[slot] = same
        counts = Counts()
        if g_val is not None and same:
            counts.tp = 1
        else:
            counts.fn = int(g_val is not None)
            counts.fp = int(p_val is not None)
            if g_val is not None or p_val is not None:
                errors.append(RealError(doc_id, f"event_{slot}", "wrong", f"gold {g_val!r}, predicted {p_val!r}"))
        slot_counts[slot] = counts
    return DocumentScore(doc_id, fields, slots, slot_counts, errors)


# --- a whole run -----------------------------------------------------------------------------


@dataclass
class RealEvaluation:
    documents: int
    fields: dict[str, Counts]
    slots: dict[str, SlotCounts]
    errors: list[RealError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, with_errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "documents": self.documents,
            "fields": {name: counts.to_dict() for name, counts in self.fields.items()},
            "event": {slot: counts.to_dict() for slot, counts in self.slots.items()},
            "warnings": self.warnings,
        }
        if with_errors:
            out["errors"] = [e.to_dict() for e in self.errors]
        return out


def evaluate(gold: list[dict[str, Any]], predictions: list[EventReport]) -> RealEvaluation:
    """Score reports against gold objects, matched by position."""
    if len(gold) != len(predictions):
        raise ValueError(f"{len(gold)} gold records but {len(predictions)} predictions")
    fields = {name: Counts() for name in FIELDS}
    slots = {slot: SlotCounts() for slot in SLOTS}
    errors: list[RealError] = []
    for record, report in zip(gold, predictions):
        score = score_document(record, report)
        for name in FIELDS:
            fields[name].add(score.fields[name])
        for slot in SLOTS:
            slots[slot].documents += 1
            slots[slot].correct += int(score.slots[slot])
            slots[slot].counts.add(score.slot_counts[slot])
        errors += score.errors
    return RealEvaluation(len(gold), fields, slots, errors)


def run(
    gold_dir: Path,
    texts_dir: Path,
    *,
    index_path: Optional[Path] = None,
    split: Optional[str] = None,
    model: str = "auto",
    pred_path: Optional[Path] = None,
    batch_size: int = 16,
) -> RealEvaluation:
    """Evaluate on the real-report set: the gold of `gold_dir` whose text is in `texts_dir`.

    split (str | None): only reports of this split of the index (`corpus/real/index.jsonl` next to the
        gold directory unless `index_path` is given).
    pred_path (Path | None): JSONL of EventReports by doc_id instead of running the pipeline.
    A report without its text is left out with a warning, and so is one whose cached text differs
    from the annotated one (by its sha256 in the index)."""
    from corpus import real

    warnings: list[str] = []
    index_path = index_path or gold_dir.parent / "index.jsonl"
    entries = {e.id: e for e in real.read_index(index_path)} if index_path.exists() else {}
    if split is not None and not entries:
        raise RealGoldError([f"{index_path}: no index, so no split {split!r}"])
    ids = [i for i, e in entries.items() if e.split == split] if split is not None else None
    gold = load_gold_dir(gold_dir, ids)
    usable, texts = [], []
    for record in gold:
        path = texts_dir / f"{record['id']}.txt"
        if not path.is_file():
            warnings.append(f"{record['id']}: no text in {texts_dir}; left out")
            continue
        text = path.read_text(encoding="utf-8")
        entry = entries.get(record["id"])
        if entry is not None and real.sha256_text(text) != entry.sha256:
            warnings.append(f"{record['id']}: the cached text differs from the annotated one (sha256); left out")
            continue
        usable.append(record)
        texts.append(text)
    if pred_path is not None:
        by_id: dict[str, EventReport] = {}
        for _, obj in read_jsonl(pred_path):
            report = EventReport.model_validate(obj)
            by_id.setdefault(report.doc_id, report)
        predictions = []
        for record in usable:
            if record["id"] not in by_id:
                warnings.append(f"{record['id']}: no prediction; scored as empty")
            predictions.append(by_id.get(record["id"]) or EventReport(doc_id=record["id"]))
    else:
        from extractor.api import Extractor

        extractor = Extractor(model)
        inputs = [{"id": r["id"], "text": t, "published": r.get("published")} for r, t in zip(usable, texts)]
        predictions = list(extractor.pipe(inputs, batch_size=batch_size))
    result = evaluate(usable, predictions)
    result.warnings = warnings
    return result


# --- rendering -------------------------------------------------------------------------------


def render_markdown(result: dict[str, Any]) -> str:
    lines = [f"Real reports: {result['documents']} documents", "",
             "| field | P | R | F1 | tp | fp | fn |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, c in result["fields"].items():
        lines.append(f"| {name} | {c['precision']:.2f} | {c['recall']:.2f} | **{c['f1']:.2f}** | {c['tp']} | {c['fp']} | {c['fn']} |")
    lines += ["", "| event slot | accuracy | P | R | F1 |", "|---|---:|---:|---:|---:|"]
    for slot, c in result["event"].items():
        lines.append(f"| {slot} | **{c['accuracy']:.2f}** | {c['precision']:.2f} | {c['recall']:.2f} | {c['f1']:.2f} |")
    return "\n".join(lines)


def render_errors(errors: list[dict[str, str]]) -> str:
    lines = ["", "| document | field | kind | value |", "|---|---|---|---|"]
    for e in sorted(errors, key=lambda e: (e["field"], e["doc_id"], e["kind"])):
        lines.append(f"| {e['doc_id']} | {e['field']} | {e['kind']} | {e['value'].replace('|', '/')} |")
    return "\n".join(lines)
