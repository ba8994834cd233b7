"""Organisations across reports: one entity per long form, with its inflected and legal-form
variants and the acronyms reports pair with it.

- The long form's key is `matching.org_key` (case endings, leading article, legal forms and "&" ignored)
  with three more readings: a state adjective is the state ("Niedersächsisches Ministerium für X" =
  "Ministerium für X Niedersachsen"), "Deutscher Bundestag" = "Bundestag", and a leading generic
  acronym is spelled out ("IHK Düsseldorf" = "Industrie- und Handelskammer Düsseldorf").
- A name given without acronym that some report uses as the acronym of a long form ("BMAS", or a
  short form "Elbwerft") joins that long form when exactly one long form uses it; when several do,
  it stays an entity of its own, marked ambiguous.
- A generic word used as a name ("der TSV", "die Tafel", "die Staatskanzlei", a bare "IHK") names
  the local body of that report and is never joined across reports.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from extractor.evaluation.matching import fold, org_key, stem
from extractor.index.entities.common import Placed, docs_phrase, listed, quoted
from models.entities import EntityMention

# State adjective (as stemmed by org_key) -> the state's name key.
_STATE_ADJECTIVES = {
    "Baden-Württemberg": ("baden-württembergisch",), "Bayern": ("bayerisch", "bayrisch"),
    "Berlin": ("berliner",), "Brandenburg": ("brandenburgisch",), "Bremen": ("bremisch", "bremer"),
    "Hamburg": ("hamburgisch", "hamburger"), "Hessen": ("hessisch",),
    "Mecklenburg-Vorpommern": ("mecklenburg-vorpommersch",), "Niedersachsen": ("niedersächsisch",),
    "Nordrhein-Westfalen": ("nordrhein-westfälisch",), "Rheinland-Pfalz": ("rheinland-pfälzisch",),
    "Saarland": ("saarländisch",), "Sachsen": ("sächsisch",), "Sachsen-Anhalt": ("sachsen-anhaltisch",),
    "Schleswig-Holstein": ("schleswig-holsteinisch",), "Thüringen": ("thüringer",),
}
_STATE_OF_ADJECTIVE = {stem(adj): org_key(state) for state, adjs in _STATE_ADJECTIVES.items() for adj in adjs}
_STATE_KEYS = sorted(set(_STATE_OF_ADJECTIVE.values()), key=lambda k: (-len(" ".join(k)), k))
# Words between a body and its state that add nothing: "Landtag von Baden-Württemberg", "des Landes Hessen".
_STATE_SET = set(_STATE_KEYS)
_STATE_LINK = (("für", "das", "land"), ("des", "land"), ("im", "land"), ("von",), ("in",))

# Acronyms that stand for a kind of body, spelled out when a place follows ("IHK Düsseldorf").
_GENERIC_ACRONYMS = {
    acr: org_key(long) for acr, long in {
        "ihk": "Industrie- und Handelskammer", "hwk": "Handwerkskammer", "tu": "Technische Universität",
        "th": "Technische Hochschule", "fh": "Fachhochschule", "ff": "Freiwillige Feuerwehr",
        "kh": "Kreishandwerkerschaft", "vhs": "Volkshochschule", "uni": "Universität", "hs": "Hochschule",
        "lra": "Landratsamt", "ksb": "Kreissportbund", "lsb": "Landessportbund",
    }.items()
}

# A generic word used as the name: the local body of the report ("die Tafel", "der TSV").
_GENERIC_NAMES = {org_key(name) for name in (
    "TSV", "SV", "TV", "TuS", "SC", "FC", "SG", "SpVgg", "VfB", "VfL", "DJK", "IHK", "HWK", "KH", "FF", "KSB", "LSB",
    "Tafel", "Feuerwehr", "Freiwillige Feuerwehr", "Jugendfeuerwehr", "Stadtrat", "Gemeinderat", "Kreistag",
    "Ortsbeirat", "Ortschaftsrat", "Landtag", "Staatskanzlei", "Landesregierung", "Stadtverwaltung",
    "Kreisverwaltung", "Gemeindeverwaltung", "Landratsamt", "Rathaus", "Bürgermeisteramt", "Agentur für Arbeit",
    "Arbeitsagentur", "Jobcenter", "Förderverein", "Musikverein", "Schützenverein", "Sportverein", "Turnverein",
    "Heimatverein", "Gesangverein", "Kirchengemeinde", "Kindergarten", "Kita", "Grundschule", "Gymnasium",
    "Realschule", "Gesamtschule", "Oberschule", "Berufsschule", "Volkshochschule", "Musikschule", "Polizei",
    "Kreissportbund", "Stadtsportbund", "Landessportbund", "Kreisfeuerwehrverband", "Kreisverband", "Landesverband",
    "Bezirksverband", "Ortsverband", "Ortsverein", "Ortsgruppe", "Sparkasse", "Volksbank", "Raiffeisenbank",
    "Stadtwerke", "Finanzministerium", "Kultusministerium", "Innenministerium", "Wirtschaftsministerium",
    "Sozialministerium", "Umweltministerium", "Landwirtschaftsministerium", "Justizministerium",
    "Gesundheitsministerium", "Ministerium", "Staatsministerium", "Verein", "Verband", "Gemeinde", "Stadt",
    "Landkreis", "Kreis", "Schule", "Hochschule", "Universität", "Klinikum", "Krankenhaus", "Innung",
    "Kreishandwerkerschaft", "Handwerkskammer", "Industrie- und Handelskammer", "Handelskammer", "Landfrauen",
    "Landfrauenverein", "Jugendring", "Kreisjugendring", "Seniorenrat", "Kreisseniorenrat", "Gewerbeverein",
    "Werbegemeinschaft", "Bauernverband", "Kreisbauernverband", "Chor", "Kirchenchor", "Bürgerverein",
    "Elternbeirat", "Vorstand", "Verwaltung", "Stadtbücherei", "Bibliothek", "Museum", "Heimatmuseum",
)}

_ACRONYM_SHAPE = re.compile(r"[A-ZÄÖÜ0-9][\wÄÖÜäöüß&.+\-]{1,11}")


@lru_cache(maxsize=65536)
def looks_like_acronym(name: str) -> bool:
    """'BMAS', 'E.On', 'KwiT', 'MEDIBerlin': one word, at least two capitals, half its letters capitals."""
    name = name.strip()
    if not _ACRONYM_SHAPE.fullmatch(name):
        return False
    letters = [c for c in name if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return capitals >= 2 and capitals * 2 >= len(letters)


@lru_cache(maxsize=65536)
def canonical_key(name: str) -> tuple[str, ...]:
    """org_key with the state, 'Deutscher Bundes…' and generic-acronym readings (see the module doc)."""
    words = list(org_key(name))
    if len(words) > 1 and words[0] in _GENERIC_ACRONYMS:
        words = [*_GENERIC_ACRONYMS[words[0]], *words[1:]]
    if len(words) > 1 and words[0] == "deutsch" and words[1].startswith("bundes"):
        words = words[1:]
    if len(words) > 1 and words[0] in _STATE_OF_ADJECTIVE:
        words = [*words[1:], *_STATE_OF_ADJECTIVE[words[0]]]
    else:
        for state in _STATE_KEYS:
            n = len(state)
            if len(words) > n and tuple(words[-n:]) == state:
                head = words[:-n]
                for link in _STATE_LINK:
                    if len(head) > len(link) and tuple(head[-len(link):]) == link:
                        head = head[: -len(link)]
                        break
                words = [*head, *state]
                break
    return tuple(words)


def is_generic(name: str) -> bool:
    """A generic word used as a name ('TSV', 'die Tafel'): the local body of one report."""
    return canonical_key(name) in _GENERIC_NAMES


@lru_cache(maxsize=65536)
def acronym_key(text: str) -> str:
    return " ".join(fold(text).replace(".", "").split())


def _stateless(key: tuple[str, ...]) -> tuple[str, ...] | None:
    """The key without the state it ends in ('ministerium für … thüring' -> 'ministerium für …')."""
    return key[:-1] if len(key) > 1 and key[-1:] in _STATE_SET else None


@lru_cache(maxsize=65536)
def _trailing_acronym(name: str) -> tuple[str, tuple[str, ...]] | None:
    """('thw', key of 'Bundesanstalt') for 'Bundesanstalt THW': a long form ending in an acronym."""
    words = name.split()
    if len(words) > 1 and looks_like_acronym(words[-1]):
        return acronym_key(words[-1]), canonical_key(" ".join(words[:-1]))
    return None


def blocking_keys(mention: EntityMention) -> set[str]:
    """Its long form's key (and that key without its state); the acronym it carries or ends in;
    its name read as somebody's acronym."""
    key = canonical_key(mention.name)
    keys = {"org:name:" + " ".join(key), "org:acr:" + acronym_key(mention.name)}
    if mention.acronym:
        keys.add("org:acr:" + acronym_key(mention.acronym))
    if (stateless := _stateless(key)) is not None:
        keys.add("org:name:" + " ".join(stateless))
    if (trailing := _trailing_acronym(mention.name)) is not None:
        keys.add("org:acr:" + trailing[0])
    return keys


@dataclass
class _Archive:
    """What the mentions given together tell about each other."""

    names: dict[tuple[str, ...], set[str]]  # long-form key -> names written
    paired: dict[str, dict[tuple[str, ...], list[str]]]  # acronym -> long-form key -> reports pairing them
    with_state: dict[tuple[str, ...], set[tuple[str, ...]]]  # key without state -> keys with one

    def shown(self, key: tuple[str, ...]) -> str:
        return quoted(min(self.names[key]))


def _archive(mentions: list[EntityMention]) -> _Archive:
    names: dict[tuple[str, ...], set[str]] = defaultdict(set)
    pairs: dict[str, dict[tuple[str, ...], set[str]]] = defaultdict(lambda: defaultdict(set))
    with_state: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    for m in mentions:
        key = canonical_key(m.name)
        names[key].add(m.name)
        if m.acronym and acronym_key(m.acronym) != acronym_key(m.name):
            pairs[acronym_key(m.acronym)][key].add(m.doc_id)
        if (stateless := _stateless(key)) is not None:
            with_state[stateless].add(key)
    # sorted once: the acronym of a big body is paired in thousands of reports
    paired = {acr: {k: sorted(docs) for k, docs in forms.items()} for acr, forms in pairs.items()}
    return _Archive(names, paired, with_state)


def _place(m: EntityMention, archive: _Archive) -> Placed:
    key, short, name = canonical_key(m.name), acronym_key(m.name), quoted(m.name)
    bare = not m.acronym or acronym_key(m.acronym) == short  # no acronym of its own beside the name
    if not key:
        return Placed(m, ("org-local", m.doc_id, m.mention_key), "no name to compare: an entity of its own", m.name)
    if bare and key in _GENERIC_NAMES:
        forms = archive.paired.get(short, {})
        used = f" (the acronym of {len(forms)} long forms elsewhere)" if len(forms) > 1 else ""
        return Placed(m, ("org-local", m.doc_id, *key), f"generic name {name}{used}: the body of report "
                      f"{m.doc_id} itself, not joined across reports", m.name)
    if bare and short in archive.paired:
        forms = archive.paired[short]
        if len(forms) == 1:
            (long_key, docs), = forms.items()
            return Placed(m, ("org", *long_key), f"{name} is the acronym of {archive.shown(long_key)} in "
                          f"{docs_phrase(docs)}", None)
        return Placed(m, ("org-acr", short), f"ambiguous: {name} is the acronym of {len(forms)} long forms "
                      f"({listed(sorted(archive.shown(k) for k in forms))}), so it stays an entity of its own", m.name)
    if bare and looks_like_acronym(m.name):
        return Placed(m, ("org-acr", short), f"{name}: no report pairs this acronym with a long form", m.name)
    trailing = _trailing_acronym(m.name)
    if trailing and len(forms := archive.paired.get(trailing[0], {})) == 1:
        (long_key, docs), = forms.items()
        if long_key[: len(trailing[1])] == trailing[1]:
            return Placed(m, ("org", *long_key), f"{name} = {archive.shown(long_key)}: its last word is the "
                          f"acronym of that long form in {docs_phrase(docs)}", m.name)
    stated = sorted(archive.with_state.get(key, ()))
    if len(stated) == 1:
        return Placed(m, ("org", *stated[0]), f"{name} names no state; the only body of that name with one is "
                      f"{archive.shown(stated[0])}", m.name)
    if len(stated) > 1:
        return Placed(m, ("org", *key), f"{name} names no state, and bodies of that name exist in {len(stated)} "
                      f"states ({listed(sorted(archive.shown(k) for k in stated))}): it stays apart", m.name)
    return Placed(m, ("org", *key), "", m.name)


def resolve(mentions: list[EntityMention]) -> list[Placed]:
    archive = _archive(mentions)
    return [_place(m, archive) for m in mentions]
