"""Scoring: SemEval-2013 span schemes, one-to-one record matching, IOB2 NER scoring, rendering."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from extractor.evaluation import (
    Delta,
    SentenceIndex,
    compare_results,
    compare_spans,
    evaluate_records,
    flatten_spans,
    iob2_entities,
    match_keys,
    metric_value,
    read_conll,
    render_comparison,
    render_markdown,
    report_spans,
    score_iob2,
    spans_to_iob2,
    summarise_spans,
)
from models import EventReport

# --- span schemes -----------------------------------------------------------------------------

GOLD = [(0, 5, "PER"), (10, 15, "ORG"), (20, 25, "LOC"), (30, 35, "DATE")]
# correct PER; ORG boundaries with label LOC; LOC overlapped with the same label; a spurious QUANTITY;
# DATE missed.
PRED = [(0, 5, "PER"), (10, 15, "LOC"), (20, 23, "LOC"), (40, 45, "QUANTITY")]


@pytest.mark.parametrize(
    "scheme,correct,incorrect,partial,missed,spurious,precision",
    [
        ("strict", 1, 2, 0, 1, 1, 0.25),
        ("exact", 2, 1, 0, 1, 1, 0.5),
        ("partial", 2, 0, 1, 1, 1, 0.625),
        ("type", 2, 1, 0, 1, 1, 0.5),
    ],
)
def test_evaluate_schemes_micro_counts(
    scheme: str, correct: int, incorrect: int, partial: int, missed: int, spurious: int, precision: float
) -> None:
    comparison, _ = compare_spans(GOLD, PRED)
    micro = summarise_spans(comparison)["micro"][scheme]
    assert (micro["correct"], micro["incorrect"], micro["partial"], micro["missed"], micro["spurious"]) == (
        correct, incorrect, partial, missed, spurious,
    )
    assert (micro["possible"], micro["actual"]) == (4, 4)
    assert micro["precision"] == pytest.approx(precision)
    assert micro["recall"] == pytest.approx(precision)
    assert micro["f1"] == pytest.approx(precision)


@pytest.mark.parametrize(
    "label,scheme,f1",
    [
        ("PER", "strict", 1.0),
        # per label only spans of that label are compared (nervaluate): the LOC-labelled ORG is lost
        ("ORG", "strict", 0.0),
        ("ORG", "exact", 0.0),
        ("LOC", "strict", 0.0),
        ("LOC", "partial", 1 / 3),  # P 0.5/2, R 0.5/1
        ("LOC", "type", 2 / 3),  # P 1/2, R 1/1
        ("DATE", "partial", 0.0),
        ("QUANTITY", "strict", 0.0),
    ],
)
def test_evaluate_schemes_per_label(label: str, scheme: str, f1: float) -> None:
    comparison, _ = compare_spans(GOLD, PRED)
    assert summarise_spans(comparison)["labels"][label][scheme]["f1"] == pytest.approx(f1)


def test_evaluate_per_label_spurious_and_missed() -> None:
    comparison, _ = compare_spans(GOLD, PRED)
    labels = summarise_spans(comparison)["labels"]
    assert {lab: labels[lab]["strict"]["spurious"] for lab in labels} == {
        "DATE": 0, "LOC": 1, "ORG": 0, "PER": 0, "QUANTITY": 1,
    }
    assert {lab: labels[lab]["strict"]["missed"] for lab in labels} == {
        "DATE": 1, "LOC": 0, "ORG": 1, "PER": 0, "QUANTITY": 0,
    }


def test_evaluate_macro_is_mean_of_labels() -> None:
    comparison, _ = compare_spans(GOLD, PRED)
    summary = summarise_spans(comparison)
    # strict F1 per label: PER 1, ORG 0, LOC 0, DATE 0, QUANTITY 0
    assert summary["macro"]["strict"]["f1"] == pytest.approx(0.2)
    assert summary["macro"]["partial"]["f1"] == pytest.approx((1 + 1 / 3) / 5)


@pytest.mark.parametrize(
    "gold,pred,expected,missed_each",
    [
        # overlap with another label: partial credit only
        ([(0, 10, "ORG")], [(5, 10, "LOC")],
         {"strict": (0, 1, 0, 0), "exact": (0, 1, 0, 0), "partial": (0, 0, 1, 0), "type": (0, 1, 0, 0)}, 0),
        # a prediction overlapping two gold spans takes the first (type: the closest, ties to the first)
        ([(0, 4, "PER"), (5, 9, "PER")], [(2, 7, "PER")],
         {"strict": (0, 1, 0, 0), "exact": (0, 1, 0, 0), "partial": (0, 0, 1, 0), "type": (1, 0, 0, 0)}, 1),
        # one-to-one: two predictions on one gold span, the second is spurious
        ([(0, 9, "PER")], [(0, 4, "PER"), (5, 9, "PER")],
         {"strict": (0, 1, 0, 1), "exact": (0, 1, 0, 1), "partial": (0, 0, 1, 1), "type": (1, 0, 0, 1)}, 0),
        # an exact match later in the gold list wins over an earlier overlap
        ([(0, 6, "LOC"), (4, 9, "ORG")], [(4, 9, "ORG")],
         {"strict": (1, 0, 0, 0), "exact": (1, 0, 0, 0), "partial": (1, 0, 0, 0), "type": (1, 0, 0, 0)}, 1),
    ],
)
def test_evaluate_overlap_scenarios(
    gold: list, pred: list, expected: dict[str, tuple[int, int, int, int]], missed_each: int
) -> None:
    comparison, _ = compare_spans(gold, pred)
    for scheme, (correct, incorrect, partial, spurious) in expected.items():
        c = comparison.overall[scheme]
        assert (c.correct, c.incorrect, c.partial, c.spurious, c.missed) == (correct, incorrect, partial, spurious, missed_each)


def test_evaluate_strict_outcomes_for_error_listing() -> None:
    _, outcomes = compare_spans(GOLD, PRED)
    assert [(o.kind, o.label, o.start, o.end, o.other) for o in outcomes] == [
        ("incorrect", "LOC", 10, 15, (10, 15, "ORG")),
        ("incorrect", "LOC", 20, 23, (20, 25, "LOC")),
        ("spurious", "QUANTITY", 40, 45, None),
        ("missed", "DATE", 30, 35, None),
    ]


def test_evaluate_flatten_drops_nested_and_duplicates() -> None:
    spans = [(10, 30, "EVENT"), (26, 30, "DATE"), (10, 30, "EVENT"), (40, 44, "LOC")]
    assert flatten_spans(spans) == [(10, 30, "EVENT"), (40, 44, "LOC")]


def _mention(text: str, needle: str, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return {"start": start, "end": start + len(needle), "text": needle}


TEXT = (
    "Fachtag Inklusion 2024 in Trier\n"
    "Die Industrie- und Handelskammer Trier (IHK) lud am 4. Juni 2024 zum Fachtag Inklusion 2024 ein. "
    "Präsidentin Anna Roth begrüßte 80 Gäste in Trier. Roth dankte der Stadt Trier."
)


def _gold_facts() -> dict[str, Any]:
    return {
        "doc_id": "d1",
        "persons": [{"name": "Anna Roth", "roles": ["Präsidentin"], "organisation": "Industrie- und Handelskammer Trier",
                     "mentions": [_mention(TEXT, "Anna Roth"), _mention(TEXT, "Roth", 1)]}],
        "organisations": [
            {"name": "Industrie- und Handelskammer Trier", "acronym": "IHK",
             "mentions": [_mention(TEXT, "Industrie- und Handelskammer Trier"), _mention(TEXT, "IHK")]},
            {"name": "Stadt Trier", "mentions": [_mention(TEXT, "Stadt Trier")]},
        ],
        "locations": [{"name": "Trier", "mentions": [_mention(TEXT, "Trier"), _mention(TEXT, "Trier", 3)]}],
        "quantities": [{"value": 80, "unit": "Gäste", "text": "80 Gäste", "mention": _mention(TEXT, "80 Gäste")}],
        "dates": [{"text": "4. Juni 2024", "value": "2024-06-04", "granularity": "day", "mention": _mention(TEXT, "4. Juni 2024")}],
        "event": {"name": "Fachtag Inklusion 2024", "type": "Fachtag", "location": "Trier", "start": "2024-06-04",
                  "end": "2024-06-04", "participants": 80, "organisers": ["Industrie- und Handelskammer Trier"]},
    }


def _gold_line(facts: dict[str, Any], meta_facts: bool = True) -> dict[str, Any]:
    report = EventReport.model_validate(facts, context={"text": TEXT})
    spans = report_spans(report, TEXT)
    meta: dict[str, Any] = {"published": "2024-06-05"}
    if not meta_facts:
        meta["facts"] = False
    return {"id": "d1", "text": TEXT, "meta": meta, "relations": [],
            "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
            "facts": report.model_dump(mode="json")}


def test_evaluate_report_spans_event_occurrences_and_flat_dates() -> None:
    report = EventReport.model_validate(_gold_facts(), context={"text": TEXT})
    spans = report_spans(report, TEXT)
    assert [s for s in spans if s[2] == "EVENT"] == [(0, 22, "EVENT"), (101, 123, "EVENT")]
    assert [s for s in spans if s[2] == "DATE"] == [(84, 96, "DATE")]
    assert (TEXT[0:22], TEXT[101:123], TEXT[84:96]) == ("Fachtag Inklusion 2024", "Fachtag Inklusion 2024", "4. Juni 2024")


def _predicted() -> EventReport:
    facts = _gold_facts()
    # a second person record with the same name (duplicate), a wrong role and no organisation
    facts["persons"] = [
        {"name": "Anna Roth", "roles": ["Präsident"], "mentions": [_mention(TEXT, "Anna Roth")]},
        {"name": "Anna Roth", "mentions": [_mention(TEXT, "Roth", 1)]},
    ]
    facts["organisations"][0]["acronym"] = None
    facts["locations"] = [{"name": "Trier", "mentions": [_mention(TEXT, "Trier")]},
                          {"name": "Trier", "mentions": [_mention(TEXT, "Trier", 3)]}]
    facts["event"] = {"name": None, "type": "Fachtag", "location": "Trier", "start": "2024-06-05", "end": "2024-06-04",
                      "participants": 80, "organisers": ["Industrie- und Handelskammer Trier"] * 2 + ["Stadt Trier"]}
    return EventReport.model_validate(facts, context={"text": TEXT})


@pytest.mark.parametrize(
    "field,tp,fp,fn",
    [
        ("persons", 1, 1, 0),
        ("roles", 0, 1, 1),
        ("affiliations", 0, 0, 1),
        ("organisations", 2, 0, 0),
        ("acronyms", 0, 0, 1),
        ("locations", 1, 1, 0),
        ("quantities", 1, 0, 0),
        ("dates", 1, 0, 0),
        ("event_name", 0, 0, 1),
        ("event_type", 1, 0, 0),
        ("event_start", 0, 1, 1),
        ("event_end", 1, 0, 0),
        ("event_participants", 1, 0, 0),
        ("event_topic", 0, 0, 0),
        ("event_organisers", 1, 1, 0),
    ],
)
def test_evaluate_record_fields_one_to_one(field: str, tp: int, fp: int, fn: int) -> None:
    result = evaluate_records([_gold_line(_gold_facts())], [_predicted()], sentence=None)
    figures = result.fields[field]
    assert (figures["tp"], figures["fp"], figures["fn"]) == (tp, fp, fn)


def test_evaluate_record_field_scores() -> None:
    result = evaluate_records([_gold_line(_gold_facts())], [_predicted()], sentence=None)
    assert result.fields["persons"]["precision"] == pytest.approx(0.5)
    assert result.fields["persons"]["recall"] == pytest.approx(1.0)
    assert result.fields["persons"]["f1"] == pytest.approx(2 / 3)


def test_evaluate_spans_only_gold_skips_record_fields() -> None:
    result = evaluate_records([_gold_line(_gold_facts(), meta_facts=False)], [_predicted()], sentence=None)
    assert result.record_documents == 0
    assert result.fields["persons"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0}
    # the predicted report has no event name, so both EVENT spans are missed
    assert result.spans["labels"]["EVENT"]["strict"]["missed"] == 2
    assert result.spans["labels"]["PER"]["strict"]["f1"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "gold,pred,tp,missed,spurious",
    [
        ([("Berlin",), ("Berlin",), ("Hamburg",)], [("Berlin",), ("Köln",)], 1, [("Berlin",), ("Hamburg",)], [("Köln",)]),
        ([("Roth", "Präsidentin")], [("Roth", "Präsidentin"), ("Roth", "Präsidentin")], 1, [], [("Roth", "Präsidentin")]),
        ([], [], 0, [], []),
    ],
)
def test_evaluate_match_keys_duplicates(gold: list, pred: list, tp: int, missed: list, spurious: list) -> None:
    counts, lost, extra = match_keys(gold, pred)
    assert (counts.tp, counts.fp, counts.fn) == (tp, len(spurious), len(missed))
    assert sorted(lost) == sorted(missed)
    assert extra == spurious


def test_evaluate_errors_name_doc_and_sentence() -> None:
    result = evaluate_records([_gold_line(_gold_facts())], [_predicted()], sentence=SentenceIndex())
    by_field: dict[tuple[str, str], Any] = {}
    for e in result.errors:
        by_field.setdefault((e.field, e.kind), e)  # the first of each kind
    role = by_field[("roles", "spurious")]
    assert (role.doc_id, role.value, role.sentence) == ("d1", "Anna Roth | Präsident", "Präsidentin Anna Roth begrüßte 80 Gäste in Trier.")
    event = by_field[("span:EVENT", "missed")]
    assert event.sentence == "Fachtag Inklusion 2024 in Trier"
    start = by_field[("event_start", "missed")]
    assert (start.value, start.sentence) == ("2024-06-04", None)


def test_evaluate_rejects_misaligned_inputs() -> None:
    with pytest.raises(ValueError, match="1 gold lines but 0 predictions"):
        evaluate_records([_gold_line(_gold_facts())], [])


# --- figures, comparison, rendering -----------------------------------------------------------


def _result() -> dict[str, Any]:
    return evaluate_records([_gold_line(_gold_facts())], [_predicted()], sentence=None).to_dict()


@pytest.mark.parametrize(
    "field,metric,value",
    [("persons", "precision", 0.5), ("spans:PER", "strict_f1", 1.0), ("spans:EVENT", "strict_recall", 0.0),
     ("spans:ROLE", "strict_f1", 0.0)],
)
def test_evaluate_metric_value(field: str, metric: str, value: float) -> None:
    assert metric_value(_result(), field, metric) == pytest.approx(value)


def test_evaluate_metric_value_unknown_metric() -> None:
    with pytest.raises(KeyError):
        metric_value(_result(), "spans:PER", "loose_f1")


def test_evaluate_compare_results_signed_deltas() -> None:
    current = _result()
    baseline = _result()
    baseline["fields"]["persons"]["f1"] = 0.5
    baseline["fields"]["dates"]["f1"] = 1.05
    deltas = {d.name: d for d in compare_results(current, baseline)}
    assert deltas["persons"].delta == pytest.approx(2 / 3 - 0.5)
    table = render_comparison([deltas["persons"], deltas["dates"], Delta("new", None, 0.5)])
    assert "| persons | 0.500 | 0.667 | +0.167 |" in table
    assert "| dates | 1.050 | 1.000 | -0.050 |" in table
    assert "| new | – | 0.500 | – |" in table


def test_evaluate_render_markdown_rows() -> None:
    text = render_markdown(_result())
    assert "| persons | 0.500 | 1.000 | 0.667 | 1 | 1 | 0 |" in text
    assert text.startswith("# Evaluation: 1 documents (1 with record-level gold)")


# --- IOB2 NER ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tags,entities",
    [
        (["B-PER", "I-PER", "O", "B-LOC"], {(0, 2, "PER"), (3, 4, "LOC")}),
        (["I-PER", "I-PER", "O"], set()),  # no B: not an entity in strict mode
        (["B-ORG", "I-LOC", "B-ORG", "B-ORG"], {(0, 1, "ORG"), (2, 3, "ORG"), (3, 4, "ORG")}),
        ([], set()),
    ],
)
def test_evaluate_iob2_entities_strict(tags: list[str], entities: set) -> None:
    assert iob2_entities(tags) == entities


def test_evaluate_spans_to_iob2() -> None:
    assert spans_to_iob2(5, [(0, 2, "PER"), (3, 4, "MISC")]) == ["B-PER", "I-PER", "O", "B-MISC", "O"]


def test_evaluate_score_iob2_exact_numbers() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "B-LOC"]]
    result = score_iob2(gold, pred)
    # tp: LOC, ORG; fp: PER(0,1), LOC(1,2); fn: PER(0,2)
    assert result["precision"] == pytest.approx(0.5)
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["f1"] == pytest.approx(4 / 7)
    assert result["per_label"]["PER"] == {"f1": 0.0, "precision": 0.0, "recall": 0.0, "support": 1}
    assert result["per_label"]["LOC"]["support"] == 1
    assert result["per_label"]["LOC"]["precision"] == pytest.approx(0.5)


def test_evaluate_read_conll_gz_maps_unknown_labels(tmp_path) -> None:
    path = tmp_path / "mini.conll.gz"
    body = "Anna\tB-PER\nRoth\tI-PER\nleitet\tO\nVertrieb\tB-ROLE\n\n\nIn\tO\nUlm\tB-LOC\n"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(body)
    assert list(read_conll(path)) == [
        (["Anna", "Roth", "leitet", "Vertrieb"], ["B-PER", "I-PER", "O", "O"]),
        (["In", "Ulm"], ["O", "B-LOC"]),
    ]
