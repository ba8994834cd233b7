"""The record contract: offsets, validation, JSON Schema snapshot, and no spaCy in `models`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from models import SCHEMA_VERSION, EventReport, InputRecord, Mention

SNAPSHOT = Path(__file__).parent / "snapshots" / "event_report.schema.json"
TEXT = "Referatsleiterin Anna Beispiel begrüßte 25 Teilnehmende in Berlin."


def _report(start: int, end: int, text: str) -> dict:
    return {
        "doc_id": "d1",
        "persons": [{"name": "Anna Beispiel", "roles": ["Referatsleiterin"], "mentions": [{"start": start, "end": end, "text": text}]}],
    }


@pytest.mark.parametrize(
    "start,end,text,ok",
    [
        (17, 30, "Anna Beispiel", True),
        (16, 29, " Anna Beispie", True),  # matches the text, however odd
        (17, 30, "Anna Beispiel ", False),  # length differs from the offsets
        (18, 31, "nna Beispiel ", True),
        (0, 13, "Anna Beispiel", False),  # wrong place
        (60, 73, "Anna Beispiel", False),  # beyond the text
    ],
)
def test_models_offset_contract_checked_against_text(start, end, text, ok):
    data = _report(start, end, text)
    if ok:
        rep = EventReport.model_validate(data, context={"text": TEXT})
        m = rep.persons[0].mentions[0]
        assert TEXT[m.start : m.end] == m.text
    else:
        with pytest.raises(ValidationError):
            EventReport.model_validate(data, context={"text": TEXT})


def test_models_mention_end_before_start_rejected():
    with pytest.raises(ValidationError, match="lies before start"):
        Mention(start=5, end=3, text="")


@pytest.mark.parametrize("field", ["doc_id", "persons", "event"])
def test_models_unknown_field_rejected(field):
    data = {"doc_id": "x", "unknown_field": 1}
    with pytest.raises(ValidationError, match="unknown_field"):
        EventReport.model_validate(data)


def test_models_quantity_text_must_equal_mention():
    data = {
        "doc_id": "q",
        "quantities": [{"value": 25, "unit": "Teilnehmende", "text": "25 Gäste", "mention": {"start": 40, "end": 55, "text": "25 Teilnehmende"}}],
    }
    with pytest.raises(ValidationError, match="differs from its mention"):
        EventReport.model_validate(data, context={"text": TEXT})


def test_models_round_trip_through_json():
    rep = EventReport.model_validate(_report(17, 30, "Anna Beispiel"), context={"text": TEXT})
    again = EventReport.model_validate_json(rep.model_dump_json(), context={"text": TEXT})
    assert again == rep
    assert again.schema_version == SCHEMA_VERSION


@pytest.mark.parametrize(
    "published,expected",
    [("2024-06-04", "2024-06-04"), ("2024-06-04T10:00:00", "2024-06-04"), ("", None), (None, None)],
)
def test_models_input_record_published_normalised(published, expected):
    assert InputRecord(text="x", published=published).published == expected


def test_models_input_record_bad_published_rejected():
    with pytest.raises(ValidationError, match="ISO date"):
        InputRecord(text="x", published="4. Juni 2024")


def test_models_schema_matches_snapshot():
    """A diff here is a contract change: bump SCHEMA_VERSION and note it in the changelog."""
    schema = EventReport.model_json_schema()
    assert schema == json.loads(SNAPSHOT.read_text(encoding="utf8"))


def test_models_every_field_has_a_description():
    schema = EventReport.model_json_schema()
    for name, definition in schema["$defs"].items():
        for field, spec in definition["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"


def test_models_import_does_not_load_spacy():
    code = "import sys, models; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("value", ["2024-05-03garbage", "20240503", "2024-W01-1", "2024-13-01", "03.05.2024", 20240503])
def test_models_published_must_be_an_iso_day(value) -> None:
    with pytest.raises(ValueError, match="published must be an ISO date YYYY-MM-DD"):
        InputRecord(text="x", published=value)


def test_models_published_accepts_a_day_a_timestamp_and_a_date() -> None:
    import datetime

    assert InputRecord(text="x", published="2024-05-03").published == "2024-05-03"
    assert InputRecord(text="x", published="2024-05-03T10:00:00+02:00").published == "2024-05-03"
    assert InputRecord(text="x", published=datetime.date(2024, 5, 3)).published == "2024-05-03"
