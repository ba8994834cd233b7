"""Places across reports: one entity per place name, read with a reader's tolerance.

Names compare after `matching.place_key` (case, quotes, dashes), with abbreviated seat words spelled
out ("o. d." = "ob der"), a leading word for the kind of place dropped ("Freistaat Bayern" =
"Bayern", "Stadt Fulda" = "Fulda", but "Landkreis Fulda" stays a place of its own), state
abbreviations spelled out ("NRW"), and a genitive s read as the place ("Frankfurts" = "Frankfurt")
when the place itself is named too. No stemming otherwise: "Kemptener" is no place.

A bare name joins a seat-qualified form of it when that form is the only one ("Frankfurt" =
"Frankfurt am Main"); with two ("Neustadt an der Weinstraße", "Neustadt an der Aisch") it stays
apart. A name with a qualifier in brackets ("Frankfurt (Oder)") is never the bare name.
Generic venue words ("Rathaus", "Stadthalle", "Aula") name a place of that report only.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from extractor.evaluation.matching import PLACE_KIND_PREFIX, SEAT_START, place_key, seat_words
from extractor.index.entities.common import Placed, docs_phrase, listed, quoted
from models.entities import EntityMention

_SEATS = {w.strip(".") for w in SEAT_START if "." not in w.strip(".")} | {"ob", "an", "am", "im", "bei", "vor", "auf"}
_ABBREVIATIONS = {("nrw",): ("nordrhein-westfalen",), ("bw",): ("baden-württemberg",), ("rlp",): ("rheinland-pfalz",),
                  ("mv",): ("mecklenburg-vorpommern",), ("m-v",): ("mecklenburg-vorpommern",)}
_QUALIFIER_ABBREVIATIONS = {"br": "breisgau", "m": "main", "opf": "oberpfalz", "obb": "oberbayern", "ts": "taunus"}
_GENERIC_VENUES = {place_key(v) for v in (
    "Rathaus", "Stadthalle", "Kurhaus", "Bürgerhaus", "Gemeindehaus", "Dorfgemeinschaftshaus", "Mehrzweckhalle",
    "Turnhalle", "Sporthalle", "Festhalle", "Festsaal", "Festzelt", "Aula", "Mensa", "Audimax", "Ratssaal",
    "Sitzungssaal", "Großer Sitzungssaal", "Kleiner Sitzungssaal", "Plenarsaal", "Landeshaus", "Kreishaus",
    "Pfarrheim", "Pfarrsaal", "Gemeindesaal", "Vereinsheim", "Sportheim", "Clubhaus", "Feuerwehrhaus",
    "Feuerwehrgerätehaus", "Gerätehaus", "Schützenhaus", "Bürgersaal", "Kulturhaus", "Kulturzentrum",
    "Stadtbibliothek", "Marktplatz", "Kirche", "Schule", "Bahnhof", "Hauptbahnhof", "Innenstadt", "Altstadt",
    "Stadtpark", "Kurpark", "Sportplatz", "Haus des Gastes", "Rathausplatz", "Ortsmitte", "Dorfplatz",
    "Festplatz", "Kaisersaal", "Spiegelsaal", "Rittersaal", "Foyer", "Hörsaal", "Bürgerzentrum",
)}


@lru_cache(maxsize=65536)
def _parts(name: str) -> tuple[tuple[str, ...], tuple[str, ...] | None, bool]:
    """(key, base, bracketed): base is the name before a seat qualifier ('frankfurt' of 'Frankfurt am
    Main', or of 'Frankfurt (Oder)' with bracketed True), None for a bare name."""
    words = seat_words(place_key(name))
    if len(words) > 1 and words[0] in PLACE_KIND_PREFIX:
        words = words[1:]
    words = _ABBREVIATIONS.get(words, words)
    # "Frankfurt a. M.", "Frankfurt/M.", "Frankfurt/Main" = "Frankfurt am Main"
    if len(words) == 2 and (words[1] == "a.m" or "/" in name and words[1] in ("m", "main")):
        words = (words[0], "am", "main")
    if "(" in name and ")" in name.split("(", 1)[1]:
        base = seat_words(place_key(name.split("(", 1)[0]))
        return words, (base if base and base != words else None), True
    for i, word in enumerate(words):
        if i >= 1 and word in _SEATS:
            if words[-1] in _QUALIFIER_ABBREVIATIONS:  # "Freiburg i. Br." = "Freiburg im Breisgau"
                words = (*words[:-1], _QUALIFIER_ABBREVIATIONS[words[-1]])
            return words, words[:i], False
    return words, None, False


def _genitive_base(words: tuple[str, ...]) -> tuple[str, ...] | None:
    last = words[-1] if words else ""
    return (*words[:-1], last[:-1]) if last.endswith("s") and len(last) >= 5 else None


def blocking_keys(mention: EntityMention) -> set[str]:
    """The name's key, the name before its seat qualifier, the name without a genitive s."""
    words, base, _ = _parts(mention.name)
    keys = {"place:" + " ".join(words)}
    if base:
        keys.add("place:" + " ".join(base))
    genitive = _genitive_base(words) if base is None else None
    if genitive:
        keys.add("place:" + " ".join(genitive))
    return keys


def resolve(mentions: list[EntityMention]) -> list[Placed]:
    parts = {m.mention_key: _parts(m.name) for m in mentions}
    names = {words for words, _, _ in parts.values()}
    seated: dict[tuple[str, ...], dict[tuple[str, ...], set[str]]] = defaultdict(lambda: defaultdict(set))
    shown: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for m in mentions:
        words, base, bracketed = parts[m.mention_key]
        shown[words].add(m.name)
        if base and not bracketed:
            seated[base][words].add(m.doc_id)

    # sorted once: a big city's seat form is named in thousands of reports
    seat_forms = {base: {full: sorted(docs) for full, docs in forms.items()} for base, forms in seated.items()}
    placed = []
    for m in mentions:
        words, base, bracketed = parts[m.mention_key]
        name = quoted(m.name)
        if not words or words in _GENERIC_VENUES:
            placed.append(Placed(m, ("place-local", m.doc_id, *words), f"generic venue {name}: a place of report "
                                 f"{m.doc_id} only, not joined across reports", m.name))
            continue
        if base is not None:
            placed.append(Placed(m, ("place", *words), "", m.name))
            continue
        read_as, note = words, ""
        genitive = _genitive_base(words)
        if genitive and (genitive in names or genitive in seated):
            read_as, note = genitive, f"{name} read as the place without its genitive s"
        forms = seat_forms.get(read_as, {})
        if len(forms) == 1:
            (full, docs), = forms.items()
            target = min(shown[full])
            reason = f"{name} read as {quoted(target)}, the only place of that name with a seat qualifier ({docs_phrase(docs)})"
            placed.append(Placed(m, ("place", *full), reason, m.name))
        elif len(forms) > 1:
            targets = listed(sorted(min(shown[f]) for f in forms))
            reason = f"{name} could be any of {len(forms)} places ({targets}), so it stays apart"
            placed.append(Placed(m, ("place", *read_as), reason if not note else note + "; " + reason, m.name))
        else:
            placed.append(Placed(m, ("place", *read_as), note, m.name))
    return placed
