"""Tests for the `eventfacts_quantities` component on blank German pipelines."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import extensions
from extractor.components.quantities import QuantityTagger, find_quantities

FACTORY = "eventfacts_quantities"


@lru_cache(maxsize=None)
def _nlp() -> Language:
    nlp = spacy.blank("de")
    nlp.add_pipe(FACTORY)
    return nlp


def _found(doc: Doc, key: str = extensions.QUANTITIES) -> list[tuple[str, int, int, int | float, str, str | None]]:
    return [
        (s.text, s.start_char, s.end_char, s._.ef_quantity["value"], s._.ef_quantity["unit"], s._.ef_quantity["qualifier"])
        for s in doc.spans[key]
    ]


@pytest.mark.parametrize(
    "sentence,text,start,end,value,unit,qualifier",
    [
        ('Am Fachtag nahmen rund 25 engagierte Netzwerker*innen teil.', 'rund 25 engagierte Netzwerker*innen', 18, 53, 25, 'Netzwerker*innen', 'rund'),
        ('Die Gäste kamen aus neun Bundesländern nach Kassel.', 'neun Bundesländern', 20, 38, 9, 'Bundesländern', None),
        ('Danach tauschten sich die Gruppen mit drei Fachreferaten aus.', 'drei Fachreferaten', 38, 56, 3, 'Fachreferaten', None),
        ('Die Tagung dauerte zwei Tage und endete mit einem Empfang.', 'zwei Tage', 19, 28, 2, 'Tage', None),
        ('Das Land fördert das Vorhaben mit 2,5 Millionen Euro.', '2,5 Millionen Euro', 34, 52, 2500000, 'Euro', None),
        ('Zum Sommerfest kamen 1.500 Gäste auf das Gelände.', '1.500 Gäste', 21, 32, 1500, 'Gäste', None),
        ('Der Frauenanteil im Vorstand stieg auf 12 Prozent.', '12 Prozent', 39, 49, 12, '%', None),
        ('Der Frauenanteil stieg auf 12 % im Vorstand.', '12 %', 27, 31, 12, '%', None),
        ('Die Quote lag zuletzt bei 30% der Betriebe.', '30%', 26, 29, 30, '%', None),
        ('Das Preisgeld beträgt 3.000 Euro.', '3.000 Euro', 22, 32, 3000, 'Euro', None),
        ('Die Teilnahme kostet 3000 € pro Person.', '3000 €', 21, 27, 3000, '€', None),
        ('Die Förderung beträgt € 2.500 je Projekt.', '€ 2.500', 22, 29, 2500, '€', None),
        ('Mehr als 100 Teilnehmende verfolgten die Diskussion.', 'Mehr als 100 Teilnehmende', 0, 25, 100, 'Teilnehmende', 'Mehr als'),
        ('Im Foyer präsentierten sich über 50 Aussteller aus der Region.', 'über 50 Aussteller', 28, 46, 50, 'Aussteller', 'über'),
        ('Insgesamt waren ca. 40 Fachleute angereist.', 'ca. 40 Fachleute', 16, 32, 40, 'Fachleute', 'ca.'),
        ('Das Netzwerk zählt inzwischen knapp 300 Mitgliedsbetriebe.', 'knapp 300 Mitgliedsbetriebe', 30, 57, 300, 'Mitgliedsbetriebe', 'knapp'),
        ('Für den Abend werden bis zu 200 Gäste erwartet.', 'bis zu 200 Gäste', 21, 37, 200, 'Gäste', 'bis zu'),
        ('Die Veranstaltung war mit fast 80 Anmeldungen ausgebucht.', 'fast 80 Anmeldungen', 26, 45, 80, 'Anmeldungen', 'fast'),
        ('Zwölf Aussteller zeigten ihre Produkte.', 'Zwölf Aussteller', 0, 16, 12, 'Aussteller', None),
        ('Es beteiligten sich dreiundzwanzig Unternehmen an der Umfrage.', 'dreiundzwanzig Unternehmen', 20, 46, 23, 'Unternehmen', None),
        ('Zur Gala kamen zweihundertfünfzig Gäste aus Politik und Wirtschaft.', 'zweihundertfünfzig Gäste', 15, 39, 250, 'Gäste', None),
        ('Die Jury sichtete ein Dutzend Bewerbungen.', 'ein Dutzend Bewerbungen', 18, 41, 12, 'Bewerbungen', None),
        ('Die Stiftung stellt eine Million Euro bereit.', 'eine Million Euro', 20, 37, 1000000, 'Euro', None),
        ('Der Bund investiert 1,5 Mrd. Euro in die Schulen.', '1,5 Mrd. Euro', 20, 33, 1500000000, 'Euro', None),
        ('Rund 1,2 Mio. Menschen leben in der Region.', 'Rund 1,2 Mio. Menschen', 0, 22, 1200000, 'Menschen', 'Rund'),
        ('Anschließend stellten drei weitere spannende Workshops ihre Ergebnisse vor.', 'drei weitere spannende Workshops', 22, 54, 3, 'Workshops', None),
        ('An dem Austausch nahmen 25 Vertreterinnen und Vertreter der Kammern teil.', '25 Vertreterinnen und Vertreter', 24, 55, 25, 'Vertreterinnen und Vertreter', None),
        ('Gekommen waren 40 Teilnehmer:innen aus ganz Hessen.', '40 Teilnehmer:innen', 15, 34, 40, 'Teilnehmer:innen', None),
        ('Angemeldet hatten sich 18 TeilnehmerInnen.', '18 TeilnehmerInnen', 23, 41, 18, 'TeilnehmerInnen', None),
        ('Betreut wurden 7 Teilnehmer_innen.', '7 Teilnehmer_innen', 15, 33, 7, 'Teilnehmer_innen', None),
        ('Gesucht werden 5 Kolleg/innen für das Projekt.', '5 Kolleg/innen', 15, 29, 5, 'Kolleg/innen', None),
        ('Die Messe zog 12.000 Besucherinnen und Besucher an.', '12.000 Besucherinnen und Besucher', 14, 47, 12000, 'Besucherinnen und Besucher', None),
        ('Die Schulung umfasste zweieinhalb Tage.', 'zweieinhalb Tage', 22, 38, 2.5, 'Tage', None),
        ('Die Stadt rechnet mit 10 000 Besuchern.', '10 000 Besuchern', 22, 38, 10000, 'Besuchern', None),
        ('Alle 30 Plätze waren schnell vergeben.', '30 Plätze', 5, 14, 30, 'Plätze', None),
        ('Der Verein engagiert sich seit über 25 Jahren für Inklusion.', 'über 25 Jahren', 31, 45, 25, 'Jahren', 'über'),
        ('Die Laufstrecke war etwa 5 km lang.', 'etwa 5 km', 20, 29, 5, 'km', 'etwa'),
        ('Knapp zweihundert ehrenamtlich tätige Helferinnen und Helfer unterstützten das Fest.', 'Knapp zweihundert ehrenamtlich tätige Helferinnen und Helfer', 0, 60, 200, 'Helferinnen und Helfer', 'Knapp'),
        ('2000 Besucher kamen zum Tag der offenen Tür.', '2000 Besucher', 0, 13, 2000, 'Besucher', None),
        ('Die Rücklaufquote lag bei 0,5 Prozent.', '0,5 Prozent', 26, 37, 0.5, '%', None),
        ('Das Budget lag bei 2.500,50 Euro.', '2.500,50 Euro', 19, 32, 2500.5, 'Euro', None),
        ('Das Netzwerk besteht aus 25 regional ansässigen Betrieben.', '25 regional ansässigen Betrieben', 25, 57, 25, 'Betrieben', None),
        ('Es kamen 25 junge und erfahrene Fachkräfte.', '25 junge und erfahrene Fachkräfte', 9, 42, 25, 'Fachkräfte', None),
        ('Teilnehmende: 25 Personen', '25 Personen', 14, 25, 25, 'Personen', None),
        ('Zum Netzwerktreffen kamen 25 KMU aus dem Landkreis.', '25 KMU', 26, 32, 25, 'KMU', None),
        ('Das Projekt läuft mindestens drei Jahre.', 'mindestens drei Jahre', 18, 39, 3, 'Jahre', 'mindestens'),
        ('Die Kosten liegen bei circa 40 Mio. € für den Neubau.', 'circa 40 Mio. €', 22, 37, 40000000, '€', 'circa'),
    ],
)
def test_quantities_finds_counted_amount(
    sentence: str, text: str, start: int, end: int, value: int | float, unit: str, qualifier: str | None
) -> None:
    doc = _nlp()(sentence)
    assert _found(doc) == [(text, start, end, value, unit, qualifier)]
    assert type(doc.spans[extensions.QUANTITIES][0]._.ef_quantity["value"]) is type(value)
    assert all(span.label_ == "QUANTITY" for span in doc.spans[extensions.QUANTITIES])


@pytest.mark.parametrize(
    "sentence,reason",
    [
        ('Die INQA-Praxiswerkstatt 2024 fand in Berlin statt.', 'year in a name'),
        ('Im Jahr 2023 kamen erstmals Gäste aus Polen.', 'year'),
        ('Seit 2010 arbeiten Unternehmen im Netzwerk zusammen.', 'year before a verb'),
        ('Der Verband erwartet für 2025 Wachstum in der Branche.', 'year before a singular noun'),
        ('Sie wurde 1997 Geschäftsführerin des Vereins.', 'year before a feminine singular'),
        ('Der Fachtag fand am 4. Juni statt.', 'date'),
        ('Die Anmeldung endet am 12.05.2024.', 'numeric date'),
        ('Das Team belegte den 3. Platz.', 'ordinal in digits'),
        ('Der Preis wurde zum fünften Mal verliehen.', 'ordinal word'),
        ('Am zweiten Tag stand die Praxis im Mittelpunkt.', 'ordinal word'),
        ('Der Empfang beginnt um 14:30 Uhr.', 'time'),
        ('Einlass ist ab 14 Uhr.', 'hour'),
        ('Der Workshop läuft von 10 bis 16 Uhr.', 'time range'),
        ('Anmeldungen nimmt das Büro unter Tel. 0661 12345 entgegen.', 'phone number'),
        ('Die Geschäftsstelle sitzt in 36037 Fulda.', 'postcode'),
        ('Das Büro liegt in der Hauptstraße 12 Ecke Marktplatz.', 'house number'),
        ('Grundlage ist § 5 Abs. 2 SGB II.', 'paragraph'),
        ('Der Bericht nennt auf S. 12 Beispiele aus der Praxis.', 'page number'),
        ('Der Stand befindet sich in Halle 3 Nord.', 'number inside a name'),
        ('Im Zentrum stand die Agenda 2030 Nachhaltigkeit.', 'number inside a name'),
        ('Unter dem Motto Industrie 4.0 diskutierten Fachleute.', 'version-like number'),
        ('Es waren 25.', 'bare number'),
        ('Gäste waren es am Ende 1.500.', 'bare number at sentence end'),
        ('Ein Workshop und eine Podiumsdiskussion rundeten den Tag ab.', 'articles'),
        ('Hunderte Besucher strömten auf den Platz.', 'vague plural'),
        ('Millionen Menschen verfolgten die Übertragung.', 'bare scale word'),
        ('Zwei Drittel der Befragten stimmten zu.', 'fraction'),
        ('Die Gruppe traf sich drei Mal im Jahr.', 'frequency'),
        ('Teilnehmende: 25\nOrte: Kassel und Fulda', 'line break after the number'),
        ('Das Gericht verwies auf seinen Beschluss - 3 AZR 455/15 - vom Mai.', 'court file number'),
        ('Maßgeblich ist § 33 Abs. 1 bis 3 EStG in der alten Fassung.', 'statute reference'),
        ('Anmeldung bis 30.06. unter 0661 123 456 möglich.', 'phone number in groups'),
    ],
)
def test_quantities_skips_numbers_that_are_not_counts(sentence: str, reason: str) -> None:
    doc = _nlp()(sentence)
    assert _found(doc) == [], reason


@pytest.mark.parametrize(
    "sentence,unit_start,unit_end,unit_text",
    [
        ("Es kamen 25 engagierte Netzwerker*innen.", 23, 39, "Netzwerker*innen"),
        ("Gekommen waren 40 Teilnehmer:innen.", 18, 34, "Teilnehmer:innen"),
        ("Der Anteil lag bei 12 Prozent.", 22, 29, "Prozent"),
        ("Der Anteil lag bei 12 %.", 22, 23, "%"),
        ("Die Förderung beträgt € 2.500 je Projekt.", 22, 23, "€"),
        ("Dabei waren 25 Vertreterinnen und Vertreter.", 15, 43, "Vertreterinnen und Vertreter"),
    ],
)
def test_quantities_unit_offsets_point_at_counted_noun(sentence: str, unit_start: int, unit_end: int, unit_text: str) -> None:
    doc = _nlp()(sentence)
    (span,) = doc.spans[extensions.QUANTITIES]
    quantity = span._.ef_quantity
    assert (quantity["unit_start"], quantity["unit_end"]) == (unit_start, unit_end)
    assert sentence[unit_start:unit_end] == unit_text


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Am zweiten Tag begrüßte das Ministerium rund 25 Netzwerker*innen aus neun Bundesländern, "
            "die mit drei Fachreferaten sprachen.",
            [
                ("rund 25 Netzwerker*innen", 40, 64, 25, "Netzwerker*innen", "rund"),
                ("neun Bundesländern", 69, 87, 9, "Bundesländern", None),
                ("drei Fachreferaten", 97, 115, 3, "Fachreferaten", None),
            ],
        ),
        (
            "Von 20 bis 30 Personen pro Kurs und zwischen 10 und 15 Euro Gebühr war die Rede.",
            [
                ("30 Personen", 11, 22, 30, "Personen", None),
                ("15 Euro", 52, 59, 15, "Euro", None),
            ],
        ),
        (
            "Am 4. Juni 2024 um 10 Uhr eröffnete die Messe mit 120 Ausstellern.",
            [("120 Ausstellern", 50, 65, 120, "Ausstellern", None)],
        ),
    ],
)
def test_quantities_finds_every_amount_in_text_order(text: str, expected: list[tuple]) -> None:
    assert _found(_nlp()(text)) == expected


@pytest.mark.parametrize(
    "date_tokens,expected",
    [
        (None, [("zwei Tagen", 4, 14, 2, "Tagen", None), ("30 Gäste", 21, 29, 30, "Gäste", None)]),
        ((0, 3), [("30 Gäste", 21, 29, 30, "Gäste", None)]),
    ],
)
def test_quantities_skips_numbers_inside_date_spans(date_tokens: tuple[int, int] | None, expected: list[tuple]) -> None:
    nlp = _nlp()
    doc = nlp.make_doc("Vor zwei Tagen kamen 30 Gäste.")
    if date_tokens is not None:
        doc.spans[extensions.DATES] = [Span(doc, *date_tokens, label="DATE")]
    doc = nlp.get_pipe(FACTORY)(doc)
    assert _found(doc) == expected


@pytest.mark.parametrize(
    "words,spaces,expected",
    [
        # The lead's tokenizer keeps gender forms together and splits a final period off "1.500.".
        (
            ["Gekommen", "waren", "40", "Teilnehmer:innen", "."],
            [True, True, True, False, False],
            [("40 Teilnehmer:innen", 15, 34, 40, "Teilnehmer:innen", None)],
        ),
        (["Gäste", "waren", "es", "1.500", "."], [True, True, True, False, False], []),
        (
            ["Es", "kamen", "1.500", "Gäste", "."],
            [True, True, True, False, False],
            [("1.500 Gäste", 9, 20, 1500, "Gäste", None)],
        ),
    ],
)
def test_quantities_handles_hand_built_docs(words: list[str], spaces: list[bool], expected: list[tuple]) -> None:
    nlp = _nlp()
    doc = nlp.get_pipe(FACTORY)(Doc(nlp.vocab, words=words, spaces=spaces))
    assert _found(doc) == expected


@pytest.mark.parametrize("text", ["Es kamen 25 Gäste."])
def test_quantities_overwrites_span_group(text: str) -> None:
    nlp = _nlp()
    doc = nlp(text)
    doc = nlp.get_pipe(FACTORY)(doc)
    assert _found(doc) == [("25 Gäste", 9, 17, 25, "Gäste", None)]


@pytest.mark.parametrize("text,blocked,expected", [("Es kamen 25 Gäste.", set(), [(2, 4, 25, "Gäste")]), ("Es kamen 25 Gäste.", {3}, [])])
def test_quantities_find_quantities_respects_blocked_tokens(text: str, blocked: set[int], expected: list[tuple]) -> None:
    doc = spacy.blank("de")(text)
    found = find_quantities(doc, blocked=blocked)
    assert [(m.start, m.end, m.value, m.unit) for m in found] == expected


@pytest.mark.parametrize("spans_key", ["custom_quantities"])
def test_quantities_serialization_round_trip_bytes(spans_key: str) -> None:
    nlp = spacy.blank("de")
    tagger = nlp.add_pipe(FACTORY, config={"spans_key": spans_key})
    assert isinstance(tagger, QuantityTagger)
    fresh = spacy.blank("de")
    other = fresh.add_pipe(FACTORY)
    assert other.spans_key == extensions.QUANTITIES
    other.from_bytes(tagger.to_bytes())
    assert other.spans_key == spans_key
    doc = fresh("Es kamen neun Gäste.")
    assert _found(doc, spans_key) == [("neun Gäste", 9, 19, 9, "Gäste", None)]
    assert extensions.QUANTITIES not in doc.spans


@pytest.mark.parametrize("spans_key", ["custom_quantities"])
def test_quantities_serialization_round_trip_disk(spans_key: str, tmp_path: Path) -> None:
    nlp = spacy.blank("de")
    tagger = nlp.add_pipe(FACTORY, config={"spans_key": spans_key})
    tagger.to_disk(tmp_path / "component")
    assert (tmp_path / "component" / "cfg.json").exists()
    fresh = spacy.blank("de")
    other = fresh.add_pipe(FACTORY)
    other.from_disk(tmp_path / "component")
    assert other.spans_key == spans_key

    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == [FACTORY]
    doc = loaded("Über 100 Teilnehmende waren dabei.")
    assert _found(doc, spans_key) == [("Über 100 Teilnehmende", 0, 21, 100, "Teilnehmende", "Über")]


@pytest.mark.parametrize("n_docs", [3])
def test_quantities_survive_doc_bytes_round_trip(n_docs: int) -> None:
    nlp = _nlp()
    docs = list(nlp.pipe(["Es kamen 25 Gäste."] * n_docs))
    for doc in docs:
        restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
        assert _found(restored) == [("25 Gäste", 9, 17, 25, "Gäste", None)]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # Line breaks end phrases: no qualifier, scale word or counted noun across one.
        ("Es kamen mehr als\n100 Gäste.", [("100 Gäste", 100, None)]),
        ("Es kamen 25\nGäste.", []),
        ("Es kamen 2,5 \n\nMillionen Euro zusammen.", []),
        ("Es kamen 2,5 Millionen Euro zusammen.", [("2,5 Millionen Euro", 2500000, None)]),
        # Thousands groups split by the tokenizer are joined, the qualifier kept.
        ("Es kamen rund 10 000 Besucher.", [("rund 10 000 Besucher", 10000, "rund")]),
    ],
)
def test_quantities_line_breaks_and_digit_groups(sentence: str, expected: list) -> None:
    doc = _nlp()(sentence)
    found = [(s.text, s._.ef_quantity["value"], s._.ef_quantity["qualifier"]) for s in doc.spans[extensions.QUANTITIES]]
    assert found == expected
