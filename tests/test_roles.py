"""Tests for `eventfacts_roles`: `RoleLexicon.normalise`, role spans, and roles attached to persons.

Roles are nominative singular as the text genders them ("des Oberbürgermeisters" -> "Oberbürgermeister",
"der Vorsitzenden" -> "Vorsitzende"); unit complements stay in the role ("Leiterin des Amtes für …"),
named organisations after the role become the person's affiliation instead.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from spacy.language import Language

from extractor import extensions as ext
from extractor.api import Extractor
from extractor.components.roles import RoleLexicon
from extractor.lexicon import read_lexicon
from tests.helpers import known_bug as _bug
from tests.helpers import spans_of as _spans


@lru_cache(maxsize=1)
def _lexicon() -> RoleLexicon:
    return RoleLexicon([e.model_dump() for e in read_lexicon("de/role_nouns.jsonl")])


# --- RoleLexicon.normalise: one token (and the word before it) -> nominative singular -------------


@pytest.mark.parametrize(
    "word,prev,role,lemma,gender",
    [
        ("Geschäftsführerin", "Unsere", "Geschäftsführerin", "Geschäftsführer", "f"),
        ("Referatsleiters", "des", "Referatsleiter", "Referatsleiter", "m"),
        ("Oberbürgermeisters", "des", "Oberbürgermeister", "Oberbürgermeister", "m"),
        ("Präsidenten", "des", "Präsident", "Präsident", "m"),
        ("Staatssekretärs", "des", "Staatssekretär", "Staatssekretär", "m"),
        ("Leitern", "den", "Leiter", "Leiter", "m"),
        ("Geschäftsführern", "den", "Geschäftsführer", "Geschäftsführer", "m"),
        ("Bürgermeisterinnen", "die", "Bürgermeisterin", "Bürgermeister", "f"),
        ("Ärztin", "die", "Ärztin", "Arzt", "f"),
        # Participle nouns decline like adjectives: the determiner decides the gender.
        ("Vorsitzende", "die", "Vorsitzende", "Vorsitzender", "f"),
        ("Vorsitzende", "der", "Vorsitzender", "Vorsitzender", "m"),
        ("Vorsitzenden", "dem", "Vorsitzender", "Vorsitzender", "m"),
        ("Vorsitzenden", "der", "Vorsitzende", "Vorsitzender", "f"),
        ("Vorsitzender", "ein", "Vorsitzender", "Vorsitzender", "m"),
        # Compounds end in a known head.
        ("Landtagsabgeordnete", "die", "Landtagsabgeordnete", "Landtagsabgeordneter", "f"),
        ("Landtagsabgeordneten", "des", "Landtagsabgeordneter", "Landtagsabgeordneter", "m"),
        ("Inklusionsbeauftragte", "die", "Inklusionsbeauftragte", "Inklusionsbeauftragter", "f"),
        ("IHK-Hauptgeschäftsführer", None, "IHK-Hauptgeschäftsführer", "Hauptgeschäftsführer", "m"),
        # Gender-inclusive plural forms -> singular, keeping the gender mark as written.
        pytest.param(
            "Referent*innen", "die", "Referent*in", "Referent", "u",
        ),
        pytest.param(
            "Geschäftsführer:innen", "die", "Geschäftsführer:in", "Geschäftsführer", "u",
        ),
        # Umlaut plural listed in the lexicon ('plural': 'Ärzte') is not used by normalise.
        pytest.param(
            "Ärzte", "die", "Arzt", "Arzt", "m",
        ),
    ],
)
def test_roles_normalise_to_nominative_singular(word: str, prev: str | None, role: str, lemma: str, gender: str) -> None:
    match = _lexicon().normalise(word, prev)
    assert match is not None
    assert (match.role, match.lemma, match.gender) == (role, lemma, gender)


@pytest.mark.parametrize(
    "word",
    ["Vorrat", "Apparat", "Unternehmen", "BMAS", "referent", "Kassel", "Teilnehmende"],
)
def test_roles_normalise_rejects_non_roles(word: str) -> None:
    # Short heads ('Rat') must not fire inside unrelated words; acronyms and lower-case words are no roles.
    assert _lexicon().normalise(word, None) is None


# --- role spans in sentences: exact offsets and the normalised role --------------------------------

_SPAN_CASES: list[tuple[str, list[tuple[str, str]], str | None]] = [
    ("Die Vorsitzende eröffnete die Sitzung.", [("Vorsitzende", "Vorsitzende")], None),
    ("Der Vorsitzende eröffnete die Sitzung.", [("Vorsitzende", "Vorsitzender")], None),
    ("Der Dank galt dem Vorsitzenden.", [("Vorsitzenden", "Vorsitzender")], None),
    ("Die Geschäftsführerinnen der Betriebe diskutierten.", [("Geschäftsführerinnen", "Geschäftsführerin")], None),
    ("Er sprach mit den Referatsleitern.", [("Referatsleitern", "Referatsleiter")], None),
    ("Der Beitrag des Geschäftsführers war kurz.", [("Geschäftsführers", "Geschäftsführer")], None),
    ("Im Vorrat lag kein Apparat.", [], None),
    (
        "Katrin Albers, Leiterin des Amtes für Wirtschaftsförderung, begrüßte die Runde.",
        [("Leiterin des Amtes für Wirtschaftsförderung", "Leiterin des Amtes für Wirtschaftsförderung")],
        None,
    ),
    (
        "Jana Becker, stellvertretende Leiterin der Abteilung Arbeitsmarkt und Fachkräfte, stellte die Studie vor.",
        [
            (
                "stellvertretende Leiterin der Abteilung Arbeitsmarkt und Fachkräfte",
                "stellvertretende Leiterin der Abteilung Arbeitsmarkt und Fachkräfte",
            )
        ],
        None,
    ),
    # A named organisation after the role is an affiliation, not part of the role.
    ("Die Präsidentin der Handwerkskammer Kassel, Susanne Vogel, eröffnete den Abend.", [("Präsidentin", "Präsidentin")], None),
    (
        # The tokenizer splits "IHK-": the acronym is the organisation, the role starts after it.
        "Die IHK Kassel lud ein. IHK-Hauptgeschäftsführer Robert Lahme begrüßte die Gäste.",
        [("Hauptgeschäftsführer", "Hauptgeschäftsführer")],
        None,
    ),
    (
        "Der Beauftragte für Menschen mit Behinderungen sprach.",
        [("Beauftragte für Menschen mit Behinderungen", "Beauftragter für Menschen mit Behinderungen")],
        "the complement stops at 'mit': role 'Beauftragter für Menschen', span 'Beauftragte für Menschen'",
    ),
]


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param(
            text,
            [(*_spans(text, part)[0], role) for part, role in spans],
            marks=_bug(bug) if bug else (),
            id=text[:40],
        )
        for text, spans, bug in _SPAN_CASES
    ],
)
def test_roles_spans_in_sentences(nlp_default: Language, text: str, expected: list[tuple[int, int, str, str]]) -> None:
    doc = nlp_default(text)
    found = [(sp.start_char, sp.end_char, sp.text, sp._.ef_role["role"]) for sp in doc.spans[ext.ROLES]]
    assert found == expected


# --- roles attached to persons through the whole pipeline -------------------------------------------

# (text, name, roles, organisation, bug)
_PERSON_ROLE_CASES: list[tuple[str, str, list[str], str | None, str | None]] = [
    ("Unsere Geschäftsführerin Stefanie Fuchs begrüßte die Gäste.", "Stefanie Fuchs", ["Geschäftsführerin"], None, None),
    ("Das Wort erteilte die Moderatorin dem Referatsleiter Markus Müller.", "Markus Müller", ["Referatsleiter"], None, None),
    ("Der Vortrag des Oberbürgermeisters Peter Lenz fand großen Anklang.", "Peter Lenz", ["Oberbürgermeister"], None, None),
    ("Die Vorsitzende Anna Schmidt eröffnete die Sitzung.", "Anna Schmidt", ["Vorsitzende"], None, None),
    ("Der Vorsitzende Thomas Berger eröffnete die Sitzung.", "Thomas Berger", ["Vorsitzender"], None, None),
    ("Der Dank galt dem Vorsitzenden Klaus Werner.", "Klaus Werner", ["Vorsitzender"], None, None),
    ("Der Dank galt der Vorsitzenden Sabine Krause.", "Sabine Krause", ["Vorsitzende"], None, None),
    (
        "Jana Becker, stellvertretende Leiterin der Abteilung Arbeitsmarkt und Fachkräfte, stellte die Studie vor.",
        "Jana Becker",
        ["stellvertretende Leiterin der Abteilung Arbeitsmarkt und Fachkräfte"],
        None,
        None,
    ),
    (
        "Katrin Albers, Leiterin des Amtes für Wirtschaftsförderung, begrüßte die Runde.",
        "Katrin Albers",
        ["Leiterin des Amtes für Wirtschaftsförderung"],
        None,
        None,
    ),
    (
        "Die Präsidentin der Handwerkskammer Kassel, Susanne Vogel, eröffnete den Abend.",
        "Susanne Vogel",
        ["Präsidentin"],
        "Handwerkskammer Kassel",
        None,
    ),
    (
        "Susanne Vogel, Präsidentin der Handwerkskammer Kassel, eröffnete den Abend.",
        "Susanne Vogel",
        ["Präsidentin"],
        "Handwerkskammer Kassel",
        None,
    ),
    ("Die Landtagsabgeordnete Maria Klein besuchte den Betrieb.", "Maria Klein", ["Landtagsabgeordnete"], None, None),
    ("Der Landtagsabgeordnete Jonas Weber besuchte den Betrieb.", "Jonas Weber", ["Landtagsabgeordneter"], None, None),
    ("Die Bundestagsabgeordnete Maria Klein besuchte den Betrieb.", "Maria Klein", ["Bundestagsabgeordnete"], None, None),
    (
        "Die Industrie- und Handelskammer Kassel-Marburg (IHK) war Gastgeberin. "
        "IHK-Hauptgeschäftsführer Robert Lahme begrüßte die Gäste.",
        "Robert Lahme",
        ["Hauptgeschäftsführer"],
        "Industrie- und Handelskammer Kassel-Marburg",
        None,
    ),
    ("Bürgermeisterin Claudia Schulz begrüßte die Gäste.", "Claudia Schulz", ["Bürgermeisterin"], None, None),
    ("Nach einem Grußwort der Staatssekretärin Anja Roth ging es los.", "Anja Roth", ["Staatssekretärin"], None, None),
    ("Der kommissarische Leiter Uwe Krüger sprach ein Grußwort.", "Uwe Krüger", ["kommissarischer Leiter"], None, None),
    ("Der ehemalige Bürgermeister Hans Vogt kam ebenfalls.", "Hans Vogt", ["ehemaliger Bürgermeister"], None, None),
    ("Die Projektkoordinatorin Lisa Wagner führte durch den Tag.", "Lisa Wagner", ["Projektkoordinatorin"], None, None),
    ("Referent Tobias Lang sprach über Fachkräfte.", "Tobias Lang", ["Referent"], None, None),
    (
        "Die Leiterin für Forschung und Entwicklung Prof. Dr. Hanna Berg sprach.",
        "Hanna Berg",
        ["Leiterin für Forschung und Entwicklung"],
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param(text, [(name, roles, org, _spans(text, name))], marks=_bug(bug) if bug else (), id=text[:40])
        for text, name, roles, org, bug in _PERSON_ROLE_CASES
    ],
)
def test_roles_attached_to_person(extractor_default: Extractor, text: str, expected: list) -> None:
    rep = extractor_default.extract(text)
    found = [(p.name, p.roles, p.organisation, [(m.start, m.end, m.text) for m in p.mentions]) for p in rep.persons]
    assert found == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param(
            "Die Referentinnen Laura Meyer und Eva Fischer sprachen über Fachkräfte.",
            [("Laura Meyer", ["Referentin"]), ("Eva Fischer", ["Referentin"])],
            id="plural-role-two-names",
        ),
        pytest.param(
            "Geehrt wurden die Kreistagsmitglieder Klaus Ewert, Jürgen Bart und Angelika Schulz.",
            [("Klaus Ewert", ["Kreistagsmitglied"]), ("Jürgen Bart", ["Kreistagsmitglied"]), ("Angelika Schulz", ["Kreistagsmitglied"])],
            id="plural-compound-three-names",
        ),
        pytest.param(
            "Bürgermeister Hans Meier und Eva Roth eröffneten die Halle.",
            [("Hans Meier", ["Bürgermeister"]), ("Eva Roth", [])],
            id="singular-role-stays-with-its-name",
        ),
        pytest.param(
            "Zu Beisitzern wurden Eva Roth, Jan Kurz und Ole Berg gewählt. Kassenprüfer sind Tim Lau und Uwe Sand.",
            [("Eva Roth", ["Beisitzerin"]), ("Jan Kurz", ["Beisitzer"]), ("Ole Berg", ["Beisitzer"]),
             ("Tim Lau", ["Kassenprüfer"]), ("Uwe Sand", ["Kassenprüfer"])],
            id="election-and-copula-lists",
        ),
        pytest.param(
            "Michael Hofmann, bisheriger stellvertretender Kommandant, ist zum neuen Kommandanten gewählt worden.",
            [("Michael Hofmann", ["stellvertretender Kommandant", "Kommandant"])],
            id="apposition-after-adjective-and-election",
        ),
        pytest.param(
            "Als Nachfolgerin von Hans Meier wurde Eva Roth zur Vorsitzenden gewählt, Jan Kurz zum Stellvertreter.",
            [("Hans Meier", []), ("Eva Roth", ["Vorsitzende"]), ("Jan Kurz", ["Stellvertreter"])],
            id="election-groups-and-predecessor",
        ),
        pytest.param(
            "Als Ehrengäste begrüßte er Dieter Posch und Melanie Eckhardt (MdL). Der 1. Vorsitzende Niko Löbig dankte.",
            [("Dieter Posch", ["Ehrengast"]), ("Melanie Eckhardt", ["MdL", "Ehrengast"]), ("Niko Löbig", ["1. Vorsitzender"])],
            id="guests-parliament-title-ordinal",
        ),
        pytest.param(
            "Zu Gast war Irina Schmal, Kulturwissenschaftlerin und Germanistin. Den Vortrag hielt Dr. Ulrike Richter.",
            [("Irina Schmal", ["Kulturwissenschaftlerin", "Germanistin"]), ("Ulrike Richter", [])],
            id="coordinated-apposition-role-noun-surname",
        ),
    ],
)
def test_roles_plural_role_applies_to_each_name(extractor_default: Extractor, text: str, expected: list) -> None:
    rep = extractor_default.extract(text)
    assert [(p.name, p.roles) for p in rep.persons] == expected


def test_roles_from_acts_one_person_per_sentence(extractor_default: Extractor) -> None:
    text = "Moderiert wurde der Abend von Sascha Hingst. Die Laudatio hielt Eva Roth. Jan Kurz hielt die Festrede, Eva Roth dankte."
    found = {p.name: p.roles for p in extractor_default.extract(text).persons}
    assert found == {"Sascha Hingst": ["Moderator"], "Eva Roth": ["Laudatorin"], "Jan Kurz": []}
