"""Tests for corpus/build_gold.py: author format -> gold line (spans, relations, facts)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from corpus.build_gold import GoldBuildError, build_corpus, build_record, find_occurrences
from models import EventReport

TEXT = (
    "Fachtag in Berlin\n"
    "Die Industrie- und Handelskammer Berlin (IHK) lud 80 Gäste ein. "
    "Referatsleiterin Anna Beispiel sprach für die IHK. "
    "Beispiel lobte die Berliner Betriebe in Berlin."
)


def _report(**facts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": "Fachtag in Berlin",
        "persons": [
            {
                "name": "Anna Beispiel",
                "roles": ["Referatsleiterin"],
                "organisation": "Industrie- und Handelskammer Berlin",
                "titles": [],
                "mentions": ["Anna Beispiel", "Beispiel"],
                "role_mentions": ["Referatsleiterin"],
            }
        ],
        "organisations": [
            {
                "name": "Industrie- und Handelskammer Berlin",
                "acronym": "IHK",
                "mentions": ["Industrie- und Handelskammer Berlin", "IHK"],
            }
        ],
        "locations": [{"name": "Berlin", "mentions": ["Berlin"]}],
        "quantities": [{"value": 80, "unit": "Gäste", "text": "80 Gäste", "qualifier": None}],
        "dates": [],
        "event": {
            "name": None,
            "name_mentions": [],
            "type": "Fachtag",
            "topic": None,
            "location": "Berlin",
            "start": None,
            "end": None,
            "participants": 80,
            "organisers": ["Industrie- und Handelskammer Berlin"],
        },
    }
    base.update(facts)
    return {
        "id": "t01-ihk",
        "split": "train",
        "published": None,
        "source": "test",
        "genre": "Fachtag",
        "publisher_kind": "chamber",
        "text": TEXT,
        "facts": base,
    }


def _spans(line: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    return [(s["start"], s["end"], s["label"], s["text"]) for s in line["spans"]]


@pytest.mark.parametrize(
    "text,needle,expected",
    [
        ("Berlin und Berliner in Berlin.", "Berlin", [(0, 6), (23, 29)]),
        ("BMAS-Referat im BMAS", "BMAS", [(0, 4), (16, 20)]),
        ("(IHK) und IHKs", "IHK", [(1, 4)]),
        ("2024 und 20245", "2024", [(0, 4)]),
    ],
)
def test_build_gold_find_occurrences_word_boundaries(text: str, needle: str, expected: list[tuple[int, int]]) -> None:
    assert find_occurrences(text, needle) == expected


@pytest.mark.parametrize(
    "expected",
    [
        [
            (0, 7, "EVENT", "Fachtag"),
            (11, 17, "LOC", "Berlin"),
            (22, 57, "ORG", "Industrie- und Handelskammer Berlin"),
            (59, 62, "ORG", "IHK"),
            (68, 76, "QUANTITY", "80 Gäste"),
            (82, 98, "ROLE", "Referatsleiterin"),
            (99, 112, "PER", "Anna Beispiel"),
            (128, 131, "ORG", "IHK"),
            (133, 141, "PER", "Beispiel"),
            (173, 179, "LOC", "Berlin"),
        ]
    ],
)
def test_build_gold_spans_exact_offsets_flat(expected: list[tuple[int, int, str, str]]) -> None:
    source = _report()
    source["facts"]["event"]["name"] = "Fachtag"
    source["facts"]["event"]["name_mentions"] = ["Fachtag"]
    line = build_record(source)
    # "Berlin" inside the ORG span and inside "Berliner" is not a LOC mention; "Beispiel"
    # inside "Anna Beispiel" is dropped as nested.
    assert _spans(line) == expected
    assert [TEXT[start:end] for start, end, _, _ in expected] == [t for _, _, _, t in expected]


@pytest.mark.parametrize(
    "expected",
    [
        [
            {"head": 2, "child": 1, "label": "acronym_of"},
            {"head": 5, "child": 1, "label": "member_of"},
            {"head": 5, "child": 4, "label": "has_role"},
            {"head": 6, "child": 1, "label": "acronym_of"},
        ]
    ],
)
def test_build_gold_relations(expected: list[dict[str, Any]]) -> None:
    line = build_record(_report())
    spans = [(s["label"], s["text"]) for s in line["spans"]]
    assert spans[1] == ("ORG", "Industrie- und Handelskammer Berlin")
    assert spans[4:7] == [("ROLE", "Referatsleiterin"), ("PER", "Anna Beispiel"), ("ORG", "IHK")]
    # Each "IHK" points to the long form; the person's first mention points to the role
    # next to it and to the first mention of the organisation.
    assert line["relations"] == expected


@pytest.mark.parametrize(
    "expected",
    [
        [
            {"head": 0, "child": 3, "label": "acronym_of"},
            {"head": 2, "child": 0, "label": "member_of"},
            {"head": 2, "child": 1, "label": "has_role"},
            {"head": 4, "child": 3, "label": "acronym_of"},
        ]
    ],
)
def test_build_gold_acronym_before_expansion(expected: list[dict[str, Any]]) -> None:
    text = "Das BMAS lud ein. Referent Jan Ost vom Bundesministerium für Arbeit und Soziales (BMAS) sprach."
    source = {
        "id": "t02-bmas",
        "split": "dev",
        "published": None,
        "source": "test",
        "genre": "Workshop",
        "publisher_kind": "ministry",
        "text": text,
        "facts": {
            "title": None,
            "persons": [
                {"name": "Jan Ost", "roles": ["Referent"], "organisation": "Bundesministerium für Arbeit und Soziales",
                 "titles": [], "mentions": ["Jan Ost"], "role_mentions": ["Referent"]}
            ],
            "organisations": [
                {"name": "Bundesministerium für Arbeit und Soziales", "acronym": "BMAS",
                 "mentions": ["BMAS", "Bundesministerium für Arbeit und Soziales"]}
            ],
            "locations": [],
            "quantities": [],
            "dates": [],
            "event": None,
        },
    }
    line = build_record(source)
    assert _spans(line) == [
        (4, 8, "ORG", "BMAS"),
        (18, 26, "ROLE", "Referent"),
        (27, 34, "PER", "Jan Ost"),
        (39, 80, "ORG", "Bundesministerium für Arbeit und Soziales"),
        (82, 86, "ORG", "BMAS"),
    ]
    # Both acronym mentions point to the first long form, also the one standing before it;
    # member_of points to the organisation's first mention, whatever its form.
    assert line["relations"] == expected


@pytest.mark.parametrize(
    "dates,expected_mentions",
    [
        (
            [{"text": "2024", "value": "2024", "granularity": "year", "relative": False},
             {"text": "4. Juni 2024", "value": "2024-06-04", "granularity": "day", "relative": False}],
            [(8, 12, "2024"), (24, 36, "4. Juni 2024")],
        ),
    ],
)
def test_build_gold_year_in_event_name_is_date(dates: list[dict[str, Any]], expected_mentions: list[tuple[int, int, str]]) -> None:
    text = "Fachtag 2024 beginnt am 4. Juni 2024 in Kiel."
    source = {
        "id": "t03-year",
        "split": "test",
        "published": None,
        "source": None,
        "genre": "Fachtag",
        "publisher_kind": "association",
        "text": text,
        "facts": {
            "title": None, "persons": [], "organisations": [],
            "locations": [{"name": "Kiel", "mentions": ["Kiel"]}], "quantities": [], "dates": dates,
            "event": {"name": "Fachtag 2024", "name_mentions": ["Fachtag 2024"], "location": "Kiel",
                      "start": "2024-06-04", "end": "2024-06-04", "participants": None, "organisers": []},
        },
    }
    line = build_record(source)
    got = [(d["mention"]["start"], d["mention"]["end"], d["mention"]["text"]) for d in line["facts"]["dates"]]
    assert got == expected_mentions
    # The year inside the event name stays a fact, but the flat span list keeps the EVENT only.
    assert _spans(line) == [(0, 12, "EVENT", "Fachtag 2024"), (24, 36, "DATE", "4. Juni 2024"), (40, 44, "LOC", "Kiel")]


@pytest.mark.parametrize("text,occurrence", [("80 Gäste am Morgen, 80 Gäste am Abend.", (20, 28))])
def test_build_gold_repeated_quantity_takes_next_occurrence(text: str, occurrence: tuple[int, int]) -> None:
    q = {"value": 80, "unit": "Gäste", "text": "80 Gäste", "qualifier": None}
    source = {
        "id": "t04-rep", "split": "train", "published": None, "source": None, "genre": "Fachtag",
        "publisher_kind": "city", "text": text,
        "facts": {"title": None, "persons": [], "organisations": [], "locations": [], "quantities": [q, dict(q)],
                  "dates": [], "event": None},
    }
    line = build_record(source)
    second = line["facts"]["quantities"][1]["mention"]
    assert (second["start"], second["end"]) == occurrence


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda f: f["persons"][0]["mentions"].append("Anna Beispielt"),
         "t01-ihk: persons[0] 'Anna Beispiel': string 'Anna Beispielt' not found in the text at word boundaries"),
        (lambda f: f["locations"].append({"name": "Berliner", "mentions": ["Berliner Betriebe"]}) or
         f["organisations"].append({"name": "Betriebe in Berlin", "acronym": None, "mentions": ["Betriebe in Berlin"]}),
         "t01-ihk: overlapping spans 'Berliner Betriebe' (LOC at 152..169) and 'Betriebe in Berlin' (ORG at 161..179)"),
        (lambda f: f["quantities"].append({"value": 80, "unit": "Gäste", "text": "80 Gäste", "qualifier": None}),
         "t01-ihk: quantity '80 Gäste' is listed 2 time(s) but occurs only 1 time(s)"),
        (lambda f: f["event"].update({"participants": 90}),
         "t01-ihk: event participants 90 is not the value of a listed quantity"),
        (lambda f: f["persons"][0].update({"organisation": "IHK Hamburg"}),
         "t01-ihk: person 'Anna Beispiel': organisation 'IHK Hamburg' is not listed"),
    ],
)
def test_build_gold_errors_name_id_and_string(change: Any, message: str) -> None:
    source = _report()
    change(source["facts"])
    with pytest.raises(GoldBuildError) as info:
        build_record(source)
    assert any(e.startswith(message) for e in info.value.errors), info.value.errors


@pytest.mark.parametrize("count", [2])
def test_build_gold_collects_all_errors(count: int) -> None:
    source = _report()
    source["facts"]["persons"][0]["mentions"].append("Frau Nirgends")
    source["facts"]["locations"].append({"name": "Köln", "mentions": ["Köln"]})
    with pytest.raises(GoldBuildError) as info:
        build_record(source)
    assert len(info.value.errors) == count
    assert "'Frau Nirgends'" in info.value.errors[0] and "'Köln'" in info.value.errors[1]


@pytest.mark.parametrize("doc_id", ["t01-ihk"])
def test_build_gold_facts_validate_as_event_report(doc_id: str) -> None:
    line = build_record(_report())
    report = EventReport.model_validate(line["facts"], context={"text": line["text"]})
    assert report.doc_id == doc_id
    assert [(m.start, m.end) for m in report.persons[0].mentions] == [(99, 112), (133, 141)]
    assert [(m.start, m.end, m.text) for m in report.organisations[0].mentions] == [
        (22, 57, "Industrie- und Handelskammer Berlin"), (59, 62, "IHK"), (128, 131, "IHK")
    ]
    assert [(m.start, m.end) for m in report.locations[0].mentions] == [(11, 17), (173, 179)]
    assert report.quantities[0].mention.text == "80 Gäste"
    assert "name_mentions" not in line["facts"]["event"]
    assert line["meta"] == {"published": None, "source": "test", "split": "train", "genre": "Fachtag",
                            "publisher_kind": "chamber"}


@pytest.mark.parametrize("names", [["t01-ihk", "t05-zwei"]])
def test_build_gold_corpus_sorted_and_deterministic(tmp_path: Path, names: list[str]) -> None:
    src = tmp_path / "source"
    src.mkdir()
    for name in reversed(names):
        report = copy.deepcopy(_report())
        report["id"] = name
        (src / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    counts = build_corpus(src, tmp_path / "out")
    assert counts == {"train": 2, "dev": 0, "test": 0}
    first = (tmp_path / "out" / "train.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["id"] for line in first.splitlines()] == names
    assert "Gäste" in first  # ensure_ascii=False keeps umlauts readable
    build_corpus(src, tmp_path / "out")
    assert (tmp_path / "out" / "train.jsonl").read_text(encoding="utf-8") == first


@pytest.mark.parametrize("stem", ["t09-falsch"])
def test_build_gold_corpus_id_must_match_file_name(tmp_path: Path, stem: str) -> None:
    (tmp_path / f"{stem}.json").write_text(json.dumps(_report(), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(GoldBuildError) as info:
        build_corpus(tmp_path, tmp_path / "out")
    assert info.value.errors == [f"{stem}.json: id 't01-ihk' differs from the file name '{stem}'"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Geschäftsführerin Eva Rot traf Geschäftsführerin Ida Blau.",
            [{"head": 1, "child": 0, "label": "has_role"}, {"head": 3, "child": 2, "label": "has_role"}],
        )
    ],
)
def test_build_gold_shared_role_goes_to_nearest_person(text: str, expected: list[dict[str, Any]]) -> None:
    person = {"roles": ["Geschäftsführerin"], "organisation": None, "titles": [], "role_mentions": ["Geschäftsführerin"]}
    source = {
        "id": "t06-rollen", "split": "train", "published": None, "source": None, "genre": "Besuch",
        "publisher_kind": "company", "text": text,
        "facts": {"title": None,
                  "persons": [{**person, "name": "Eva Rot", "mentions": ["Eva Rot"]},
                              {**person, "name": "Ida Blau", "mentions": ["Ida Blau"]}],
                  "organisations": [], "locations": [], "quantities": [], "dates": [], "event": None},
    }
    line = build_record(source)
    assert _spans(line) == [(0, 17, "ROLE", "Geschäftsführerin"), (18, 25, "PER", "Eva Rot"),
                            (31, 48, "ROLE", "Geschäftsführerin"), (49, 57, "PER", "Ida Blau")]
    assert line["relations"] == expected
