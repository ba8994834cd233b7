"""Tests for `eventfacts_orgs`: long forms, acronyms, inflected names, legal forms, generic nouns.

Sentence cases run the embedded default pipeline through the library API and compare the whole
`organisations` list (name, acronym, every mention with offsets computed from the sentence).
"""

from __future__ import annotations

import pytest

from extractor.api import Extractor
from extractor.components.orgs import initials_match, normalise_head
from tests.helpers import known_bug as _bug
from tests.helpers import spans_of as _spans


def case(text: str, *orgs: tuple[str, str | None, tuple[str, ...]], bug: str | None = None) -> object:
    """orgs: (name, acronym, mention texts in text order)."""
    expected = [(name, acronym, _spans(text, *mentions)) for name, acronym, mentions in orgs]
    return pytest.param(text, expected, marks=_bug(bug) if bug else (), id=text[:45])


def _found(rep) -> list[tuple]:  # noqa: ANN001 - EventReport
    return [(o.name, o.acronym, [(m.start, m.end, m.text) for m in o.mentions]) for o in rep.organisations]


BMAS = "Bundesministerium für Arbeit und Soziales"


# --- long forms and acronyms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        case(f"Das {BMAS} (BMAS) lud ein.", (BMAS, "BMAS", (BMAS, "BMAS"))),
        case(f"Das BMAS ({BMAS}) lud ein.", (BMAS, "BMAS", ("BMAS", BMAS))),
        case(
            f"Das {BMAS} (BMAS) lud ein. Das BMAS fördert auch künftig.",
            (BMAS, "BMAS", (BMAS, "BMAS", "BMAS")),
        ),
        case(
            "Das Bundesministerium für Familie, Senioren, Frauen und Jugend (BMFSFJ) förderte das Projekt.",
            (
                "Bundesministerium für Familie, Senioren, Frauen und Jugend",
                "BMFSFJ",
                ("Bundesministerium für Familie, Senioren, Frauen und Jugend", "BMFSFJ"),
            ),
        ),
        case(
            "Die Bundesagentur für Arbeit (BA) meldet sinkende Zahlen.",
            ("Bundesagentur für Arbeit", "BA", ("Bundesagentur für Arbeit", "BA")),
        ),
        case(
            "Das Bundesinstitut für Berufsbildung (BIBB) veröffentlichte eine Studie.",
            ("Bundesinstitut für Berufsbildung", "BIBB", ("Bundesinstitut für Berufsbildung", "BIBB")),
        ),
        case(
            "Die „Initiative Neue Qualität der Arbeit“ (INQA) lud nach Berlin ein.",
            ("Initiative Neue Qualität der Arbeit", "INQA", ("Initiative Neue Qualität der Arbeit", "INQA")),
        ),
        # An acronym without parentheses joins the long form whose initials it matches.
        case(
            "Die Handwerkskammer Kassel war Gastgeberin. Die HWK lädt jährlich ein.",
            ("Handwerkskammer Kassel", "HWK", ("Handwerkskammer Kassel", "HWK")),
        ),
        case(
            "Das Bundesministerium für Bildung und Forschung förderte das Projekt. Das BMBF will es verlängern.",
            (
                "Bundesministerium für Bildung und Forschung",
                "BMBF",
                ("Bundesministerium für Bildung und Forschung", "BMBF"),
            ),
        ),
        case(
            "Die Bundesagentur für Arbeit lud ein. Die BA zählt viele Arbeitslose.",
            ("Bundesagentur für Arbeit", "BA", ("Bundesagentur für Arbeit", "BA")),
        ),
        case(
            "Die Industrie- und Handelskammer Kassel-Marburg lud ein. Die IHK vertritt viele Betriebe.",
            (
                "Industrie- und Handelskammer Kassel-Marburg",
                "IHK",
                ("Industrie- und Handelskammer Kassel-Marburg", "IHK"),
            ),
        ),
        case(
            "Der Deutsche Gewerkschaftsbund (DGB) kritisierte die Pläne.",
            ("Deutscher Gewerkschaftsbund", "DGB", ("Deutsche Gewerkschaftsbund", "DGB")),
            bug=None,
        ),
        case(
            "Der Zentralverband des Deutschen Handwerks (ZDH) warnt vor Engpässen.",
            (
                "Zentralverband des Deutschen Handwerks",
                "ZDH",
                ("Zentralverband des Deutschen Handwerks", "ZDH"),
            ),
        ),
    ],
)
def test_orgs_long_form_and_acronym(extractor_default: Extractor, text: str, expected: list) -> None:
    assert _found(extractor_default.extract(text)) == expected


# --- inflected long forms are normalised to the nominative; the mention keeps the text as written ----


@pytest.mark.parametrize(
    "text,expected",
    [
        case(
            "Der Vortrag des Bundesministeriums für Arbeit und Soziales war gut besucht.",
            (BMAS, None, ("Bundesministeriums für Arbeit und Soziales",)),
        ),
        case(
            "Ein Vertreter des Hessischen Ministeriums für Soziales und Integration sprach.",
            (
                "Hessisches Ministerium für Soziales und Integration",
                None,
                ("Hessischen Ministeriums für Soziales und Integration",),
            ),
        ),
        case(
            "Die Abteilungsleiterin im Hessischen Ministerium für Soziales und Integration sprach.",
            (
                "Hessisches Ministerium für Soziales und Integration",
                None,
                ("Hessischen Ministerium für Soziales und Integration",),
            ),
        ),
        case(
            f"Das {BMAS} lud ein. Ein Sprecher des Bundesministeriums für Arbeit und Soziales bestätigte das.",
            (BMAS, None, (BMAS, "Bundesministeriums für Arbeit und Soziales")),
        ),
        case(
            "Die Kritik des Deutschen Gewerkschaftsbundes war deutlich.",
            ("Deutscher Gewerkschaftsbund", None, ("Deutschen Gewerkschaftsbundes",)),
            bug=None,
        ),
    ],
)
def test_orgs_inflected_long_form_normalised(extractor_default: Extractor, text: str, expected: list) -> None:
    assert _found(extractor_default.extract(text)) == expected


@pytest.mark.parametrize(
    "word,nominative",
    [
        ("Bundesministeriums", "Bundesministerium"),
        ("Ministeriums", "Ministerium"),
        ("Handwerkskammer", "Handwerkskammer"),
        ("Bundesinstituts", "Bundesinstitut"),
        ("Stadt", "Stadt"),
    ],
)
def test_orgs_normalise_head(word: str, nominative: str) -> None:
    assert normalise_head(word) == nominative


# --- named organisations: heads with a name tail, legal forms, quoted names -------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        case("Gastgeber war die Beispiel Maschinenbau GmbH aus Kassel.", ("Beispiel Maschinenbau GmbH", None, ("Beispiel Maschinenbau GmbH",))),
        case("Der Verein Bürgerenergie Allgäu e.V. informierte.", ("Bürgerenergie Allgäu e.V.", None, ("Bürgerenergie Allgäu e.V.",))),
        case("Der Verein Bürgerenergie Allgäu e. V. informierte.", ("Bürgerenergie Allgäu e. V.", None, ("Bürgerenergie Allgäu e. V.",))),
        case("Die Beispiel Solar AG baut ein neues Werk.", ("Beispiel Solar AG", None, ("Beispiel Solar AG",))),
        case("Die Lebenshilfe Werkstätten gGmbH stellte aus.", ("Lebenshilfe Werkstätten gGmbH", None, ("Lebenshilfe Werkstätten gGmbH",))),
        case("Die Schreinerei Holz Meier KG bildet aus.", ("Schreinerei Holz Meier KG", None, ("Schreinerei Holz Meier KG",))),
        case(
            "Die Müller Logistik GmbH & Co. KG zeigte das Lager.",
            ("Müller Logistik GmbH & Co. KG", None, ("Müller Logistik GmbH & Co. KG",)),
        ),
        case(
            "Die Industrie- und Handelskammer Kassel-Marburg war Gastgeberin.",
            ("Industrie- und Handelskammer Kassel-Marburg", None, ("Industrie- und Handelskammer Kassel-Marburg",)),
        ),
        case(
            "Das Ministerium für Wirtschaft, Energie, Verkehr und Wohnen lud ein.",
            (
                "Ministerium für Wirtschaft, Energie, Verkehr und Wohnen",
                None,
                ("Ministerium für Wirtschaft, Energie, Verkehr und Wohnen",),
            ),
        ),
        case("Die Agentur für Arbeit Kassel berät Betriebe.", ("Agentur für Arbeit Kassel", None, ("Agentur für Arbeit Kassel",))),
        case(
            "Die Technische Universität Darmstadt forscht dazu.",
            ("Technische Universität Darmstadt", None, ("Technische Universität Darmstadt",)),
        ),
        case("Die Universität Kassel forscht dazu.", ("Universität Kassel", None, ("Universität Kassel",))),
        case("Die Stiftung Warentest testete Helme.", ("Stiftung Warentest", None, ("Stiftung Warentest",))),
        case("Das Netzwerk Demenz Unterland traf sich.", ("Netzwerk Demenz Unterland", None, ("Netzwerk Demenz Unterland",))),
        case("Das Bündnis für Fachkräfte lud ein.", ("Bündnis für Fachkräfte", None, ("Bündnis für Fachkräfte",))),
        case(
            "Die Handwerkskammer Hamburg und die Handwerkskammer Kassel kooperieren.",
            ("Handwerkskammer Hamburg", None, ("Handwerkskammer Hamburg",)),
            ("Handwerkskammer Kassel", None, ("Handwerkskammer Kassel",)),
        ),
        case(
            "Vertreter der Agentur für Arbeit, der Kammern und der Verbände diskutierten.",
            ("Agentur für Arbeit", None, ("Agentur für Arbeit",)),
        ),
        case(
            "Die IHK Darmstadt lud ein.",
            ("IHK Darmstadt", None, ("IHK Darmstadt",)),
            bug=None,
        ),
        # company-type heads with the owner's name: the surname is the company, not a person
        case("Den Förderpreis erhielt die Spedition Nowak aus Görlitz.", ("Spedition Nowak", None, ("Spedition Nowak",))),
        case("Die Kartonagenfabrik Rauscher feierte ihr Jubiläum.",
             ("Kartonagenfabrik Rauscher", None, ("Kartonagenfabrik Rauscher",))),
    ],
)
def test_orgs_named(extractor_default: Extractor, text: str, expected: list) -> None:
    assert _found(extractor_default.extract(text)) == expected


# --- generic nouns are not organisations --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Die Unternehmen und KMUs der Region suchen Fachkräfte.",
        "Die Kommunen sind gefordert.",
        "Das Ministerium hat reagiert.",
        "Die Teilnehmenden lobten das Programm des Ministeriums.",
        "Die Handwerkskammer war gut vorbereitet.",
        "Viele Netzwerke und Initiativen stellten sich vor.",
        pytest.param(
            "Die Verbände Hessens und Thüringens trafen sich.",
        ),
    ],
)
def test_orgs_generic_nouns_are_not_organisations(extractor_default: Extractor, text: str) -> None:
    assert extractor_default.extract(text).organisations == []


# --- initials_match: does an acronym abbreviate a long form? ---------------------------------------


@pytest.mark.parametrize(
    "acronym,long_form,expected",
    [
        ("BMAS", BMAS, True),
        ("BMBF", "Bundesministerium für Bildung und Forschung", True),
        ("BMFSFJ", "Bundesministerium für Familie, Senioren, Frauen und Jugend", True),
        ("HWK", "Handwerkskammer Kassel", True),
        ("IHK", "Industrie- und Handelskammer Kassel-Marburg", True),
        ("INQA", "Initiative Neue Qualität der Arbeit", True),
        ("BIBB", "Bundesinstitut für Berufsbildung", True),
        ("BA", "Bundesagentur für Arbeit", True),
        ("DGB", "Deutscher Gewerkschaftsbund", True),
        ("BMAS", "Handwerkskammer Kassel", False),
        ("HWK", BMAS, False),
        ("IHK", "Agentur für Arbeit", False),
        ("ZDH", "Deutscher Gewerkschaftsbund", False),
        ("BMBF", BMAS, False),
        ("AB", "Bundesagentur für Arbeit", False),
        # Compound parts and camel case count as starts.
        ("LSB", "Landessportbund Thüringen", True),
        ("SVS", "Schützenverband Saar", True),
        ("LFR", "LandesFrauenRat Schleswig-Holstein", True),
        ("LSB", "Landesverband Sachsen", False),
    ],
)
def test_orgs_initials_match(acronym: str, long_form: str, expected: bool) -> None:
    assert initials_match(acronym, long_form) is expected


@pytest.mark.parametrize(
    "text,name,acronym,mentions",
    [
        (
            "Die Industrie- und Handelskammer Fulda (IHK) lud ein.\nFoto: IHK Fulda",
            "Industrie- und Handelskammer Fulda",
            "IHK",
            ["Industrie- und Handelskammer Fulda", "IHK", "IHK Fulda"],
        ),
        (
            "Die Handwerkskammer Kassel (HWK) ehrte Meister. Die HWK Kassel plant mehr Kurse.",
            "Handwerkskammer Kassel",
            "HWK",
            ["Handwerkskammer Kassel", "HWK", "HWK Kassel"],
        ),
    ],
)
def test_orgs_acronym_with_seat_joins_long_form(extractor_default: Extractor, text, name, acronym, mentions):
    (org,) = extractor_default.extract(text).organisations
    assert (org.name, org.acronym) == (name, acronym)
    assert [(m.start, m.end, m.text) for m in org.mentions] == _spans(text, *mentions)


def test_orgs_single_word_bodies(extractor_default: Extractor) -> None:
    text = ("Vertreter von Bundesregierung, Bundestag und Europarat sowie des Bundesinnenministeriums kamen. "
            "Das Ministerium und das Bundesministerium schwiegen.")
    names = [o.name for o in extractor_default.extract(text).organisations]
    assert names == ["Bundesregierung", "Bundestag", "Europarat", "Bundesinnenministerium"]


def test_orgs_acronym_against_a_name_ending_in_punctuation() -> None:
    from extractor.components.orgs import initials_match

    assert initials_match("IK", "Industrie-.") is False  # used to raise IndexError
    assert initials_match("IHK", "Industrie- und Handelskammer") is True


def test_orgs_acronym_and_punctuation_document_is_extracted(extractor_default: Extractor) -> None:
    report = extractor_default.extract("IK der Industrie-.")
    assert not any("failed" in w for w in report.warnings)


# --- genitive complements ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        # The acronym abbreviates head and complement: the complement is part of the name.
        case("Dr. Karl Berger, Präsident des Landesverbands der Pflegedienste (LVP), sprach über Personalnot.",
             ("Landesverband der Pflegedienste", "LVP", ("Landesverbands der Pflegedienste", "LVP"))),
        case("Ute Sander, Geschäftsführerin des Zweckverbands der Abwasserbetriebe (ZVA), begrüßte die Gäste.",
             ("Zweckverband der Abwasserbetriebe", "ZVA", ("Zweckverbands der Abwasserbetriebe", "ZVA"))),
        # A capitalised adjective opens a complement only names have.
        case("Die Meisterinnen erhielten ihre Briefe vom Zentralverband des Deutschen Bäckerhandwerks.",
             ("Zentralverband des Deutschen Bäckerhandwerks", None, ("Zentralverband des Deutschen Bäckerhandwerks",))),
    ],
)
def test_orgs_genitive_complement_of_a_name(extractor_default: Extractor, text: str, expected: list) -> None:
    assert _found(extractor_default.extract(text)) == expected


def test_orgs_genitive_complement_of_a_unit_is_its_organisation(extractor_default: Extractor) -> None:
    # An acronym that does not fit, or a unit head ("Geschäftsstelle"), keeps the complement out.
    rep = extractor_default.extract("Die Geschäftsstelle der Lokalen Aktionsgruppe Talland lud ein. "
                                    "Der Verband der Gärtner (VdK) tagte.")
    names = [o.name for o in rep.organisations]
    assert "Geschäftsstelle der Lokalen Aktionsgruppe Talland" not in names
    assert "Verband der Gärtner" not in names


def test_roles_cut_at_an_organisation_with_genitive_complement(extractor_default: Extractor) -> None:
    rep = extractor_default.extract("Auf dem Podium sprach Dr. Karl Berger, Präsident des Landesverbands der "
                                    "Pflegedienste (LVP), über Personalnot.")
    assert [(p.name, p.roles, p.organisation) for p in rep.persons] == [
        ("Karl Berger", ["Präsident"], "Landesverband der Pflegedienste")]


def test_orgs_acronym_goes_to_the_long_form_it_abbreviates_most_closely(extractor_default: Extractor) -> None:
    text = ("Die Landessportschule Bad Blankenburg war Gastgeber. Der Landessportbund Thüringen ehrte "
            "Ehrenamtliche. Der LSB dankte allen Vereinen.")
    found = {o.name: o.acronym for o in extractor_default.extract(text).organisations}
    assert found["Landessportbund Thüringen"] == "LSB"
    assert found["Landessportschule Bad Blankenburg"] is None


def test_orgs_role_before_the_name_is_the_persons(extractor_default: Extractor) -> None:
    rep = extractor_default.extract("Zur Eröffnung sprach Ute Kumpf (Vorsitzende AWO Landesverband Berlin e. V.) aus Berlin.")
    assert [o.name for o in rep.organisations] == ["AWO Landesverband Berlin e. V."]
    assert [(p.name, p.roles, p.organisation) for p in rep.persons] == [
        ("Ute Kumpf", ["Vorsitzende"], "AWO Landesverband Berlin e. V.")]
