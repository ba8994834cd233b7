"""`eventfacts_persons`: people, their roles and the organisations the text ties them to.

A name is found by one of four anchors: a known first name ("Stefanie Fuchs"), a role noun right
before it ("dem Referatsleiter Markus Müller"), an honorific or academic title ("Frau Fuchs",
"Prof. Dr. Anna Beispiel"), or a statistical NER's PER entity. Titles stay out of the name. Later
surname-only mentions join the person. Roles come from the role before the name, an apposition
after it (", stellvertretender Leiter der Abteilung …,"), brackets, and elections and lists
(`role_lists`); the organisation from "vom BMAS", "(IHK Berlin)", "Referatsleiter im
Bundesministerium …", "Geschäftsführerin der XY GmbH", an apposition, or an office (`affiliations`).
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
from extractor.doc_tokens import doc_tokens
from extractor.german import (
    ACADEMIC_TITLES,
    ARTICLES,
    DETERMINERS,
    HONORIFICS,
    NAME_PARTICLES,
    PLACE_PREPOSITIONS,
    PREPOSITIONS,
    has_determiner,
    is_capitalised,
    is_inflected_adjective,
)
from extractor.components.affiliations import (
    AFFILIATION_WORDS,
    affiliation_after,
    affiliation_by_compound,
    affiliation_by_office,
    affiliation_from_role,
    affiliation_nearby,
    affiliation_of_publisher,
)
from extractor.components.role_lists import (
    gendered,
    guests_listed,
    listed_roles,
    names_after_plural_role,
    names_before_appointed_role,
    roles_from_acts,
)
from extractor.components.roles import feminine_role
from extractor.lexicon import (
    ambiguous_first_names,
    common_noun_tails,
    common_nouns,
    compound_head,
    event_types,
    first_names,
    org_heads,
    places,
    role_nouns,
)

# "Fuchs", "Müller-Lüdenscheidt", "Aydın", "O'Neill": an upper-case letter, then lower-case letters.
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_'’]*(?:['’][^\W\d_]+)?(?:-[^\W\d_][^\W\d_'’]*)*$")
_LIST_DASHES = frozenset({"–", "-", ":", "—"})
_PARLIAMENT_TITLES = frozenset({"MdB", "MdL", "MdEP", "MdA", "MdBB", "MdHB", "LAbg."})
_STREET_ENDINGS = ("straße", "strasse", "platz", "allee", "gasse")
# Prepositions fused with an article ("zum", "im") take a noun phrase, and "aus" takes a place or
# concept; written German does not put a bare person name after them.
_NO_BARE_NAME_AFTER = frozenset("aus im ins zum zur beim am vom".split())
_MONTHS_AND_DAYS = frozenset(
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember "
    "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split()
)


@dataclass
class PersonCluster:
    name: str
    tokens: tuple[int, int]
    roles: list[str] = field(default_factory=list)
    organisation: str | None = None
    titles: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def gender(self) -> str | None:
        """'f', 'm' or 'u' as the first name tells ("Eva-Maria" by "Eva"), None if it is unknown."""
        return first_names().get(self.name.split()[0].split("-")[0])

    def add_role(self, value: str) -> None:
        if value not in self.roles:
            self.roles.append(value)


# The word tests below run on nearly every token: cached per word form (the lexicons are fixed).
@lru_cache(maxsize=16384)
def is_name_token(text: str) -> bool:
    """'Fuchs', 'Müller-Lüdenscheidt', "O'Neill"; not 'BMAS', 'und', 'Mai'."""
    parts = text.split("-")
    shaped = all(p[:1].isupper() and p[1:].replace("'", "").replace("’", "").islower() for p in parts if p)
    return shaped and bool(_NAME_TOKEN.match(text)) and text not in _MONTHS_AND_DAYS


@lru_cache(maxsize=16384)
def _is_first_name(text: str) -> bool:
    names = first_names()
    if text in names:
        return True
    parts = text.split("-")
    return len(parts) > 1 and all(p in names for p in parts)  # "Hans-Peter"


def _is_noun_too(text: str) -> bool:
    """A first name that is also a common noun ('Ernst', 'Art', 'Rose')."""
    return text in ambiguous_first_names() or text in common_nouns()


@lru_cache(maxsize=16384)
def _is_plain_word(text: str) -> bool:
    """A capitalised common noun or place, or a compound ending in a common noun of five letters
    or more: not a surname on its own ('Unternehmen', 'Berlin', 'Bauausschuss')."""
    return text in common_nouns() or text in places() or text in org_heads() or bool(common_noun_tails(text))


class PersonRecognizer(RuleComponent):
    """Writes PER spans and `doc._.ef_persons` clusters (name, roles, organisation, mentions)."""

    preload = (common_nouns, event_types, first_names, org_heads, places, role_nouns)

    def __init__(self, nlp: Language, name: str, *, spans_key: str, use_ner: bool) -> None:
        super().__init__(nlp, name, spans_key=spans_key, use_ner=use_ner)

    def __call__(self, doc: Doc) -> Doc:
        blocked = _blocked(doc)
        roles_by_end = {sp.end: sp for sp in doc.spans.get(ext.ROLES, [])}
        role_tokens = {i for sp in doc.spans.get(ext.ROLES, []) for i in range(sp.start, sp.end)}
        orgs = _org_index(doc)
        org_ends = {sp.start: sp.end for sp in doc.spans.get(ext.ORGS, [])}
        candidates: dict[tuple[int, int], list[str]] = {}

        blocked_or_role = blocked | role_tokens
        words = doc_tokens(doc).text
        i = 0
        while i < len(doc):
            if words[i] not in HONORIFICS and words[i] not in ACADEMIC_TITLES and not is_name_token(words[i]):
                i += 1  # neither a title nor a name-shaped word: no name starts here (see _name_at)
                continue
            titles, j = _titles_at(doc, i)
            anchor = "title" if titles else ("role" if i in roles_by_end else None)
            span = self._name_at(doc, j, anchor=anchor, blocked=blocked_or_role, roles=role_tokens - blocked)
            if span is None:
                # Starting inside the same run of titles would end at the same j and fail again:
                # skip the run, so "Dr. Dr. Dr. …" stays linear.
                i = max(i + 1, j)
                continue
            candidates[span] = titles
            i = span[1]
        if self.cfg["use_ner"]:
            # A lone role noun without a determiner reads as a surname to the model ("Zöllner will …",
            # "Richter sagte"); with one ("der Zöllner") it stays a role.
            firm_roles = {
                i for sp in doc.spans.get(ext.ROLES, []) for i in range(sp.start, sp.end)
                if len(sp) > 1 or has_determiner(words, sp.start)
            }
            for ent in doc.ents:
                if ent.label_ != "PER":
                    continue
                s, e = ent.start, ent.end
                while s < e and (doc[s].text in HONORIFICS or doc[s].text in ACADEMIC_TITLES):
                    s += 1
                while e > s and not doc[e - 1].is_alpha:
                    e -= 1  # "Wolfenbüttel," - the model sometimes takes the comma along
                if s < e and _plausible_ner_name(doc[s:e]) and not any(t in blocked or t in firm_roles for t in range(s, e)):
                    if not any(s < ce and cs < e for cs, ce in candidates):
                        candidates[(s, e)] = []

        full_names = _shared_surnames(doc, candidates, blocked_or_role)
        clusters = _cluster(doc, candidates, full_names)
        _add_surname_mentions(doc, clusters, blocked | role_tokens)
        name_starts = {s for c in clusters for s, _ in c.mentions}
        for c in clusters:
            _attach_roles_and_orgs(doc, c, roles_by_end, orgs, org_ends, name_starts)
        _attach_listed_roles(doc, clusters, orgs)
        kinds = {sp._.ef_role["role"]: sp._.ef_role.get("kind") for sp in doc.spans.get(ext.ROLES, [])}
        lemmas = {sp._.ef_role["role"]: sp._.ef_role.get("lemma") for sp in doc.spans.get(ext.ROLES, [])}
        for c in clusters:
            affiliation_of_publisher(doc, c)
            affiliation_by_office(doc, c, lemmas)
            affiliation_by_compound(doc, c)
            affiliation_nearby(doc, c, kinds)
        # A lone first name stays a PER mention in the text, but is no person of the record.
        spans = sorted({(s, e) for c in clusters for s, e in c.mentions})
        spans = [Span(doc, s, e, label="PER") for s, e in spans]
        clusters = _settle_first_names(clusters)
        doc.spans[self.cfg["spans_key"]] = spans
        toks = doc_tokens(doc)
        doc._.ef_persons = [
            {
                "name": c.name,
                "roles": c.roles,
                "organisation": c.organisation,
                "titles": c.titles,
                "mentions": [toks.char_offsets(s, e) for s, e in sorted(c.mentions)],
            }
            for c in clusters
        ]
        return doc

    def _name_at(
        self, doc: Doc, i: int, *, anchor: str | None, blocked: set[int], roles: set[int] = frozenset()
    ) -> tuple[int, int] | None:
        """Token range of a person name starting at i, or None.

        anchor (str | None): "title" after "Frau", "Dr." …; "role" after a role noun; None otherwise.
        roles: tokens of role nouns; right after a first name a one-word role noun is a surname
            ("Ulrike Richter", "Thadäus König"): German puts the role before the name.
        """
        words = doc_tokens(doc).text
        if i >= len(words) or i in blocked:
            return None
        if anchor == "title" and words[i] in NAME_PARTICLES:
            k = _skip_particles(doc, i)  # "Frau von der Leyen"
            ok = k < len(words) and k not in blocked and is_name_token(words[k])
            return (i, k + 1) if ok else None
        if not is_name_token(words[i]):
            return None
        j = i
        while j < len(words) and j - i < 3 and j not in blocked and _is_first_name(words[j]) and is_name_token(words[j]):
            j += 1
        n_first = j - i
        k = _skip_particles(doc, j)  # "Ursula von der Leyen", "Ludwig van Beethoven"
        role_surname = (
            n_first > 0 and k == j and k in roles and (k + 1 >= len(words) or k + 1 not in roles)
            and not (k + 1 < len(words) and words[k + 1] in first_names())
        )
        surname = k < len(words) and (k not in blocked or role_surname) and is_name_token(words[k]) and (
            role_surname or not _is_role_or_org(words[k])
        )
        if surname and (k > j and words[k] in common_nouns() or words[k].endswith(_STREET_ENDINGS)):
            surname = False  # "kam Leo zur Welt": after a particle a noun is no surname; "Ben-Gurion-Straße"
        if n_first and surname:
            if anchor is None and i > 0 and doc_tokens(doc).lower[i - 1] in _NO_BARE_NAME_AFTER:
                return None  # "aus Peer Learning", "zum Max Planck Institut": not a person here
            if anchor is None and _is_noun_too(words[i]) and has_determiner(words, i):
                return None  # "die Art der Fische", "der Ernst der Lage": the noun, not the first name
            return i, k + 1  # after a first name any capitalised word is the surname: "Stefanie Fuchs"
        if n_first >= 2:
            return i, j  # "Thomas Werner": the surname is also a first name
        if anchor == "title" and not _is_role_or_org(words[i]):
            nxt = i + 1
            if nxt < len(words) and is_name_token(words[nxt]) and (nxt in roles or nxt not in blocked and words[nxt] not in common_nouns()):
                return i, nxt + 1  # "Dr. Thadäus König": a first name we do not know, then the surname
            return i, i + 1  # "Frau Müller", "Herrn Berger", "Dr. Schmidt"
        if anchor == "role" and n_first == 0 and not _is_plain_word(words[i]):
            end = i + 1
            if end < len(words) and end not in blocked and is_name_token(words[end]) and not _is_plain_word(words[end]):
                end += 1  # "Referatsleiter Kemal Öztürk" with a first name we do not know
            return i, end
        return None


def _foreign_phrase_before(doc: Doc, s: int) -> bool:
    """The word before a lone surname guess is a capitalised word that is neither German nor a
    name, title or role: the guess ends a (mostly English) phrase such as "Customer Journey"."""
    prev = doc[s - 1]
    if prev.is_sent_start or not is_capitalised(prev.text):
        return False
    known = (
        prev.text in common_nouns()
        or prev.text in first_names()
        or prev.text in HONORIFICS
        or prev.text in ACADEMIC_TITLES
        or compound_head(prev.text, role_nouns()) is not None
    )
    return not known


_INITIAL = re.compile(r"^[A-ZÄÖÜ]\.$")


def _plausible_ner_name(span: Span) -> bool:
    """Whether a statistical PER guess is kept. It must not end a foreign phrase, follow "aus"/"im"/"zum",
    or be a stop word opening a sentence; every word must be name-shaped, a particle or an initial
    ("W. Müller"), the last a name; a lone word must not be a common noun with a determiner ("der
    Zöllner"; "Zöllner will …" is a name), nor a compound of common nouns, nor a title ('Dr.-Ing.')."""
    doc, s = span.doc, span.start
    if len(span) == 1 and s > 0 and _foreign_phrase_before(doc, s):
        return False  # "Customer Journey": the model took the end of a phrase for a surname
    if s > 0 and doc_tokens(doc).lower[s - 1] in _NO_BARE_NAME_AFTER:
        return False  # "Kombination aus Peer Learning": "aus", "im", "zum" rarely govern a person
    if len(span) == 1 and span[0].is_sent_start and span[0].lower_ in STOP_WORDS:
        return False  # "Später sagte …": an adverb capitalised at the start of a sentence
    words = [t.text for t in span]
    if not all(is_name_token(w) or w in NAME_PARTICLES or (len(words) > 1 and _INITIAL.match(w)) for w in words):
        return False
    if not is_name_token(words[-1]):
        return False
    if len(words) == 1:
        word = words[0]
        if word in common_nouns() and word not in first_names() and has_determiner(doc_tokens(doc).text, s):
            return False
        # A compound of common nouns ("Datenmanagementpläne") is no surname; short tails such as
        # "-mann", "-kopf" are (Hoffmann, Schwarzkopf).
        return not common_noun_tails(word, 4)
    return not all(w in common_nouns() for w in words)


def _skip_particles(doc: Doc, j: int) -> int:
    words = doc_tokens(doc).text
    k = j
    while k < len(words) and words[k] in NAME_PARTICLES and k - j < 2:
        k += 1
    return k


@lru_cache(maxsize=16384)
def _is_role_or_org(text: str) -> bool:
    """'Bürgermeisterin', 'Ministerium': a title or body, not a surname ('Frau Bürgermeisterin')."""
    return compound_head(text, role_nouns()) is not None or text in org_heads()


def _titles_at(doc: Doc, i: int) -> tuple[list[str], int]:
    words = doc_tokens(doc).text
    titles: list[str] = []
    j = i
    while j < len(words) and (words[j] in HONORIFICS or words[j] in ACADEMIC_TITLES):
        titles.append(words[j])
        j += 1
    return titles, j


def _blocked(doc: Doc) -> set[int]:
    blocked: set[int] = set()
    for key in (ext.ORGS, ext.LOCATIONS, ext.DATES, ext.QUANTITIES):
        for sp in doc.spans.get(key, []):
            blocked.update(range(sp.start, sp.end))
    for sp in doc.spans.get(ext.LAYOUT, []):
        if sp.label_ == "BOILERPLATE":
            blocked.update(range(sp.start, sp.end))
    return blocked


def _org_index(doc: Doc) -> dict[int, str]:
    """Token index where an org mention starts -> the organisation's (long) name."""
    index: dict[int, str] = {}
    for cluster in doc._.ef_orgs or []:
        for start_char, _ in cluster["mentions"]:
            span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
            if span is not None:
                index[span.start] = cluster["name"]
    return index


def _cluster(
    doc: Doc, candidates: dict[tuple[int, int], list[str]], full_names: dict[tuple[int, int], str] | None = None
) -> list[PersonCluster]:
    clusters: list[PersonCluster] = []
    for (s, e), titles in sorted(candidates.items(), key=lambda kv: -(kv[0][1] - kv[0][0])):
        name = (full_names or {}).get((s, e)) or doc[s:e].text
        if e - s == 1 and (s, e) not in (full_names or {}) and sum(c.surname == name and c.name != name for c in clusters) > 1:
            continue  # "Fuchs" after "Stefanie Fuchs und Markus Fuchs": ambiguous, joins nobody
        target = None
        for c in clusters:
            if c.name == name or (e - s == 1 and c.surname == name) or (
                c.surname == name.split()[-1] and (name.split()[0] == c.name.split()[0])
            ):
                target = c
                break
        if target is None:
            target = PersonCluster(name=name, tokens=(s, e))
            clusters.append(target)
        target.mentions.append((s, e))
        for t in titles:
            if t not in target.titles:
                target.titles.append(t)
    clusters.sort(key=lambda c: min(c.mentions))
    return clusters


def _add_surname_mentions(doc: Doc, clusters: list[PersonCluster], blocked: set[int]) -> None:
    """Later 'Fuchs' or 'Frau Fuchs' joins 'Stefanie Fuchs' when the surname is unambiguous.

    A known surname wins over the gazetteer: after "Jana Roth", a later "Roth" is her, not the town.
    """
    owners: dict[str, list[PersonCluster]] = {}
    for c in clusters:
        if len(c.name.split()) > 1:
            owners.setdefault(c.surname, []).append(c)
    taken = {i for c in clusters for s, e in c.mentions for i in range(s, e)}
    places_taken: set[int] = set()
    # After "nach", "in", "aus" the word stays the place: "Jana Roth zog nach Roth."
    loc_tokens = {
        sp.start
        for sp in doc.spans.get(ext.LOCATIONS, [])
        if len(sp) == 1 and not (sp.start > 0 and doc[sp.start - 1].lower_ in PLACE_PREPOSITIONS)
    }
    for i, text in enumerate(doc_tokens(doc).text):
        if i in taken or (i in blocked and i not in loc_tokens):
            continue
        if text not in owners and text.endswith(("s", "'")) and text[:-1] in owners:
            text = text[:-1]  # genitive "Fuchs'" / "Müllers Rede"
        owner = owners.get(text)
        if owner is None or len(owner) != 1:
            continue
        owner[0].mentions.append((i, i + 1))
        titles, _ = _titles_before(doc, i)
        for t in titles:
            if t not in owner[0].titles:
                owner[0].titles.append(t)
        if i in loc_tokens:
            places_taken.add(i)
    if places_taken:
        _drop_locations(doc, places_taken)


def _titles_before(doc: Doc, i: int) -> tuple[list[str], int]:
    words = doc_tokens(doc).text
    k = i
    while k > 0 and (words[k - 1] in HONORIFICS or words[k - 1] in ACADEMIC_TITLES):
        k -= 1
    return words[k:i], k


def _drop_locations(doc: Doc, tokens: set[int]) -> None:
    """Remove location mentions that turned out to be surnames."""
    kept = [sp for sp in doc.spans.get(ext.LOCATIONS, []) if sp.start not in tokens]
    doc.spans[ext.LOCATIONS] = kept
    starts = {doc[i].idx for i in tokens}
    clusters = []
    for c in doc._.ef_locations or []:
        c["mentions"] = [m for m in c["mentions"] if m[0] not in starts]
        if c["mentions"]:
            clusters.append(c)
    doc._.ef_locations = clusters


def _shared_surnames(doc: Doc, candidates: dict[tuple[int, int], list[str]], blocked: set[int]) -> dict[tuple[int, int], str]:
    """'Lena und Kathrin Sicks', 'Carsten und Jörg Schlösser': the first name before "und" shares
    the surname of the full name after it. It becomes a candidate of its own; RETURNS its full name."""
    words = doc_tokens(doc).text
    full: dict[tuple[int, int], str] = {}
    for (s, e) in list(candidates):
        if e - s < 2 or s < 2 or words[s - 1] != "und" or not _is_first_name(words[s]):
            continue
        k = s - 2
        if k in blocked or not _is_first_name(words[k]) or words[k] in ambiguous_first_names():
            continue
        if any(cs <= k < ce and (cs, ce) != (k, k + 1) for cs, ce in candidates):
            continue
        candidates.setdefault((k, k + 1), [])
        full[(k, k + 1)] = f"{words[k]} {words[e - 1]}"
    return full


def _attach_listed_roles(doc: Doc, clusters: list[PersonCluster], orgs: dict[int, str]) -> None:
    """Roles named once for several people: elections, board lists, copulas (see role_lists).
    The organisation right after such a role is the person's ("zur Vorsitzenden des Kreisjugendrings")."""
    owner = {s: c for c in clusters for s, _ in c.mentions}
    mentions = {s: e for c in clusters for s, e in c.mentions}
    roles = doc.spans.get(ext.ROLES, [])
    role_ends = {r.end for r in roles}
    pairs = listed_roles(doc, roles, mentions) + names_after_plural_role(doc, roles, mentions, role_ends)
    seen = {(start, role.start) for start, role in pairs}
    pairs += [(start, role) for start, role in names_before_appointed_role(doc, roles, mentions) if (start, role.start) not in seen]
    for start, guest in guests_listed(doc, mentions):
        owner[start].add_role(guest)
    for start, (masculine, feminine) in roles_from_acts(doc, mentions):
        c = owner[start]
        c.add_role(feminine if c.gender == "f" else masculine)
    for start, role in pairs:
        c = owner[start]
        written = doc[role._.ef_role["head"]].text
        female = c.gender == "f" if c.gender in {"f", "m"} else None
        c.add_role(gendered(role._.ef_role["role"], written, female, feminine_role))
        affiliation_after(doc, role.end, c, orgs)


def _attach_roles_and_orgs(
    doc: Doc,
    c: PersonCluster,
    roles_by_end: dict[int, Span],
    orgs: dict[int, str],
    org_ends: dict[int, int],
    name_starts: set[int],
) -> None:
    """Roles and organisation of one person from around each mention. orgs: token where an
    organisation mention starts -> its name; org_ends: the same start -> where the mention ends."""
    for s, e in sorted(c.mentions):
        # Role before the name, possibly with titles between: "Referatsleiter Dr. Markus Müller".
        _, k = _titles_before(doc, s)
        role = roles_by_end.get(k)
        if role is None and k > 0 and doc[k - 1].text == ",":
            role = _fronted_role(doc, k - 1, roles_by_end)
        if role is None and k > 1 and doc[k - 1].text in _LIST_DASHES:
            role = roles_by_end.get(k - 1)  # "1. Vorsitzender – Justus Brödder", "Kassierer: Eva Roth"
        if role is not None:
            _add_role(c, role)
            affiliation_from_role(doc, role, c)
            affiliation_after(doc, role.end, c, orgs)
            # "Landrat und Aufsichtsratsvorsitzender Martin Neumeyer", "Überraschungsgast
            # Wirtschaftskammerpräsident Christoph Leitl": more roles stacked before the name
            j = role.start
            for _ in range(2):
                if j > 1 and doc[j - 1].lower_ in {"und", "sowie"} and roles_by_end.get(j - 1) is not None:
                    j -= 1
                earlier = roles_by_end.get(j)
                if earlier is None or earlier.end in name_starts and earlier.end != role.start and doc[j].lower_ not in {"und", "sowie"}:
                    break
                _add_role(c, earlier)
                j = earlier.start
        # "Dr. Walter Seubert (Präsident der Hessischen Hochschule …)": the role in brackets
        if e + 1 < len(doc) and doc[e].text == "(":
            bracket = next((r for r in roles_by_end.values() if r.start == e + 1), None)
            if bracket is not None:
                _add_role(c, bracket)
                affiliation_after(doc, bracket.end, c, orgs)
        # Apposition after the name: ", stellvertretender Leiter der Abteilung …", also after
        # adjectives (", bisheriger stellvertretender Kommandant"); not a role that opens the next
        # name of a list (", stellvertretender Bürgermeister Gottfried Bindrim").
        comma = e
        if comma + 2 < len(doc) and doc[comma].text == "(":
            # "Oberbürgermeister David Langner (Koblenz), stellvertretender Vorsitzender …": the
            # apposition follows a bracketed seat or party.
            close = next((k for k in range(comma + 2, min(comma + 6, len(doc))) if doc[k].text == ")"), None)
            if close is not None and close + 1 < len(doc) and doc[close + 1].text == ",":
                comma = close + 1
        if comma < len(doc) and doc[comma].text == ",":
            j = comma + 1
            if j < len(doc) and doc[j].lower_ in DETERMINERS:
                j += 1
            appos = next((r for r in roles_by_end.values() if r.start == j), None)
            for _ in range(2):
                if appos is not None or j >= len(doc) or not (doc[j].text.isalpha() and is_inflected_adjective(doc[j].text)):
                    break
                j += 1
                appos = next((r for r in roles_by_end.values() if r.start == j), None)
            if appos is not None and (appos.end in name_starts or (
                appos.end + 1 < len(doc) and doc[appos.end].text in _LIST_DASHES and appos.end + 1 in name_starts
            )):
                appos = None  # the role opens the next name: ", 2. Vorsitzende – Alena Bell"
            if appos is not None:
                _add_role(c, appos)
                affiliation_after(doc, appos.end, c, orgs)
                # ", Kulturwissenschaftlerin und Germanistin": a second role joined by "und"
                k = appos.end
                if k + 1 < len(doc) and doc[k].lower_ in {"und", "sowie"}:
                    second = next((r for r in roles_by_end.values() if r.start == k + 1), None)
                    if second is not None and second.end not in name_starts:
                        _add_role(c, second)
        # "Ulrich Freese (MdB)", "Eva Roth, MdL,": a parliament title after the name
        k = e + 1 if e < len(doc) and doc[e].text in {"(", ","} else None
        if k is not None and k < len(doc) and doc[k].text in _PARLIAMENT_TITLES:
            c.add_role(doc[k].text)
        before_titles, _ = _titles_before(doc, s)
        for title in before_titles:
            if title in _PARLIAMENT_TITLES:
                c.add_role(title)  # "MdB Ulrich Freese": a parliament seat is a role, not only a title
        # "Franziska Wölfle als Kassiererin", "Anton von der Heide, der als Schriftführer …".
        j = e
        if j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ in {"der", "die"}:
            j += 2
        if j < len(doc) and doc[j].lower_ == "als":
            k = j + 1
            while k < len(doc) and doc[k].lower_ in DETERMINERS and k < j + 3:
                k += 1
            as_role = next((r for r in roles_by_end.values() if r.start == k), None)
            if as_role is not None:
                _add_role(c, as_role)
        # "Anna Beispiel (IHK Berlin)", "Markus Beispiel vom BMAS".
        if e + 1 < len(doc) and doc[e].text == "(" and (e + 1) in orgs:
            c.organisation = c.organisation or orgs[e + 1]
        # "Sigrid Isser, Frauen Union Hessen, …": an organisation in apposition, closed by a comma,
        # a bracket, "und" or the end of the sentence.
        if e + 1 < len(doc) and doc[e].text == "," and (e + 1) in orgs and c.organisation is None:
            end = org_ends.get(e + 1)
            if end is not None and (end >= len(doc) or doc[end].text in {",", ")", ".", ";"} or doc[end].lower_ in {"und", "sowie"}):
                c.organisation = orgs[e + 1]
        affiliation_after(doc, e, c, orgs)


def _settle_first_names(clusters: list[PersonCluster]) -> list[PersonCluster]:
    """A first name alone is no person (ANNOTATION.md): "Sven" is the one "Sven Guericke" of the
    text, else dropped. A single name with a title or a role stays ("Frau Ludwig",
    "Bürgermeister Albert"): there it is a surname."""
    kept = []
    for c in clusters:
        lone = " " not in c.name and c.name in first_names() and not c.titles and not c.roles
        if not lone:
            kept.append(c)
            continue
        full = [o for o in clusters if o is not c and " " in o.name and o.name.split()[0] == c.name]
        if len(full) == 1:
            full[0].mentions.extend(c.mentions)
            full[0].organisation = full[0].organisation or c.organisation
    return kept


def _fronted_role(doc: Doc, comma: int, roles_by_end: dict[int, Span]) -> Span | None:
    """The role of 'Die Leiterin des Amtes für X, Dr. Katrin Albers' or of 'dem Parlamentarischen
    Staatssekretär im Bundesministerium für Y (BMWK), Jörg Lindemann': a role that opens the
    phrase, optionally followed by where it belongs, then a comma and the name."""
    places = {i for key in (ext.ORGS, ext.LOCATIONS) for sp in doc.spans.get(key, []) for i in range(sp.start, sp.end)}
    j = comma
    # Step back over "(BMWK)" and over the organisation or place the role belongs to.
    if j >= 3 and doc[j - 1].text == ")" and doc[j - 3].text == "(":
        j -= 3
    if j >= 2 and doc[j - 2].lower_ in {"von", "aus"} and doc[j - 1].text[:1].isupper() and (j - 1) not in places:
        j -= 2  # "Die Bürgermeisterin von Vitry-sur-Seine, Camille …": a seat the gazetteer lacks
    if j > 0 and (j - 1) in places:
        while j > 0 and (j - 1) in places:
            j -= 1
        if j > 0 and doc[j - 1].lower_ in AFFILIATION_WORDS:
            j -= 1
        while j > 0 and doc[j - 1].lower_ in ARTICLES:
            j -= 1
    role = roles_by_end.get(j)
    if role is None:
        return None
    before = doc[role.start - 1] if role.start > 0 else None
    if before is not None and before.lower_ in {"zum", "zur", "zu", "als"}:
        return None  # "… zum Feuerwehrmann, Daniel Gietl zum …": the role of an earlier clause
    if before is None or before.is_sent_start or before.lower_ in DETERMINERS or before.lower_ in PREPOSITIONS:
        return role
    return role if role.start > 0 and doc[role.start].is_sent_start else None


def _add_role(c: PersonCluster, role: Span) -> None:
    info = role._.ef_role
    value = info["role"]
    if info.get("participle") and info.get("complement") is None:
        # "Inklusionsbeauftragte Yasemin …": adjectival nouns take the person's gender.
        gender = c.gender
        head = value.rsplit(" ", 1)[-1]
        stem = head[:-1] if head.endswith("r") else head
        if gender in {"f", "m"}:
            new_head = stem if gender == "f" else stem + "r"
            value = value[: len(value) - len(head)] + new_head
    c.add_role(value)


@Language.factory(
    "eventfacts_persons",
    assigns=["doc.spans", "doc._.ef_persons"],
    requires=["doc.spans"],
    default_config={"spans_key": ext.PERSONS, "use_ner": True},
)
def make_persons(nlp: Language, name: str, spans_key: str, use_ner: bool) -> PersonRecognizer:
    return PersonRecognizer(nlp, name, spans_key=spans_key, use_ner=use_ner)


__all__ = ["PersonRecognizer", "is_name_token", "make_persons"]
