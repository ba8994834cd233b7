"""Tests for `eventfacts_dates` and the pure rules in `extractor.dates_rules`."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import extractor.components.dates  # noqa: F401  (registers the factory)
from extractor import extensions as ext
from extractor.components.dates import EVENT_DAYS
import extractor.dates_rules as dates_rules
from extractor.dates_rules import find_dates, parse_point, resolve_event_day, resolve_relative
from extractor.tokenizer import adjust_tokenizer

PUBLISHED = "2024-06-12"  # a Wednesday, ISO week 24


def _nlp() -> Language:
    nlp = spacy.blank("de")
    adjust_tokenizer(nlp)
    nlp.add_pipe("eventfacts_dates")
    return nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return _nlp()


def _run(nlp: Language, text: str, published: str | None = None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.ef_published = published
    return nlp.get_pipe("eventfacts_dates")(doc)


def _facts(doc: Doc) -> list[tuple[int, int, str, str, str, bool]]:
    return [
        (s.start_char, s.end_char, s.text, s._.ef_date["value"], s._.ef_date["granularity"], s._.ef_date["relative"])
        for s in doc.spans[ext.DATES]
    ]


# (sentence, span text, value, granularity, relative); the sentence has exactly this one date.
ABSOLUTE_CASES = [
    ("Die Tagung fand am 4. Juni 2024 in Fulda statt.", "4. Juni 2024", "2024-06-04", "day"),
    ("Das Netzwerktreffen war am 04.06.2024 im Rathaus.", "04.06.2024", "2024-06-04", "day"),
    ("Die Sitzung am 4.6.24 dauerte lange.", "4.6.24", "2024-06-04", "day"),
    ("Am Dienstag, 4. Juni 2024, trafen sich die Partner.", "Dienstag, 4. Juni 2024", "2024-06-04", "day"),
    ("Montag, den 3. März 2025 beginnt die Anmeldung.", "Montag, den 3. März 2025", "2025-03-03", "day"),
    ("Fulda, 12. Mai 2024 – Rund 40 Fachleute kamen ins Kreishaus.", "12. Mai 2024", "2024-05-12", "day"),
    ("Bis zum 1. Okt. 2023 konnte man sich bewerben.", "1. Okt. 2023", "2023-10-01", "day"),
    ("Der Bericht erschien am 2024-03-15 online.", "2024-03-15", "2024-03-15", "day"),
    ("Die Frist endete am Fr., 07.06.2024 um Mitternacht.", "Fr., 07.06.2024", "2024-06-07", "day"),
    ("Am 29. Februar 2024 wurde gewählt.", "29. Februar 2024", "2024-02-29", "day"),
    ("Im Juni 2024 startete das Modellprojekt.", "Juni 2024", "2024-06", "month"),
    ("Seit Jänner 2022 leitet sie das Amt.", "Jänner 2022", "2022-01", "month"),
    ("Die Ergebnisse folgen im Sept. 2025 in Berlin.", "Sept. 2025", "2025-09", "month"),
    ("Das Projekt begann 2024 mit einer Umfrage.", "2024", "2024", "year"),
    ("Im Jahr 2023 wurde das Netzwerk gegründet.", "2023", "2023", "year"),
    ("Seit 2019 berät die Stelle Betriebe im Landkreis.", "2019", "2019", "year"),
    ("Bis 2030 soll die Region klimaneutral sein.", "2030", "2030", "year"),
    ("Im Sommer 2022 gab es eine erste Befragung.", "2022", "2022", "year"),
    ("Die INQA-Praxiswerkstatt 2024 stand unter einem klaren Motto.", "2024", "2024", "year"),
    ("Der Fachtag 2023 war ausgebucht.", "2023", "2023", "year"),
    ("Das war 2024.", "2024", "2024", "year"),
    ("Fachtag Inklusion 2023: ein Rückblick", "2023", "2023", "year"),
    ("Der Tag der offenen Tür 2024 lockte Familien an.", "2024", "2024", "year"),
    ("Seit der Übernahme 2012 wächst die Firma.", "2012", "2012", "year"),
    ("Am Jahresende 2015 zählte der Verein mehr Mitglieder.", "2015", "2015", "year"),
    ("Die IAA 2023 zog viele Gäste an.", "2023", "2023", "year"),
    ("Der Workshop lief vom 4. bis 5. Juni 2024 in Kassel.", "4. bis 5. Juni 2024", "2024-06-04/2024-06-05", "day"),
    ("Die Messe findet vom 4. bis zum 6. Juni 2024 statt.", "4. bis zum 6. Juni 2024", "2024-06-04/2024-06-06", "day"),
    ("Das Forum am 4.–6. März 2024 war gut besucht.", "4.–6. März 2024", "2024-03-04/2024-03-06", "day"),
    ("Das Forum am 4.-6. März 2024 war gut besucht.", "4.-6. März 2024", "2024-03-04/2024-03-06", "day"),
    ("Die Schulung vom 4.-6.3.2024 fand online statt.", "4.-6.3.2024", "2024-03-04/2024-03-06", "day"),
    ("Am 4./5. Juni 2024 tagte der Beirat.", "4./5. Juni 2024", "2024-06-04/2024-06-05", "day"),
    ("Vom 30. Mai bis 2. Juni 2024 tagte der Kongress.", "30. Mai bis 2. Juni 2024", "2024-05-30/2024-06-02", "day"),
    ("Der Kurs lief vom 30. Dezember bis 2. Januar 2024.", "30. Dezember bis 2. Januar 2024", "2023-12-30/2024-01-02", "day"),
    ("Die Ausstellung ist vom 30.05.–02.06.2024 geöffnet.", "30.05.–02.06.2024", "2024-05-30/2024-06-02", "day"),
    ("Von Mai bis Juli 2024 lief die Kampagne.", "Mai bis Juli 2024", "2024-05/2024-07", "month"),
    ("Das Programm lief von 2020 bis 2023 im ganzen Land.", "2020 bis 2023", "2020/2023", "year"),
    ("Die Förderphase 2021–2024 ist abgeschlossen.", "2021–2024", "2021/2024", "year"),
]


@pytest.mark.parametrize("text,span_text,value,granularity", ABSOLUTE_CASES)
def test_dates_absolute_expression(nlp: Language, text: str, span_text: str, value: str, granularity: str) -> None:
    start = text.index(span_text)
    doc = _run(nlp, text)
    assert _facts(doc) == [(start, start + len(span_text), span_text, value, granularity, False)]



@pytest.mark.parametrize(
    "text,span_text,value",
    [
        # dateparser lacks "Maerz" and "Sonnabend": the first is respelt, the weekday is not read.
        ("Am 3. Maerz 2024 begann die Reihe.", "3. Maerz 2024", "2024-03-03"),
        ("Am Sonnabend, 8. Juni 2024 begann die Reihe.", "Sonnabend, 8. Juni 2024", "2024-06-08"),
        # A weekday that does not fit the date does not change it (4 June 2024 is a Tuesday).
        ("Am Montag, 4. Juni 2024 begann die Reihe.", "Montag, 4. Juni 2024", "2024-06-04"),
        # dateparser's two-digit years: 69 is 1969.
        ("Die Firma wurde am 1.4.69 gegründet.", "1.4.69", "1969-04-01"),
        ("Die Tagung fand am 4.Juni 2024 statt.", "4.Juni 2024", "2024-06-04"),
    ],
)
def test_dates_dateparser_readings(nlp: Language, text: str, span_text: str, value: str) -> None:
    start = text.index(span_text)
    doc = _run(nlp, text)
    assert _facts(doc) == [(start, start + len(span_text), span_text, value, "day", False)]


@pytest.mark.parametrize(
    "text,published,kept",
    [
        ("Am 31. Februar 2024 wurde gewählt.", None, []),  # not "Februar 2024" either
        ("Am 31.04.2024 wurde gewählt.", None, []),
        ("Vom 30. April bis 31. April 2024 war das Büro zu.", None, []),
        ("Am 30. Februar trafen sich die Partner.", None, []),
        ("Am 30. Februar trafen sich die Partner.", "2024-06-12", []),
        # The year 2023 completes "29. Februar", which 2023 does not have.
        ("Das Netz startete im Mai 2023. Am 29. Februar gab es ein Fest.", None,
         [(21, 29, "Mai 2023", "2023-05", "month", False)]),
        # Published in 2026: the fallback year 2025 has no 29 February either.
        ("Am 29. Februar trafen sich die Partner.", "2026-01-10", []),
    ],
)
def test_dates_invalid_date_gives_no_span(nlp: Language, text: str, published: str | None, kept: list) -> None:
    doc = _run(nlp, text, published)
    assert _facts(doc) == kept


@pytest.mark.parametrize(
    "text,published,span_text,value,source",
    [
        ("Am 29. Februar trafen sich die Partner.", None, "29. Februar", "XXXX-02-29", "unknown"),
        ("Am 29. Februar trafen sich die Partner.", "2025-01-10", "29. Februar", "2024-02-29", "published"),
        ("Am 3. Juni 2024 begann es. Vom 30. Dezember bis 2. Januar war Pause.", None,
         "30. Dezember bis 2. Januar", "2024-12-30/2025-01-02", "context"),
        ("Vom 30. Dezember bis 2. Januar war Pause.", "2024-01-20", "30. Dezember bis 2. Januar",
         "2023-12-30/2024-01-02", "published"),
        ("Vom 30.12.2023 bis 2.1. war Pause.", None, "30.12.2023 bis 2.1.", "2023-12-30/2024-01-02", "explicit"),
    ],
)
def test_dates_completed_year_read_by_dateparser(
    text: str, published: str | None, span_text: str, value: str, source: str
) -> None:
    start = text.index(span_text)
    found = [(f.start, f.end, f.value, f.extra["year_source"]) for f in find_dates(text, published)
             if text[f.start:f.end] == span_text]
    assert found == [(start, start + len(span_text), value, source)]


@pytest.mark.parametrize(
    "text,granularity,expected",
    [
        ("4. Juni 2024", "day", date(2024, 6, 4)),
        ("04.06.2024", "day", date(2024, 6, 4)),
        ("4.6.24", "day", date(2024, 6, 4)),
        ("1. Okt. 2023", "day", date(2023, 10, 1)),
        ("Juni 2024", "month", date(2024, 6, 1)),
        ("Sept. 2025", "month", date(2025, 9, 1)),
        ("2024", "year", date(2024, 1, 1)),
        ("Juni 2024", "day", None),  # the pattern saw a day dateparser does not find
        ("4. Juni 2024", "month", None),  # dateparser finds a day the pattern did not see
        ("4. Juni", "day", None),  # the year must be completed before reading
        ("31. Februar 2024", "day", None),
        ("29. Februar 2023", "day", None),
        ("gestern", "day", None),  # relative readings are off
    ],
)
def test_dates_parse_point(text: str, granularity: str, expected: date | None) -> None:
    assert parse_point(text, granularity) == expected


def test_dates_dateparser_reads_each_completed_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[tuple[str, str]] = []
    real = dates_rules.parse_point

    def recording(text: str, granularity: str) -> date | None:
        read.append((text, granularity))
        return real(text, granularity)

    monkeypatch.setattr(dates_rules, "parse_point", recording)
    text = "Am Dienstag, 4. bis 5. Juni 2024 tagte der Beirat, am 4.7. die Runde, seit 2019 im Mai."
    facts = [(text[f.start:f.end], f.value) for f in find_dates(text)]
    assert facts == [
        ("Dienstag, 4. bis 5. Juni 2024", "2024-06-04/2024-06-05"),
        ("4.7.", "2024-07-04"),
        ("2019", "2019"),
        ("Mai", "2024-05"),
    ]
    assert read == [
        ("4. Juni 2024", "day"), ("5. Juni 2024", "day"), ("2019", "year"), ("4.7.2024", "day"), ("Mai 2024", "month")
    ]


def test_dates_no_reading_no_absolute_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # Values come only from dateparser: when it reads nothing, only relative dates remain.
    monkeypatch.setattr(dates_rules, "parse_point", lambda text, granularity: None)
    text = "Am 4. Juni 2024 und gestern, im Juni 2024 und seit 2019."
    assert [(text[f.start:f.end], f.value) for f in find_dates(text, PUBLISHED)] == [("gestern", "2024-06-11")]


def test_dates_module_never_imports_search_dates() -> None:
    source = Path(dates_rules.__file__).read_text(encoding="utf-8")
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    ]
    assert "dateparser.date" in imported
    assert not [m for m in imported if m and "search" in m]
    # Nor does anything it pulls in, even after finding dates in a fresh interpreter.
    code = (
        "import sys, extractor.dates_rules as d\n"
        "assert d.find_dates('Am 4. Juni 2024 tagte die Runde.')[0].value == '2024-06-04'\n"
        "print(sorted(m for m in sys.modules if m.startswith('dateparser.search')))"
    )
    root = Path(dates_rules.__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Yearless dates take their year from the document; the second sentence supplies it.
CONTEXT_CASES = [
    ("Die Bundesarbeitstagung 2017 begann am 10. Mai.", "10. Mai", "2017-05-10", "day"),
    ("INQA-Praxiswerkstatt 2024\nAm 11. und 12. April trafen sich Betriebe.", "11. und 12. April", "2024-04-11/2024-04-12", "day"),
    ("Am 3. Mai 2024 begann es. Im Juni gab es danach mehr Treffen.", "Juni", "2024-06", "month"),
    ("Am 3. Juni 2024 begann es. Ein zweites Treffen folgte am 4.7.", "4.7.", "2024-07-04", "day"),
    ("Am 3. Juni 2024 begann es. Von Mai bis Juli wurde geplant.", "Mai bis Juli", "2024-05/2024-07", "month"),
]


@pytest.mark.parametrize("text,span_text,value,granularity", CONTEXT_CASES)
def test_dates_year_from_document_context(nlp: Language, text: str, span_text: str, value: str, granularity: str) -> None:
    start = text.index(span_text)
    doc = _run(nlp, text)
    found = [f for f in _facts(doc) if f[2] == span_text]
    assert found == [(start, start + len(span_text), span_text, value, granularity, False)]
    span = next(s for s in doc.spans[ext.DATES] if s.text == span_text)
    assert span._.ef_date["year_source"] == "context"


@pytest.mark.parametrize(
    "text,published,span_text,value",
    [
        ("Am 10. Mai trafen sich die Partner.", None, "10. Mai", "XXXX-05-10"),
        ("Am 10. Mai trafen sich die Partner.", "2024-06-12", "10. Mai", "2024-05-10"),
        # More than two months after publication: the report looks back to the previous year.
        ("Am 10. Dezember trafen sich die Partner.", "2024-01-20", "10. Dezember", "2023-12-10"),
        # Two different explicit years: the text does not fix the year, publication does.
        ("Seit 2019 und seit 2021 läuft es. Am 10. Mai gab es ein Fest.", "2024-06-12", "10. Mai", "2024-05-10"),
        # The weekday names the year: 4 June is a Wednesday in 2025, not in 2024.
        ("Am Mittwoch, 4. Juni, beginnt die Reihe.", "2024-05-20", "Mittwoch, 4. Juni", "2025-06-04"),
    ],
)
def test_dates_year_fallback(nlp: Language, text: str, published: str | None, span_text: str, value: str) -> None:
    start = text.index(span_text)
    doc = _run(nlp, text, published)
    found = [f for f in _facts(doc) if f[2] == span_text]
    assert found == [(start, start + len(span_text), span_text, value, "day", False)]


def test_dates_year_from_dateline_when_document_has_several() -> None:
    filler = "Die Gruppe sprach lange über gute Arbeit und neue Wege. " * 6
    text = f"Kassel, 14.11.2023 – Am 7. November kamen alle. {filler}Anmeldungen sind bis 31.01.2024 möglich."
    facts = {text[f.start:f.end]: f.value for f in find_dates(text)}
    assert facts == {"14.11.2023": "2023-11-14", "7. November": "2023-11-07", "31.01.2024": "2024-01-31"}


# Spans start after the preposition ("im", "in der", "am"); "vor" stays, it carries the meaning.
RELATIVE_CASES = [
    ("Gestern trafen sich die Partner im Rathaus.", "Gestern", "2024-06-11", "day"),
    ("Die Partner trafen sich vorgestern im Rathaus.", "vorgestern", "2024-06-10", "day"),
    ("Heute stellt das Team die Ergebnisse vor.", "Heute", "2024-06-12", "day"),
    ("Die Ergebnisse kommen morgen.", "morgen", "2024-06-13", "day"),
    ("Im letzten Jahr kamen weniger Gäste.", "letzten Jahr", "2023", "year"),
    ("Die Zahl stieg im vergangenen Jahr deutlich.", "vergangenen Jahr", "2023", "year"),
    ("Letztes Jahr gab es noch keine Förderung.", "Letztes Jahr", "2023", "year"),
    ("Im Vorjahr waren es noch zwölf Betriebe.", "Vorjahr", "2023", "year"),
    ("Vergangene Woche besuchte die Ministerin den Betrieb.", "Vergangene Woche", "2024-W23", "week"),
    ("In der vergangenen Woche besuchte sie den Betrieb.", "vergangenen Woche", "2024-W23", "week"),
    ("Die Anmeldung öffnet nächste Woche.", "nächste Woche", "2024-W25", "week"),
    ("Das Ergebnis kommt im kommenden Monat.", "kommenden Monat", "2024-07", "month"),
    ("Die Gruppe traf sich vor zwei Wochen zum ersten Mal.", "vor zwei Wochen", "2024-W22", "week"),
    ("Der Verein wurde vor 20 Jahren gegründet.", "vor 20 Jahren", "2004", "year"),
    ("Am Montag besuchte die Ministerin den Betrieb.", "Montag", "2024-06-10", "day"),
    ("Am vergangenen Mittwoch tagte der Beirat.", "vergangenen Mittwoch", "2024-06-05", "day"),
    ("Am kommenden Freitag tagt der Beirat.", "kommenden Freitag", "2024-06-14", "day"),
    ("Ab Montag gilt die neue Regel.", "Montag", "2024-06-17", "day"),
    ("Die Ministerin kam am Dienstagabend.", "Dienstagabend", "2024-06-11", "day"),
    ("Der Index gewann am Dienstag 0,3 Prozent.", "Dienstag", "2024-06-11", "day"),
    ("In diesem Jahr fördert die Stiftung zwölf Projekte.", "diesem Jahr", "2024", "year"),
    ("Im kommenden Jahr soll die Halle fertig sein.", "kommenden Jahr", "2025", "year"),
    ("Der Verein feierte am Samstag sein Jubiläum.", "Samstag", "2024-06-08", "day"),
    ("Die Gäste kamen am Samstagabend ins Rathaus.", "Samstagabend", "2024-06-08", "day"),
    ("Vor drei Tagen kam die Ministerin.", "Vor drei Tagen", "2024-06-09", "day"),
]


@pytest.mark.parametrize("text,span_text,value,granularity", RELATIVE_CASES)
def test_dates_relative_with_published(nlp: Language, text: str, span_text: str, value: str, granularity: str) -> None:
    start = text.index(span_text)
    doc = _run(nlp, text, PUBLISHED)
    assert _facts(doc) == [(start, start + len(span_text), span_text, value, granularity, True)]


@pytest.mark.parametrize("text", [case[0] for case in RELATIVE_CASES])
def test_dates_relative_without_published_gives_nothing(nlp: Language, text: str) -> None:
    doc = _run(nlp, text, None)
    assert _facts(doc) == []


def _all_facts(nlp: Language, text: str, published: str | None) -> list[tuple[int, int, str, str, str, bool]]:
    return _facts(_run(nlp, text, published))


def _expected(text: str, *dates: tuple[str, str, str, bool]) -> list[tuple[int, int, str, str, str, bool]]:
    """(span text, value, granularity, relative) -> the fact tuple, offsets found left to right."""
    out, pos = [], 0
    for span_text, value, granularity, relative in dates:
        start = text.index(span_text, pos)
        pos = start + len(span_text)
        out.append((start, pos, span_text, value, granularity, relative))
    return out


# Published on Wednesday 2024-06-12. Past tense: the most recent such days on or before publication;
# a clause that speaks of the future and "kommenden" look ahead; "vergangenen" excludes the day itself.
WEEKDAY_RANGE_CASES = [
    ("Die Tagung fand am Donnerstag und Freitag in Kassel statt.", "Donnerstag und Freitag", "2024-06-06/2024-06-07"),
    ("Von Freitag bis Sonntag feierte das Dorf sein Jubiläum.", "Freitag bis Sonntag", "2024-06-07/2024-06-09"),
    ("Freitag und Samstag waren die Hallen voll.", "Freitag und Samstag", "2024-06-07/2024-06-08"),
    ("Am Dienstag und Mittwoch trafen sich die Partner.", "Dienstag und Mittwoch", "2024-06-11/2024-06-12"),
    ("Am Montag und am Dienstag tagte der Beirat.", "Montag und am Dienstag", "2024-06-10/2024-06-11"),
    ("Am vergangenen Dienstag und Mittwoch tagte der Beirat.", "vergangenen Dienstag und Mittwoch",
     "2024-06-04/2024-06-05"),
    ("Am kommenden Freitag und Samstag öffnen die Betriebe.", "kommenden Freitag und Samstag", "2024-06-14/2024-06-15"),
    ("Am Freitag und Samstag findet das Stadtfest statt.", "Freitag und Samstag", "2024-06-14/2024-06-15"),
    ("Von Samstag bis Montag war die Halle gesperrt.", "Samstag bis Montag", "2024-06-08/2024-06-10"),
    ("Am Wochenende feierte der Verein sein Jubiläum.", "Wochenende", "2024-06-08/2024-06-09"),
    ("Vergangenes Wochenende kamen 300 Gäste.", "Vergangenes Wochenende", "2024-06-08/2024-06-09"),
    ("Am kommenden Wochenende öffnet der Markt.", "kommenden Wochenende", "2024-06-15/2024-06-16"),
    ("Am Wochenende findet das Sommerfest statt.", "Wochenende", "2024-06-15/2024-06-16"),
]


@pytest.mark.parametrize("text,span_text,value", WEEKDAY_RANGE_CASES)
def test_dates_weekday_range_relative_to_published(nlp: Language, text: str, span_text: str, value: str) -> None:
    assert _all_facts(nlp, text, PUBLISHED) == _expected(text, (span_text, value, "day", True))
    assert _all_facts(nlp, text, None) == []


@pytest.mark.parametrize(
    "text",
    [
        "Das Wochenende gehört der Familie.",
        "Geöffnet ist jeweils Freitag und Samstag.",
        "Öffnungszeiten: Freitag und Samstag von 10 bis 18 Uhr.",
        "Von Montag bis Freitag, 8 bis 16 Uhr, ist das Büro besetzt.",
    ],
)
def test_dates_weekday_range_negative(nlp: Language, text: str) -> None:
    assert _all_facts(nlp, text, PUBLISHED) == []


@pytest.mark.parametrize(
    "text,span_text,value",
    [
        ("Am Freitag und Samstag, 13. und 14. September 2024 lief die Messe.",
         "Freitag und Samstag, 13. und 14. September 2024", "2024-09-13/2024-09-14"),
        ("Am Freitag und Samstag, 13. und 14. September lief die Messe.",
         "Freitag und Samstag, 13. und 14. September", "2024-09-13/2024-09-14"),
    ],
)
def test_dates_weekday_pair_before_date_joins_it(nlp: Language, text: str, span_text: str, value: str) -> None:
    assert _all_facts(nlp, text, "2024-09-16") == _expected(text, (span_text, value, "day", False))


@pytest.mark.parametrize(
    "text,published,dates",
    [
        # A single weekday in a clause about the future is the next such day; in the past, the last.
        ("Am Freitag findet das Sommerfest statt.", PUBLISHED, [("Freitag", "2024-06-14", "day", True)]),
        ("Am Freitag fand das Sommerfest statt.", PUBLISHED, [("Freitag", "2024-06-07", "day", True)]),
        # Only the clause counts: the future of the "dass" clause does not move "am Montag".
        ("Am Montag kündigte die Ministerin an, dass das Land im kommenden Jahr mehr zahlen werde.", PUBLISHED,
         [("Montag", "2024-06-10", "day", True), ("kommenden Jahr", "2025", "year", True)]),
    ],
)
def test_dates_weekday_direction_follows_clause_tense(
    nlp: Language, text: str, published: str, dates: list[tuple[str, str, str, bool]]
) -> None:
    assert _all_facts(nlp, text, published) == _expected(text, *dates)


@pytest.mark.parametrize(
    "text,published,dates",
    [
        # (a) a full date or an event-name year beats the publication year.
        ("Am 3. Mai 2023 begann es. Am 10. Mai war Schluss.", "2024-06-12",
         [("3. Mai 2023", "2023-05-03", "day", False), ("10. Mai", "2023-05-10", "day", False)]),
        ("Die Fachtagung 2023 begann am 10. Mai.", "2024-06-12",
         [("2023", "2023", "year", False), ("10. Mai", "2023-05-10", "day", False)]),
        # (b) a bare, historical year does not: the publication year completes the date.
        ("Der Verein wurde 1998 gegründet. Am 10. Mai gab es ein Fest.", "2024-06-12",
         [("1998", "1998", "year", False), ("10. Mai", "2024-05-10", "day", False)]),
        ("Seit 1998 führt sie ein Geschäft. Im Mai plant der Verein ein Fest.", "2024-02-19",
         [("1998", "1998", "year", False), ("Mai", "2024-05", "month", False)]),
        # (c) without a publication date the bare year is all the text offers.
        ("Der Verein wurde 1998 gegründet. Am 10. Mai gab es ein Fest.", None,
         [("1998", "1998", "year", False), ("10. Mai", "1998-05-10", "day", False)]),
        # Reports look back: more than two months ahead of publication means the previous year ...
        ("Am 12. Dezember trafen sich die Partner.", "2024-10-10", [("12. Dezember", "2023-12-12", "day", False)]),
        # ... but announcements look ahead: never the previous year, never before publication.
        ("Das nächste Netzwerktreffen findet am 12. Dezember in Freiburg statt.", "2024-10-10",
         [("12. Dezember", "2024-12-12", "day", False)]),
        ("Der Aufbau soll im April beginnen, eingeweiht wird der Platz im Juni.", "2024-03-15",
         [("April", "2024-04", "month", False), ("Juni", "2024-06", "month", False)]),
        ("Die nächste Messe findet am 5. März statt.", "2024-10-10", [("5. März", "2025-03-05", "day", False)]),
        ("Ab März gilt die neue Regel.", "2024-10-10", [("März", "2025-03", "month", False)]),
        ("Die Anmeldung soll im Juni beginnen.", "2024-06-12", [("Juni", "2024-06", "month", False)]),
        ("Geplant ist ein Treffen am 11. und 12. Februar.", "2024-10-10",
         [("11. und 12. Februar", "2025-02-11/2025-02-12", "day", False)]),
        # A context year that would put an announcement before publication gives way to the next year.
        ("Der Fachtag 2024 war ausgebucht. Der nächste Fachtag findet am 5. März statt.", "2024-10-10",
         [("2024", "2024", "year", False), ("5. März", "2025-03-05", "day", False)]),
    ],
)
def test_dates_year_completion_order_and_tense(
    nlp: Language, text: str, published: str | None, dates: list[tuple[str, str, str, bool]]
) -> None:
    assert _all_facts(nlp, text, published) == _expected(text, *dates)


@pytest.mark.parametrize(
    "text,published,dates",
    [
        # German capitalises every noun: a clearly historical year after a noun is a date ...
        ("Gegründet wurde der Betrieb 1924 von zwei Brüdern.", PUBLISHED, [("1924", "1924", "year", False)]),
        ("Die Bürgermeisterin erinnerte daran, dass das Haus 1999 eröffnet wurde.", PUBLISHED,
         [("1999", "1999", "year", False)]),
        ("Gegründet wurde die Wehr im Jahr 1874 von Handwerkern.", PUBLISHED, [("1874", "1874", "year", False)]),
        # ... also without a publication date, against the latest dated year of the text.
        ("Am 4. Juni 2024 feierte die Firma, die der Gründer 1924 aufgebaut hatte, ihr Jubiläum.", None,
         [("4. Juni 2024", "2024-06-04", "day", False), ("1924", "1924", "year", False)]),
        # ... while a recent or future one stays part of a name or label.
        ("Die Strategie 2025 wurde vorgestellt.", PUBLISHED, []),
        ("Die Strategie 2023 wurde vorgestellt.", PUBLISHED, []),
        ("Das Papier Agenda 2030 wurde diskutiert.", None, []),
        # Rooms and addresses are labels, however old the number looks.
        ("Die Besprechung fand in Raum 1802 statt.", PUBLISHED, []),
        ("Das Büro liegt in der Hauptstraße 1910 am Markt.", PUBLISHED, []),
        # A noun after the number makes it an amount.
        ("Inzwischen zählt der Verein 1924 Mitglieder.", PUBLISHED, []),
        # Before 1900 a number needs a time word or a verb to be a year.
        ("Die Kirche wurde 1874 geweiht, seit 1890 steht der Turm.", PUBLISHED,
         [("1874", "1874", "year", False), ("1890", "1890", "year", False)]),
        ("Der Absatz stieg von 1650 auf 1800 Stück.", PUBLISHED, []),
        # A quoted name after an event noun carries the event's year.
        ("Auf der Fachkonferenz „Neue Wege 2024“ sprachen viele Gäste.", PUBLISHED, [("2024", "2024", "year", False)]),
    ],
)
def test_dates_bare_year_after_noun(
    nlp: Language, text: str, published: str | None, dates: list[tuple[str, str, str, bool]]
) -> None:
    assert _all_facts(nlp, text, published) == _expected(text, *dates)


@pytest.mark.parametrize(
    "text,dates",
    [
        ("Das teilte die Stadt heute mit.", [("heute", "2024-06-12", "day", True)]),
        # Direct speech: the speaker's day is not the publication day, and "heute" is mostly "nowadays".
        ("„Heute ist ein guter Tag für die Region“, sagte die Ministerin.", []),
        ('"Unsere Kunden erwarten heute, dass alles digital läuft", sagte sie.', []),
        ("Sie sagte: „Gestern war ein großer Tag.“", []),
        # "heute" set against the past is "nowadays".
        ("Der Betrieb wurde 1952 gegründet. Heute beschäftigt er 80 Menschen.", [("1952", "1952", "year", False)]),
        ("Damals gab es nur eine Halle. Heute sind es drei.", []),
        ("Die Tradition lebt bis heute fort.", []),
        ("Auch heute noch kommen viele Gäste.", []),
    ],
)
def test_dates_heute_literal_or_nowadays(nlp: Language, text: str, dates: list[tuple[str, str, str, bool]]) -> None:
    assert _all_facts(nlp, text, PUBLISHED) == _expected(text, *dates)


@pytest.mark.parametrize(
    "text",
    [
        "Rufen Sie uns an unter Tel. 0661 2024-11 oder 0661 / 2019 334.",
        "Die Beratungsstelle sitzt in der Heinrichstraße 12, 36037 Fulda.",
        "Das Seminar dauerte zwei Tage und drei Stunden.",
        "Die Gruppe arbeitete zwei Wochen lang an den Plänen.",
        "Das Team belegte den 3. Platz beim 5. Fachtag.",
        "Die Sitzung beginnt um 14:30 Uhr, der Empfang um 18 Uhr.",
        "Die Ziele der Agenda 2030 wurden diskutiert.",
        "Die Besprechung fand in Raum 2024 statt.",
        "Insgesamt kamen 2024 Teilnehmende zur Messe.",
        "Es kamen rund 2000 Gäste.",
        "Im Schuljahr 2023/24 gab es neue Kurse.",
        "Die Folien zu Abschnitt 4.6. liegen vor.",
        "So ging es mit der Runde die ganze Zeit weiter.",
        "Die Arbeitswelt von heute verändert sich von heute auf morgen.",
        "Am zweiten Tag standen Workshops auf dem Programm.",
        "Der Umsatz lag bei 2.024 Euro.",
        "Der IC 2083 nach Hamburg fällt aus.",
        "Der Antrag Nummer 2024 liegt vor.",
        "Im letzten Jahr der Förderung gab es Kürzungen.",
    ],
)
def test_dates_negative_no_span(nlp: Language, text: str) -> None:
    doc = _run(nlp, text, PUBLISHED)
    assert _facts(doc) == []


def test_dates_several_in_one_text(nlp: Language) -> None:
    text = "Fulda, 12. Mai 2024 – Seit 2019 lädt das Netzwerk ein. Das nächste Treffen ist am 4. Juli."
    doc = _run(nlp, text)
    assert [(f[0], f[2], f[3]) for f in _facts(doc)] == [
        (7, "12. Mai 2024", "2024-05-12"),
        (text.index("2019"), "2019", "2019"),
        (text.index("4. Juli"), "4. Juli", "2024-07-04"),
    ]


def test_dates_event_day_unresolved_goes_to_own_group(nlp: Language) -> None:
    text = "Am zweiten Tag und am Vormittag des dritten Tages gab es Workshops."
    doc = _run(nlp, text, PUBLISHED)
    assert _facts(doc) == []
    days = [(s.start_char, s.text, s.label_, s._.ef_date) for s in doc.spans[EVENT_DAYS]]
    assert days == [
        (3, "zweiten Tag", "EVENT_DAY", {"ordinal": 2, "daypart": None}),
        (22, "Vormittag des dritten Tages", "EVENT_DAY", {"ordinal": 3, "daypart": "Vormittag"}),
    ]


def test_dates_event_day_resolved_against_only_period(nlp: Language) -> None:
    text = "Der Kongress lief vom 4. bis 6. Juni 2024. Am zweiten Tag sprach die Ministerin."
    doc = _run(nlp, text)
    start = text.index("zweiten Tag")
    assert _facts(doc)[1] == (start, start + 11, "zweiten Tag", "2024-06-05", "day", True)
    assert list(doc.spans[EVENT_DAYS]) == []


def test_dates_event_day_beyond_period_stays_unresolved(nlp: Language) -> None:
    text = "Der Kongress lief vom 4. bis 5. Juni 2024. Am dritten Tag war Ruhe."
    doc = _run(nlp, text)
    assert [f[2] for f in _facts(doc)] == ["4. bis 5. Juni 2024"]
    assert [s.text for s in doc.spans[EVENT_DAYS]] == ["dritten Tag"]


@pytest.mark.parametrize(
    "ordinal,start,expected",
    [(1, "2024-06-04", "2024-06-04"), (2, "2024-06-04", "2024-06-05"), (3, "2024-02-28/2024-03-02", "2024-03-01")],
)
def test_dates_resolve_event_day(ordinal: int, start: str, expected: str) -> None:
    assert resolve_event_day(ordinal, start) == expected


@pytest.mark.parametrize("ordinal,start", [(2, "2024-06"), (0, "2024-06-04"), (2, "XXXX-06-04")])
def test_dates_resolve_event_day_rejects_bad_anchor(ordinal: int, start: str) -> None:
    with pytest.raises(ValueError):
        resolve_event_day(ordinal, start)


def test_dates_relative_weekday_on_publication_day() -> None:
    from datetime import date

    # Published on a Wednesday: "am Mittwoch" is that day, "vergangenen Mittwoch" a week earlier.
    assert resolve_relative(("weekday", 2, "on_or_before"), date(2024, 6, 12)) == ("2024-06-12", "day")
    assert resolve_relative(("weekday", 2, "before"), date(2024, 6, 12)) == ("2024-06-05", "day")


def test_dates_never_reads_function_words() -> None:
    # dateparser.search_dates returns "die", "mit", "so" from sentences like this one.
    assert find_dates("Die Runde ging so mit der Zeit weiter, die ganze Woche.", PUBLISHED) == []


def test_dates_span_label_and_kind(nlp: Language) -> None:
    doc = _run(nlp, "Vom 4. bis 5. Juni 2024 und am 7. Juni 2024.")
    assert [(s.label_, s._.ef_date["kind"]) for s in doc.spans[ext.DATES]] == [("DATE", "range"), ("DATE", "point")]


def test_dates_untokenized_final_period_keeps_exact_offsets() -> None:
    # Without the eventfacts tokenizer "2024." is one token: the span grows, the attribute keeps the truth.
    nlp = spacy.blank("de")
    nlp.add_pipe("eventfacts_dates")
    doc = nlp("Das war 2024.")
    (span,) = doc.spans[ext.DATES]
    assert (span.text, span._.ef_date["value"], span._.ef_date["char_span"]) == ("2024.", "2024", [8, 12])


def test_dates_on_prebuilt_doc() -> None:
    nlp = spacy.blank("de")
    nlp.add_pipe("eventfacts_dates")
    doc = Doc(nlp.vocab, words=["Am", "4.", "–", "6.", "März", "2024", "."], spaces=[True, False, False, True, True, False, False])
    doc = nlp.get_pipe("eventfacts_dates")(doc)
    assert _facts(doc) == [(3, 18, "4.–6. März 2024", "2024-03-04/2024-03-06", "day", False)]


SERIAL_TEXT = "Fulda, 12. Mai 2024 – Gestern und am 13. Mai trafen sich die Partner. Am zweiten Tag war Ruhe."


def _output(doc: Doc) -> tuple[list, list]:
    return _facts(doc), [(s.start_char, s.text, s._.ef_date) for s in doc.spans[EVENT_DAYS]]


def test_dates_serialization_bytes_round_trip() -> None:
    nlp = _nlp()
    nlp.get_pipe("eventfacts_dates").cfg["resolve_event_days"] = False
    fresh = spacy.blank("de")
    adjust_tokenizer(fresh)
    fresh.add_pipe("eventfacts_dates")
    fresh.from_bytes(nlp.to_bytes())
    assert fresh.get_pipe("eventfacts_dates").cfg == nlp.get_pipe("eventfacts_dates").cfg
    expected = _output(_run(nlp, SERIAL_TEXT, PUBLISHED))
    assert expected[0][1][2] == "Gestern"
    assert _output(_run(fresh, SERIAL_TEXT, PUBLISHED)) == expected


def test_dates_serialization_disk_round_trip(tmp_path) -> None:
    nlp = _nlp()
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "eventfacts_dates" / "cfg.json").exists()
    loaded = spacy.load(tmp_path / "pipe")
    expected = _output(_run(nlp, SERIAL_TEXT, PUBLISHED))
    assert len(expected[0]) == 3 and len(expected[1]) == 1
    assert _output(_run(loaded, SERIAL_TEXT, PUBLISHED)) == expected


def test_dates_doc_bytes_keep_attributes(nlp: Language) -> None:
    doc = _run(nlp, "Am 4. Juni 2024 begann es.")
    copy = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [(s.text, s._.ef_date["value"]) for s in copy.spans[ext.DATES]] == [("4. Juni 2024", "2024-06-04")]


def test_dates_numbered_and_ordinal_event_days_resolve_against_the_event() -> None:
    from extractor.dates_rules import find_event_days, resolve_event_days

    text = "Der Kongress fand vom 4. bis 6. Juni 2024 statt. An Tag 2 sprach die Ministerin, am dritten Tag der Minister."
    mentions = find_event_days(text)
    resolved = resolve_event_days(mentions, find_dates(text, "2024-06-07"))
    assert [(text[m.start:m.end], f.value if f else None) for m, f in resolved] == [
        ("Tag 2", "2024-06-05"),
        ("dritten Tag", "2024-06-06"),
    ]
    assert find_event_days("Am Tag der offenen Tür kamen viele.") == []


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31"])
def test_dates_relative_at_the_ends_of_the_calendar_do_not_fail(extractor_default, published):
    text = "Gestern kam der Minister. Am Montag geht es weiter, nächste Woche auch, in zwei Jahren wieder."
    report = extractor_default.extract(text, published=published)
    assert all(d.value[:4].isdigit() and d.value[:4] != "0000" for d in report.dates)
    assert not any("failed" in w for w in report.warnings)
