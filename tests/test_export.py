"""Elasticsearch/OpenSearch export: the bulk file's structure, the mapping covering every field,
and every record field coming back unchanged from its bulk document."""

from __future__ import annotations

import json
from typing import Any

from extractor.index import Index, index_files
from extractor.index.export import bulk_lines, document, index_mapping, record_from_document
from models import EventReport
from tests.index_records import archive, write_jsonl


def full_archive() -> list[EventReport]:
    reports = archive()
    # Give one record warnings, so that every field of the contract carries a value somewhere.
    reports[3] = reports[3].model_copy(update={"warnings": ["Text sieht nicht deutsch aus", "zweite Warnung"]})
    return reports


def test_every_field_of_the_contract_is_exercised_by_the_test_records():
    reports = full_archive()
    dumped = [r.model_dump(mode="json") for r in reports]
    for name in EventReport.model_fields:
        assert any(d[name] not in (None, []) for d in dumped), name
    assert any(q["qualifier"] for d in dumped for q in d["quantities"])
    assert any(isinstance(q["value"], float) for d in dumped for q in d["quantities"])
    assert any(p["titles"] and p["organisation"] for d in dumped for p in d["persons"])
    assert all(d["event"] for d in dumped) and any(d["event"]["topic"] and d["event"]["organisers"] for d in dumped)


def test_a_bulk_document_gives_back_the_record_unchanged():
    for report in full_archive():
        doc = json.loads(json.dumps(document(report, entity_ids={("person", 0): "person:x"}, text="Text")))
        assert record_from_document(doc) == report
        assert record_from_document(doc).model_dump(mode="json") == report.model_dump(mode="json")


def test_the_bulk_file_alternates_actions_and_documents(tmp_path):
    reports = full_archive()
    facts = write_jsonl(tmp_path / "facts.jsonl", reports, extra_lines={1: "{kaputt"})
    errors: list[str] = []
    lines = list(bulk_lines([str(facts)], index_name="archiv-2024", on_error=errors.append))
    assert errors and errors[0].startswith(f"{facts}:2: not a JSON object")
    assert len(lines) == 2 * len(reports)
    for n, report in enumerate(reports):
        action, doc = json.loads(lines[2 * n]), json.loads(lines[2 * n + 1])
        assert action == {"index": {"_index": "archiv-2024", "_id": report.doc_id}}
        assert doc["doc_id"] == report.doc_id
        assert record_from_document(doc) == report
        assert "text" not in doc and all("entity_id" not in p for p in doc["persons"])
    r3 = json.loads(lines[5])
    assert (r3["date"], r3["period"], r3["year"]) == ("2025-01", {"gte": "2025-01-01", "lte": "2025-01-31"}, 2025)
    assert r3["event"]["period"] == {"gte": "2025-01-01", "lte": "2025-01-31"}
    assert r3["dates"][0]["period"] == {"gte": "2025-01-30", "lte": "2025-01-30"}
    r5 = json.loads(lines[9])  # no event start: the publication date
    assert (r5["date"], r5["period"]) == ("2023-11-20", {"gte": "2023-11-20", "lte": "2023-11-20"})
    assert "period" not in r5["event"]


def test_entity_ids_and_texts_come_from_an_index(tmp_path):
    reports = full_archive()
    facts = write_jsonl(tmp_path / "facts.jsonl", reports)
    db = tmp_path / "a.sqlite"
    index_files(db, [str(facts)])
    docs = [json.loads(line) for line in bulk_lines([str(facts)], db=db)][1::2]
    with Index(db) as index:
        bmas = index.search(org="BMAS")[0].matched[0].entity_id
    assert [d["organisations"][0]["entity_id"] for d in docs[:3]] == [bmas, bmas, bmas]
    assert docs[3]["persons"][0]["entity_id"] != docs[4]["persons"][0]["entity_id"]  # two Thomas Müller
    assert all(record_from_document(d) == r for d, r in zip(docs, reports))


def _mapped(properties: dict[str, Any], doc: dict[str, Any], path: str = "") -> list[str]:
    """Fields of `doc` the mapping does not know (disabled objects are taken whole)."""
    unknown = []
    for key, value in doc.items():
        spec = properties.get(key)
        if spec is None:
            unknown.append(path + key)
        elif spec.get("enabled") is False:
            continue
        elif "properties" in spec and value is not None:
            for item in value if isinstance(value, list) else [value]:
                unknown += _mapped(spec["properties"], item, f"{path}{key}.")
    return unknown


def test_the_mapping_covers_every_field_with_german_text_nested_entities_and_dates():
    mapping = index_mapping()
    properties = mapping["mappings"]["properties"]
    for report in full_archive():
        doc = document(report, entity_ids={("person", 0): "person:x", ("org", 0): "org:y", ("place", 0): "place:z"},
                       text="Volltext")
        assert _mapped(properties, doc) == []
    analyzer = mapping["settings"]["analysis"]["analyzer"]["eventfacts_german"]
    assert analyzer["filter"] == ["lowercase", "german_stop", "german_normalization", "german_light_stem"]
    assert properties["title"]["analyzer"] == properties["text"]["analyzer"] == "eventfacts_german"
    assert properties["title"]["fields"]["keyword"]["type"] == "keyword"
    persons = properties["persons"]
    assert persons["type"] == "nested"
    assert {k: persons["properties"][k]["type"] for k in ("name", "roles", "organisation", "entity_id")} == {
        "name": "text", "roles": "text", "organisation": "text", "entity_id": "keyword"}
    assert properties["event"]["properties"]["type"] == {"type": "keyword"}
    assert properties["year"] == {"type": "integer"}
    assert properties["published"]["type"] == "date" and properties["period"]["type"] == "date_range"
    assert all(properties[k]["properties"]["entity_id"] == {"type": "keyword"}
               for k in ("persons", "organisations", "locations"))
