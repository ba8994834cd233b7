"""Tests for extractor/lexicon.py and the data files under extractor/resources/de/."""

from __future__ import annotations

import gzip
import json
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import spacy

from extractor import lexicon
from extractor.lexicon import LexiconError, read_lexicon

RESOURCES = Path(lexicon.__file__).parent / "resources"

# lexicon name -> attribute(s) whose values must be sorted and unique
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "de/role_nouns.jsonl": ("lemma",),
    "de/person_nouns.jsonl.gz": ("lemma",),
    "de/venue_heads.jsonl": ("head",),
    "de/org_heads.jsonl": ("head",),
    "de/org_suffixes.jsonl": ("suffix",),
    "de/attendee_nouns.jsonl": ("lemma",),
    "de/event_types.jsonl": ("type",),
    "de/boilerplate.jsonl": ("text", "match"),
    "de/generic_nouns.jsonl": ("text",),
    "de/first_names.jsonl.gz": ("name",),
    "de/places.jsonl": ("name", "kind"),
    "de/common_nouns.txt.gz": ("text",),
}


@lru_cache(maxsize=None)
def _entries(name: str) -> tuple[Any, ...]:
    # Each file is read once per test run: the noun list alone has 250,000 lines.
    return tuple(read_lexicon(name))


def test_lexicon_every_shipped_file_has_a_sort_key() -> None:
    assert sorted(SORT_KEYS) == sorted(lexicon.lexicon_names())


@pytest.mark.parametrize("name", sorted(SORT_KEYS))
def test_lexicon_file_validates_sorted_without_duplicates(name: str) -> None:
    entries = _entries(name)
    keys = [tuple(getattr(entry, attr) for attr in SORT_KEYS[name]) for entry in entries]
    assert keys == sorted(keys), f"{name} is not sorted"
    duplicates = [key for key, count in Counter(keys).items() if count > 1]
    assert duplicates == []


@pytest.mark.parametrize(
    ("name", "minimum"),
    [
        ("de/role_nouns.jsonl", 250),
        ("de/first_names.jsonl.gz", 5000),
        ("de/places.jsonl", 2000),
        ("de/common_nouns.txt.gz", 100_000),
        ("de/event_types.jsonl", 40),
        ("de/attendee_nouns.jsonl", 15),
    ],
)
def test_lexicon_file_is_large_enough(name: str, minimum: int) -> None:
    assert len(_entries(name)) >= minimum


def test_lexicon_read_returns_fresh_list() -> None:
    first = read_lexicon("de/org_suffixes.jsonl")
    first.clear()
    assert read_lexicon("de/org_suffixes.jsonl")[0].suffix == "& Co. KG"


@pytest.mark.parametrize(
    ("content", "code", "line", "fragment"),
    [
        (
            '{"lemma": "Leiter", "kind": "function"}\n\n{"lemma": "X", "femininum": "Y", "kind": "function"}\n',
            "[E012]",
            3,
            "[E012] Lexicon 'de/role_nouns.jsonl', line 3: unknown key 'femininum'. Allowed keys: lemma, "
            "feminine, plural, kind, compound_head. Fix the entry or extend RoleNoun in extractor/lexicon.py.",
        ),
        ('{"lemma": "Leiter"}\n', "[E013]", 1, "line 1: missing key 'kind'"),
        ('{"lemma": "Leiter", "kind": "chef"}\n', "[E014]", 1, "line 1: invalid value for 'kind'"),
        ('{"lemma": "Leiter", "kind": "function"}\n{"lemma": \n', "[E015]", 2, "line 2: not valid JSON"),
    ],
)
def test_lexicon_bad_line_raises_with_file_and_line(
    tmp_path: Path, content: str, code: str, line: int, fragment: str
) -> None:
    path = tmp_path / "role_nouns.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        read_lexicon("de/role_nouns.jsonl", path=path)
    assert str(info.value).startswith(code)
    assert fragment in str(info.value)
    assert info.value.path == "de/role_nouns.jsonl"
    assert info.value.line == line


def test_lexicon_reads_gzip_from_path(tmp_path: Path) -> None:
    path = tmp_path / "first_names.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"name": "Jana", "gender": "f"}\n'))
    entries = read_lexicon("de/first_names.jsonl.gz", path=path)
    assert [(e.name, e.gender, e.ambiguous) for e in entries] == [("Jana", "f", False)]


@pytest.mark.parametrize("name", ["de/nonexistent.jsonl", "de/places_old.jsonl"])
def test_lexicon_unknown_name_raises(name: str) -> None:
    with pytest.raises(LexiconError) as info:
        read_lexicon(name)
    assert str(info.value).startswith(f"[E011] Lexicon '{name}' has no schema.")


def test_lexicon_text_line_with_whitespace_raises(tmp_path: Path) -> None:
    path = tmp_path / "common_nouns.txt"
    path.write_text("Haus\nBaum \n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        read_lexicon("de/common_nouns.txt.gz", path=path)
    assert str(info.value).startswith("[E014] Lexicon 'de/common_nouns.txt.gz', line 2:")
    assert info.value.line == 2


def test_lexicon_missing_file_raises() -> None:
    with pytest.raises(LexiconError) as info:
        read_lexicon("de/role_nouns.jsonl", path="/nonexistent/role_nouns.jsonl")
    assert str(info.value).startswith("[E010]")


def test_lexicon_spacy_misc_reader_returns_dicts() -> None:
    reader = spacy.util.registry.misc.get("eventfacts.read_lexicon.v1")
    rows = reader(name="de/event_types.jsonl")
    workshop = next(row for row in rows if row["type"] == "Workshop")
    assert workshop == {"type": "Workshop", "forms": ["Workshop", "Workshops"], "compound_head": True, "names_alone": True}
    json.dumps(rows)  # plain JSON types only


@pytest.mark.parametrize(
    ("form", "name", "kind"),
    [
        ("Deutschlands", "Deutschland", "country"),
        ("München", "München", "city"),
        ("Münchens", "München", "city"),
        ("Berlin", "Berlin", "city"),
        ("Berlins", "Berlin", "city"),
        ("Köln", "Köln", "city"),
        ("Frankfurt", "Frankfurt am Main", "city"),
        ("NRW", "Nordrhein-Westfalen", "state"),
        ("Baden-Württembergs", "Baden-Württemberg", "state"),
        ("Hessens", "Hessen", "state"),
        ("Brandenburg", "Brandenburg", "state"),
        ("Türkei", "Türkei", "country"),
        ("Russland", "Russland", "country"),
        ("USA", "USA", "country"),
        ("Brüssel", "Brüssel", "city"),
        ("Wien", "Wien", "city"),
        ("Ruhrgebiet", "Ruhrgebiet", "region"),
        ("Europas", "Europa", "region"),
    ],
)
def test_lexicon_places_spot_checks(form: str, name: str, kind: str) -> None:
    entry = lexicon.places()[form]
    assert (entry.name, entry.kind) == (name, kind)


@pytest.mark.parametrize("form", ["Bundesländern", "Bundesland", "Türkeis", "Unternehmen", "Teilnehmer"])
def test_lexicon_places_rejects_non_places(form: str) -> None:
    assert form not in lexicon.places()


@pytest.mark.parametrize(
    ("form", "ambiguous"),
    [("Essen", True), ("Halle", True), ("Weil", True), ("München", False), ("Deutschland", False), ("Polen", False)],
)
def test_lexicon_places_ambiguity(form: str, ambiguous: bool) -> None:
    assert lexicon.places()[form].ambiguous is ambiguous


def test_lexicon_places_population_of_berlin() -> None:
    assert lexicon.places()["Berlin"].population == 3426354
    assert lexicon.places()["Berlin"].country == "DE"


@pytest.mark.parametrize(
    ("name", "gender"),
    [("Stefanie", "f"), ("Jürgen", "m"), ("Mehmet", "m"), ("Fatma", "f"), ("Katarzyna", "f"),
     ("Swetlana", "f"), ("Mohammed", "m"), ("Andrea", "u")],
)
def test_lexicon_first_names_gender(name: str, gender: str) -> None:
    assert lexicon.first_names()[name] == gender


@pytest.mark.parametrize("word", ["Schmetterling", "Unternehmen", "Berlin", "Dresden", "Herr", "Graf"])
def test_lexicon_first_names_exclude_words(word: str) -> None:
    assert word not in lexicon.first_names()


@pytest.mark.parametrize(("name", "ambiguous"), [("Ernst", True), ("Rose", True), ("Stefanie", False)])
def test_lexicon_first_names_ambiguity(name: str, ambiguous: bool) -> None:
    assert (name in lexicon.ambiguous_first_names()) is ambiguous


@pytest.mark.parametrize(
    ("word", "known"),
    [("Bundesländern", True), ("Bundeslandes", True), ("Müller", True), ("Referatsleiterin", True),
     ("Essen", False), ("Halle", False), ("Stefanie", False), ("Nordrhein-Westfalen", False)],
)
def test_lexicon_common_nouns_membership(word: str, known: bool) -> None:
    assert (word in lexicon.common_nouns()) is known


@pytest.mark.parametrize(
    ("form", "lemma", "kind"),
    [
        ("Referatsleiterin", "Referatsleiter", "function"),
        ("Referatsleiterinnen", "Referatsleiter", "function"),
        ("Vorsitzende", "Vorsitzender", "function"),
        ("Vorsitzenden", "Vorsitzender", "function"),
        ("Abgeordneten", "Abgeordneter", "office"),
        ("Landrätin", "Landrat", "office"),
        ("Ärztin", "Arzt", "profession"),
        ("Präsidenten", "Präsident", "function"),
        ("Oberbürgermeisterin", "Oberbürgermeister", "office"),
        ("Ehrenbürger", "Ehrenbürger", "title"),
    ],
)
def test_lexicon_role_noun_forms(form: str, lemma: str, kind: str) -> None:
    entry = lexicon.role_nouns()[form]
    assert (entry.lemma, entry.kind) == (lemma, kind)


def test_lexicon_role_feminine_of_referatsleiter() -> None:
    assert lexicon.role_nouns()["Referatsleiter"].feminine == "Referatsleiterin"


@pytest.mark.parametrize("word", ["Teilnehmer", "Gast", "Besucher", "Teilnehmerin"])
def test_lexicon_role_nouns_exclude_attendees(word: str) -> None:
    assert word not in lexicon.role_nouns()


@pytest.mark.parametrize(
    ("word", "table", "expected"),
    [
        ("Landtagsabgeordnete", "role", ("Landtagsabgeordnete", "Landtagsabgeordneter")),
        ("IHK-Hauptgeschäftsführer", "role", ("Hauptgeschäftsführer", "Hauptgeschäftsführer")),
        ("Bundesbildungsministerin", "role", ("bildungsministerin", "Bildungsminister")),
        ("Kreishandwerksmeisterin", "role", ("handwerksmeisterin", "Handwerksmeister")),
        ("Referat", "role", None),
        ("Zukunftskonferenz", "event", ("konferenz", "Konferenz")),
        ("Bundestag", "event", None),
        ("Montag", "event", None),
        ("Bundesbildungsministerium", "org", ("ministerium", "Ministerium")),
        ("Zielgruppe", "org", None),
    ],
)
def test_lexicon_compound_head(word: str, table: str, expected: tuple[str, str] | None) -> None:
    tables = {"role": lexicon.role_nouns(), "event": lexicon.event_types(), "org": lexicon.org_heads()}
    found = lexicon.compound_head(word, tables[table])
    if expected is None:
        assert found is None
    else:
        assert found is not None
        key = {"role": "lemma", "event": "type", "org": "head"}[table]
        assert (found[0], getattr(found[1], key)) == expected


@pytest.mark.parametrize(
    ("form", "lemma"),
    [("Teilnehmer*innen", "Teilnehmer"), ("Teilnehmer:innen", "Teilnehmer"), ("TeilnehmerInnen", "Teilnehmer"),
     ("Teilnehmer_innen", "Teilnehmer"), ("Teilnehmenden", "Teilnehmer"), ("Netzwerker*innen", "Netzwerker"),
     ("Gäste", "Gast"), ("Interessierte", "Interessierter"), ("Expert*innen", "Experte"),
     ("Studierende", "Student"), ("Mitglieder", "Mitglied")],
)
def test_lexicon_attendee_forms(form: str, lemma: str) -> None:
    assert lexicon.attendee_nouns()[form].lemma == lemma


@pytest.mark.parametrize(
    ("form", "event_type"),
    [("Workshops", "Workshop"), ("Fachtagung", "Fachtagung"), ("Konferenzen", "Konferenz"),
     ("Netzwerktreffen", "Netzwerktreffen"), ("Praxiswerkstatt", "Praxiswerkstatt")],
)
def test_lexicon_event_type_forms(form: str, event_type: str) -> None:
    assert lexicon.event_types()[form].type == event_type


@pytest.mark.parametrize(
    ("form", "head", "kind"),
    [("Ministeriums", "Ministerium", "authority"), ("Verbände", "Verband", "association"),
     ("Industrie- und Handelskammer", "Industrie- und Handelskammer", "association"),
     ("Hochschule", "Hochschule", "education"), ("Stiftung", "Stiftung", "association")],
)
def test_lexicon_org_heads(form: str, head: str, kind: str) -> None:
    entry = lexicon.org_heads()[form]
    assert (entry.head, entry.kind) == (head, kind)


def test_lexicon_org_suffixes_longest_first() -> None:
    suffixes = lexicon.org_suffixes()
    assert suffixes.index("GmbH & Co. KG") < suffixes.index("GmbH") < suffixes.index("KG")
    assert {"e. V.", "e.V.", "gGmbH", "UG (haftungsbeschränkt)"} <= set(suffixes)


@pytest.mark.parametrize(
    ("text", "line", "prefix"),
    [("Zurück", True, False), ("Nach oben", True, False), ("Foto:", False, True), ("Quelle:", False, True)],
)
def test_lexicon_boilerplate(text: str, line: bool, prefix: bool) -> None:
    assert (text in lexicon.boilerplate_lines(), text in lexicon.boilerplate_prefixes()) == (line, prefix)


@pytest.mark.parametrize(("text", "generic"), [("KMU", True), ("Hochschulen", True), ("DSGVO", True), ("EU", False)])
def test_lexicon_generic_nouns(text: str, generic: bool) -> None:
    assert (text in lexicon.generic_nouns()) is generic


def test_lexicon_lookups_are_read_only() -> None:
    with pytest.raises(TypeError):
        lexicon.first_names()["Neu"] = "f"  # type: ignore[index]


def test_lexicon_cached_lookups_load_fast() -> None:
    for func in (lexicon.first_names, lexicon.places, lexicon.common_nouns, lexicon.role_nouns):
        func.cache_clear()
    start = time.perf_counter()
    lexicon.first_names()
    lexicon.places()
    lexicon.common_nouns()
    lexicon.role_nouns()
    # 0.5 s on a developer machine; CI gets a generous margin for a loaded box.
    assert time.perf_counter() - start < 1.5


def test_lexicon_data_files_are_listed_in_readme() -> None:
    readme = (RESOURCES / "de" / "README.md").read_text(encoding="utf-8")
    for name in SORT_KEYS:
        assert f"## {name.split('/')[1]}" in readme
