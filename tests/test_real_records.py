"""Record-level scoring of real-report gold: tolerant matching and the scorer, on invented reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from extractor.cli.evaluate import evaluate_command
from extractor.evaluation import matching as m
from extractor.evaluation.real_records import RealGoldError, evaluate, load_gold_dir, score_document
from models import EventReport


# --- matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("gold", "pred", "same"), [
    ("Eva Roth", "Prof. Dr. Eva Roth", True),
    ("Eva Roth", "Frau Roth", True),
    ("Eva Roth", "E. Roth", True),
    ("Eva Roth", "Jan Roth", False),
    ("Karl zu Hohenfels", "Karl zu Hohenfels", True),
    ("Eva Roth", "Eva Rothe", False),
])
def test_person_match(gold: str, pred: str, same: bool) -> None:
    assert m.person_match(gold, pred) is same


@pytest.mark.parametrize(("gold", "acronym", "pred", "pred_acronym", "same"), [
    ("Bundesministerium für Arbeit und Soziales", "BMAS", "Bundesministeriums für Arbeit und Soziales", None, True),
    ("Berufliche Schulen Nordhausen", None, "Beruflichen Schulen Nordhausen", None, True),
    ("Heimatverein Talheim e.V.", None, "Heimatverein Talheim e. V.", None, True),
    ("Heimatverein Talheim e.V.", None, "Heimatverein Talheim", None, True),
    ("Berg & Söhne GmbH", None, "Berg und Söhne GmbH", None, True),
    ("Industrie- und Handelskammer Trier", "IHK", "IHK", None, True),
    ("Industrie- und Handelskammer Trier", "IHK", "IHK Koblenz", None, False),
    ("Landesamt für Umwelt", None, "Landesamt für Umwelt Jana Roth", None, False),
    ("Verband der Chemischen Industrie", None, "Chemischen Industrie", None, False),
])
def test_org_match(gold: str, acronym: str | None, pred: str, pred_acronym: str | None, same: bool) -> None:
    assert m.org_match(gold, acronym, pred, pred_acronym) is same


@pytest.mark.parametrize(("gold", "pred", "same"), [
    ("Frankfurt am Main", "Frankfurt", True),
    ("Frankfurt (Oder)", "Frankfurt", True),
    ("Mülheim an der Ruhr", "Mülheim", True),
    ("Halle (Saale)", "Halle", True),
    ("Stadthalle Kempten", "Kempten", False),
    ("Rhein-Sieg-Kreis", "Rhein-Sieg-Kreis", True),
    ("Kempten", "Kemptener", False),
])
def test_place_match(gold: str, pred: str, same: bool) -> None:
    assert m.place_match(gold, pred) is same


@pytest.mark.parametrize(("gold", "pred", "same"), [
    ("stellvertretender Leiter der Abteilung Qualifizierung", "stellvertretender Leiter", True),
    ("Präsidentin des Landesamts für Statistik", "Präsidentin", True),
    ("Präsident", "IHK-Präsident", True),
    ("Vorsitzende", "Vorsitzenden", True),
    ("stellvertretende Vorsitzende", "Vorsitzende", False),
    ("Referentin", "Referent", False),
    ("2. Vorsitzender", "Vorsitzender", False),
    ("Präsidentin", "Kammerpräsidentin", True),
    ("Rat", "Stadtrat", False),  # too short a head to count inside a compound
])
def test_role_match(gold: str, pred: str, same: bool) -> None:
    assert m.role_match(gold, pred) is same


def test_quantity_match_by_value_and_counted_noun() -> None:
    assert m.quantity_match(25, "Teilnehmende", 25, "Teilnehmenden")
    assert m.quantity_match(2500000, "Euro", 2.5e6, "€")
    assert m.quantity_match(40, "Prozent", 40, "%")
    assert not m.quantity_match(25, "Teilnehmende", 26, "Teilnehmende")
    assert not m.quantity_match(9, "Bundesländern", 9, "Teilnehmende")
    assert m.quantity_match(7000, "Mitglieder, Mitarbeiter und Gäste", 7000, "Mitglieder")
    assert m.quantity_match(7, "Sportplaketten", 7, "Thüringer Sportplaketten")


def test_event_name_match() -> None:
    assert m.event_name_match("Jahreshauptversammlung", "Jahreshauptversammlung")
    assert m.event_name_match("3. Berufsinfomesse Kempten", "„3. Berufsinfomesse Kempten“")
    assert m.event_name_match("Landesdelegiertentagung 2019", "Landesdelegiertentagung")
    assert not m.event_name_match("3. Berufsinfomesse Kempten 2024 im Allgäu", "Kempten")
    assert m.event_name_match("Empfang zum Tag der Deutschen Einheit", "Empfang")
    assert m.event_name_match("Neujahrsempfang", "Neujahrsempfang der Kreishandwerkerschaft")
    assert not m.event_name_match("Neujahrsempfang", "Empfang")


# --- the scorer --------------------------------------------------------------------------------

GOLD = {
    "id": "r900",
    "published": "2024-03-10",
    "persons": [
        {"name": "Eva Roth", "roles": ["Vorsitzende"], "organisation": "Heimatverein Talheim e.V."},
        {"name": "Jan Kurz", "roles": ["Beisitzer"], "organisation": None},
        {"name": "Ole Berg", "roles": ["Beisitzer", "Kassenprüfer"], "organisation": "IHK"},
    ],
    "organisations": [
        {"name": "Heimatverein Talheim e.V.", "acronym": None},
        {"name": "Industrie- und Handelskammer Trier", "acronym": "IHK"},
    ],
    "locations": ["Talheim", "Frankfurt am Main"],
    "quantities": [{"value": 80, "unit": "Mitglieder", "text": "80 Mitglieder"}],
    "dates": [{"text": "9. März 2024", "value": "2024-03-09"}],
    "event": {"name": "Jahreshauptversammlung", "location": "Talheim", "start": "2024-03-09", "end": None, "participants": 80},
    "notes": "invented",
}


def _report(**facts: object) -> EventReport:
    return EventReport.model_validate({"doc_id": "r900", **facts})


def _mention(text: str) -> dict:
    return {"start": 0, "end": len(text), "text": text}


PRED = _report(
    persons=[
        {"name": "Eva Roth", "roles": ["Vorsitzende", "Vorsitzende"], "organisation": "Heimatvereins Talheim e. V.", "titles": ["Dr."]},
        {"name": "Ole Berg", "roles": ["Beisitzer"], "organisation": "Industrie- und Handelskammer Trier"},
        {"name": "Talheim Kurz", "roles": [], "organisation": "Stadt Talheim"},
    ],
    organisations=[
        {"name": "Heimatvereins Talheim", "acronym": None},
        {"name": "Industrie- und Handelskammer Trier", "acronym": "IHK"},
        {"name": "Jahreshauptversammlung", "acronym": None},
    ],
    locations=[{"name": "Talheim"}, {"name": "Frankfurt"}, {"name": "Talheimer"}],
    quantities=[
        {"value": 80, "unit": "Mitgliedern", "text": "80 Mitgliedern", "mention": _mention("80 Mitgliedern")},
        {"value": 80, "unit": "Mitgliedern", "text": "80 Mitgliedern", "mention": _mention("80 Mitgliedern")},
    ],
    dates=[{"text": "9. März", "value": "2024-03-09", "granularity": "day", "mention": _mention("9. März")},
           {"text": "2023", "value": "2023", "granularity": "year", "mention": _mention("2023")}],
    event={"name": "Jahreshauptversammlung", "location": "Talheim", "start": "2024-03-09", "participants": 60},
)


def test_score_document_counts_each_field() -> None:
    score = score_document(GOLD, PRED)
    counts = {name: (c.tp, c.fp, c.fn) for name, c in score.fields.items()}
    assert counts["persons"] == (2, 1, 1)  # Jan Kurz missed, "Talheim Kurz" spurious
    # Eva's repeated role counts once; Ole's Kassenprüfer missed; Jan's Beisitzer missed with him
    assert counts["roles"] == (2, 0, 2)
    # Eva: inflected long form matches; Ole: long form of the gold acronym; Talheim Kurz: spurious
    assert counts["affiliations"] == (2, 1, 0)
    assert counts["organisations"] == (2, 1, 0)
    assert counts["acronyms"] == (1, 0, 0)
    assert counts["locations"] == (2, 1, 0)  # "Frankfurt" = "Frankfurt am Main"; "Talheimer" spurious
    assert counts["quantities"] == (1, 0, 0)  # the repeat counts once
    assert counts["dates"] == (1, 1, 0)
    assert score.slots == {"name": True, "location": True, "start": True, "end": True, "participants": False}
    kinds = {(e.field, e.kind, e.value) for e in score.errors}
    assert ("persons", "missed", "Jan Kurz") in kinds
    assert ("roles", "missed", "Ole Berg | Kassenprüfer") in kinds
    assert ("event_participants", "wrong", "gold 80, predicted 60") in kinds


def test_evaluate_sums_documents_and_slot_accuracy() -> None:
    empty = EventReport(doc_id="r900")
    result = evaluate([GOLD, GOLD], [PRED, empty]).to_dict()
    assert result["documents"] == 2
    assert result["fields"]["persons"]["tp"] == 2 and result["fields"]["persons"]["fn"] == 4
    assert result["event"]["name"]["accuracy"] == 0.5
    assert result["event"]["end"]["accuracy"] == 1.0  # two nulls agree
    assert result["event"]["participants"]["accuracy"] == 0.0
    with pytest.raises(ValueError, match="1 gold records but 2 predictions"):
        evaluate([GOLD], [PRED, empty])


def test_load_gold_dir_names_every_bad_file(tmp_path: Path) -> None:
    (tmp_path / "r001.json").write_text(json.dumps({**GOLD, "id": "r001"}), encoding="utf-8")
    (tmp_path / "r002.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "r003.json").write_text(json.dumps({**GOLD, "id": "r003", "locations": [{"name": "Talheim"}]}), encoding="utf-8")
    (tmp_path / "r004.json").write_text(json.dumps({**GOLD, "id": "r005"}), encoding="utf-8")
    with pytest.raises(RealGoldError) as info:
        load_gold_dir(tmp_path)
    problems = "\n".join(info.value.problems)
    assert "r002.json: not readable JSON" in problems
    assert "r003.json: locations[0] is not a string" in problems
    assert "r004.json: id 'r005' differs from the file name" in problems
    assert "r001" not in problems
    assert [g["id"] for g in load_gold_dir(tmp_path, ids=["r001"])] == ["r001"]


def test_evaluate_command_on_records(tmp_path: Path) -> None:
    gold_dir, texts = tmp_path / "gold", tmp_path / "texts"
    gold_dir.mkdir()
    texts.mkdir()
    for doc_id in ("r900", "r901"):
        (gold_dir / f"{doc_id}.json").write_text(json.dumps({**GOLD, "id": doc_id}), encoding="utf-8")
    (texts / "r900.txt").write_text("Eva Roth leitete die Jahreshauptversammlung in Talheim.", encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(PRED.model_dump_json() + "\n", encoding="utf-8")

    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("evaluate")(evaluate_command)
    result = CliRunner().invoke(app, ["evaluate", "--records", str(gold_dir), "--texts", str(texts),
                                      "--pred", str(pred), "--json", "--errors"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["documents"] == 1  # r901 has no text
    assert figures["fields"]["persons"]["tp"] == 2
    assert "r901: no text" in result.stderr
    assert any(e["value"] == "Jan Kurz" for e in figures["errors"])

    both = CliRunner().invoke(app, ["evaluate", str(pred), "--records", str(gold_dir)])
    assert both.exit_code == 2 and "not both" in both.stderr
    bad_split = CliRunner().invoke(app, ["evaluate", "--records", str(gold_dir), "--split", "train"])
    assert bad_split.exit_code == 2 and "--split must be one of dev, test" in bad_split.stderr


def test_dates_without_year_and_one_day_events() -> None:
    gold = {**GOLD, "dates": [{"text": "1. August", "value": "--08-01"}],
            "event": {**GOLD["event"], "end": None}}
    pred = PRED.model_copy(update={
        "dates": [PRED.dates[0].model_copy(update={"value": "XXXX-08-01", "text": "1. August"})],
        "event": PRED.event.model_copy(update={"end": "2024-03-09"}),
    })
    score = score_document(gold, pred)
    assert (score.fields["dates"].tp, score.fields["dates"].fp) == (1, 0)
    assert score.slots["end"] is True  # end = start is a one-day event
    later = pred.model_copy(update={"event": pred.event.model_copy(update={"end": "2024-03-10"})})
    assert score_document(gold, later).slots["end"] is False


@pytest.mark.parametrize(("gold", "pred", "same"), [
    ("Rothenburg o. d. Tauber", "Rothenburg ob der Tauber", True),
    ("St. Wendel", "Sankt Wendel", True),
    ("Stadtbezirk Hannover-Misburg", "Hannover-Misburg", True),
    ("Freistaat Bayern", "Bayern", True),
    ("Landkreis Gießen", "Gießen", False),  # the district is not its seat
])
def test_place_match_spelled_out_and_kind_words(gold: str, pred: str, same: bool) -> None:
    assert m.place_match(gold, pred) is same
