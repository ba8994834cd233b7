"""Entity resolution across reports (extractor/index/entities/) on invented mentions, and its scoring."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.index.entities import blocking_keys, mentions_from_report, resolve
from extractor.index.entities.scoring import ClusterGoldError, bcubed, load_clusters
from models import EventReport, Location, Organisation, Person
from models.entities import EntityAssignment, EntityMention

ROOT = Path(__file__).resolve().parents[1]
_counter: dict[str, int] = {}


def mention(doc: str, kind: str, name: str, **fields) -> EntityMention:
    n = _counter.get(f"{doc}:{kind}", 0)
    _counter[f"{doc}:{kind}"] = n + 1
    return EntityMention(mention_key=f"{doc}:{kind}:{n}", doc_id=doc, kind=kind, name=name, **fields)


def org(doc: str, name: str, acronym: str | None = None) -> EntityMention:
    return mention(doc, "org", name, acronym=acronym)


def person(doc: str, name: str, organisation: str | None = None, roles: tuple[str, ...] = (), titles: tuple[str, ...] = ()) -> EntityMention:
    return mention(doc, "person", name, organisation=organisation, roles=list(roles), titles=list(titles))


def place(doc: str, name: str) -> EntityMention:
    return mention(doc, "place", name)


def by_key(mentions: list[EntityMention]) -> dict[str, EntityAssignment]:
    return {a.mention_key: a for a in resolve(mentions)}


def ids(mentions: list[EntityMention]) -> list[str]:
    found = by_key(mentions)
    return [found[m.mention_key].entity_id for m in mentions]


# --- organisations -----------------------------------------------------------------------------


def test_inflected_long_forms_are_one_organisation() -> None:
    ms = [org("d1", "Bundesministerium für Arbeit und Soziales"), org("d2", "des Bundesministeriums für Arbeit und Soziales"),
          org("d3", "dem Bundesministerium für Arbeit und Soziales")]
    found = by_key(ms)
    assert len({a.entity_id for a in found.values()}) == 1
    assert found[ms[0].mention_key].canonical_name == "Bundesministerium für Arbeit und Soziales"
    assert found[ms[1].mention_key].reason == (
        "'des Bundesministeriums für Arbeit und Soziales' = 'Bundesministerium für Arbeit und Soziales' "
        "(case endings, article, legal form aside): same organisation as in d1 and d3")


def test_legal_form_variants_are_one_organisation() -> None:
    ms = [org("d1", "Heimatverein Talheim e. V."), org("d2", "Heimatverein Talheim e.V."), org("d3", "Heimatverein Talheim"),
          org("d4", "Heimatverein Tannheim e.V.")]
    first, second, third, other = ids(ms)
    assert first == second == third != other


def test_acronym_joins_the_long_form_a_report_pairs_it_with() -> None:
    ms = [org("d1", "Bundesministerium für Arbeit und Soziales", "BMAS"), org("d2", "Bundesministeriums für Arbeit und Soziales"),
          org("d3", "BMAS")]
    found = by_key(ms)
    assert len({a.entity_id for a in found.values()}) == 1
    assert found[ms[2].mention_key].reason == "'BMAS' is the acronym of 'Bundesministerium für Arbeit und Soziales' in d1"
    assert found[ms[2].mention_key].canonical_name == "Bundesministerium für Arbeit und Soziales"


def test_acronym_of_two_long_forms_stays_ambiguous() -> None:
    ms = [org("d1", "Verband Kommunaler Archive", "VKA"), org("d2", "Verein Kölner Autoren", "VKA"), org("d3", "VKA"),
          org("d4", "VKA")]
    archive, authors, bare, bare_again = ids(ms)
    assert len({archive, authors, bare}) == 3
    assert bare == bare_again
    reason = by_key(ms)[ms[2].mention_key].reason
    assert reason.startswith("ambiguous: 'VKA' is the acronym of 2 long forms ('Verband Kommunaler Archive'; 'Verein Kölner Autoren')")


def test_unpaired_acronyms_of_one_spelling_are_one_entity() -> None:
    ms = [org("d1", "LWQT"), org("d2", "LWQT"), org("d3", "LWQZ")]
    a, b, c = ids(ms)
    assert a == b != c
    assert by_key(ms)[ms[0].mention_key].reason == "'LWQT': no report pairs this acronym with a long form"


def test_generic_names_stay_in_their_report() -> None:
    ms = [org("d1", "TSV"), org("d2", "TSV"), org("d3", "Tafel"), org("d4", "die Tafel"), org("d5", "TSV Talheim"),
          org("d6", "TSV Talheim")]
    tsv1, tsv2, tafel1, tafel2, talheim1, talheim2 = ids(ms)
    assert tsv1 != tsv2 and tafel1 != tafel2
    assert talheim1 == talheim2
    assert by_key(ms)[ms[0].mention_key].reason == "generic name 'TSV': the body of report d1 itself, not joined across reports"


def test_generic_acronym_is_spelled_out_before_a_place() -> None:
    a, b, c = ids([org("d1", "IHK Kassel"), org("d2", "Industrie- und Handelskammer Kassel"), org("d3", "IHK Fulda")])
    assert a == b != c


def test_state_adjective_is_the_state() -> None:
    ms = [org("d1", "Niedersächsisches Ministerium für Wissenschaft und Kultur"),
          org("d2", "Ministerium für Wissenschaft und Kultur Niedersachsen"),
          org("d3", "Ministerium für Wissenschaft und Kultur des Landes Niedersachsen"),
          org("d4", "Hessisches Ministerium für Wissenschaft und Kultur"),
          org("d5", "Bundesministerium für Wissenschaft und Kultur")]
    lower_saxony, again, once_more, hesse, federal = ids(ms)
    assert lower_saxony == again == once_more
    assert len({lower_saxony, hesse, federal}) == 3


def test_ministry_without_state_joins_the_only_state_that_has_one() -> None:
    one = [org("d1", "Thüringer Ministerium für Bildung, Jugend und Sport"), org("d2", "Ministerium für Bildung, Jugend und Sport")]
    assert len(set(ids(one))) == 1
    assert by_key(one)[one[1].mention_key].reason == (
        "'Ministerium für Bildung, Jugend und Sport' names no state; the only body of that name with one is "
        "'Thüringer Ministerium für Bildung, Jugend und Sport'")
    two = [*one, org("d3", "Ministerium für Bildung, Jugend und Sport des Landes Brandenburg")]
    thuringia, bare, brandenburg = ids(two)
    assert len({thuringia, bare, brandenburg}) == 3
    assert "exist in 2 states" in by_key(two)[two[1].mention_key].reason


def test_deutscher_bundestag_is_the_bundestag() -> None:
    a, b, c = ids([org("d1", "Deutscher Bundestag"), org("d2", "des Bundestages"), org("d3", "Deutsche Bahn")])
    assert a == b != c


def test_long_form_ending_in_its_acronym() -> None:
    ms = [org("d1", "Bundesanstalt Technisches Hilfswerk", "THW"), org("d2", "Bundesanstalt THW"), org("d3", "Landesamt THW")]
    agency, short, other = ids(ms)
    assert agency == short != other


# --- persons -----------------------------------------------------------------------------------


def test_titles_honorifics_and_middle_initials_do_not_split_a_person() -> None:
    ms = [person("d1", "Anna Schmidt", titles=("Dr.",)), person("d2", "Dr. Anna Schmidt"), person("d3", "Frau Anna Schmidt"),
          person("d4", "Anna K. Schmidt"), person("d5", "Hanna Schmidt")]
    *same, other = ids(ms)
    assert len(set(same)) == 1 and other not in same
    assert by_key(ms)[ms[0].mention_key].reason == (
        "'Anna Schmidt': same person as in d2, d3 and d4 (titles and middle initials aside, no organisation differs)")


def test_initials_join_the_only_full_name_they_fit() -> None:
    ms = [person("d1", "Michael Schulz", "Stadtwerke Talheim"), person("d2", "M. Schulz")]
    assert len(set(ids(ms))) == 1
    assert by_key(ms)[ms[1].mention_key].reason == "'M. Schulz' gives initials only: the one person they fit is 'Michael Schulz' of 'Stadtwerke Talheim'"
    two = [*ms, person("d3", "Martina Schulz")]
    full, initials, martina = ids(two)
    assert initials not in (full, martina)


def test_same_name_different_organisations_are_two_people() -> None:
    ms = [person("d1", "Thomas Müller", "Stadtwerke Talheim"), person("d2", "Thomas Müller", "Tischlerei Brandt GmbH")]
    a, b = ids(ms)
    assert a != b
    assert by_key(ms)[ms[0].mention_key].reason == "'Thomas Müller' of 'Stadtwerke Talheim': no other report names this person"


def test_same_name_same_organisation_in_other_spelling_is_one_person() -> None:
    ms = [person("d1", "Anna Schmidt", "BMAS"), person("d2", "Anna Schmidt", "Bundesministerium für Arbeit und Soziales"),
          person("d3", "Anna Schmidt", "dem Bundesministerium für Arbeit und Soziales")]
    assert len(set(ids(ms))) == 1
    assert by_key(ms)[ms[1].mention_key].reason == (
        "'Anna Schmidt' of 'Bundesministerium für Arbeit und Soziales': same person as in d1 and d3 (the organisation agrees)")


def test_person_without_organisation_joins_only_a_single_candidate() -> None:
    """The third 'Thomas Müller' (no organisation) joins when one candidate exists, stays apart when two do."""
    single = [person("d1", "Thomas Müller", "Stadtwerke Talheim"), person("d3", "Thomas Müller")]
    assert len(set(ids(single))) == 1
    assert by_key(single)[single[1].mention_key].reason == (
        "'Thomas Müller' without organisation: the only person of this name is the one of 'Stadtwerke Talheim' (d1)")

    double = [*single, person("d2", "Thomas Müller", "Tischlerei Brandt GmbH")]
    talheim, bare, brandt = ids(double)
    assert len({talheim, bare, brandt}) == 3
    assert by_key(double)[double[1].mention_key].reason == (
        "'Thomas Müller' without organisation: 2 namesakes (of 'Stadtwerke Talheim'; of 'Tischlerei Brandt GmbH'), "
        "nothing tells which, so it stays apart")


def test_an_agreeing_role_picks_the_candidate_but_an_event_role_does_not() -> None:
    base = [person("d1", "Thomas Müller", "Stadtwerke Talheim", ("Geschäftsführer",)),
            person("d2", "Thomas Müller", "Tischlerei Brandt GmbH", ("Tischlermeister", "Gast"))]
    with_office = [*base, person("d3", "Thomas Müller", roles=("Geschäftsführer",))]
    talheim, _, third = ids(with_office)
    assert third == talheim
    with_guest = [*base, person("d4", "Thomas Müller", roles=("Gast",))]
    a, b, guest = ids(with_guest)
    assert guest not in (a, b)


def test_a_generic_organisation_is_no_evidence() -> None:
    """'TSV' names no club in particular: it neither ties two 'Thomas Müller' together nor keeps them apart."""
    ms = [person("d1", "Thomas Müller", "TSV"), person("d2", "Thomas Müller", "Stadtwerke Talheim")]
    a, b = ids(ms)
    assert a == b
    assert by_key(ms)[ms[0].mention_key].reason == (
        "'Thomas Müller' with only the generic organisation 'TSV': the only person of this name is the one of "
        "'Stadtwerke Talheim' (d2)")
    two = [*ms, person("d3", "Thomas Müller", "Tischlerei Brandt GmbH")]
    tsv, talheim, brandt = ids(two)
    assert len({tsv, talheim, brandt}) == 3


def test_hyphenated_given_names_and_initials() -> None:
    ms = [person("d1", "Hans-Peter Krause", "Stadtwerke Talheim"), person("d2", "Hans Peter Krause"), person("d3", "H.-P. Krause"),
          person("d4", "Hans Krause")]
    hyphen, spaced, initials, other = ids(ms)
    assert hyphen == spaced == initials != other


def test_surname_only_needs_evidence() -> None:
    ms = [person("d1", "Sabine Lackner", "Bundesanstalt Technisches Hilfswerk", ("Vizepräsidentin",)),
          person("d2", "Lackner", "THW", ("THW-Präsidentin",)), person("d3", "Lackner"), person("d4", "Lackner")]
    full, with_org, bare, bare_again = ids(ms)
    assert with_org == full
    assert len({full, bare, bare_again}) == 3
    found = by_key(ms)
    assert found[ms[1].mention_key].reason == "'Lackner' is a surname only: its organisation 'THW' agrees with 'Sabine Lackner' of 'Bundesanstalt Technisches Hilfswerk'"
    assert found[ms[2].mention_key].reason == "'Lackner' is a surname only, with nothing tying it to a person of another report"


def test_reasons_stay_short_however_many_namesakes_and_reports() -> None:
    """Reasons are stored with every mention: lists are cut to a few items, long names to 60 characters."""
    long_org = "Gemeinnützige Gesellschaft für berufliche Bildung und Beschäftigungsförderung im Landkreis Talheim-Nord {}"
    ms = [person(f"n{i}", "Maximiliane Theodora Müller-Lüdenscheidt", long_org.format(i), ("Geschäftsführerin",))
          for i in range(30)]
    ms += [person(f"m{i}", "Maximiliane Theodora Müller-Lüdenscheidt", roles=("Gast",)) for i in range(30)]
    ms += [org(f"o{i}", long_org.format(0), "GGBB") for i in range(30)] + [org(f"o{i}", "GGBB") for i in range(30, 40)]
    ms += [place(f"p{i}", "Neustadt an der " + "Weinstraße" * 3 + str(i)) for i in range(10)] + [place("p99", "Neustadt")]
    found = resolve(ms)
    assert max(len(a.reason) for a in found) <= 200
    ambiguous = by_key(ms)[ms[30].mention_key].reason
    assert "30 namesakes" in ambiguous and "and 28 more" in ambiguous


def test_surname_only_never_joins_another_person_of_its_report() -> None:
    ms = [person("d1", "Erika Kirsch", "Kleingartenverein Talheim"), person("d1", "Kirsch", "Kleingartenverein Talheim")]
    a, b = ids(ms)
    assert a != b


# --- places ------------------------------------------------------------------------------------


def test_frankfurt_is_frankfurt_am_main_but_not_frankfurt_oder() -> None:
    ms = [place("d1", "Frankfurt am Main"), place("d2", "Frankfurt"), place("d3", "Frankfurts"), place("d4", "Frankfurt (Oder)")]
    main, bare, genitive, oder = ids(ms)
    assert main == bare == genitive != oder
    found = by_key(ms)
    assert found[ms[1].mention_key].reason == "'Frankfurt' read as 'Frankfurt am Main', the only place of that name with a seat qualifier (d1)"
    assert found[ms[1].mention_key].canonical_name == "Frankfurt am Main"


def test_abbreviated_seat_qualifiers() -> None:
    ms = [place("d1", "Frankfurt am Main"), place("d2", "Frankfurt a. M."), place("d3", "Frankfurt/Main"),
          place("d4", "Freiburg im Breisgau"), place("d5", "Freiburg i. Br."), place("d6", "Freiburg")]
    main, abbreviated, slash, breisgau, br, bare = ids(ms)
    assert main == abbreviated == slash
    assert breisgau == br == bare


def test_bare_name_of_two_seat_qualified_places_stays_apart() -> None:
    ms = [place("d1", "Neustadt an der Weinstraße"), place("d2", "Neustadt an der Aisch"), place("d3", "Neustadt")]
    assert len(set(ids(ms))) == 3
    assert by_key(ms)[ms[2].mention_key].reason == (
        "'Neustadt' could be any of 2 places (Neustadt an der Aisch; Neustadt an der Weinstraße), so it stays apart")


def test_place_variants() -> None:
    ms = [place("d1", "Bayern"), place("d2", "Freistaat Bayern"), place("d3", "NRW"), place("d4", "Nordrhein-Westfalen"),
          place("d5", "Kempten"), place("d6", "Kemptener"), place("d7", "Landkreis Fulda"), place("d8", "Fulda"),
          place("d9", "Rothenburg o. d. Tauber"), place("d10", "Rothenburg ob der Tauber")]
    bayern, freistaat, nrw, nw, kempten, kemptener, district, fulda, rothenburg, rothenburg_long = ids(ms)
    assert bayern == freistaat and nrw == nw and rothenburg == rothenburg_long
    assert kempten != kemptener and district != fulda


def test_generic_venues_stay_in_their_report() -> None:
    a, b = ids([place("d1", "Rathaus"), place("d2", "Rathaus")])
    assert a != b


# --- properties of resolve() -----------------------------------------------------------------------


def _mixed() -> list[EntityMention]:
    return [
        org("p1", "Bundesministerium für Arbeit und Soziales", "BMAS"), org("p2", "des Bundesministeriums für Arbeit und Soziales"),
        org("p3", "BMAS"), org("p4", "Verband Kommunaler Archive", "VKA"), org("p5", "Verein Kölner Autoren", "VKA"),
        org("p6", "VKA"), org("p6", "TSV"), org("p7", "TSV"), org("p7", "Bundesanstalt THW"),
        org("p8", "Bundesanstalt Technisches Hilfswerk", "THW"), org("p8", "Ministerium für Bildung, Jugend und Sport"),
        org("p9", "Thüringer Ministerium für Bildung, Jugend und Sport"),
        person("p1", "Thomas Müller", "Stadtwerke Talheim"), person("p2", "Thomas Müller", "Tischlerei Brandt GmbH"),
        person("p3", "Thomas Müller"), person("p4", "Dr. Anna Schmidt", "BMAS"), person("p5", "Anna Schmidt"),
        person("p6", "A. Schmidt"), person("p7", "Schmidt", "Bundesministerium für Arbeit und Soziales"),
        person("p8", "Sabine Lackner", "Bundesanstalt Technisches Hilfswerk"), person("p9", "Lackner", "THW"),
        place("p1", "Frankfurt am Main"), place("p2", "Frankfurt"), place("p3", "Frankfurt (Oder)"), place("p4", "Frankfurts"),
        place("p5", "Neustadt an der Aisch"), place("p6", "Neustadt"), place("p7", "Rathaus"), place("p8", "Rathaus"),
    ]


def test_resolution_does_not_depend_on_input_order() -> None:
    ms = _mixed()
    reference = {a.mention_key: a for a in resolve(ms)}
    rng = random.Random(12)
    for _ in range(20):
        shuffled = ms[:]
        rng.shuffle(shuffled)
        out = resolve(shuffled)
        assert [a.mention_key for a in out] == [m.mention_key for m in shuffled]  # input order kept
        assert {a.mention_key: a for a in out} == reference


def test_ids_do_not_change_when_unrelated_mentions_are_added() -> None:
    ms = _mixed()
    before = {a.mention_key: a.entity_id for a in resolve(ms)}
    more = [org("q1", "Landfrauenverein Talheim"), person("q2", "Jürgen Beispiel", "Landfrauenverein Talheim"),
            place("q3", "Talheim"), org("q4", "Zentrum für Qualität X", "ZQX")]
    after = {a.mention_key: a.entity_id for a in resolve([*more, *ms])}
    assert all(after[k] == v for k, v in before.items())


def test_ids_do_not_depend_on_python_hash_seeds() -> None:
    code = ("from tests.test_entities import _mixed; from extractor.index.entities import resolve; "
            "print(sorted((a.mention_key, a.entity_id, a.canonical_name) for a in resolve(_mixed())))")
    outputs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outputs) == 1


def _joined_pairs(ms: list[EntityMention]) -> list[tuple[EntityMention, EntityMention, str]]:
    found = by_key(ms)
    return [(a, b, found[a.mention_key].reason) for i, a in enumerate(ms) for b in ms[i + 1:]
            if found[a.mention_key].entity_id == found[b.mention_key].entity_id]


def _acronym_join(a: EntityMention, b: EntityMention, found: dict[str, EntityAssignment]) -> bool:
    return any(" is the acronym of " in found[m.mention_key].reason or "acronym of that long form" in found[m.mention_key].reason
               for m in (a, b))


def test_joined_mentions_share_a_blocking_key() -> None:
    """Every two mentions resolve() joins share a key, except an acronym and a long form that does not
    carry it: then the report pairing them shares a key with each (the index loads whole entities)."""
    ms = _mixed()
    found = by_key(ms)
    pairs = _joined_pairs(ms)
    assert len(pairs) >= 12
    for a, b, _ in pairs:
        if not blocking_keys(a) & blocking_keys(b):
            assert _acronym_join(a, b, found), (a.name, b.name)
            assert any(blocking_keys(c) & blocking_keys(a) and blocking_keys(c) & blocking_keys(b) for c in ms), (a.name, b.name)


def _local_ids(ms: list[EntityMention]) -> None:
    """Each mention's id, resolved with only the mentions sharing a key with it (and whole entities
    of those, as the index loads them), equals its id in the whole set."""
    whole = by_key(ms)
    for m in ms:
        keys = blocking_keys(m)
        near = [o for o in ms if blocking_keys(o) & keys]
        entities = {whole[o.mention_key].entity_id for o in near}
        near += [o for o in ms if whole[o.mention_key].entity_id in entities and o not in near]
        assert by_key(near)[m.mention_key].entity_id == whole[m.mention_key].entity_id, m.name


def test_an_id_depends_only_on_mentions_sharing_its_keys() -> None:
    _local_ids(_mixed())


_NAMES = {
    "org": ["Bundesministerium für Arbeit und Soziales", "des Bundesministeriums für Arbeit und Soziales", "BMAS", "VKA",
            "Verband Kommunaler Archive", "Verein Kölner Autoren", "TSV", "Heimatverein Talheim e. V.", "Heimatverein Talheim",
            "Ministerium für Kultur", "Sächsisches Ministerium für Kultur", "Ministerium für Kultur Hessen", "IHK Talheim",
            "Industrie- und Handelskammer Talheim", "Bundesanstalt THW", "Bundesanstalt Technisches Hilfswerk", "THW"],
    "person": ["Thomas Müller", "Dr. Thomas Müller", "T. Müller", "Müller", "Anna Schmidt", "Anna K. Schmidt", "Schmidt",
               "Hanna Schmidt"],
    "place": ["Frankfurt", "Frankfurt am Main", "Frankfurt (Oder)", "Frankfurts", "Neustadt", "Neustadt an der Aisch",
              "Neustadt an der Weinstraße", "Freistaat Bayern", "Bayern", "Rathaus"],
}
_ORGS = [None, "Stadtwerke Talheim", "Tischlerei Brandt GmbH", "BMAS", "Bundesministerium für Arbeit und Soziales", "THW"]
_ACRONYMS = [None, None, "BMAS", "VKA", "THW", "HVT"]


@st.composite
def _archives(draw: st.DrawFn) -> list[EntityMention]:
    found = []
    for n in range(draw(st.integers(2, 14))):
        kind = draw(st.sampled_from(["org", "person", "place"]))
        name = draw(st.sampled_from(_NAMES[kind]))
        fields: dict = {}
        if kind == "org":
            fields["acronym"] = draw(st.sampled_from(_ACRONYMS))
        if kind == "person":
            fields["organisation"] = draw(st.sampled_from(_ORGS))
            fields["roles"] = draw(st.sampled_from([[], ["Geschäftsführer"], ["Gast"]]))
        doc = f"h{draw(st.integers(0, 5))}"
        found.append(EntityMention(mention_key=f"{doc}:{kind}:{n}", doc_id=doc, kind=kind, name=name, **fields))
    return found


@settings(max_examples=150, deadline=None)
@given(_archives(), st.randoms(use_true_random=False))
def test_properties_hold_on_generated_archives(ms: list[EntityMention], rng: random.Random) -> None:
    found = by_key(ms)
    shuffled = ms[:]
    rng.shuffle(shuffled)
    assert by_key(shuffled) == found
    for a, b, _ in _joined_pairs(ms):
        if not blocking_keys(a) & blocking_keys(b):
            assert _acronym_join(a, b, found)
    _local_ids(ms)


# --- input and errors --------------------------------------------------------------------------


def test_mentions_from_report_keys_each_entry_by_its_index() -> None:
    report = EventReport(doc_id="bericht-7", published="2024-05-13",
                         persons=[Person(name="Anna Schmidt", roles=["Referatsleiterin"], organisation="BMAS", titles=["Dr."])],
                         organisations=[Organisation(name="Stadtwerke Talheim"), Organisation(name="Bundesministerium für Arbeit und Soziales", acronym="BMAS")],
                         locations=[Location(name="Talheim", kind="city")])
    found = mentions_from_report(report)
    assert [m.mention_key for m in found] == ["bericht-7:person:0", "bericht-7:org:0", "bericht-7:org:1", "bericht-7:place:0"]
    assert found[0].titles == ["Dr."] and found[0].organisation == "BMAS" and found[0].published == "2024-05-13"
    assert found[2].acronym == "BMAS" and found[3].location_kind == "city"


def test_a_mention_key_given_twice_is_refused() -> None:
    m = EntityMention(mention_key="d1:org:0", doc_id="d1", kind="org", name="Stadtwerke Talheim")
    with pytest.raises(ValueError, match="mention_key 'd1:org:0' is given twice"):
        resolve([m, m])


# --- scoring -----------------------------------------------------------------------------------


def test_bcubed_on_a_hand_computed_example() -> None:
    # gold: {a, b, c}, {d}; predicted: {a, b}, {c, d}
    gold = {"a": "g1", "b": "g1", "c": "g1", "d": "d"}
    pred = {"a": "p1", "b": "p1", "c": "p2", "d": "p2"}
    score = bcubed(gold, pred, {k: "org" for k in gold})["org"]
    assert score.precision == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert score.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert (score.pairs_gold, score.pairs_predicted, score.pairs_correct) == (3, 2, 1)


def test_cluster_file_is_checked_against_the_records(tmp_path: Path) -> None:
    ms = [EntityMention(mention_key="d1:org:0", doc_id="d1", kind="org", name="Stadtwerke Talheim"),
          EntityMention(mention_key="d2:org:0", doc_id="d2", kind="org", name="Stadtwerke Talheim"),
          EntityMention(mention_key="d2:place:0", doc_id="d2", kind="place", name="Talheim")]
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"clusters": [{"kind": "org", "mentions": ["d1:org:0=Stadtwerke Talheim", "d2:org:0=Stadtwerke Talheim"]}]}))
    assert load_clusters(good, ms) == {"d1:org:0": "cluster:0", "d2:org:0": "cluster:0", "d2:place:0": "d2:place:0"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"clusters": [{"kind": "org", "mentions": ["d1:org:0=Stadtwerke Tahlheim", "d9:org:0=X",
                                                                           "d2:place:0=Talheim"]}]}))
    with pytest.raises(ClusterGoldError) as info:
        load_clusters(bad, ms)
    assert info.value.problems == [
        "bad.json: clusters[0]: d1:org:0 is 'Stadtwerke Talheim' in the records, not 'Stadtwerke Tahlheim'",
        "bad.json: clusters[0]: no mention 'd9:org:0' in the records",
        "bad.json: clusters[0]: d2:place:0 is a place, not a org",
    ]


def test_predicted_mentions_are_aligned_to_gold_mentions_of_their_report() -> None:
    from extractor.index.entities.scoring import align_predicted

    gold = [EntityMention(mention_key="d1:org:0", doc_id="d1", kind="org", name="Bundesministerium für Arbeit und Soziales", acronym="BMAS"),
            EntityMention(mention_key="d1:person:0", doc_id="d1", kind="person", name="Anna Schmidt"),
            EntityMention(mention_key="d2:place:0", doc_id="d2", kind="place", name="Frankfurt am Main")]
    pred = [EntityMention(mention_key="p1:org:0", doc_id="d1", kind="org", name="Bundesministeriums für Arbeit und Soziales"),
            EntityMention(mention_key="p1:org:1", doc_id="d1", kind="org", name="Stadtwerke Talheim"),
            EntityMention(mention_key="p1:person:0", doc_id="d1", kind="person", name="Dr. Anna Schmidt"),
            EntityMention(mention_key="p2:place:0", doc_id="d2", kind="place", name="Frankfurt"),
            EntityMention(mention_key="p3:place:0", doc_id="d3", kind="place", name="Frankfurt am Main")]
    assert align_predicted(gold, pred) == {"p1:org:0": "d1:org:0", "p1:person:0": "d1:person:0", "p2:place:0": "d2:place:0"}


def test_the_cluster_gold_fits_its_records() -> None:
    from extractor.evaluation.real_records import load_gold_dir
    from extractor.index.entities.scoring import gold_mentions_corpus, gold_mentions_real

    corpus = gold_mentions_corpus(sorted((ROOT / "corpus" / "annotated").glob("*.jsonl")))
    assert len(set(load_clusters(ROOT / "corpus" / "entities" / "corpus.json", corpus).values())) < len(corpus)
    real = gold_mentions_real(load_gold_dir(ROOT / "corpus" / "real" / "gold"))
    assert len(set(load_clusters(ROOT / "corpus" / "entities" / "real.json", real).values())) < len(real)


def test_evaluate_script_reports_scores_and_refuses_bad_options(tmp_path: Path) -> None:
    script = [sys.executable, str(ROOT / "scripts" / "evaluate_entities.py")]
    done = subprocess.run([*script, "--set", "corpus", "--json"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)["corpus"]["scores"]
    assert set(scores) == {"person", "org", "place", "all"}
    assert scores["all"]["mentions"] == scores["person"]["mentions"] + scores["org"]["mentions"] + scores["place"]["mentions"]
    bad = subprocess.run([*script, "--split", "train"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "error: --set is corpus, real or both; --split is dev, test or all"
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"doc_id": "a01", "persons": []}\n{"doc_id": 7}\n', encoding="utf-8")
    broken = subprocess.run([*script, "--set", "corpus", "--pred", str(pred)], capture_output=True, text=True, cwd=ROOT)
    assert broken.returncode == 2
    assert broken.stderr.strip() == f"error: {pred}:2: not an EventReport (doc_id: Input should be a valid string)"
