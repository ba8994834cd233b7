"""Searching the index: text queries inside German compounds, every filter, names matched through
entity ids (acronyms, inflected long forms, Frankfurt / Frankfurt am Main), and the entities."""

from __future__ import annotations

import pytest

from extractor.index import Index, index_files
from extractor.index.queries import make_snippet, query_terms
from models import Mention
from models.hits import MatchedFact
from tests.index_records import BMAS, TEXTS, archive, write_jsonl, write_texts


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    index_files(folder / "a.sqlite", [str(write_jsonl(folder / "facts.jsonl", archive()))],
                texts=[str(write_texts(folder / "texte"))])
    with Index(folder / "a.sqlite") as opened:
        yield opened


def ids(hits) -> list[str]:
    return [hit.doc_id for hit in hits]


def test_a_word_is_found_inside_compounds_and_the_headline_ranks_first(index):
    hits = index.search("ausbildung")
    # "Berufsausbildung" in r1's headline, "Pflegeausbildung" in r3's text, "Ausbildung" in r5's.
    assert ids(hits) == ["r1-fachtag-fulda", "r3-pflegekonferenz", "r5-netzwerktreffen"]
    assert hits[0].score > hits[1].score
    assert hits[2].snippet == "…Kassel (HWK) begrüßte 40 Mitglieder. Die HWK will die [Ausbildung] im Handwerk stärken."
    assert hits[1].snippet == (
        "…diskutierten in Frankfurt am Main 300 Gäste über die Pflege[ausbildung]. Das BMAS hatte eingeladen. "
        "Thomas Müller, Geschäftsführer der Handwerkskammer Kassel, forderte mehr…")


def test_all_words_must_occur_and_quotes_keep_a_phrase(index):
    # r3's text has two compounds of "Ausbildung" (Pflegeausbildung, Ausbildungsbetriebe), r5 one.
    assert ids(index.search("Ausbildung Kassel")) == ["r3-pflegekonferenz", "r5-netzwerktreffen"]
    # The expansion the word index looks up: every indexed word containing the query word.
    assert index._match_expression(["Ausbildung"]) == (
        '("ausbildung" OR "berufsausbildung" OR "pflegeausbildung" OR "ausbildungsplätze" OR "ausbildungsbetriebe")')
    # Words under three characters (no trigram) match whole words only.
    assert ids(index.search("AG")) == ["r4-sommerfest"]
    assert ids(index.search('"Frankfurt am Main"')) == ["r3-pflegekonferenz"]
    assert ids(index.search("Lehrwerkstätten")) == ["r1-fachtag-fulda"]  # only in the text, not the headline
    assert index.search("Zeppelin") == []


def test_an_acronym_finds_the_long_form_and_the_inflected_query_finds_the_acronym(index):
    expected = ["r3-pflegekonferenz", "r2-workshop-berlin", "r1-fachtag-fulda"]  # newest first
    assert ids(index.search(org="BMAS")) == expected
    assert ids(index.search(org="des Bundesministeriums für Arbeit")) == expected
    r3 = index.search(org="Bundesministerium für Arbeit und Soziales")[0]
    second = TEXTS["r3-pflegekonferenz"].index("Das BMAS") + 4
    # r3 names only "BMAS": it matches because entity resolution joined it to the long form.
    assert r3.matched == [MatchedFact(field="org", value="BMAS", entity_id=r3.matched[0].entity_id,
                                      mentions=[Mention(start=0, end=4, text="BMAS"),
                                                Mention(start=second, end=second + 4, text="BMAS")])]
    r1 = index.search(org="BMAS")[2]
    assert r1.matched[0].value == f"{BMAS} (BMAS)"
    assert r1.matched[0].entity_id == r3.matched[0].entity_id


def test_two_namesakes_of_different_organisations_stay_apart(index):
    hits = index.search(person="Thomas Müller")
    assert ids(hits) == ["r4-sommerfest", "r3-pflegekonferenz", "r5-netzwerktreffen"]
    entity = {hit.doc_id: hit.matched[0].entity_id for hit in hits}
    assert entity["r3-pflegekonferenz"] == entity["r5-netzwerktreffen"] != entity["r4-sommerfest"]
    assert hits[0].matched[0].value == "Thomas Müller (Pressesprecher; Eintracht Frankfurt Fußball AG)"
    assert ids(index.search(person="Thomas Müller", org="Handwerkskammer Kassel")) == [
        "r3-pflegekonferenz", "r5-netzwerktreffen"]


def test_person_titles_are_ignored_and_roles_filter_that_person(index):
    assert ids(index.search(person="Dr. Anna Beispiel")) == ["r2-workshop-berlin", "r1-fachtag-fulda"]
    assert ids(index.search(person="Anna Beispiel", role="Abteilungsleiter")) == ["r2-workshop-berlin"]
    assert ids(index.search(person="Anna Beispiel", role="Pressesprecher")) == []
    # A role alone: any person of the report; the text may sit inside a longer role.
    hits = index.search(role="geschäftsführer")
    assert ids(hits) == ["r3-pflegekonferenz", "r5-netzwerktreffen"]
    assert [m.value for m in hits[1].matched] == ["Thomas Müller (Hauptgeschäftsführer; Handwerkskammer Kassel)"]
    assert [m.field for m in hits[1].matched] == ["role"]
    assert ids(index.search(role="staatssekretär")) == ["r1-fachtag-fulda"]


def test_places_match_through_the_entity(index):
    assert ids(index.search(place="Frankfurt")) == ["r4-sommerfest", "r3-pflegekonferenz"]
    # r4 says only "Frankfurt": found through the entity it shares with "Frankfurt am Main".
    hits = index.search(place="Frankfurt am Main")
    assert ids(hits) == ["r4-sommerfest", "r3-pflegekonferenz"]
    assert hits[0].matched[0].value == "Frankfurt"
    assert ids(index.search(place="Kassel")) == ["r5-netzwerktreffen"]


def test_type_and_date_filters(index):
    assert ids(index.search(type="fachtag")) == ["r1-fachtag-fulda"]
    assert ids(index.search(date_from="2025")) == ["r4-sommerfest", "r3-pflegekonferenz"]
    # r5 has no event date: its publication date (2023-11-20) counts.
    assert ids(index.search(date_to="2024-06")) == ["r1-fachtag-fulda", "r5-netzwerktreffen"]
    assert ids(index.search(date_from="2024-08-30", date_to="2024-08-30")) == ["r2-workshop-berlin"]
    # r3's event start is the month "2025-01": it overlaps a range starting on its last day.
    assert ids(index.search(date_from="2025-01-31", date_to="2025-02")) == ["r3-pflegekonferenz"]
    hits = index.search("Ausbildung", org="BMAS", date_from="2025", type="Konferenz")
    assert ids(hits) == ["r3-pflegekonferenz"]
    assert [(m.field, m.value) for m in hits[0].matched] == [("org", "BMAS"), ("type", "Konferenz"),
                                                             ("date", "2025-01")]


def test_without_a_query_the_newest_come_first_and_the_limit_holds(index):
    assert ids(index.search()) == ["r4-sommerfest", "r3-pflegekonferenz", "r2-workshop-berlin",
                                   "r1-fachtag-fulda", "r5-netzwerktreffen"]
    top = index.search(limit=2)
    assert ids(top) == ["r4-sommerfest", "r3-pflegekonferenz"]
    assert top[0].event is not None and top[0].event.participants == 5000
    assert (top[0].date, top[0].published, top[0].score, top[0].snippet) == ("2025-06-28", "2025-07-01", None, None)


def test_bad_search_input_gets_a_sentence(index):
    with pytest.raises(ValueError, match=r"^--from must be a date YYYY, YYYY-MM or YYYY-MM-DD, got '13.05.2024'$"):
        index.search(date_from="13.05.2024")
    with pytest.raises(ValueError, match="--to must be a date"):
        index.search(date_to="2024-13")
    with pytest.raises(ValueError, match="the query '– !' has no word to search for"):
        index.search("– !")
    with pytest.raises(ValueError, match="--org 'der' has no name words"):
        index.search(org="der")
    with pytest.raises(ValueError, match="limit must be 1 or more"):
        index.search(limit=0)
    assert index.search(person="Niemand Unbekannt") == []


def test_query_terms_and_snippets():
    assert query_terms('Tag der "offenen Tür" am See –') == ["Tag", "der", "offenen Tür", "am", "See"]
    text = "Erste Zeile.\n\nIm Rathaus   trafen sich Ehrenamtliche zum Austausch über das Ehrenamt."
    assert make_snippet(text, ["ehrenamt"], width=60) == (
        "…trafen sich [Ehrenamt]liche zum Austausch über das [Ehrenamt].")
    long = "Vorwort. " * 30 + "Der Kreistag ehrte zwölf Ehrenamtliche. " + "Nachwort. " * 30
    assert make_snippet(long, ["ehrenamt"], width=80) == (
        "…Der Kreistag ehrte zwölf [Ehrenamt]liche. Nachwort. Nachwort. Nachwort. Nachwort.…")
    assert make_snippet("Kurz.", ["fehlt"]) == "Kurz."


def test_the_most_named_entities_and_one_entity_with_its_reasons(index):
    top = index.entities(top=3)
    assert [(e.kind, e.name, e.reports) for e in top] == [
        ("org", BMAS, 3), ("org", "Handwerkskammer Kassel", 2), ("person", "Anna Beispiel", 2)]
    assert top[0].names == [BMAS, "BMAS"]
    persons = index.entities(type="person")
    assert sorted((e.name, e.reports) for e in persons) == [
        ("Anna Beispiel", 2), ("Thomas Müller", 1), ("Thomas Müller", 2)]
    detail = index.entity(top[0].entity_id)
    assert detail is not None and detail.total == 3
    assert [(e.doc_id, e.name, e.acronym) for e in detail.entries] == [
        ("r1-fachtag-fulda", BMAS, "BMAS"), ("r2-workshop-berlin", BMAS, None), ("r3-pflegekonferenz", "BMAS", None)]
    assert all(e.reason for e in detail.entries)
    assert "BMAS" in detail.entries[2].reason
    anna = index.entity(index.search(person="Anna Beispiel")[0].matched[0].entity_id)
    assert [(e.date, e.roles, e.titles) for e in anna.entries] == [
        ("2024-05-10", ["Staatssekretärin"], ["Dr."]), ("2024-08-30", ["Abteilungsleiterin"], [])]
    assert len(index.entity(top[0].entity_id, limit=1).entries) == 1
    assert index.entity("org:gibtesnicht") is None
    with pytest.raises(ValueError, match="type must be one of person, org, place, got 'firma'"):
        index.entities(type="firma")
