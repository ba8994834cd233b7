"""Records for a search cluster: Elasticsearch/OpenSearch bulk NDJSON and the index mapping.

A bulk document is the record as JSON (so every field comes back unchanged, see
`record_from_document`) plus derived fields for search: the report's date and `period`
(date_range), `year`, the entity ids of persons / organisations / places (when an index is
given) and the source `text` (when that index holds it). Offsets stay in `_source` but are not
indexed. Both engines read the same bulk format and mapping.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from extractor.index.ingest import report_date
from extractor.index.reading import LineError, iter_records
from extractor.index.normalise import date_bounds
from models import EventReport

TARGETS = ("elasticsearch", "opensearch")
# Fields the export adds to a record; `record_from_document` removes them again.
DERIVED_TOP = ("date", "period", "year", "text")
DERIVED_NESTED = ("entity_id", "period")
_KINDS = {"persons": "person", "organisations": "org", "locations": "place"}


def _period(value: str | None) -> dict[str, str] | None:
    bounds = date_bounds(value)
    return {"gte": bounds[0], "lte": bounds[1]} if bounds else None


def document(report: EventReport, *, entity_ids: dict[tuple[str, int], str] | None = None,
             text: str | None = None) -> dict[str, Any]:
    """The bulk document of one record; `entity_ids` maps (list name, index) to an entity id."""
    doc = report.model_dump(mode="json")
    date, bounds = report_date(report)
    doc["date"] = date
    if bounds:
        doc["period"] = {"gte": bounds[0], "lte": bounds[1]}
        doc["year"] = int(bounds[0][:4])
    if text is not None:
        doc["text"] = text
    for field, kind in _KINDS.items():
        for n, entry in enumerate(doc[field]):
            if entity_ids and (kind, n) in entity_ids:
                entry["entity_id"] = entity_ids[(kind, n)]
    for entry in doc["dates"]:
        if period := _period(entry["value"]):
            entry["period"] = period
    if doc["event"] is not None:
        start, end = date_bounds(doc["event"]["start"]), date_bounds(doc["event"]["end"])
        if start or end:
            first, last = start or end, end or start
            assert first is not None and last is not None
            doc["event"]["period"] = {"gte": first[0], "lte": last[1]}
    return doc


def record_from_document(doc: dict[str, Any]) -> EventReport:
    """The record a bulk document was made from (derived fields dropped)."""
    data = {k: v for k, v in doc.items() if k not in DERIVED_TOP}
    for field in (*_KINDS, "dates"):
        data[field] = [{k: v for k, v in entry.items() if k not in DERIVED_NESTED} for entry in data.get(field, [])]
    if data.get("event") is not None:
        data["event"] = {k: v for k, v in data["event"].items() if k != "period"}
    return EventReport.model_validate(data)


def _text(analyzed: bool = True, keyword: bool = True) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "text", "analyzer": "eventfacts_german"} if analyzed else {"type": "text"}
    if keyword:
        field["fields"] = {"keyword": {"type": "keyword", "ignore_above": 512}}
    return field


_KEYWORD = {"type": "keyword"}
_OFFSETS = {"type": "object", "enabled": False}  # kept in _source, not searchable
_PERIOD = {"type": "date_range", "format": "yyyy-MM-dd"}


def index_mapping() -> dict[str, Any]:
    """Settings and mappings for `PUT /INDEX` (German analyzer, nested entities, facets, dates)."""
    return {
        "settings": {
            "analysis": {
                "filter": {
                    "german_stop": {"type": "stop", "stopwords": "_german_"},
                    "german_light_stem": {"type": "stemmer", "language": "light_german"},
                },
                "analyzer": {
                    # The stock German chain, written out so a cluster can add a decompounder
                    # (hyphenation_decompounder needs a dictionary file on every node).
                    "eventfacts_german": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "german_stop", "german_normalization", "german_light_stem"],
                    }
                },
            }
        },
        "mappings": {
            # New record fields (the contract may grow) stay in _source without breaking the import.
            "dynamic": False,
            "properties": {
                "schema_version": _KEYWORD,
                "doc_id": _KEYWORD,
                "source": _KEYWORD,
                "title": _text(),
                "text": _text(keyword=False),
                "published": {"type": "date", "format": "strict_date||yyyy-MM||yyyy"},
                "date": _KEYWORD,
                "period": _PERIOD,
                "year": {"type": "integer"},
                "language": _KEYWORD,
                "persons": {"type": "nested", "properties": {
                    "name": _text(), "roles": _text(), "organisation": _text(), "titles": _KEYWORD,
                    "entity_id": _KEYWORD, "mentions": _OFFSETS}},
                "organisations": {"type": "nested", "properties": {
                    "name": _text(), "acronym": _KEYWORD, "entity_id": _KEYWORD, "mentions": _OFFSETS}},
                "locations": {"type": "nested", "properties": {
                    "name": _text(), "kind": _KEYWORD, "entity_id": _KEYWORD, "mentions": _OFFSETS}},
                "quantities": {"type": "nested", "properties": {
                    "value": {"type": "double"}, "unit": _KEYWORD, "text": _text(keyword=False),
                    "qualifier": _KEYWORD, "mention": _OFFSETS}},
                "dates": {"type": "nested", "properties": {
                    "text": _text(keyword=False), "value": _KEYWORD, "granularity": _KEYWORD,
                    "relative": {"type": "boolean"}, "period": _PERIOD, "mention": _OFFSETS}},
                "event": {"properties": {
                    "name": _text(), "type": _KEYWORD, "topic": _text(), "location": _text(),
                    "start": _KEYWORD, "end": _KEYWORD, "period": _PERIOD,
                    "participants": {"type": "integer"}, "organisers": _text()}},
                "warnings": _text(analyzed=False, keyword=False),
            },
        },
    }


def bulk_lines(paths: Iterable[str], *, index_name: str = "eventfacts", db: str | os.PathLike[str] | None = None,
               on_error: Callable[[str], None] | None = None) -> Iterator[str]:
    """Action and document lines for the records of `paths`; bad lines go to `on_error`."""
    lookup = _IndexLookup(db) if db is not None else None
    try:
        for path in paths:
            for item in iter_records(path):
                if isinstance(item, LineError):
                    if on_error:
                        on_error(str(item))
                    continue
                ids, text = lookup.get(item) if lookup else (None, None)
                yield json.dumps({"index": {"_index": index_name, "_id": item.doc_id}}, ensure_ascii=False)
                yield json.dumps(document(item, entity_ids=ids, text=text), ensure_ascii=False)
    finally:
        if lookup:
            lookup.close()


class _IndexLookup:
    """Entity ids and text of a record from an index, when the index holds the same record."""

    def __init__(self, db: str | os.PathLike[str]) -> None:
        from extractor.index.schema import open_index

        self.conn = open_index(db)

    def get(self, report: EventReport) -> tuple[dict[tuple[str, int], str], str | None]:
        row = self.conn.execute("SELECT id FROM reports WHERE doc_id = ?", (report.doc_id,)).fetchone()
        if row is None:
            return {}, None
        rid, ids = row[0], {}
        for kind, table, entries in (("person", "persons", report.persons), ("org", "organisations", report.organisations),
                                     ("place", "places", report.locations)):
            for n, name, entity_id in self.conn.execute(
                    f"SELECT n, name, entity_id FROM {table} WHERE report_id = ? AND entity_id IS NOT NULL", (rid,)):
                # An index built from another version of the record must not lend its ids.
                if n < len(entries) and entries[n].name == name:
                    ids[(kind, n)] = entity_id
        body = self.conn.execute("SELECT body FROM report_fts WHERE rowid = ?", (rid,)).fetchone()
        return ids, (body[0] or None) if body else None

    def close(self) -> None:
        self.conn.close()
