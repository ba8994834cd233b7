"""`eventfacts_locations`: cities, districts, German Länder, countries, regions and named venues.

Gazetteer matches (longest first, so "Frankfurt am Main" beats "Frankfurt") plus a statistical
NER's LOC entities where the pipeline has one. Names that are also common words ("Essen",
"Weil") need a place preposition before them ("in Essen"). Places inside organisation names
("IHK Berlin") belong to the organisation. Inflected forms map to the nominative ("Deutschlands").
Districts ("Landkreis Gießen", "Wartburgkreis") and named venues ("Stadthalle Kempten", "Haus der
Technik") come from `venues`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import extensions as ext
from extractor.components.base import RuleComponent
from extractor.components.venues import find_districts, find_venues
from extractor.doc_tokens import DocTokens, doc_tokens
from extractor.german import ACADEMIC_TITLES, HONORIFICS, PLACE_PREPOSITIONS, is_capitalised
from extractor.lexicon import ambiguous_first_names, common_noun_tails, common_nouns, first_names, places, venue_heads

_MAX_WORDS = 4
# English phrase words ("Peer Learning", "Customer Journey"): press German borrows them, place names rarely.
_ENGLISH_WORDS = frozenset("learning journey the of and for day week lab hub camp talk summit".split())
# First words of multiword place names the gazetteer may lack: "Bad Doberan", "Sankt Wendel".
_SPA_PREFIXES = frozenset({"Bad", "St.", "Sankt"})
_PLACE_PREFIXES = frozenset("Bad Sankt St. Groß Klein Neu Alt Ober Unter Nieder Hohen Markt Schloss".split())
# Endings of German place names ("-hausen", "-dorf", "-ingen" …), for villages the gazetteer lacks.
_PLACE_ENDINGS = frozenset(
    "hausen dorf heim ingen stadt berg burg feld felde bach rode hagen kirchen weiler stedt leben büttel hofen "
    "brück brücken bruck furt born beck ow".split()
)
_PLACE_ENDING = re.compile(r"[a-zäöüß](?:" + "|".join(sorted(_PLACE_ENDINGS, key=len, reverse=True)) + r")$")
_SHAPED_AFTER = frozenset({"in", "nach", "aus"})
# Common nouns that name a town's district after a hyphen ("Berlin-Mitte"); others make a compound
# noun ("Berlin-Besuch").
_DISTRICT_WORDS = frozenset("Mitte Nord Süd Ost West Nordost Nordwest Südost Südwest Altstadt Innenstadt Zentrum".split())


def _wordlike(text: str) -> bool:
    """Letters, or hyphen-joined letters: "Tel-Aviv", "Berlin-Mitte"; not "Wolfenbüttel," or "-"."""
    return text.replace("-", "").isalpha() and not text.startswith("-") and not text.endswith("-")


def _plausible_hyphenated(text: str) -> bool:
    """A hyphenated place has a known place in it or no common noun: "Berlin-Mitte", "Tel-Aviv"."""
    parts = [p for p in text.split("-") if p]
    if len(parts) < 2:
        return True
    return any(p in places() for p in parts) or not any(p in common_nouns() for p in parts)


def _plausible_multiword_place(ent: Span) -> bool:
    """'Bad Kleinen', 'Wildbad Kreuth', 'Canning Town': a place prefix first, or capitalised words
    ending in a name, not in a common noun ('Gemeinsamer Verantwortung') nor an English phrase
    ('Peer Learning'). Fixed phrases such as 'Vereinigte Staaten' belong in the gazetteer."""
    words = [t.text for t in ent]
    if words[0] in _PLACE_PREFIXES:
        return True
    if not all(is_capitalised(w) for w in words) or any(w.lower() in _ENGLISH_WORDS for w in words):
        return False
    return words[-1] not in common_nouns()


def lookup_place(text: str):  # noqa: ANN201 - PlaceEntry | None
    """The gazetteer entry for a surface form ('Deutschlands' -> Deutschland), or None.

    Plural country names take a dative -n ("aus den Niederlanden", "in den Philippinen").
    """
    entry = places().get(text)
    if entry is None and text.endswith("n") and text[:-1].endswith("e"):
        plural = places().get(text[:-1])
        if plural is not None and plural.kind == "country":
            return plural
    return entry


@lru_cache(maxsize=1)
def _multiword_starts() -> frozenset[str]:
    """First words of the gazetteer forms with a space ('Bad' of 'Bad Hersfeld', 'Frankfurt' of
    'Frankfurt am Main'): an n-gram whose first token is another word followed by a space is no form."""
    return frozenset(form.split(" ", 1)[0] for form in places() if " " in form)


class LocationRecognizer(RuleComponent):
    """Writes LOC spans and `doc._.ef_locations` clusters."""

    preload = (ambiguous_first_names, common_nouns, first_names, places, _multiword_starts, venue_heads)

    def __init__(self, nlp: Language, name: str, *, spans_key: str, use_ner: bool) -> None:
        super().__init__(nlp, name, spans_key=spans_key, use_ner=use_ner)

    def __call__(self, doc: Doc) -> Doc:
        blocked: set[int] = set()
        for key in (ext.ORGS, ext.DATES, ext.QUANTITIES):
            for sp in doc.spans.get(key, []):
                blocked.update(range(sp.start, sp.end))
        org_tokens = {t for sp in doc.spans.get(ext.ORGS, []) for t in range(sp.start, sp.end)}
        found: list[tuple[int, int, str, str | None]] = []
        # Districts first ("Landkreis Gießen" is the district, not the town), even where the
        # organisation rules saw the district's authority; venues beside the towns they name.
        districts = [d for d in find_districts(doc) if not any(t in blocked for t in range(d[0], d[1])) or doc[d[0]].text.startswith(("Land", "Kreis"))]
        found += districts
        blocked |= {t for s, e, _, _ in districts for t in range(s, e)}
        # A venue is found over an organisation's tokens ("Hotel Lindenhof" may be both); a place
        # inside a venue's name is no location of its own ("Schloss Neutrauchburg").
        venues = find_venues(doc, blocked - org_tokens, org_tokens)
        blocked |= {t for s, e, _, _ in venues for t in range(s, e)}
        # Token texts and their trailing spaces: n-grams are joined from these.
        toks = doc_tokens(doc)
        i = 0
        while i < len(doc):
            hit = self._match_at(doc, toks, i, blocked)
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit[1]
        found += self._shaped_places(doc, toks, blocked | {t for s, e, _, _ in found for t in range(s, e)})
        # The dateline before the model: "BERLIN." is Berlin, whatever the model calls it.
        found += self._dateline(doc, {t for s, e, _, _ in found for t in range(s, e)} | blocked)
        if self.cfg["use_ner"]:
            taken = {t for s, e, _, _ in found for t in range(s, e)}
            for ent in doc.ents:
                if ent.label_ != "LOC" or any(t in blocked or t in taken for t in range(ent.start, ent.end)):
                    continue
                entry = lookup_place(ent.text)
                if entry is None and (len(ent) == 1 and ent.text in common_nouns() or not _wordlike(ent[-1].text)):
                    continue  # a common noun or a span with punctuation is no place the model knows
                if entry is None and len(ent) == 1 and _ends_in_common_noun(ent.text):
                    continue  # "Regionalversorger", "Krankenhausstandort": a compound noun, not a place
                if entry is None and not _plausible_hyphenated(ent[-1].text):
                    continue  # "Elektro-Lkw" is a compound noun; "Berlin-Mitte", "Tel-Aviv" are places
                if entry is not None and entry.ambiguous and not _place_context(doc, ent.start):
                    continue  # "Essen und Trinken": the gazetteer's context rule holds for the model too
                if entry is None and len(ent) > 1 and not _plausible_multiword_place(ent):
                    continue  # unknown multiword "places" are often phrases ("Peer Learning")
                name = entry.name if entry else _strip_genitive(ent.text)
                found.append((ent.start, ent.end, name, entry.kind if entry else None))
        found += venues
        found = [(s, e, name if "(" in toks.span_text(s, e) else _display_name(name), kind) for s, e, name, kind in found]
        found.sort()
        clusters: dict[str, dict] = {}
        spans = []
        for s, e, name, kind in found:
            span = Span(doc, s, e, label="LOC")
            spans.append(span)
            c = clusters.setdefault(name, {"name": name, "kind": kind, "mentions": []})
            c["mentions"].append([span.start_char, span.end_char])
        doc.spans[self.cfg["spans_key"]] = spans
        doc._.ef_locations = list(clusters.values())
        return doc

    def _dateline(self, doc: Doc, taken: set[int]) -> list[tuple[int, int, str, str | None]]:
        """'BERLIN.' or 'FRANKFURT AM MAIN.' opening the body: the gazetteer knows 'Berlin'."""
        out = []
        for sp in doc.spans.get(ext.LAYOUT, []):
            if sp.label_ != "DATELINE" or any(t in taken for t in range(sp.start, sp.end)):
                continue
            entry = lookup_place(_title_case(sp.text))
            if entry is not None:
                out.append((sp.start, sp.end, entry.name, entry.kind))
        return out

    def _shaped_places(self, doc: Doc, toks: DocTokens, taken: set[int]) -> list[tuple[int, int, str, str | None]]:
        """Villages, small towns and districts the gazetteer lacks: after "in", "nach" or "aus", a
        capitalised word with the ending of a German place name ("in Hommertshausen", "aus
        Mühlenhagen") that is no common noun, first name or part of something found already, or a
        known town with a district ("in Mainz-Finthen")."""
        words, lower = toks.text, toks.lower
        out = []
        for i in range(1, len(words)):
            if i in taken or lower[i - 1] not in _SHAPED_AFTER or doc[i].is_sent_start:
                continue
            text = words[i]
            head, _, district = text.partition("-")
            city = places().get(head)
            if district[:1].isupper() and district.replace("-", "").isalpha() and city is not None and city.kind == "city" \
                    and (district in _DISTRICT_WORDS or district not in common_nouns() and not common_noun_tails(district)):
                out.append((i, i + 1, text, "city"))  # "in Mainz-Finthen", "aus Berlin-Mitte": a town's district
                continue
            if not (is_capitalised(text) and text.isalpha() and _PLACE_ENDING.search(text)):
                continue
            if text in common_nouns() or text in first_names():
                continue
            if any(tail.lower() not in _PLACE_ENDINGS and tail not in places() for tail in common_noun_tails(text)):
                continue  # "Pflegeheim"-like compounds of a common noun ("Hausen" is one too, but a place ending)
            out.append((i, i + 1, text, "city"))
        return out

    def _match_at(self, doc: Doc, toks: DocTokens, i: int, blocked: set[int]) -> tuple[int, int, str, str | None] | None:
        words, whitespace = toks.text, toks.whitespace
        if not words[i][:1].isupper():
            return None
        longest = min(_MAX_WORDS, len(words) - i)
        if whitespace[i] == " " and words[i] not in _multiword_starts():
            longest = min(longest, 1)  # no gazetteer form starts with this word and a space
        # An n-gram must not contain a blocked token: only the unblocked run from i counts.
        free = 0
        while free < longest and i + free not in blocked:
            free += 1
        # The n-gram texts from i, joined once, shortest first: texts[n - 1] has n tokens.
        texts = [words[i]]
        for k in range(i + 1, i + free):
            texts.append(texts[-1] + whitespace[k - 1] + words[k])
        for n in range(free, 0, -1):
            entry = lookup_place(texts[n - 1])
            if entry is None:
                continue
            if i > 0 and (_introduces_name(words[i - 1]) or words[i - 1] in first_names() and _in_person_entity(doc, i)):
                return None  # "Jana Roth", "Frau Roth", "Dr. Essen", "Eva Roth" (a PER guess): a surname
            if entry.ambiguous and not _place_context(doc, i):
                return None
            # "Berliner Straße", "Hamburger Hafen" are not forms in the gazetteer; but a place
            # followed by a hyphen continuation ("Berlin-Mitte") is kept as written.
            if i > 0 and words[i - 1] in _SPA_PREFIXES and i - 1 not in blocked:
                # "Bad Blankenburg", "St. Wendel" where the gazetteer knows only the bare name
                return i - 1, i + n, f"{words[i - 1]} {entry.name}", entry.kind
            return i, i + n, entry.name, entry.kind
        return None


@lru_cache(maxsize=16384)
def _ends_in_common_noun(word: str) -> bool:
    """The word ends in a common noun of five letters or more that is no place ('…versorger')."""
    return any(tail not in places() for tail in common_noun_tails(word))


def _in_person_entity(doc: Doc, i: int) -> bool:
    """The statistical NER (when the pipeline has one) reads doc[i-1:i+1] as part of a person name."""
    return doc[i].ent_type_ == "PER" and doc[i - 1].ent_type_ == "PER"


def _introduces_name(text: str) -> bool:
    if text in HONORIFICS or text in ACADEMIC_TITLES:
        return True
    return text in first_names() and text not in ambiguous_first_names()


def _place_context(doc: Doc, i: int) -> bool:
    """'in Essen', 'aus Weil', or a dateline at the start of a line ('ESSEN.', 'Essen, 4. Mai')."""
    if i > 0 and doc[i - 1].lower_ in PLACE_PREPOSITIONS:
        return True
    at_line_start = i == 0 or "\n" in doc[i - 1].text_with_ws
    return at_line_start and i + 1 < len(doc) and doc[i + 1].text in {",", ".", "(", "–", "-"}


def _display_name(name: str) -> str:
    """'Kempten (Allgäu)' -> 'Kempten': the gazetteer's disambiguator is not part of the name."""
    return re.sub(r"\s*\([^)]*\)$", "", name)


def _title_case(text: str) -> str:
    small = {"AM", "AN", "DER", "IM", "IN", "OB", "BEI", "VOR"}
    words = [w.lower() if w in small else "-".join(p.capitalize() for p in w.split("-")) for w in text.split()]
    return " ".join(words)


def _strip_genitive(text: str) -> str:
    if text.endswith("s") and lookup_place(text[:-1]) is not None:
        return lookup_place(text[:-1]).name
    return text


@Language.factory(
    "eventfacts_locations",
    assigns=["doc.spans", "doc._.ef_locations"],
    default_config={"spans_key": ext.LOCATIONS, "use_ner": True},
)
def make_locations(nlp: Language, name: str, spans_key: str, use_ner: bool) -> LocationRecognizer:
    return LocationRecognizer(nlp, name, spans_key=spans_key, use_ner=use_ner)
