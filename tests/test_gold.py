"""Gold files: the checker's messages and the Prodigy / doccano / Label Studio importers."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from extractor.gold import (
    GoldFormatError,
    check_file,
    check_record,
    gold_tokenizer,
    import_doccano,
    import_labelstudio,
    import_prodigy,
    load_gold,
    read_annotations,
)

TEXT = "Präsidentin Anna Roth von der IHK Trier sprach am 4. Juni 2024 in Trier vor 80 Gästen."
#       0          11 12     21        30       39           50          62   67   72     76        85


def _m(start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": TEXT[start:end]}


def _line() -> dict[str, Any]:
    return {
        "id": "g1",
        "text": TEXT,
        "meta": {"published": "2024-06-05"},
        "spans": [
            {"start": 0, "end": 11, "label": "ROLE", "text": "Präsidentin"},
            {"start": 12, "end": 21, "label": "PER", "text": "Anna Roth"},
            {"start": 30, "end": 39, "label": "ORG", "text": "IHK Trier"},
            {"start": 50, "end": 62, "label": "DATE", "text": "4. Juni 2024"},
            {"start": 66, "end": 71, "label": "LOC", "text": "Trier"},
            {"start": 76, "end": 85, "label": "QUANTITY", "text": "80 Gästen"},
        ],
        "relations": [{"head": 1, "child": 0, "label": "has_role"}, {"head": 1, "child": 2, "label": "member_of"}],
        "facts": {
            "doc_id": "g1",
            "persons": [{"name": "Anna Roth", "roles": ["Präsidentin"], "organisation": "IHK Trier", "mentions": [_m(12, 21)]}],
            "organisations": [{"name": "IHK Trier", "mentions": [_m(30, 39)]}],
            "locations": [{"name": "Trier", "mentions": [_m(66, 71)]}],
            "quantities": [{"value": 80, "unit": "Gästen", "text": "80 Gästen", "mention": _m(76, 85)}],
            "dates": [{"text": "4. Juni 2024", "value": "2024-06-04", "granularity": "day", "mention": _m(50, 62)}],
        },
    }


@pytest.fixture(scope="module")
def nlp():
    return gold_tokenizer()


def test_gold_check_accepts_sound_line(nlp) -> None:
    assert check_record(_line(), nlp) == []


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(line: dict[str, Any]) -> None:
        target: Any = line
        keys = path.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last = keys[-1]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return apply


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda line: line.pop(key)


@pytest.mark.parametrize(
    "mutate,expected",
    [
        (_drop("relations"), ["missing key(s) ['relations']"]),
        (_set("spans.5.end", 95), ["spans[5] QUANTITY 76..95: offsets outside the text (length 86)"]),
        (_set("spans.1.text", "Anna Rot"), ["spans[1] PER 12..21: span text 'Anna Rot' differs from the text there 'Anna Roth'"]),
        (_set("spans.0.label", "FUNKTION"), ["spans[0] FUNKTION 0..11: label 'FUNKTION' is not one of "
                                              "['PER', 'ROLE', 'ORG', 'LOC', 'QUANTITY', 'DATE', 'EVENT']"]),
        (_set("relations.1.child", 9), ["relations[1] member_of: child must be a span index 0..5"]),
        (_set("relations.0.label", "works_at"), ["relations[0]: label 'works_at' is not one of "
                                                  "['has_role', 'member_of', 'acronym_of']"]),
        (_set("relations.1.child", 4), ["relations[1] member_of joins PER -> LOC, expected PER -> ORG"]),
        (_set("facts.doc_id", "g2"), ["facts.doc_id 'g2' differs from id 'g1'"]),
    ],
)
def test_gold_check_messages(nlp, mutate: Callable[[dict[str, Any]], None], expected: list[str]) -> None:
    line = _line()
    mutate(line)
    assert check_record(line, nlp)[: len(expected)] == expected


def test_gold_check_token_boundaries(nlp) -> None:
    line = _line()
    # "Präsident" ends inside the token "Präsidentin"
    line["spans"][0] = {"start": 0, "end": 9, "label": "ROLE", "text": "Präsident"}
    assert check_record(line, nlp) == ["spans[0] ROLE 0..9 'Präsident': does not align with token boundaries"]


def test_gold_check_overlapping_spans(nlp) -> None:
    line = _line()
    line["spans"].insert(3, {"start": 34, "end": 39, "label": "LOC", "text": "Trier"})
    line["relations"] = []
    assert check_record(line, nlp) == [
        "spans ORG 'IHK Trier' 30..39 and LOC 'Trier' 34..39 overlap (spans must be flat)",
        "span LOC 'Trier' 34..39 is no mention in facts",
    ]


def test_gold_check_facts_need_spans(nlp) -> None:
    line = _line()
    del line["spans"][4]  # the LOC span of "Trier"
    line["relations"] = []
    assert check_record(line, nlp) == ["facts: LOC mention 'Trier' 66..71 has no LOC span"]


def test_gold_check_facts_validate_offsets(nlp) -> None:
    line = _line()
    line["facts"]["locations"][0]["mentions"] = [{"start": 65, "end": 70, "text": "Trier"}]
    problems = check_record(line, nlp)
    assert len(problems) == 1
    assert problems[0].startswith("facts invalid at facts: Value error, doc 'g1': mention 'Trier' at 65..70 does not match")


def test_gold_check_year_inside_event_name_needs_no_span(nlp) -> None:
    text = "Der Fachtag Inklusion 2024 war voll."
    line = {
        "id": "g3", "text": text, "meta": {}, "relations": [],
        "spans": [{"start": 4, "end": 26, "label": "EVENT", "text": "Fachtag Inklusion 2024"}],
        "facts": {"doc_id": "g3", "dates": [{"text": "2024", "value": "2024", "granularity": "year",
                                             "mention": {"start": 22, "end": 26, "text": "2024"}}]},
    }
    assert check_record(line, nlp) == []


def test_gold_check_spans_only_line_skips_consistency(nlp) -> None:
    line = _line()
    line["facts"] = {"doc_id": "g1"}
    line["meta"]["facts"] = False
    assert check_record(line, nlp) == []


def test_gold_check_file_names_file_and_line(tmp_path: Path, nlp) -> None:
    path = tmp_path / "gold.jsonl"
    bad = _line()
    bad["spans"][1]["text"] = "Anna Rot"
    path.write_text(
        json.dumps(_line(), ensure_ascii=False) + "\n\n{not json\n" + json.dumps(bad, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    count, problems = check_file(path, nlp)
    assert count == 3
    assert [str(p) for p in problems] == [
        f"{path}:3: not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        f"{path}:4: [g1] id already used on line 1",
        f"{path}:4: [g1] spans[1] PER 12..21: span text 'Anna Rot' differs from the text there 'Anna Roth'",
    ]


def test_gold_load_marks_lines_without_facts(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    line = {"id": "s1", "text": "Anna Roth kam.", "spans": [{"start": 0, "end": 9, "label": "PER"}]}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    [record] = load_gold(path)
    assert record["meta"] == {"facts": False}
    assert record["facts"]["doc_id"] == "s1"
    assert record["relations"] == []


def test_gold_load_rejects_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "x", "text": "t"}\n', encoding="utf-8")
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    assert [str(p) for p in info.value.problems] == [f"{path}:1: a gold line needs 'id', 'text' and 'spans'"]


# --- importers --------------------------------------------------------------------------------

IMPORT_TEXT = "Landrätin Eva Blau von der IHK Ulm sprach in Ulm."
#              0        9 10    18       27     34         45  48
EXPECTED_SPANS = [
    {"start": 0, "end": 9, "label": "ROLE", "text": "Landrätin"},
    {"start": 10, "end": 18, "label": "PER", "text": "Eva Blau"},
    {"start": 27, "end": 34, "label": "ORG", "text": "IHK Ulm"},
    {"start": 45, "end": 48, "label": "LOC", "text": "Ulm"},
]
EXPECTED_RELATIONS = [{"head": 1, "child": 0, "label": "has_role"}, {"head": 1, "child": 2, "label": "member_of"}]


def _span(start: int, end: int, label: str, token_start: int, token_end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "label": label, "token_start": token_start, "token_end": token_end}


PRODIGY = [
    {
        "text": IMPORT_TEXT, "meta": {"id": "p1"}, "answer": "accept",
        "spans": [_span(10, 18, "PER", 1, 2), _span(0, 9, "ROLE", 0, 0), _span(27, 34, "ORG", 5, 6), _span(45, 48, "LOC", 9, 9)],
        "relations": [
            {"head": 2, "child": 0, "label": "has_role", "head_span": _span(10, 18, "PER", 1, 2), "child_span": _span(0, 9, "ROLE", 0, 0)},
            # without head_span/child_span: resolved through the token indices
            {"head": 1, "child": 6, "label": "member_of"},
        ],
    },
    {"text": "Abgelehnt.", "meta": {"id": "p2"}, "answer": "reject", "spans": []},
]

DOCCANO_LABEL = [{"id": 7, "text": IMPORT_TEXT, "label": [[45, 48, "LOC"], [0, 9, "ROLE"], [10, 18, "PERSON"], [27, 34, "ORG"]]}]

DOCCANO_ENTITIES = [
    {
        "id": 7, "text": IMPORT_TEXT,
        "entities": [
            {"id": 1, "start_offset": 10, "end_offset": 18, "label": "PER"},
            {"id": 2, "start_offset": 0, "end_offset": 9, "label": "ROLE"},
            {"id": 3, "start_offset": 27, "end_offset": 34, "label": "ORG"},
            {"id": 4, "start_offset": 45, "end_offset": 48, "label": "LOC"},
        ],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "has_role"}, {"id": 2, "from_id": 1, "to_id": 3, "type": "member_of"}],
    }
]


def _ls(rid: str, start: int, end: int, label: str) -> dict[str, Any]:
    return {"id": rid, "type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "text": IMPORT_TEXT[start:end], "labels": [label]}}


LABEL_STUDIO = [
    {
        "id": 42, "data": {"text": IMPORT_TEXT},
        "annotations": [{"result": [
            _ls("a", 10, 18, "PER"), _ls("b", 0, 9, "ROLE"), _ls("c", 27, 34, "ORG"), _ls("d", 45, 48, "LOC"),
            {"type": "relation", "from_id": "a", "to_id": "b", "direction": "right", "labels": ["has_role"]},
            # direction "left" points from to_id to from_id
            {"type": "relation", "from_id": "c", "to_id": "a", "direction": "left", "labels": ["member_of"]},
        ]}],
    },
    {"id": 43, "data": {"text": "Ohne Annotation."}, "annotations": []},
]


@pytest.mark.parametrize(
    "importer,tasks,doc_id,relations",
    [
        (import_prodigy, PRODIGY, "p1", EXPECTED_RELATIONS),
        (import_doccano, DOCCANO_LABEL, "7", []),
        (import_doccano, DOCCANO_ENTITIES, "7", EXPECTED_RELATIONS),
        (import_labelstudio, LABEL_STUDIO, "42", EXPECTED_RELATIONS),
    ],
)
def test_gold_importers(nlp, importer, tasks: list[dict[str, Any]], doc_id: str, relations: list[dict[str, Any]]) -> None:
    lines = list(importer(copy.deepcopy(tasks), source="export.json"))
    assert len(lines) == 1
    [line] = lines
    assert line["id"] == doc_id
    assert line["text"] == IMPORT_TEXT
    assert line["spans"] == EXPECTED_SPANS
    assert line["relations"] == relations
    assert line["meta"] == {"published": None, "source": "export.json", "facts": False}
    assert line["facts"]["doc_id"] == doc_id
    assert line["facts"]["persons"] == [] and line["facts"]["event"] is None
    assert check_record(line, nlp) == []


@pytest.mark.parametrize(
    "fmt,body",
    [
        ("prodigy", "\n".join(json.dumps(t, ensure_ascii=False) for t in PRODIGY)),
        ("doccano", "\n".join(json.dumps(t, ensure_ascii=False) for t in DOCCANO_ENTITIES)),
        ("labelstudio", json.dumps(LABEL_STUDIO, ensure_ascii=False)),
    ],
)
def test_gold_read_annotations_files(tmp_path: Path, fmt: str, body: str) -> None:
    path = tmp_path / "export.txt"
    path.write_text(body, encoding="utf-8")
    [line] = read_annotations(path, fmt)
    assert line["spans"] == EXPECTED_SPANS
    assert line["relations"] == EXPECTED_RELATIONS


def test_gold_read_annotations_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('{"text": "a", "label": []}\n{oops\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"export\.jsonl:2: not valid JSON"):
        read_annotations(path, "doccano")
