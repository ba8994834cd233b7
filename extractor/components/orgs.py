"""`eventfacts_orgs`: organisations, their acronyms, and inflected long forms.

Finds organisation names by head noun plus complement ("Bundesministerium für Arbeit und
Soziales", "Handwerkskammer Kassel"), by legal form ("Beispiel Maschinenbau GmbH"), in quotes
("„Initiative Neue Qualität der Arbeit“"), and as acronyms; a statistical NER's ORG entities are
added where the pipeline has one. Mentions are clustered: long form, its acronym ("(BMAS)" or
initials matching a long form) and inflected repeats become one organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.lang.de.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import extensions as ext
from extractor.components.base import RuleComponent
from extractor.doc_tokens import doc_tokens, sent_starts
from extractor.german import (
    ACADEMIC_TITLES,
    ARTICLES,
    HONORIFICS,
    PREPOSITIONS,
    has_determiner,
    is_acronym,
    is_capitalised,
    is_inflected_adjective,
    nominative_adjective,
    noun_gender,
)
from extractor.lexicon import (
    ambiguous_first_names,
    common_noun_tails,
    common_nouns,
    first_names,
    compound_head,
    event_types,
    generic_nouns,
    is_compound_modifier,
    org_heads,
    org_suffixes,
    places,
    role_nouns,
)

_OPEN_QUOTES = {"„", "“", '"', "«", "»", "‚", "'"}
_CLOSE_QUOTES = {"“", "”", '"', "»", "«", "‘", "'"}
# Lowercase words allowed inside a "für …" complement: "für wirtschaftliche Zusammenarbeit".
_COMPLEMENT_JOINERS = frozenset({"und", "sowie", "&", "-"})
_COMPLEMENT_WINDOW = 16
# Adjectives that start organisation names: "Deutscher Gewerkschaftsbund", "Technische Universität".
_ORG_ADJECTIVE = re.compile(
    r"^(Deutsch|Europäisch|Evangelisch|Katholisch|Frei|Technisch|Neu|Allgemein|Vereint|"
    r"Kassenärztlich|Bundesdeutsch|Christlich|Sozialdemokratisch|Grün|Öffentlich|Bayerisch|"
    r"Hessisch|Sächsisch|Niedersächsisch|Rheinisch|Westfälisch|Berliner|Hamburger|Münchner|"
    r"Kölner|Frankfurter|Internationa|National|Regional|Städtisch|Kommunal|Akademisch|"
    r"Gemeinnützig|Diakonisch|Medizinisch|Wissenschaftlich|Statistisch)"
    r"(e|er|en|es|em|isch|ische|ischer|ischen|isches|al|ale|aler|alen|ales)?$"
)
_ROMAN = re.compile(r"^[IVXLC]+$")
# Heads whose names may continue with common nouns: "Netzwerk Demenz Unterland", "Stiftung Warentest".
_OPEN_KINDS = frozenset({"network", "association", "culture", "other"})
# Departments rather than organisations when a role names them: "Leiter des Amtes für …".
_UNIT_HEADS = frozenset("Amt Abteilung Referat Fachbereich Lehrstuhl Dezernat Stabsstelle Fakultät Institut Fachgebiet Geschäftsstelle Büro".split())
# Type words before a registered name are descriptors: "der Verein Bürgerenergie Allgäu e.V.".
_DESCRIPTORS = frozenset("Verein Vereins Firma Unternehmen Unternehmens Betrieb Betriebs Familienunternehmen".split())
_ARTICLES_OR_PREPOSITIONS = ARTICLES | PREPOSITIONS


@dataclass
class OrgCluster:
    name: str
    acronym: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token offsets


def _is_plural_form(form: str, head: str) -> bool:
    """'Netzwerke', 'Initiativen', 'Ministerien', 'Verbände' are plurals: generic, not one organisation.

    An organisation head in the singular stands as itself or with the genitive -s/-es
    ('des Verbands', 'des Bundesministeriums'); every other form is a plural (or an archaic dative).
    """
    return form not in {head, head + "s", head + "es"}


@lru_cache(maxsize=16384)  # asked for every capitalised token by orgs and persons
def head_entry(text: str):  # noqa: ANN201 - returns (OrgHead, compound prefix) | None
    """The org head noun a token is or ends with: 'Bundesministeriums' -> Ministerium entry.

    Plural forms and event nouns ("Werkstatt", "Messe") do not head organisation names.
    """
    found = _head_entry(text)
    if found is None:
        return None
    entry, prefix = found
    form = text[len(prefix):]
    form = form[:1].upper() + form[1:]
    if _is_plural_form(form, entry.head) or entry.head in event_types() or form in event_types():
        return None
    return found


def _head_entry(text: str):  # noqa: ANN202
    heads = org_heads()
    if text in heads:
        return heads[text], ""
    low = text.lower()
    for cut in range(1, len(text) - 3):
        tail = text[cut:]
        cand = tail[0].upper() + tail[1:]
        entry = heads.get(cand)
        if entry is not None and entry.compound_head and low[cut - 1] != " ":
            return entry, text[:cut]
    return None


def normalise_head(text: str) -> str:
    """Nominative of an inflected head: 'Bundesministeriums' -> 'Bundesministerium'."""
    found = head_entry(text)
    if found is None:
        return text
    entry, prefix = found
    base = entry.plural if _is_plural_head(text[len(prefix):], entry) else entry.head
    head = base if not prefix or prefix.endswith("-") else base[:1].lower() + base[1:]
    if prefix and not prefix.endswith("-") and entry.head.isupper():
        head = entry.head
    return prefix + head


def _is_plural_head(text: str, entry) -> bool:  # noqa: ANN001 - OrgHead
    """'Schulen', 'Kliniken', 'Verbänden': a plural stays plural in a name ('Berufliche Schulen')."""
    if not entry.plural or entry.plural == entry.head:
        return bool(entry.plural)
    plural = entry.plural.lower()
    low = text.lower()
    return low in {plural, plural + "n"}


def initials_match(acronym: str, long_form: str) -> bool:
    """Does 'BMAS' abbreviate 'Bundesministerium für Arbeit und Soziales'? 'HWK' 'Handwerkskammer'?

    The letters must appear in order, the first at the start, and all but one at the start of a
    word or of a compound part ('Landes|sport|bund' for 'LSB', found by the organisation head
    lexicon and the common nouns).
    """
    return initials_skips(acronym, long_form) is not None


def initials_skips(acronym: str, long_form: str) -> int | None:
    """None when the acronym does not abbreviate the long form, else how many word or part starts
    between its first and last letter it leaves out: 'LSB' skips none of 'Landessportbund
    Thüringen' but one of 'Landessportschule Bad Blankenburg', so the first is the better match."""
    if long_form.split(" ", 1)[0] == acronym:
        return 0  # "IHK" for "IHK Berlin"
    acr = acronym.lower()
    words = [w for w in re.split(r"[\s-]+", long_form) if w and w.lower() not in {"für", "und", "der", "des", "die", "das", "von", "vom", "zur", "zum", "im", "&", "e.", "v.", "e.v."}]
    starts: set[int] = set()
    letters = ""
    for w in words:
        starts.add(len(letters))
        found = head_entry(w)
        if found is not None and found[1]:
            starts.add(len(letters) + len(found[1].rstrip("-")))
        starts.update(len(letters) + k for k in _compound_part_starts(w))
        starts.update(len(letters) + k for k in range(1, len(w)) if w[k].isupper() and w[k - 1].islower())  # "LandesFrauenRat"
        letters += w.lower().replace(".", "")
    if not letters or letters[0] != acr[0]:
        return None
    pos, at_start, used = 0, 0, []
    for ch in acr:
        idx = letters.find(ch, pos)
        # Prefer a word start when one comes before the next plain match ends the search.
        # (a word of punctuation only adds a start at the end of the letters: "Industrie-.")
        word_idx = next((s for s in sorted(starts) if pos <= s < len(letters) and letters[s] == ch), None)
        if word_idx is not None:
            idx, at_start = word_idx, at_start + 1
        if idx < 0:
            return None
        used.append(idx)
        pos = idx + 1
    if at_start < len(acr) - 1:
        return None
    return sum(1 for s in starts if used[0] < s < used[-1] and s not in used)


@lru_cache(maxsize=16384)
def _compound_part_starts(word: str) -> tuple[int, ...]:
    """Where the parts of a compound begin, read from its end: 'Landessportbund' -> (6, 11)
    ('Land' + 'es', 'sport', 'bund'), 'Bundessteuerberaterkammer' -> (6, 12, 19). A part is the
    longest known common noun of four letters or more that ends what is left."""
    found: list[int] = []
    end = len(word)
    while end > 6:
        tails = common_noun_tails(word[:end], min_tail=4)
        if not tails:
            break
        end -= len(tails[0])
        found.append(end)
        if is_compound_modifier(word[:end]):
            break  # what is left is a noun itself ("Landes" = "Land" + "es")
    return tuple(sorted(found))


class OrgRecognizer(RuleComponent):
    """Finds organisations; writes ORG spans and `doc._.ef_orgs` clusters."""

    preload = (common_nouns, first_names, event_types, generic_nouns, org_heads, org_suffixes, places, role_nouns)

    def __init__(self, nlp: Language, name: str, *, spans_key: str, use_ner: bool) -> None:
        super().__init__(nlp, name, spans_key=spans_key, use_ner=use_ner)
        self._generic = {e for e in generic_nouns()}
        # Legal forms by their first word, longest first: "GmbH & Co. KG" before "GmbH".
        self._suffixes_by_first: dict[str, list[list[str]]] = {}
        for suffix in org_suffixes():
            parts = suffix.split()
            self._suffixes_by_first.setdefault(parts[0], []).append(parts)

    # -- candidate finders -----------------------------------------------------------------
    def _quoted(self, doc: Doc, starts: list[bool]) -> list[tuple[int, int]]:
        out = []
        words = doc_tokens(doc).text
        for i, word in enumerate(words):
            if word not in _OPEN_QUOTES:
                continue
            for j in range(i + 1, min(i + 12, len(words))):
                if words[j] in _CLOSE_QUOTES:
                    inner = doc[i + 1 : j]
                    if len(inner) and _looks_like_name(inner) and (
                        any(head_entry(t.text) for t in inner[:3]) or _acronym_after(doc, j + 1)
                    ):
                        out.append((i + 1, j))
                    break
                if starts[j]:
                    break
        return out

    def _head_phrases(self, doc: Doc, starts: list[bool]) -> list[tuple[int, int]]:
        out = []
        toks = doc_tokens(doc)
        words, lower = toks.text, toks.lower
        for i, text in enumerate(words):
            if not is_capitalised(text) and "-" not in text:
                continue
            found = head_entry(text)
            if found is None:
                continue
            start = i
            # "Industrie- und Handelskammer": a truncated first conjunct belongs to the name.
            if start > 1 and lower[start - 1] == "und" and words[start - 2].endswith("-"):
                start -= 2
            while start > 0 and (_is_org_adjective(words[start - 1]) or _inner_adjective(doc, start - 1, starts)):
                start -= 1
            end = self._complement(doc, i + 1, starts, open_head=found[0].kind in _OPEN_KINDS)
            if _is_unit_of_role(doc, start, found):
                continue  # "Leiterin des Amtes für Wirtschaftsförderung": part of the role
            hyphen_prefix = "-" in text and is_acronym(text.split("-")[0])
            if end == i + 1 and start == i and not hyphen_prefix and not _names_alone(text, found):
                continue  # a bare head ("das Ministerium", "die Handwerkskammer") names nothing yet
            out.append((start, end))
        return out

    def _complement(self, doc: Doc, i: int, starts: list[bool], open_head: bool = False) -> int:
        """End of what follows a head noun.

        A proper-name tail ("Handwerkskammer Hellweg-Lippe", "IHK Mittleres Mecklenburg",
        "Frankfurt am Main") and then a "für" phrase ("für Arbeit und Soziales",
        "Weser-Ems für angewandte Wissenschaften"). After open heads such as "Netzwerk" or
        "Stiftung" the tail may hold common nouns too ("Netzwerk Demenz Unterland").
        """
        toks = doc_tokens(doc)
        end = self._name_tail(doc, i, starts, open_head)
        if end + 1 < len(doc) and end > i and toks.lower[end] == "am" and _river_or_place(toks.text[end + 1]):
            end += 2  # "Frankfurt am Main", "Halle an der Saale" is rare enough to skip
        if end < len(doc) and toks.lower[end] in {"der", "des"} and not starts[end]:
            end = _genitive_name(doc, i - 1, end, starts)
        if end < len(doc) and toks.lower[end] == "für" and not starts[end]:
            end = self._fuer_phrase(doc, end, starts)
        return end

    def _name_tail(self, doc: Doc, i: int, starts: list[bool], open_head: bool) -> int:
        words, lower = doc_tokens(doc).text, doc_tokens(doc).lower
        end = i
        j = i
        while j < len(words) and j < i + 4:
            text = words[j]
            if lower[j] == "und" and j > i and words[j - 1].endswith("-"):
                j += 1  # "Landesverband Kinder- und Jugendhilfe Thüringen"
                continue
            if starts[j] or not (is_capitalised(text) or "-" in text[1:]):
                break
            if text in ACADEMIC_TITLES or text in HONORIFICS or text in self._generic:
                break
            n = _place_length(doc, j)
            if n:
                end = j = j + n  # "Stadt Bad Hersfeld", "Landkreis Fulda": the seat ends the name
                break
            if text in places() or "-" in text[1:] or text not in common_nouns():
                end = j + 1
            elif open_head and not _plural_like(text):
                end = j + 1
            elif not (_is_capitalised_adjective(text) and j + 1 < len(words) and is_capitalised(words[j + 1])):
                break
            j += 1
        return end

    def _fuer_phrase(self, doc: Doc, i: int, starts: list[bool]) -> int:
        words, lower = doc_tokens(doc).text, doc_tokens(doc).lower
        end = i
        j = i + 1
        while j < len(words) and j < i + _COMPLEMENT_WINDOW:
            text = words[j]
            if starts[j]:
                break
            if is_capitalised(text) or text.endswith("-") or is_acronym(text):
                if text in ACADEMIC_TITLES or text in HONORIFICS:
                    break
                end = j + 1
                if text in places() and not (j + 1 < len(words) and lower[j + 1] in _COMPLEMENT_JOINERS):
                    break  # "Hochschule für Soziale Arbeit Thüringen": the seat closes the name
            elif lower[j] in _COMPLEMENT_JOINERS or is_inflected_adjective(text):
                pass
            elif text == "," and _enumeration_follows(doc, j + 1):
                pass
            else:
                break
            j += 1
        return end

    def _legal_forms(self, doc: Doc) -> list[tuple[int, int]]:
        out = []
        words = doc_tokens(doc).text
        for i in range(len(doc)):
            for parts in self._suffixes_by_first.get(words[i], ()):
                n = len(parts)
                if words[i : i + n] != parts:
                    continue
                start = i
                while start > 0 and start > i - 5:
                    prev = doc[start - 1]
                    if prev.is_sent_end or prev.lower_ in ARTICLES or prev.lower_ in PREPOSITIONS:
                        break
                    if prev.text in _DESCRIPTORS or prev.lower_.startswith("unser"):
                        break
                    if is_capitalised(prev.text) or is_acronym(prev.text) or prev.text in {"&", "-", "+"}:
                        start -= 1
                    elif prev.lower_ == "und" and start >= 2 and doc[start - 2].text.endswith("-"):
                        start -= 1  # "Lausitzer Elektro- und Anlagenbau GmbH"
                    else:
                        break
                start = _back_to_head(doc, start)
                if start < i:
                    out.append((start, i + n))
                break
        return out

    def _plausible_ner_org(self, span: Span) -> bool:
        """A statistical ORG guess is kept unless it is one generic or common noun ('Unternehmen')."""
        if len(span) == 1:
            # One word: an acronym or a name ("Siemens", "Bosch"); common nouns, first names and
            # double-barrelled words ("Voß-Lindqvist", "Elektro-Lkw") are the model's typical slips.
            text = span.text
            if is_acronym(text):
                return text not in self._generic
            hyphenated = "-" in text[1:] and all(p[:1].isupper() for p in text.split("-") if p)
            if not is_capitalised(text) or text in first_names() or hyphenated:
                return False
            # A common noun without determiner is used as a name: "mit Siemens", "dass man Facebook".
            return text not in common_nouns() or not has_determiner(doc_tokens(span.doc).text, span.start)
        if span[0].text in first_names() and span[0].text not in common_nouns():
            return False  # "Heinz-Georg Pöppelbaum" is a person; the rules decide
        return span[-1].is_alpha or span[-1].text in {"e.V.", "GmbH", "AG"} or span[-1].text.endswith(".")

    def _acronym_with_place(self, doc: Doc) -> list[tuple[int, int]]:
        """'IHK Berlin', 'HWK Kassel': a chamber's acronym with its seat names one organisation."""
        out = []
        words = doc_tokens(doc).text
        for i in range(len(words) - 1):
            text, nxt = words[i], words[i + 1]
            if is_acronym(text) and text not in self._generic and nxt in places() and not places()[nxt].ambiguous:
                out.append((i, i + 2))
        return out

    def _acronyms(self, doc: Doc) -> list[tuple[int, int]]:
        out = []
        dateline = {i for sp in doc.spans.get(ext.LAYOUT, []) if sp.label_ == "DATELINE" for i in range(sp.start, sp.end)}
        toks = doc_tokens(doc)
        words, whitespace, n = toks.text, toks.whitespace, len(toks)
        standalone = {words[i] for i in range(n) if not (i + 1 < n and words[i + 1] == "-" and not whitespace[i])}
        for i, t in enumerate(words):
            if not is_acronym(t) or t in self._generic or _ROMAN.match(t) or t in places():
                continue
            if t.capitalize() in places() or i in dateline:
                continue  # "BERLIN." opening the body is a dateline, not an acronym
            if _compound_prefix_only(doc, i, standalone):
                continue  # "SHK-Betriebe", "KI-Anwendungen": a field, not an organisation
            out.append((i, i + 1))
        return out

    # -- assembly ----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        blocked = _blocked_tokens(doc)
        starts = sent_starts(doc)
        # Quoted and registered names are the surest; head-noun phrases next; NER last.
        ranked = [(0, s, e) for s, e in self._quoted(doc, starts) + self._legal_forms(doc)]
        ranked += [(1, s, e) for s, e in self._head_phrases(doc, starts)]
        if self.cfg["use_ner"]:
            ranked += [(2, e.start, e.end) for e in doc.ents if e.label_ == "ORG" and self._plausible_ner_org(e)]
        ranked += [(1, s, e) for s, e in self._acronym_with_place(doc)]
        chosen = [c for c in (self._trimmed(doc, s, e) for s, e in _best_first(ranked, blocked)) if c is not None]
        taken = {i for s, e in chosen for i in range(s, e)}
        acronyms = [(s, e) for s, e in self._acronyms(doc) if s not in taken and s not in blocked and not _shouted_word(doc[s].text)]
        clusters = self._cluster(doc, chosen, acronyms)
        spans = [Span(doc, s, e, label="ORG") for c in clusters for s, e in c.mentions]
        spans.sort(key=lambda sp: sp.start)
        doc.spans[self.cfg["spans_key"]] = spans
        toks = doc_tokens(doc)
        doc._.ef_orgs = [
            {
                "name": c.name,
                # an organisation known only by its short form has no separate acronym ("TSV")
                "acronym": c.acronym if c.acronym != c.name else None,
                "mentions": sorted(toks.char_offsets(s, e) for s, e in c.mentions),
            }
            for c in clusters
        ]
        return doc

    def _trimmed(self, doc: Doc, s: int, e: int) -> tuple[int, int] | None:
        """A candidate without a person's name at its end ("Landkreis Steinburg Mark Helfrich",
        "Stadtrat Urs Raschle"), or None when what is left is no organisation: a bare head or role,
        an event ("AWO-Regionalkonferenz", "Deutsche Meisterschaft"), or an upper-case word ("MIT",
        "NEWS", "STÄRKER")."""
        words = doc_tokens(doc).text
        original_end = e
        for j in range(s + 1, e):
            unambiguous = words[j] in first_names() and words[j] not in ambiguous_first_names()
            surname_last = words[j] in first_names() and j + 2 == e and is_capitalised(words[j + 1]) \
                and words[j + 1] not in common_nouns() and words[j + 1] not in places()
            if (unambiguous and (j + 1 == e or is_capitalised(words[j + 1]))) or surname_last:
                e = j
                break
        if all(is_acronym(w) and _shouted_word(w) for w in words[s:e]):
            return None
        # "(Vorsitzende AWO Landesverband Berlin e. V.)": a role before the name is the person's.
        while e - s > 1 and words[s] in role_nouns() and head_entry(words[s]) is None \
                and (is_capitalised(words[s + 1]) or is_acronym(words[s + 1])):
            s += 1
        last = words[e - 1]
        if e < original_end and e - s == 1 and not is_acronym(last) and (last in common_nouns() or compound_head(last, role_nouns())):
            return None  # "Stadtrat Urs Raschle" without the name is the role
        if head_entry(last) is None and _event_noun(last):
            return None
        return s, e

    def _cluster(self, doc: Doc, long_forms: list[tuple[int, int]], acronyms: list[tuple[int, int]]) -> list[OrgCluster]:
        clusters: list[OrgCluster] = []
        by_name: dict[str, OrgCluster] = {}
        for s, e in sorted(long_forms):
            span = doc[s:e]
            if len(span) == 1 and is_acronym(span.text):
                acronyms.append((s, e))
                continue
            name = normalise_name(span)
            # "des LandesFrauenRats (LFR) Hessen": the seat after the bracketed acronym is the name's
            seat_acronym = None
            if e + 3 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")" and is_acronym(doc[e + 1].text) \
                    and doc[e + 3].text in places() and not places()[doc[e + 3].text].ambiguous:
                name, seat_acronym = f"{name} {doc[e + 3].text}", doc[e + 1].text
                e += 4
                span = doc[s:e]
            cluster = by_name.get(name)
            if cluster is None:
                cluster = by_name[name] = OrgCluster(name=name)
                clusters.append(cluster)
            cluster.mentions.append((s, e))
            cluster.acronym = cluster.acronym or seat_acronym
            # "Long Form (ACR)": the parenthesised acronym belongs to it.
            if e + 2 < len(doc) + 0 and doc[e].text == "(" and e + 2 < len(doc) and doc[e + 2].text == ")" and is_acronym(doc[e + 1].text):
                cluster.acronym = cluster.acronym or doc[e + 1].text
        # "ACR (Long Form)": the acronym stands before the parenthesised long form.
        for s, _ in acronyms:
            if s + 2 < len(doc) and doc[s + 1].text == "(":
                for c in clusters:
                    if any(ms == s + 2 for ms, _ in c.mentions) and c.acronym is None:
                        c.acronym = doc[s].text
        for s, e in sorted(acronyms):
            acr = doc[s].text
            target = next((c for c in clusters if c.acronym == acr), None)
            if target is None:
                # The long form the acronym abbreviates most closely: "LSB" is the "Landessportbund
                # Thüringen", not the "Landessportschule Bad Blankenburg" named beside it.
                fits = [(skips, k) for k, c in enumerate(clusters)
                        if c.acronym is None and (skips := initials_skips(acr, c.name)) is not None]
                target = clusters[min(fits)[1]] if fits else None
                if target is not None:
                    target.acronym = acr
            if target is None:
                target = by_name.get(acr)
                if target is None:
                    target = by_name[acr] = OrgCluster(name=acr)
                    clusters.append(target)
            target.mentions.append((s, e))
        clusters = _merge_acronym_seats(clusters)
        for c in clusters:
            c.mentions.sort()
        return clusters


def _merge_acronym_seats(clusters: list[OrgCluster]) -> list[OrgCluster]:
    """'IHK Fulda' is the 'Industrie- und Handelskammer Fulda (IHK)' named elsewhere in the text:
    an acronym plus the seat that ends a long form with that acronym."""
    kept: list[OrgCluster] = []
    for c in clusters:
        acr, _, seat = c.name.partition(" ")
        target = next(
            (o for o in clusters if o is not c and o.acronym == acr and seat and o.name.endswith(" " + seat)),
            None,
        )
        if target is None:
            kept.append(c)
        else:
            target.mentions.extend(c.mentions)
    return kept


def _looks_like_name(span: Span) -> bool:
    """Quoted names are capitalised words and joiners ('Initiative Neue Qualität der Arbeit'),
    not sentences ('Die Betriebe sind bereit, die Verwaltung muss nachziehen.')."""
    if not is_capitalised(span[0].text) or len(span) > 8:
        return False
    joiners = {"der", "des", "für", "und", "&", "-", "e.V.", "von", "zur", "zum", "im", "am"}
    return all(is_capitalised(t.text) or is_acronym(t.text) or t.lower_ in joiners or t.text.endswith("-") for t in span)


def _enumeration_follows(doc: Doc, j: int) -> bool:
    """After a comma: 'Wirtschaft, Energie, Verkehr und Wohnen' goes on to an 'und'."""
    for k in range(j, min(j + 8, len(doc))):
        if doc[k].lower_ in {"und", "sowie"}:
            return True
        if not (is_capitalised(doc[k].text) or doc[k].text.endswith("-") or doc[k].text == "," or is_inflected_adjective(doc[k].text)):
            return False
        if doc[k].text in ACADEMIC_TITLES or doc[k].text in HONORIFICS:
            return False
    return False


# Words a genitive complement of a name may hold besides capitalised ones.
_GENITIVE_JOINERS = frozenset({"und", "der", "des", "für", "-"})


def _genitive_name(doc: Doc, head: int, i: int, starts: list[bool]) -> int:
    """'Landesverband der Pflegedienste (LVP)', 'Zentralverband des Deutschen Handwerks': a genitive
    complement belongs to the name when the acronym after it abbreviates head and complement, or
    when it opens with a capitalised adjective (only names capitalise one mid-sentence).
    Returns the name's end: `i` (the complement is not part of it) or past the complement."""
    words, lower = doc_tokens(doc).text, doc_tokens(doc).lower
    j = i + 1
    last = None
    while j < len(words) and j < i + 6 and not starts[j]:
        text = words[j]
        if is_capitalised(text) or ("-" in text[1:] and text[:1].isupper()):
            if text in ACADEMIC_TITLES or text in HONORIFICS:
                break
            last = j
        elif not (lower[j] in _GENITIVE_JOINERS or text.endswith("-")):
            break
        j += 1
    if last is None:
        return i
    if _acronym_after(doc, last + 1) and initials_match(words[last + 2], doc[head:last + 1].text):
        return last + 1
    # After "des"/"der" an adjective ends in "-en" ("des Deutschen Handwerks"). A unit's complement
    # is the organisation it belongs to ("Geschäftsstelle der Lokalen Aktionsgruppe"), not its name.
    found = head_entry(words[head])
    unit = found is not None and found[0].head in _UNIT_HEADS
    opener = words[i + 1]
    if not unit and last > i + 1 and opener.endswith("en") and (_is_capitalised_adjective(opener) or _is_org_adjective(opener)):
        return last + 1
    return i


def _acronym_after(doc: Doc, i: int) -> bool:
    return i + 2 < len(doc) and doc[i].text == "(" and is_acronym(doc[i + 1].text) and doc[i + 2].text == ")"


def _is_unit_of_role(doc: Doc, start: int, found) -> bool:  # noqa: ANN001
    """A bare unit head ('Amt', 'Institut') in the genitive after a role noun is a department."""
    entry, prefix = found
    if prefix or entry.head not in _UNIT_HEADS or start < 2 or doc[start - 1].lower_ not in {"des", "der", "im"}:
        return False
    return compound_head(doc[start - 2].text, role_nouns()) is not None


_NAME_CONNECTORS = frozenset("für fürs der des und an zur zum von vom im am in".split())


def _back_to_head(doc: Doc, start: int, window: int = 8) -> int:
    """'Verband der Selbständigen e.V.', 'Verein für Gartenbau und Landespflege Feucht e.V.': before
    a legal-form name, connectors and capitalised words lead back to an organisation head."""
    words, lower = doc_tokens(doc).text, doc_tokens(doc).lower
    j = start - 1
    best = start
    while j >= 0 and j >= start - window:
        if doc[j].is_sent_end or (j + 1 < len(doc) and doc[j + 1].is_sent_start and j + 1 <= start - 1):
            break
        if lower[j] in _NAME_CONNECTORS or is_capitalised(words[j]):
            if is_capitalised(words[j]) and head_entry(words[j]) is not None and lower[j + 1] in _NAME_CONNECTORS:
                best = j
                while best > 0 and _is_org_adjective(words[best - 1]):
                    best -= 1
                break
            j -= 1
            continue
        break
    return best


def _names_alone(text: str, found) -> bool:  # noqa: ANN001 - (OrgHead, prefix)
    """'Bundestag', 'Europarat' name one body; so does a federal compound with its own field
    ('Bundesinnenministerium', 'Bundesfinanzministerium'), unlike 'Bundesministerium' or 'Ministerium'."""
    entry, prefix = found
    if entry.names_alone and not prefix:
        return True
    return prefix.startswith("Bundes") and len(prefix) >= len("Bundes") + 3 and entry.kind == "authority"


def _event_noun(text: str) -> bool:
    """'Regionaldelegiertenkonferenz', 'Meisterschaft': an event, not a body."""
    tail = text.rsplit("-", 1)[-1]
    return tail in event_types() or compound_head(tail, event_types()) is not None


def _shouted_word(text: str) -> bool:
    """An upper-case German word ('MIT', 'UNS', 'STÄRKER', 'NEWS'), not an acronym."""
    low = text.lower()
    if low in STOP_WORDS or text.capitalize() in common_nouns():
        return True
    return len(text) >= 6 and sum(c in "AEIOUÄÖÜ" for c in text) >= 2


def _place_adjective(text: str) -> bool:
    """'Thüringer', 'Kieler', 'Berliner': an adjective from a place name, the same in every case."""
    if not text.endswith("er") or not is_capitalised(text):
        return False
    stem = text[:-2]
    return stem in places() or stem + "en" in places() or stem + "e" in places() or stem.rstrip("n") in places()


def _is_org_adjective(text: str) -> bool:
    """'Deutscher', 'Evangelische', 'Thüringer', and hyphenated 'Deutsch-Vietnamesische'."""
    if _ORG_ADJECTIVE.match(text) or _place_adjective(text):
        return True
    parts = text.split("-")
    return len(parts) > 1 and all(p[:1].isupper() for p in parts) and bool(_ORG_ADJECTIVE.match(parts[0])) and (
        _is_capitalised_adjective(parts[-1])
    )


def _compound_prefix_only(doc: Doc, i: int, standalone: set[str]) -> bool:
    """An acronym seen only as a compound prefix ('SHK-Betriebe') names an organisation only when
    the rest is a role, an event or an organisation ('IHK-Präsident', 'INQA-Praxiswerkstatt')."""
    glued = i + 2 < len(doc) and doc[i + 1].text == "-" and not doc[i].whitespace_
    if not glued or doc[i].text in standalone:
        return False
    tail = doc[i + 2].text
    known = compound_head(tail, role_nouns()) or compound_head(tail, event_types()) or head_entry(tail)
    return not known


def _inner_adjective(doc: Doc, k: int, starts: list[bool]) -> bool:
    """'vom Digitalen Archivverbund': a capitalised adjective inside a sentence belongs to a name."""
    toks = doc_tokens(doc)
    return not starts[k] and k > 0 and toks.lower[k - 1] in _ARTICLES_OR_PREPOSITIONS and _is_capitalised_adjective(toks.text[k])


def _place_length(doc: Doc, j: int) -> int:
    """Tokens of a gazetteer place starting at j ('Bad Hersfeld', 'Frankfurt am Main'), else 0."""
    toks = doc_tokens(doc)
    for n in (4, 3, 2, 1):
        if j + n <= len(toks):
            entry = places().get(toks.span_text(j, j + n))
            if entry is not None and (n > 1 or not entry.ambiguous):
                return n
    return 0


def _river_or_place(text: str) -> bool:
    """'Main' in 'Frankfurt am Main'; not 'Dienstag' in 'IHK Fulda am Dienstag'."""
    return is_capitalised(text) and (text in places() or text not in common_nouns())


# Adjective suffixes with an ending: "Freiwilligen", "Beruflichen", "Kommunales", "Kreative".
_ADJECTIVE_SHAPE = re.compile(r"^[A-ZÄÖÜ]\w+(?:ig|lich|isch|ell|al|iv|ar)(?:e|en|er|es|em)$")


def _is_capitalised_adjective(text: str) -> bool:
    """'Mittleres', 'Lebendige', 'Regionalen', 'Freiwilligen': capitalised words with an adjective
    ending; a nominalised adjective ('die Freiwilligen') counts by its suffix."""
    if not is_capitalised(text) or not text.endswith(("e", "er", "es", "en", "em")):
        return False
    return text not in common_nouns() or bool(_ADJECTIVE_SHAPE.match(text))


def _plural_like(text: str) -> bool:
    return text in generic_nouns()


def _blocked_tokens(doc: Doc) -> set[int]:
    """Tokens already explained as dates, quantities or page furniture."""
    blocked: set[int] = set()
    for key in (ext.DATES, ext.QUANTITIES):
        for sp in doc.spans.get(key, []):
            blocked.update(range(sp.start, sp.end))
    for sp in doc.spans.get(ext.LAYOUT, []):
        if sp.label_ in {"BOILERPLATE", "CAPTION_PREFIX"}:
            blocked.update(range(sp.start, sp.end))
    return blocked


def _best_first(ranked: list[tuple[int, int, int]], blocked: set[int]) -> list[tuple[int, int]]:
    """Non-overlapping candidates, by rank then length (longest wins within a rank)."""
    chosen: list[tuple[int, int]] = []
    used: set[int] = set()
    for _, s, e in sorted(set(ranked), key=lambda c: (c[0], -(c[2] - c[1]), c[1])):
        if e <= s or any(i in used or i in blocked for i in range(s, e)):
            continue
        chosen.append((s, e))
        used.update(range(s, e))
    return sorted(chosen)


def normalise_name(span: Span) -> str:
    """Nominative long form: 'des Hessischen Ministeriums für …' -> 'Hessisches Ministerium für …',
    'den Ambulanten Kinderhospizdienst Dresden-Ost e.V.' -> 'Ambulanter Kinderhospizdienst …'.

    The head is the organisation noun, else the first capitalised noun after the leading adjectives;
    its gender (from the noun's ending) decides the adjective endings.
    """
    head_i = next((k for k, tok in enumerate(span) if head_entry(tok.text) is not None), None)
    if head_i is None:
        head_i = next((k for k, tok in enumerate(span) if not _is_capitalised_adjective(tok.text) and not _is_org_adjective(tok.text)), None)
    head_text = normalise_head(span[head_i].text) if head_i is not None else ""
    found = _head_entry(span[head_i].text) if head_i is not None else None
    if found is not None and _is_plural_head(span[head_i].text[len(found[1]):], found[0]):
        gender = "p"  # "den Beruflichen Schulen" -> "Berufliche Schulen"
    elif found is not None and found[0].gender:
        gender = found[0].gender
    else:
        gender = noun_gender(head_text) if head_text else None
    words = []
    for k, tok in enumerate(span):
        text = tok.text
        if k == head_i:
            text = head_text
        elif head_i is not None and k < head_i and gender and (_is_org_adjective(text) or _is_capitalised_adjective(text)) \
                and not _place_adjective(text):
            text = nominative_adjective(text, gender)  # "Berliner", "Kieler" never inflect
        words.append(text + tok.whitespace_)
    name = "".join(words).strip()
    if name.endswith(".") and any(name[:-1].endswith(" " + suffix) for suffix in org_suffixes() if not suffix.endswith(".")):
        name = name[:-1]  # "Müller GmbH." at the end of a sentence
    return name


@Language.factory(
    "eventfacts_orgs",
    assigns=["doc.spans", "doc._.ef_orgs"],
    default_config={"spans_key": ext.ORGS, "use_ner": True},
)
def make_orgs(nlp: Language, name: str, spans_key: str, use_ner: bool) -> OrgRecognizer:
    return OrgRecognizer(nlp, name, spans_key=spans_key, use_ner=use_ner)
