"""Tests for `eventfacts_locations`: cities, Länder, countries, datelines and ambiguous place names.

Cases run the embedded default pipeline through the library API and compare the whole `locations`
list (nominative name, kind, every mention with offsets computed from the text).
"""

from __future__ import annotations

import pytest

from extractor.api import Extractor
from tests.helpers import known_bug as _bug


def _spans(text: str, *parts: str | tuple[str, int]) -> list[tuple[int, int, str]]:
    """(start, end, text) of each part, searched in text order after the previous one.

    A part ("Kassel", 2) skips to the 2nd occurrence, for a place that first stands inside an
    organisation name ("Agentur für Arbeit Kassel … in Kassel").
    """
    found: list[tuple[int, int, str]] = []
    pos = 0
    for part in parts:
        word, nth = (part, 1) if isinstance(part, str) else part
        start = text.index(word, pos)
        for _ in range(nth - 1):
            start = text.index(word, start + len(word))
        found.append((start, start + len(word), word))
        pos = start + len(word)
    return found


def case(text: str, *places: tuple[str, str, tuple[str | tuple[str, int], ...]], bug: str | None = None) -> object:
    """places: (nominative name, kind, mention texts in text order)."""
    expected = [(name, kind, _spans(text, *mentions)) for name, kind, mentions in places]
    return pytest.param(text, expected, marks=_bug(bug) if bug else (), id=text[:45].replace("\n", " "))


def _found(rep) -> list[tuple]:  # noqa: ANN001 - EventReport
    return [(loc.name, loc.kind, [(m.start, m.end, m.text) for m in loc.mentions]) for loc in rep.locations]


@pytest.mark.parametrize(
    "text,expected",
    [
        # Cities, Länder, countries.
        case("Der Fachtag fand in Kassel statt.", ("Kassel", "city", ("Kassel",))),
        case(
            "Die Delegation reiste nach Brüssel und Paris.",
            ("Brüssel", "city", ("Brüssel",)),
            ("Paris", "city", ("Paris",)),
        ),
        case(
            "Die Firma zog von München nach Hamburg.",
            ("München", "city", ("München",)),
            ("Hamburg", "city", ("Hamburg",)),
        ),
        case(
            "Die Teilnehmenden kamen aus Hessen und Thüringen.",
            ("Hessen", "state", ("Hessen",)),
            ("Thüringen", "state", ("Thüringen",)),
        ),
        case(
            "In Nordrhein-Westfalen und Baden-Württemberg gibt es viele Netzwerke.",
            ("Nordrhein-Westfalen", "state", ("Nordrhein-Westfalen",)),
            ("Baden-Württemberg", "state", ("Baden-Württemberg",)),
        ),
        case("Die Gruppe besuchte Betriebe in Sachsen-Anhalt.", ("Sachsen-Anhalt", "state", ("Sachsen-Anhalt",))),
        case(
            "Die Jugendlichen aus Mecklenburg-Vorpommern kamen mit dem Bus.",
            ("Mecklenburg-Vorpommern", "state", ("Mecklenburg-Vorpommern",)),
        ),
        case("Der Workshop fand im Saarland statt.", ("Saarland", "state", ("Saarland",))),
        case("Das Netzwerk wächst in ganz Niedersachsen.", ("Niedersachsen", "state", ("Niedersachsen",))),
        case(
            "Die Gäste reisten aus Österreich und der Schweiz an.",
            ("Österreich", "country", ("Österreich",)),
            ("Schweiz", "country", ("Schweiz",)),
        ),
        case(
            "Er kam aus der Türkei nach Köln.",
            ("Türkei", "country", ("Türkei",)),
            ("Köln", "city", ("Köln",)),
        ),
        case("Das Projekt läuft in ganz Europa.", ("Europa", "region", ("Europa",))),
        case(
            "Viele Gäste kamen aus den Niederlanden.",
            ("Niederlande", "country", ("Niederlanden",)),
            bug=None,
        ),
        # Multiword names: the longest match wins.
        case("Die Messe in Frankfurt am Main zog viele Besucher an.", ("Frankfurt am Main", "city", ("Frankfurt am Main",))),
        case("Sie lebt in Weil am Rhein.", ("Weil am Rhein", "city", ("Weil am Rhein",))),
        case("Zum Treffen in Bad Hersfeld kamen 40 Gäste.", ("Bad Hersfeld", "city", ("Bad Hersfeld",))),
        case("Die Konferenz fand in Halle (Saale) statt.", ("Halle (Saale)", "city", ("Halle (Saale)",))),
        case(
            "Auch in Freiburg im Breisgau wird geforscht.",
            ("Freiburg im Breisgau", "city", ("Freiburg im Breisgau",)),
            bug="'Freiburg im Breisgau' is split into LOC 'Freiburg' (city) and LOC 'Breisgau' (region)",
        ),
        # Genitive forms map to the nominative; repeated mentions form one location.
        case("Die Wirtschaft Deutschlands wächst wieder.", ("Deutschland", "country", ("Deutschlands",))),
        case("Die Betriebe Bayerns bilden aus.", ("Bayern", "state", ("Bayerns",))),
        case(
            "Berlin ist die Hauptstadt Deutschlands. In Berlin leben viele Menschen.",
            ("Berlin", "city", ("Berlin", "Berlin")),
            ("Deutschland", "country", ("Deutschlands",)),
        ),
    ],
)
def test_locations_found(extractor_default: Extractor, text: str, expected: list) -> None:
    assert _found(extractor_default.extract(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # A dateline opening the body line after a headline.
        case(
            "Fachkräfte sichern\nBERLIN. Rund 25 Netzwerker trafen sich zum Austausch.",
            ("Berlin", "city", ("BERLIN",)),
        ),
        case(
            "Land fördert Betriebe\nFRANKFURT AM MAIN. Das Programm startet im Herbst.",
            ("Frankfurt am Main", "city", ("FRANKFURT AM MAIN",)),
        ),
        case("Kassel, 4. Juni 2024 – Die Stadt lädt ein.", ("Kassel", "city", ("Kassel",))),
    ],
)
def test_locations_dateline(extractor_default: Extractor, text: str, expected: list) -> None:
    assert _found(extractor_default.extract(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # Place names that are also common words need a place preposition.
        case("Das Treffen fand in Essen statt.", ("Essen", "city", ("Essen",))),
        case("Beim Essen und Trinken kamen alle ins Gespräch."),
        case("Weil die Zeit drängte, endete die Sitzung früh."),
        # Places inside organisation names belong to the organisation.
        case("Die Universität Kassel forscht dazu."),
        case("Die Handwerkskammer Kassel lud nach Fulda ein.", ("Fulda", "city", ("Fulda",))),
        case(
            "Die Agentur für Arbeit Kassel berät Betriebe in Kassel.",
            ("Kassel", "city", (("Kassel", 2),)),
        ),
        case("Die Technische Universität Darmstadt forscht dazu."),
        case(
            "Die IHK Berlin lud ein.",
            bug=None,
        ),
        # A surname after a first name is no place.
        case("Jana Roth stellte die Studie vor."),
        case("Sophie Bremen leitete die Arbeitsgruppe."),
    ],
)
def test_locations_need_context(extractor_default: Extractor, text: str, expected: list) -> None:
    assert _found(extractor_default.extract(text)) == expected


def test_locations_village_by_its_name_ending_after_in(extractor_default) -> None:
    # Villages the gazetteer lacks: a place-name ending after "in"/"aus"/"nach".
    rep = extractor_default.extract("Das Dorfgemeinschaftshaus in Hommertshausen wurde eingeweiht. "
                                    "Gäste aus Mühlenhagen kamen.")
    assert [(loc.name, loc.kind) for loc in rep.locations] == [("Hommertshausen", "city"), ("Mühlenhagen", "city")]
    assert rep.event.location == "Hommertshausen"


def test_locations_common_noun_with_a_place_ending_is_no_village(extractor_default) -> None:
    rep = extractor_default.extract("Sie wohnt in Begleitung ihres Mannes in einem Pflegeheim. Er zog nach Altenheim um.")
    assert [loc.name for loc in rep.locations] == []


def test_locations_district_of_a_known_town(extractor_default) -> None:
    rep = extractor_default.extract("Die Versammlung fand in Mainz-Finthen statt. Gäste aus Berlin-Mitte kamen. "
                                    "Er sprach über seinen Berlin-Besuch in Kassel.")
    assert [loc.name for loc in rep.locations] == ["Mainz-Finthen", "Berlin-Mitte", "Kassel"]
