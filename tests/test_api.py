"""The library API: extract(), pipe() order, ids, warnings, long texts, and the offset contract."""

from __future__ import annotations

import pytest

from extractor.api import split_text, stable_id
from models import EventReport, InputRecord

REPORT = (
    "Fachtag Pflege in Kassel\n"
    "Kassel, 4. Juni 2024 – Rund 80 Teilnehmende kamen zum Fachtag der Hochschule Kassel. "
    "Eingeladen hatte die Hochschule Kassel gemeinsam mit dem Netzwerk Pflege Nordhessen. "
    "Die Vizepräsidentin für Forschung, Prof. Dr. Jana Roth, eröffnete den Tag. "
    "Frau Roth betonte den Wert der Praxis."
)


def test_api_extract_returns_valid_record(extractor_default):
    rep = extractor_default.extract(REPORT, doc_id="r1", source="mem")
    assert isinstance(rep, EventReport)
    assert (rep.doc_id, rep.source, rep.title) == ("r1", "mem", "Fachtag Pflege in Kassel")
    EventReport.model_validate(rep.model_dump(), context={"text": REPORT})
    person = rep.persons[0]
    assert person.name == "Jana Roth"
    assert person.titles == ["Prof.", "Dr.", "Frau"]
    assert person.roles == ["Vizepräsidentin für Forschung"]
    assert [(m.start, m.end) for m in person.mentions] == [
        (REPORT.index("Jana Roth"), REPORT.index("Jana Roth") + 9),
        (REPORT.index("Roth betonte"), REPORT.index("Roth betonte") + 4),
    ]


def test_api_dateline_date_becomes_published(extractor_default):
    rep = extractor_default.extract(REPORT)
    assert rep.published == "2024-06-04"


def test_api_given_published_wins_over_dateline(extractor_default):
    rep = extractor_default.extract(REPORT, published="2024-06-10")
    assert rep.published == "2024-06-10"


def test_api_event_frame(extractor_default):
    event = extractor_default.extract(REPORT).event
    assert event is not None
    assert (event.type, event.location, event.participants) == ("Fachtag", "Kassel", 80)
    assert event.organisers == ["Hochschule Kassel", "Netzwerk Pflege Nordhessen"]


def test_api_missing_id_gets_stable_hash(extractor_default):
    rep = extractor_default.extract("Die Stadt Fulda lud ein.")
    assert rep.doc_id == stable_id("Die Stadt Fulda lud ein.")
    assert rep.doc_id.startswith("sha1-") and len(rep.doc_id) == 17


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_api_empty_text_gives_record_with_warning(extractor_default, text):
    rep = extractor_default.extract(text, doc_id="empty")
    assert rep.persons == [] and rep.quantities == []
    assert rep.warnings == ["[W001] empty text: nothing to extract"]


def test_api_non_german_text_warns(extractor_default):
    english = (
        "The conference was held in the city hall and it was attended by many people from the region. "
        "They talked about the future of work and how small companies can find skilled staff in times of change."
    )
    rep = extractor_default.extract(english, doc_id="en")
    assert any(w.startswith("[W002]") for w in rep.warnings)


def test_api_german_text_does_not_warn(extractor_default):
    rep = extractor_default.extract(REPORT)
    assert rep.warnings == []


def test_api_pipe_keeps_input_order(extractor_default):
    records = [
        InputRecord(id=f"d{i}", text=f"Die Stadt Fulda begrüßte {n} Gäste im Rathaus.")
        for i, n in enumerate([12, 250, 3, 41, 7])
    ]
    reports = list(extractor_default.pipe(records, batch_size=2))
    assert [r.doc_id for r in reports] == ["d0", "d1", "d2", "d3", "d4"]
    assert [r.quantities[0].value for r in reports] == [12, 250, 3, 41, 7]


def test_api_pipe_accepts_dicts_and_strings(extractor_default):
    reports = list(extractor_default.pipe([{"id": "a", "text": "25 Gäste kamen."}, "Drei Gäste kamen."]))
    assert reports[0].doc_id == "a"
    assert reports[1].doc_id == stable_id("Drei Gäste kamen.")
    assert [r.quantities[0].value for r in reports] == [25, 3]


@pytest.mark.parametrize("max_chars", [200, 1000])
def test_api_split_text_parts_cover_text_exactly(max_chars):
    text = ("Absatz mit Text. " * 8 + "\n\n") * 30
    parts = split_text(text, max_chars=max_chars)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= max_chars for _, p in parts)
    assert all(text[o : o + len(p)] == p for o, p in parts)


def test_api_long_text_offsets_are_correct(extractor_default, monkeypatch):
    monkeypatch.setattr(extractor_default, "max_part_chars", 300)
    paragraph = "Bürgermeisterin Anna Beispiel begrüßte in Fulda 40 Gäste. Frau Beispiel dankte allen.\n\n"
    text = paragraph * 12
    rep = extractor_default.extract(text, doc_id="long")
    assert any(w.startswith("[W003]") for w in rep.warnings)
    EventReport.model_validate(rep.model_dump(), context={"text": text})
    assert len(rep.persons) == 1
    assert len(rep.persons[0].mentions) == 24
    assert [q.value for q in rep.quantities] == [40] * 12
    assert rep.quantities[-1].mention.start == text.rindex("40 Gäste")


def test_api_component_failure_is_isolated_to_its_document():
    """A rule component that fails on one document leaves an [E003] warning there; the run goes on."""
    from spacy.language import Language

    from extractor.api import Extractor
    from extractor.components.base import RuleComponent
    from extractor.errors import ExtractionError

    class Boom(RuleComponent):
        def __call__(self, doc):
            if "Explosion" in doc.text:
                raise RuntimeError("kaputt")
            return doc

    if "test_boom" not in Language.factories:
        Language.factory("test_boom")(lambda nlp, name: Boom(nlp, name))
    extractor = Extractor("default")
    extractor.nlp.add_pipe("test_boom", after="eventfacts_dates")
    texts = ["Die Stadt Fulda begrüßte 12 Gäste.", "Eine Explosion der Ideen: 30 Gäste kamen.", "Drei Gäste blieben."]
    reports = list(extractor.pipe(texts))
    assert [len(r.quantities) for r in reports] == [1, 1, 1]
    assert [r.warnings for r in reports][0] == []
    assert reports[1].warnings[0].startswith("[E003] component 'test_boom' failed on this document (kaputt)")
    with pytest.raises(ExtractionError, match="kaputt"):
        extractor.extract(texts[1])


def test_api_pipe_with_two_processes_gives_the_same_records(extractor_default):
    """Docs cross process boundaries as bytes: every `._` value must survive serialisation."""
    texts = [
        "Die Stadt Kassel lud 30 Gäste ein. Bürgermeisterin Anna Beispiel sprach am 4. Juni 2024.",
        "Der Verband Pflege Nordhessen (VPN) zählte rund 200 Mitglieder in Fulda.",
    ] * 3
    one = [r.model_dump() for r in extractor_default.pipe(texts, n_process=1)]
    two = [r.model_dump() for r in extractor_default.pipe(texts, n_process=2, batch_size=2)]
    assert two == one
    assert one[0]["persons"][0]["roles"] == ["Bürgermeisterin"]


def test_api_lone_surrogates_become_replacement_characters(extractor_default) -> None:
    text = "Jan Kurz sprach \ud800 in Kassel."
    report = extractor_default.extract(text, doc_id="a\udc00")
    assert report.doc_id == "a\ufffd"
    assert "1 lone surrogate(s) in text replaced by U+FFFD" in report.warnings
    assert [p.name for p in report.persons] == ["Jan Kurz"]
    # offsets stay valid against the text as it was given (one character for one)
    mention = report.persons[0].mentions[0]
    assert text[mention.start : mention.end] == "Jan Kurz"
    ids = [r.doc_id for r in extractor_default.pipe([{"id": "x", "text": "Ole \ud83d Berg kam."}, "Eva Roth kam."])]
    assert ids[0] == "x" and len(ids) == 2
    report.model_dump_json().encode("utf-8")  # the record is valid UTF-8 JSON


def test_api_pipe_yields_what_it_read_before_the_input_failed(extractor_default) -> None:
    def records():
        for n in range(5):
            yield {"id": f"d{n}", "text": f"Eva Roth sprach zum {n + 1}. Mal."}
        raise OSError("disk gone")

    seen = []
    with pytest.raises(OSError, match="disk gone"):
        for report in extractor_default.pipe(records(), batch_size=32):
            seen.append(report.doc_id)
    assert seen == ["d0", "d1", "d2", "d3", "d4"]


def test_api_every_part_of_a_long_text_sees_the_dateline_date() -> None:
    from extractor.api import Extractor

    extractor = Extractor("rules", max_part_chars=300)
    text = ("Neujahrsempfang\nFulda, 12. Mai 2024 – Die Stadt lud ein.\n\n"
            + "Viele Gäste kamen und sprachen lange über die Region und ihre Zukunft.\n\n" * 10
            + "Gestern sprach auch Eva Roth.")
    report = extractor.extract(text)
    assert any(w.startswith("[W003]") for w in report.warnings)  # it was split
    assert ("Gestern", "2024-05-11") in [(d.text, d.value) for d in report.dates]


@pytest.mark.parametrize("bad", [None, 123, b"Eva Roth sprach."])
def test_api_extract_names_what_it_takes(extractor_default, bad) -> None:
    with pytest.raises(TypeError, match="extract\\(\\) takes the report text as a str"):
        extractor_default.extract(bad)


def test_api_pipe_checks_its_arguments(extractor_default) -> None:
    with pytest.raises(ValueError, match="on_error must be 'record' or 'raise'"):
        list(extractor_default.pipe(["Eva Roth sprach."], on_error="bogus"))
    with pytest.raises(TypeError, match="pipe\\(\\) takes InputRecords"):
        list(extractor_default.pipe([42]))
