"""Build gold annotation lines from the author format of the sample corpus.

Authors write one JSON object per report (`corpus/source/<id>.json`, see `corpus/README.md`) and list
strings only; this module finds their character offsets and writes one line per report:

    {"id", "text", "meta": {...}, "spans": [{"start", "end", "label", "text"}],
     "relations": [{"head", "child", "label"}], "facts": <models.EventReport as dict>}

`spans` and `relations` follow Prodigy's span format (flat spans, relations by span index);
`facts` validates as `models.EventReport` with the offset contract checked against `text`.

Matching rules (the annotation conventions, in code):
- person / role / organisation / location / event-name strings: every occurrence at word
  boundaries (the character before and after is not a letter or digit);
- quantity and date `text`: the k-th listing of a string takes its k-th occurrence;
- flat annotation: an occurrence lying inside a longer annotated span is dropped ("Berlin" inside
  "IHK Berlin"); a year inside an event name ("Praxiswerkstatt 2024") stays in `facts` as a date;
- spans of different entities that cross each other are errors.

Every problem is collected and raised together in one `GoldBuildError`, each message naming the
report id and the string concerned.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models import EventReport

SPLITS = ("train", "dev", "test")
LABELS = ("PER", "ROLE", "ORG", "LOC", "QUANTITY", "DATE", "EVENT")
GRANULARITIES = ("year", "month", "day", "week", "hour", "minute")

_TOP_KEYS = {"id", "split", "published", "source", "genre", "publisher_kind", "text", "facts"}
_FACT_KEYS = {"title", "persons", "organisations", "locations", "quantities", "dates", "event"}
_PERSON_KEYS = {"name", "roles", "organisation", "titles", "mentions", "role_mentions"}
_ORG_KEYS = {"name", "acronym", "mentions"}
_LOC_KEYS = {"name", "kind", "mentions"}
_QUANTITY_KEYS = {"value", "unit", "text", "qualifier"}
_DATE_KEYS = {"text", "value", "granularity", "relative"}
_EVENT_KEYS = {"name", "name_mentions", "type", "topic", "location", "start", "end", "participants", "organisers"}

# ISO shapes per granularity; a range is two of them joined by "/".
_ISO_SHAPES = {
    "year": r"\d{4}",
    "month": r"\d{4}-\d{2}",
    "day": r"\d{4}-\d{2}-\d{2}",
    "week": r"\d{4}-W\d{2}",
    "hour": r"\d{4}-\d{2}-\d{2}T\d{2}",
    "minute": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}",
}


class GoldBuildError(Exception):
    """One or more reports could not be turned into gold lines.

    errors (list[str]): every problem found, each naming the report id and the string.
    """

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"{len(self.errors)} annotation error(s):\n{lines}")


@dataclass(frozen=True)
class _Cand:
    """One occurrence of an annotated string: where it is, what it is, whose it is."""

    start: int
    end: int
    label: str
    owner: tuple[str, int]  # ("person", 2), ("role", 2), ("org", 0), ("event", 0), ("date", 1) ...
    source: str  # the author string that produced it, for messages

    @property
    def length(self) -> int:
        return self.end - self.start


def find_occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Find every occurrence of `needle` in `text` that stands at word boundaries.

    A boundary holds when the character before the start and the one after the end are not
    letters or digits, so "Berlin" is found in "Berlin-Mitte" and "(Berlin)" but not in "Berliner".

    text (str): The report text.
    needle (str): The exact string to look for.
    RETURNS (list[tuple[int, int]]): (start, end) character offsets, in text order.
    """
    if not needle:
        return []
    found: list[tuple[int, int]] = []
    for match in re.finditer(re.escape(needle), text):
        start, end = match.start(), match.end()
        if start > 0 and text[start - 1].isalnum():
            continue
        if end < len(text) and text[end].isalnum():
            continue
        found.append((start, end))
    return found


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    """Whether `inner` lies within `outer` and is strictly shorter."""
    return outer[0] <= inner[0] and inner[1] <= outer[1] and (outer[1] - outer[0]) > (inner[1] - inner[0])


def _distance(a: _Cand, b: _Cand) -> int:
    """Characters between two non-overlapping spans."""
    return max(a.start - b.end, b.start - a.end, 0)


class _ReportBuilder:
    """Turns one author-format object into one gold line, collecting errors on the way."""

    def __init__(self, source: dict[str, Any]) -> None:
        self.src = source
        self.doc_id = str(source.get("id", "<no id>"))
        self.text: str = source.get("text", "") if isinstance(source.get("text"), str) else ""
        self.errors: list[str] = []

    def err(self, message: str) -> None:
        self.errors.append(f"{self.doc_id}: {message}")

    # --- checks on the author object -------------------------------------------------------

    def _check_keys(self, obj: Any, allowed: set[str], required: set[str], where: str) -> bool:
        if not isinstance(obj, dict):
            self.err(f"{where} must be an object, got {type(obj).__name__}")
            return False
        unknown = sorted(set(obj) - allowed)
        if unknown:
            self.err(f"{where}: unknown key(s) {unknown}; allowed: {sorted(allowed)}")
        missing = sorted(required - set(obj))
        if missing:
            self.err(f"{where}: missing key(s) {missing}")
        return True

    def _strings(self, value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.err(f"{where} must be a list of strings, got {value!r}")
            return []
        return value

    def _check_iso(self, value: Any, granularity: str, where: str) -> None:
        shape = _ISO_SHAPES.get(granularity)
        if shape is None:
            self.err(f"{where}: granularity {granularity!r} is invalid; must be one of {list(GRANULARITIES)}")
            return
        if not isinstance(value, str) or not re.fullmatch(rf"{shape}(/{shape})?", value):
            self.err(f"{where}: value {value!r} is not ISO 8601 at granularity {granularity!r}")

    def _check_top(self) -> dict[str, Any]:
        src = self.src
        self._check_keys(src, _TOP_KEYS, _TOP_KEYS - {"published", "source"}, "report")
        if not self.text:
            self.err("'text' is missing or empty")
        if src.get("split") not in SPLITS:
            self.err(f"split {src.get('split')!r} is invalid; must be one of {list(SPLITS)}")
        published = src.get("published")
        if published is not None and not (
            isinstance(published, str) and re.fullmatch(_ISO_SHAPES["day"], published)
        ):
            self.err(f"published {published!r} must be an ISO date YYYY-MM-DD or null")
        facts = src.get("facts")
        if not isinstance(facts, dict):
            self.err("'facts' must be an object")
            return {}
        self._check_keys(facts, _FACT_KEYS, _FACT_KEYS, "facts")
        title = facts.get("title")
        if title is not None and title not in self.text.splitlines():
            self.err(f"title {title!r} is not a line of the text")
        return facts

    # --- candidates --------------------------------------------------------------------------

    def _entity_candidates(self, facts: dict[str, Any]) -> list[_Cand]:
        """Every occurrence of person, role, organisation, location and event-name strings."""
        cands: list[_Cand] = []
        groups: list[tuple[str, str, str, list[Any], set[str], set[str]]] = [
            ("persons", "person", "PER", facts.get("persons") or [], _PERSON_KEYS, {"name", "mentions"}),
            ("organisations", "org", "ORG", facts.get("organisations") or [], _ORG_KEYS, {"name", "mentions"}),
            ("locations", "loc", "LOC", facts.get("locations") or [], _LOC_KEYS, {"name", "mentions"}),
        ]
        for group, kind, label, items, allowed, required in groups:
            for i, item in enumerate(items):
                where = f"{group}[{i}]"
                if not self._check_keys(item, allowed, required, where):
                    continue
                where = f"{group}[{i}] {item.get('name')!r}"
                mentions = self._strings(item.get("mentions", []), f"{where}.mentions")
                if not mentions:
                    self.err(f"{where} has no mentions")
                for mention in mentions:
                    cands.extend(self._occurrences(mention, label, (kind, i), where))
                if kind == "person":
                    for role in self._strings(item.get("role_mentions", []), f"{where}.role_mentions"):
                        cands.extend(self._occurrences(role, "ROLE", ("role", i), where))
        event = facts.get("event")
        if event is not None and self._check_keys(event, _EVENT_KEYS, set(), "event"):
            for mention in self._strings(event.get("name_mentions", []), "event.name_mentions"):
                cands.extend(self._occurrences(mention, "EVENT", ("event", 0), "event"))
        return cands

    def _occurrences(self, needle: str, label: str, owner: tuple[str, int], where: str) -> list[_Cand]:
        spans = find_occurrences(self.text, needle)
        if not spans:
            self.err(f"{where}: string {needle!r} not found in the text at word boundaries")
        return [_Cand(s, e, label, owner, needle) for s, e in spans]

    def _ordered_candidates(self, facts: dict[str, Any], entities: list[_Cand]) -> dict[tuple[str, int], _Cand]:
        """Place quantity and date strings: the k-th listing of a string takes its k-th free occurrence.

        An occurrence is not free when it lies inside a longer person/role/organisation/location
        span, or inside an occurrence of a longer quantity/date string. Event names do not block:
        the year in "Praxiswerkstatt 2024" is a date by convention.
        """
        listed: list[tuple[str, int, str, str]] = []  # (kind, index, label, text)
        for kind, label, key, allowed in (
            ("quantity", "QUANTITY", "quantities", _QUANTITY_KEYS),
            ("date", "DATE", "dates", _DATE_KEYS),
        ):
            for i, item in enumerate(facts.get(key) or []):
                if not self._check_keys(item, allowed, allowed - {"qualifier", "relative"}, f"{key}[{i}]"):
                    continue
                text = item.get("text")
                if not isinstance(text, str) or not text:
                    self.err(f"{key}[{i}]: 'text' must be a non-empty string")
                    continue
                listed.append((kind, i, label, text))
        blockers = [(c.start, c.end) for c in entities if c.label != "EVENT"]
        for _, _, _, other in listed:
            blockers.extend(find_occurrences(self.text, other))
        placed: dict[tuple[str, int], _Cand] = {}
        used: dict[str, int] = {}
        for kind, i, label, text in sorted(listed, key=lambda x: (x[0] != "quantity", x[1])):
            free = [o for o in find_occurrences(self.text, text) if not any(_inside(o, b) for b in blockers)]
            k = used.get(f"{label}\x00{text}", 0)
            used[f"{label}\x00{text}"] = k + 1
            if k >= len(free):
                self.err(
                    f"{kind} {text!r} is listed {k + 1} time(s) but occurs only {len(free)} time(s) "
                    "at word boundaries outside longer spans"
                )
                continue
            s, e = free[k]
            placed[(kind, i)] = _Cand(s, e, label, (kind, i), text)
        return placed

    # --- flat spans --------------------------------------------------------------------------

    def _resolve(self, facts: dict[str, Any], cands: list[_Cand]) -> list[_Cand]:
        """Drop nested occurrences and duplicates, settle shared role strings, report crossings."""
        unique: dict[tuple[int, int, str, tuple[str, int]], _Cand] = {}
        for c in cands:
            unique.setdefault((c.start, c.end, c.label, c.owner), c)
        cands = list(unique.values())
        outer = [c for c in cands if not any(_inside((c.start, c.end), (o.start, o.end)) for o in cands)]
        by_extent: dict[tuple[int, int], list[_Cand]] = {}
        for c in outer:
            by_extent.setdefault((c.start, c.end), []).append(c)
        person_spans = [c for c in outer if c.label == "PER"]
        kept: list[_Cand] = []
        for (start, end), group in sorted(by_extent.items()):
            if len(group) > 1 and all(c.label == "ROLE" for c in group):
                # "Geschäftsführerin" can be the role of two people: each occurrence goes to the
                # person whose mention stands closest to it.
                kept.append(min(group, key=lambda r: self._role_distance(r, person_spans)))
                continue
            if len(group) > 1:
                names = " and ".join(f"{c.label} {c.owner[0]}[{c.owner[1]}]" for c in group)
                self.err(f"string {self.text[start:end]!r} at {start}..{end} is annotated twice ({names})")
            kept.append(group[0])
        for i, a in enumerate(kept):
            for b in kept[i + 1 :]:
                if b.start >= a.end:
                    break
                self.err(
                    f"overlapping spans {a.source!r} ({a.label} at {a.start}..{a.end}) and "
                    f"{b.source!r} ({b.label} at {b.start}..{b.end})"
                )
        return kept

    @staticmethod
    def _role_distance(role: _Cand, person_spans: list[_Cand]) -> int:
        own = [p for p in person_spans if p.owner[1] == role.owner[1]]
        return min((_distance(role, p) for p in own), default=10**9)

    # --- relations ---------------------------------------------------------------------------

    def _relations(self, facts: dict[str, Any], spans: list[_Cand]) -> list[dict[str, Any]]:
        index = {id(c): i for i, c in enumerate(spans)}
        per: dict[int, list[_Cand]] = {}
        org: dict[int, list[_Cand]] = {}
        for c in spans:
            if c.label == "PER":
                per.setdefault(c.owner[1], []).append(c)
            elif c.label == "ORG":
                org.setdefault(c.owner[1], []).append(c)
        relations: list[dict[str, Any]] = []
        for c in spans:
            if c.label == "ROLE" and per.get(c.owner[1]):
                head = min(per[c.owner[1]], key=lambda p: (_distance(c, p), -p.start))
                relations.append({"head": index[id(head)], "child": index[id(c)], "label": "has_role"})
        org_index = {o.get("name"): i for i, o in enumerate(facts.get("organisations") or []) if isinstance(o, dict)}
        for i, person in enumerate(facts.get("persons") or []):
            if not isinstance(person, dict):
                continue
            j = org_index.get(person.get("organisation"))
            if j is not None and per.get(i) and org.get(j):
                relations.append({"head": index[id(per[i][0])], "child": index[id(org[j][0])], "label": "member_of"})
        for j, organisation in enumerate(facts.get("organisations") or []):
            if not isinstance(organisation, dict) or not organisation.get("acronym"):
                continue
            acronym = organisation["acronym"]
            # The expansion is a mention without the acronym in it: "IHK" points to
            # "Industrie- und Handelskammer Trier", not to "IHK Trier", when both are there.
            long_forms = [c for c in org.get(j, []) if c.source != acronym and not find_occurrences(c.source, acronym)]
            long_forms = long_forms or [c for c in org.get(j, []) if c.source != acronym]
            for c in org.get(j, []):
                if c.source == acronym and long_forms:
                    relations.append({"head": index[id(c)], "child": index[id(long_forms[0])], "label": "acronym_of"})
        return sorted(relations, key=lambda r: (r["head"], r["child"], r["label"]))

    # --- facts -------------------------------------------------------------------------------

    def _mentions(self, spans: list[_Cand], kind: str, i: int) -> list[dict[str, Any]]:
        return [
            {"start": c.start, "end": c.end, "text": self.text[c.start : c.end]}
            for c in spans
            if c.owner == (kind, i) and c.label in ("PER", "ORG", "LOC")
        ]

    def _check_consistency(self, facts: dict[str, Any]) -> None:
        org_names = {o.get("name") for o in facts.get("organisations") or [] if isinstance(o, dict)}
        loc_names = {loc.get("name") for loc in facts.get("locations") or [] if isinstance(loc, dict)}
        for person in facts.get("persons") or []:
            if isinstance(person, dict) and person.get("organisation") not in org_names | {None}:
                self.err(f"person {person.get('name')!r}: organisation {person.get('organisation')!r} is not listed")
        for organisation in facts.get("organisations") or []:
            if not isinstance(organisation, dict) or not organisation.get("acronym"):
                continue
            acronym, mentions = organisation["acronym"], organisation.get("mentions") or []
            if acronym not in mentions:
                self.err(f"organisation {organisation.get('name')!r}: acronym {acronym!r} is not among its mentions")
            elif all(m == acronym for m in mentions):
                self.err(
                    f"organisation {organisation.get('name')!r}: acronym {acronym!r} has no long-form mention "
                    "(an acronym-only organisation takes the acronym as name and acronym null)"
                )
        for i, q in enumerate(facts.get("quantities") or []):
            if not isinstance(q, dict):
                continue
            if q.get("qualifier") and q["qualifier"] not in str(q.get("text")):
                self.err(f"quantity {q.get('text')!r}: qualifier {q['qualifier']!r} is not part of its text")
        event = facts.get("event") if isinstance(facts.get("event"), dict) else None
        start_known = bool(event and event.get("start"))
        for d in facts.get("dates") or []:
            if not isinstance(d, dict):
                continue
            self._check_iso(d.get("value"), str(d.get("granularity")), f"date {d.get('text')!r}")
            if d.get("relative") and self.src.get("published") is None and not start_known:
                self.err(f"date {d.get('text')!r} is relative but neither published nor the event start is given")
        if event is None:
            return
        if event.get("location") is not None and event["location"] not in loc_names:
            self.err(f"event location {event['location']!r} is not a listed location")
        for organiser in event.get("organisers") or []:
            if organiser not in org_names:
                self.err(f"event organiser {organiser!r} is not a listed organisation")
        participants = event.get("participants")
        if participants is not None and participants not in {
            q.get("value") for q in facts.get("quantities") or [] if isinstance(q, dict)
        }:
            self.err(f"event participants {participants!r} is not the value of a listed quantity")

    def _facts(self, facts: dict[str, Any], spans: list[_Cand], placed: dict[tuple[str, int], _Cand]) -> dict[str, Any]:
        persons = []
        for i, p in enumerate(facts.get("persons") or []):
            mentions = self._mentions(spans, "person", i)
            if not mentions and any(find_occurrences(self.text, m) for m in p.get("mentions") or []):
                self.err(f"person {p.get('name')!r}: every occurrence of {p['mentions']!r} lies inside a longer span")
            persons.append(
                {
                    "name": p.get("name"),
                    "roles": p.get("roles") or [],
                    "organisation": p.get("organisation"),
                    "titles": p.get("titles") or [],
                    "mentions": mentions,
                }
            )
        organisations, locations = [], []
        for kind, key, out in (("org", "organisations", organisations), ("loc", "locations", locations)):
            for i, item in enumerate(facts.get(key) or []):
                mentions = self._mentions(spans, kind, i)
                if not mentions and any(find_occurrences(self.text, m) for m in item.get("mentions") or []):
                    self.err(
                        f"{key[:-1]} {item.get('name')!r}: every occurrence of {item['mentions']!r} "
                        "lies inside a longer span"
                    )
                record = {k: v for k, v in item.items() if k != "mentions"}
                record["mentions"] = mentions
                out.append(record)
        quantities, dates = [], []
        for kind, key, out in (("quantity", "quantities", quantities), ("date", "dates", dates)):
            for i, item in enumerate(facts.get(key) or []):
                cand = placed.get((kind, i))
                if cand is None:
                    continue
                record = dict(item)
                record["mention"] = {"start": cand.start, "end": cand.end, "text": self.text[cand.start : cand.end]}
                out.append(record)
        event = facts.get("event")
        if isinstance(event, dict):
            event = {k: v for k, v in event.items() if k != "name_mentions"}
        return {
            "doc_id": self.doc_id,
            "source": self.src.get("source"),
            "title": facts.get("title"),
            "published": self.src.get("published"),
            "persons": persons,
            "organisations": organisations,
            "locations": locations,
            "quantities": quantities,
            "dates": dates,
            "event": event,
        }

    # --- all together ------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        facts = self._check_top()
        if not self.text or not facts:
            raise GoldBuildError(self.errors)
        entities = self._entity_candidates(facts)
        placed = self._ordered_candidates(facts, entities)
        spans = self._resolve(facts, entities + list(placed.values()))
        self._check_consistency(facts)
        relations = self._relations(facts, spans)
        fact_dict = self._facts(facts, spans, placed)
        report: EventReport | None = None
        try:
            report = EventReport.model_validate(fact_dict, context={"text": self.text})
        except ValidationError as exc:
            for e in exc.errors():
                loc = ".".join(str(x) for x in e["loc"]) or "facts"
                self.err(f"facts invalid at {loc}: {e['msg']} (input {e.get('input')!r:.80})")
        if self.errors or report is None:
            raise GoldBuildError(self.errors)
        return {
            "id": self.doc_id,
            "text": self.text,
            "meta": {
                "published": self.src.get("published"),
                "source": self.src.get("source"),
                "split": self.src.get("split"),
                "genre": self.src.get("genre"),
                "publisher_kind": self.src.get("publisher_kind"),
            },
            "spans": [
                {"start": c.start, "end": c.end, "label": c.label, "text": self.text[c.start : c.end]} for c in spans
            ],
            "relations": relations,
            "facts": report.model_dump(mode="json"),
        }


def build_record(source: dict[str, Any]) -> dict[str, Any]:
    """Convert one author-format report into one gold line.

    source (dict): The author object (`id`, `split`, `text`, `facts`, ...; see corpus/README.md).
    RETURNS (dict): The gold line: id, text, meta, spans, relations, facts.
    RAISES (GoldBuildError): With every problem found in this report.
    """
    return _ReportBuilder(source).build()


def read_sources(source_dir: Path) -> Iterator[tuple[Path, Any]]:
    """Yield (path, parsed JSON or the JSONDecodeError) for each `*.json` in name order."""
    for path in sorted(Path(source_dir).glob("*.json")):
        try:
            yield path, json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            yield path, exc


def build_lines(sources: Iterable[tuple[Path, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Build gold lines for many reports, grouped by split and sorted by id.

    sources (Iterable[tuple[Path, Any]]): (path, parsed object) pairs, as from `read_sources`.
    RETURNS (dict[str, list[dict]]): split -> gold lines.
    RAISES (GoldBuildError): With the problems of all reports together.
    """
    errors: list[str] = []
    lines: dict[str, list[dict[str, Any]]] = {split: [] for split in SPLITS}
    seen: dict[str, Path] = {}
    for path, source in sources:
        if isinstance(source, Exception):
            errors.append(f"{path.name}: not valid JSON: {source}")
            continue
        if not isinstance(source, dict):
            errors.append(f"{path.name}: top level must be an object")
            continue
        doc_id = source.get("id")
        if doc_id != path.stem:
            errors.append(f"{path.name}: id {doc_id!r} differs from the file name {path.stem!r}")
        if doc_id in seen:
            errors.append(f"{doc_id}: id used twice ({seen[doc_id].name}, {path.name})")
        seen[str(doc_id)] = path
        try:
            line = build_record(source)
        except GoldBuildError as exc:
            errors.extend(exc.errors)
            continue
        lines[line["meta"]["split"]].append(line)
    if errors:
        raise GoldBuildError(errors)
    for split in SPLITS:
        lines[split].sort(key=lambda line: line["id"])
    return lines


def build_corpus(source_dir: Path, out_dir: Path) -> dict[str, int]:
    """Read every `source_dir/*.json` and write `out_dir/{train,dev,test}.jsonl`.

    Nothing is written when any report has errors.

    source_dir (Path): Directory of author-format reports.
    out_dir (Path): Directory for the split files (created if missing).
    RETURNS (dict[str, int]): Number of reports per split.
    RAISES (GoldBuildError): With the problems of all reports together.
    """
    lines = build_lines(read_sources(Path(source_dir)))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for split, records in lines.items():
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        (out / f"{split}.jsonl").write_text(body, encoding="utf-8")
    return {split: len(records) for split, records in lines.items()}
