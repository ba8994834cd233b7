"""Browsing the index with Datasette: facets, labels, full-text search and the canned queries,
through Datasette's own test client (no server, no network)."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("datasette")

from extractor.index import index_files  # noqa: E402
from extractor.index.browse import make_datasette  # noqa: E402
from tests.index_records import BMAS, archive, write_jsonl, write_texts  # noqa: E402


@pytest.fixture(scope="module")
def get(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browse")
    db = folder / "archiv.sqlite"
    index_files(db, [str(write_jsonl(folder / "facts.jsonl", archive()))], texts=[str(write_texts(folder / "t"))])
    datasette = make_datasette(db)

    def fetch(path: str):
        response = asyncio.run(datasette.client.get(path))
        assert response.status_code == 200, (path, response.text[:300])
        return response

    return fetch


def facet(data, name):
    return {r["value"]: r["count"] for r in data["facet_results"][name]["results"]}


def test_reports_have_facets_for_type_place_year_and_organisation(get):
    data = get("/archiv/reports.json?_shape=objects").json()
    assert facet(data, "event_type") == {"Fachtag": 1, "Workshop": 1, "Konferenz": 1, "Sommerfest": 1,
                                         "Netzwerktreffen": 1}
    assert facet(data, "event_location") == {"Fulda": 1, "Berlin": 1, "Frankfurt am Main": 1, "Frankfurt": 1,
                                             "Kassel": 1}
    assert facet(data, "year") == {2025: 2, 2024: 2, 2023: 1}
    assert facet(data, "organisations") == {BMAS: 2, "Handwerkskammer Kassel": 2, "BMAS": 1,
                                            "Eintracht Frankfurt Fußball AG": 1}
    # Newest first, as configured.
    assert [r["doc_id"] for r in data["rows"]][:2] == ["r4-sommerfest", "r3-pflegekonferenz"]


def test_a_facet_selection_filters_and_the_search_box_finds_compounds(get):
    data = get("/archiv/reports.json?_shape=objects&year=2024").json()
    assert sorted(r["doc_id"] for r in data["rows"]) == ["r1-fachtag-fulda", "r2-workshop-berlin"]
    found = get("/archiv/reports.json?_shape=objects&_search=Pflegeausbildung").json()
    assert [r["doc_id"] for r in found["rows"]] == ["r3-pflegekonferenz"]


def test_labels_replace_ids(get):
    data = get("/archiv/persons.json?_shape=objects&_labels=on&_sort=name").json()
    first = data["rows"][0]
    assert first["name"] == "Anna Beispiel"
    assert first["report_id"]["label"] == "Fachtag Berufsausbildung in Fulda: Betriebe suchen Nachwuchs"
    assert "Anna Beispiel" in first["reason_id"]["label"]  # the reason's words, not its number
    page = get("/archiv/persons").text
    assert "Fachtag Berufsausbildung in Fulda" in page


def test_bookkeeping_tables_are_hidden(get):
    tables = {t["name"]: t["hidden"] for t in get("/archiv.json").json()["tables"]}
    assert tables["reports"] is False and tables["entities"] is False
    assert tables["pending_keys"] is True and tables["names_fts"] is True and tables["entity_keys"] is True
    assert tables["words"] is True and tables["reasons"] is True  # search vocabulary, label texts


def test_canned_query_reports_of_an_organisation(get):
    rows = get("/archiv/reports_of_an_organisation.json?organisation=BMAS&_shape=array").json()
    # The bare acronym (r3) and the long forms (r1, r2) are one entity.
    assert [(r["doc_id"], r["organisation"]) for r in rows] == [
        ("r3-pflegekonferenz", "BMAS"), ("r2-workshop-berlin", BMAS), ("r1-fachtag-fulda", BMAS)]
    page = get("/archiv/reports_of_an_organisation").text
    assert "Reports of an organisation" in page


def test_canned_query_roles_of_a_person_over_time(get):
    rows = get("/archiv/roles_of_a_person.json?person=Anna%20Beispiel&_shape=array").json()
    assert [(r["date"], r["roles"], r["organisation"]) for r in rows] == [
        ("2024-05-10", "Staatssekretärin", BMAS), ("2024-08-30", "Abteilungsleiterin", None)]
    two = get("/archiv/roles_of_a_person.json?person=Thomas%20M%C3%BCller&_shape=array").json()
    # Two namesakes: each one's roles together and in time order (entities sorted by id).
    by_entity: dict[str, list[tuple[str, str]]] = {}
    for r in two:
        by_entity.setdefault(r["entity_id"], []).append((r["date"], r["roles"]))
    assert sorted(by_entity.values()) == [
        [("2023-11-20", "Hauptgeschäftsführer"), ("2025-01", "Geschäftsführer")],
        [("2025-06-28", "Pressesprecher")]]
    assert [r["entity_id"] for r in two] == sorted(r["entity_id"] for r in two)
