"""The event frame and the page layout, on short German reports we write ourselves."""

from __future__ import annotations

import pytest

from extractor.components.layout import find_layout


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Fachtag Pflege in Kassel\nKASSEL. Rund 80 Gäste kamen.",
            [("Fachtag Pflege in Kassel", "TITLE"), ("KASSEL", "DATELINE")],
        ),
        (
            "Neues Netzwerk gestartet\nFulda, 12. Mai 2024 – Die Stadt lud ein.\nZurück",
            [("Neues Netzwerk gestartet", "TITLE"), ("Fulda", "DATELINE"), ("12. Mai 2024", "DATELINE_DATE"), ("Zurück", "BOILERPLATE")],
        ),
        (
            "Jubiläum im Rathaus\nMeißen. Mit einem Festakt feierte die Stadt.\nFoto: Stadt Meißen",
            [("Jubiläum im Rathaus", "TITLE"), ("Meißen", "DATELINE"), ("Foto:", "CAPTION_PREFIX")],
        ),
        (
            "Spende für die Tafel\nLüneburg (dpa) – Die Bank spendete 500 Euro.\nTeilen",
            [("Spende für die Tafel", "TITLE"), ("Lüneburg", "DATELINE"), ("Teilen", "BOILERPLATE")],
        ),
        ("Die Stadt lud ein. Viele kamen.", []),
    ],
)
def test_layout_title_dateline_boilerplate(text, expected):
    found = [(text[s:e], label) for s, e, label in find_layout(text)]
    assert found == expected


@pytest.mark.parametrize(
    "text,name,etype,topic",
    [
        ("Rückblick auf die Praxiswerkstatt 2024\nDie Praxiswerkstatt 2024 fand in Kassel statt.", "Praxiswerkstatt 2024", "Praxiswerkstatt", None),
        # ANNOTATION.md: a bare event noun names the event unless it only classifies
        ("Sommerfest im Park\nDas Sommerfest lockte viele Gäste.", "Sommerfest", "Sommerfest", None),
        ("Besuch in Gera\nDer Besuch dauerte zwei Stunden.", None, "Besuch", None),
        ("Rückblick\nDie Stadtratssitzung des Festakts begann pünktlich.", "Stadtratssitzung", "Sitzung", None),
        ("Bericht\nDie 5. Mitteldeutsche Wasserstoffkonferenz fand in Halle statt.", "5. Mitteldeutsche Wasserstoffkonferenz", "Konferenz", None),
        ("Ausbildungsmesse „Zukunft Beruf“ lockt Jugendliche an\nViele kamen.", "Zukunft Beruf", "Ausbildungsmesse", None),
        # a motto names the event before the bare noun does
        ("Fachtag „Ausbildung inklusiv gestalten“ in Fulda\nViele kamen.", "Ausbildung inklusiv gestalten", "Fachtag", "Ausbildung inklusiv gestalten"),
        (
            "Netzwerktreffen in Gera\nZum Netzwerktreffen unter dem Motto „Fachkräfte sichern“ kamen 40 Gäste.",
            "Fachkräfte sichern",
            "Netzwerktreffen",
            "Fachkräfte sichern",
        ),
    ],
)
def test_event_name_type_topic(extractor_default, text, name, etype, topic):
    event = extractor_default.extract(text).event
    assert event is not None
    assert (event.name, event.type, event.topic) == (name, etype, topic)


@pytest.mark.parametrize(
    "text,participants",
    [
        ("Zum Fachtag kamen rund 120 Teilnehmende nach Kassel.", 120),
        ("Am Workshop nahmen 25 Netzwerker*innen aus neun Bundesländern teil.", 25),
        ("Die Konferenz besuchten 300 Gäste; 12 Referentinnen und Referenten sprachen.", 300),
        ("Zum Archivtag trafen sich 180 Archivarinnen und Archivare in Münster.", 180),
        ("Die Stadt hat 40.000 Einwohner und investiert 2 Millionen Euro.", None),
        ("Die Delegation bestand aus 25 Gästen aus Frankreich. Insgesamt nahmen rund 150 Gäste teil.", 150),
    ],
)
def test_event_participants(extractor_default, text, participants):
    event = extractor_default.extract(text).event
    assert (event.participants if event else None) == participants


@pytest.mark.parametrize(
    "text,organisers",
    [
        ("Die Handwerkskammer Kassel lud zum Fachtag ein. Viele kamen.", ["Handwerkskammer Kassel"]),
        ("Eingeladen hatte die Hochschule Fulda gemeinsam mit dem Netzwerk Pflege Nordhessen.", ["Hochschule Fulda", "Netzwerk Pflege Nordhessen"]),
        ("Ausgerichtet wurde die Tagung von der Universität Kassel.", ["Universität Kassel"]),
        ("Veranstalter war die Stiftung Lebendige Nachbarschaft.", ["Stiftung Lebendige Nachbarschaft"]),
        ("Auf Einladung des Bundesministeriums für Arbeit und Soziales kamen 40 Gäste.", ["Bundesministerium für Arbeit und Soziales"]),
        ("Die Hochschule Fulda zeigte Poster. Die Universität Kassel stellte Projekte vor.", []),
    ],
)
def test_event_organisers(extractor_default, text, organisers):
    event = extractor_default.extract(text).event
    assert (event.organisers if event else []) == organisers


def test_event_relative_day_resolved_against_multi_day_event(extractor_default):
    text = "Die Tagung lief vom 4. bis 6. Juni 2024 in Kassel. Am zweiten Tag sprach die Ministerin."
    rep = extractor_default.extract(text)
    values = [(d.text, d.value, d.relative) for d in rep.dates]
    assert values == [("4. bis 6. Juni 2024", "2024-06-04/2024-06-06", False), ("zweiten Tag", "2024-06-05", True)]
    assert (rep.event.start, rep.event.end) == ("2024-06-04", "2024-06-06")


def test_event_relative_day_without_anchor_is_not_a_date(extractor_default):
    rep = extractor_default.extract("Am zweiten Tag sprach die Ministerin über Fachkräfte.")
    assert rep.dates == []


def test_event_sentence_bounds_quick_path_matches_span_sent(nlp_default):
    """The per-Doc sentence finder gives what `doc.char_span(...).sent` gives, at every offset."""
    from extractor.components.event import _sentence_bounds, _sentence_finder

    text = (
        "Fachtag in Fulda\n\nFulda, 14. Mai 2024 – Rund 120 Gäste kamen zur IHK Fulda.  "
        "Eingeladen hatte die Handwerkskammer Kassel. Am Abend sprach Dr. Anna Beispiel. "
    )
    doc = nlp_default(text)
    bounds = _sentence_finder(doc)
    assert [bounds(c) for c in range(len(text))] == [_sentence_bounds(doc, c) for c in range(len(text))]
    sent_start, sent_end = bounds(text.index("Eingeladen"))
    assert text[sent_start:sent_end].strip() == "Eingeladen hatte die Handwerkskammer Kassel."


@pytest.mark.parametrize(
    "text,participants",
    [
        ("Jahreshauptversammlung\nDer Verein zählt inzwischen 177 Mitglieder. Kassiererin Eva Roth berichtete.", None),
        ("Jahreshauptversammlung\nZur Versammlung kamen 48 Mitglieder in das Vereinsheim.", 48),
    ],
)
def test_event_members_count_only_when_they_came(extractor_default, text, participants):
    assert extractor_default.extract(text).event.participants == participants


@pytest.mark.parametrize(
    "text,stamp",
    [
        ("Pressemitteilung\n16.11.2016\nDer Verein tagte.", True),
        ("Dienstag, 20.09.2011\nDer Verein tagte.", True),
        ("Eva Roth / 26.08.2010, 09:20 Uhr\nDer Verein tagte.", True),
        ("12. April 2024 Rathaus\nDer Verein tagte.", True),
        ("29. November 2024 – Seit 1994 lädt die Hochschule ein.", True),
        ("Veröffentlicht am: 21. Juli 2025\nDer Verein tagte.", True),
        ("Jahresbericht [07.11.2021]\nDer Verein tagte.", True),
        ("Die Versammlung fand am 5. Mai 2024 im Bürgerhaus statt.", False),
        ("Termin: 12. Mai 2024.", False),
    ],
)
def test_event_release_stamp(text, stamp):
    from extractor.components.event import is_release_stamp
    import re

    m = re.search(r"\d{1,2}\.(?:\s*[A-ZÄÖÜ][a-zäöü]+|\d{1,2}\.)\s*\d{4}", text)
    assert is_release_stamp(text, m.start(), m.end()) is stamp


def test_event_start_skips_the_release_stamp_for_the_reports_own_date(extractor_default):
    text = ("16.11.2016\nNeuer Vorsitz beim Sportkreis Talheim\n"
            "Die Delegiertenversammlung fand am 12. November 2016 in der Stadthalle Talheim statt.")
    assert extractor_default.extract(text).event.start == "2016-11-12"


def test_event_start_falls_back_to_the_stamp_of_a_same_day_release(extractor_default):
    text = "09.12.2016\nMinisterin überreicht Verdienstorden\nDie Ministerin ehrte heute drei Bürger im Rathaus Talheim."
    assert extractor_default.extract(text).event.start == "2016-12-09"


def test_event_location_from_the_sentence_that_says_where_it_took_place(extractor_default):
    text = ("Bezirkskonferenz des Sportkreises\n"
            "Alle vier Jahre wählen die Delegierten den Vorstand. Die Konferenz berät Anträge. "
            "Sie nimmt die Berichte entgegen. Am Samstag fand in Hannover die Bezirkskonferenz statt.")
    assert extractor_default.extract(text).event.location == "Hannover"


def test_event_location_is_the_seat_of_the_host_venue(extractor_default):
    text = "Meisterfeier\nIn der Handwerkskammer Lübeck wurden am Freitag die besten Gesellen geehrt."
    assert extractor_default.extract(text).event.location == "Lübeck"
    text = "Empfang\nDie Gäste wurden im Sitzungssaal der Gemeinde Hallerndorf von Bürgermeister Jan Roth begrüßt."
    assert extractor_default.extract(text).event.location == "Hallerndorf"


@pytest.mark.parametrize(
    "text,name",
    [
        ("Kreisbauerntag 2023 in Andechs\nDer Kreisbauerntag fand im Klostergasthof statt.", "Kreisbauerntag 2023"),
        ("Landessporttag 2021\nDie Delegierten des Landessporttags wählten in Leipzig.", "Landessporttag 2021"),
        ("59. Delegiertentag im Saarland\nDie Delegierten trafen sich in Rehlingen.", "59. Delegiertentag"),
    ],
)
def test_event_name_of_assembly_days(extractor_default, text, name):
    # "-tag" compounds that name an assembly are events; days ("Dienstag", "Geburtstag") are not.
    assert extractor_default.extract(text).event.name == name


@pytest.mark.parametrize(
    "text,participants",
    [
        # The honoured are not the audience; what statutes allow is not who came.
        ("Jahresfeier der Volksbank\nAcht Auszubildende wurden für ihren Abschluss geehrt.", None),
        ("Delegiertenversammlung\nJeder Verein kann bis zu drei Delegierte entsenden.", None),
        # Electors are there: they elect.
        ("Mitgliederversammlung in Ulm\nGestern haben 112 Vertreterinnen und Vertreter ein neues Präsidium gewählt.", 112),
        ("Jahresfeier\nRund 80 Gäste kamen; acht Auszubildende wurden geehrt.", 80),
        ("Preisverleihung im Kurhaus\nÜber 400 Topmanager erlebten am Freitag die Preisverleihung.", 400),
    ],
)
def test_event_participants_not_the_honoured(extractor_default, text, participants):
    assert extractor_default.extract(text).event.participants == participants


def test_event_name_is_the_declared_motto_before_the_event_noun_phrase(extractor_default):
    text = ("Fachtagung Offene Hilfen 2022 in Rothenburg\n"
            "Die zweitägige Fachtagung Offene Hilfen 2022 fand unter dem Titel \"Teilhabe für alle\" statt.")
    event = extractor_default.extract(text).event
    assert (event.name, event.start) == ("Teilhabe für alle", "2022")


def test_event_topic_is_no_name(extractor_default):
    text = "Fachtagung Offene Hilfen 2022 in Rothenburg\nDie Fachtagung Offene Hilfen 2022 widmete sich dem Thema „Teilhabe“."
    assert extractor_default.extract(text).event.name == "Fachtagung Offene Hilfen 2022"
