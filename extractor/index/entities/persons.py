"""Persons across reports: one entity per name, split where the organisations say two people.

Names compare after `matching.person_key` (titles and honorifics dropped), with middle initials and
name particles ignored ("Dr. Michael J. Schulz" = "Michael Schulz", "Hans Jürgen" = "Hans-Jürgen").
Only mentions of one surname can ever be joined. Within a surname:

1. Full names: mentions with an organisation form one entity per organisation (organisations agree
   when their keys are equal or one is an acronym that fits the other: "THW" / "Bundesanstalt
   Technisches Hilfswerk"). A mention without organisation joins the only such entity; when there
   are several, the one whose role agrees (roles of the event such as 'Gast' do not count); else it
   stays apart, in an entity marked ambiguous. With no organisation anywhere, the name is one entity.
   A generic organisation ('TSV', 'die Tafel') counts as none: it names no body in particular.
2. Initials only ("M. Schulz"): join the only full-name entity the initials and organisation fit.
3. Surname only ("Herr Lackner"): join the one entity whose organisation or role agrees (a
   surname alone is never enough); otherwise an entity of its own: per organisation when one is
   given, else per report.
Two mentions of one report are never joined by 3 (the record lists different people).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.evaluation.matching import fold, person_key, role_key, role_match, stem
from extractor.index.entities.common import Placed, docs_phrase, listed, quoted
from extractor.index.entities.organisations import canonical_key as org_canonical_key
from extractor.index.entities.organisations import is_generic, looks_like_acronym
from models.entities import EntityMention

# Roles that describe a part at the event, not an office: two people being 'Gast' proves nothing.
_EVENT_ROLES = {
    "gast", "ehrengast", "redner", "rednerin", "gastredner", "gastrednerin", "festredner", "festrednerin",
    "schirmherr", "schirmherrin", "moderator", "moderatorin", "preisträger", "preisträgerin", "jubilar",
    "jubilarin", "teilnehmer", "teilnehmerin", "referent", "referentin", "podiumsgast", "grußwortredner",
    "grußwortrednerin", "laudator", "laudatorin", "besucher", "besucherin",
}
_PARTICLES = {"von", "van", "vom", "zu", "zum", "zur", "de", "der", "den", "di", "da", "le", "la", "ten", "ter"}
_EVENT_ROLE_STEMS = {stem(r) for r in _EVENT_ROLES}


@dataclass
class _Name:
    mention: EntityMention
    surname: str
    given: str  # full given names joined by '-', initials and particles left out; '' when none
    initials: str  # first letters of the given names, 'm' or 'h-p'; '' when none
    roles: list[str]
    # the organisation as compared: none for a generic one ('TSV'), which names no body in particular
    org: str | None

    @property
    def without(self) -> str:
        generic = self.mention.organisation
        return f"with only the generic organisation {quoted(generic)}" if generic else "without organisation"

    @property
    def form(self) -> str:
        return "full" if self.given else "initials" if self.initials else "surname"


@dataclass
class _Entity:
    key: tuple[str, ...]
    members: list[tuple[_Name, str]] = field(default_factory=list)  # (name, how it joined); add by join()
    # What the placing loops ask of every entity for every mention, kept up to date by join():
    # a common name has dozens of entities and hundreds of mentions to place among them.
    docs: set[str] = field(init=False, default_factory=set)
    _orgs: set[str] = field(init=False, default_factory=set)
    _roles: set[str] = field(init=False, default_factory=set)
    _sorted: dict[str, list[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        given, self.members = self.members, []
        for n, how in given:
            self.join(n, how)

    def join(self, n: _Name, how: str) -> None:
        self.members.append((n, how))
        self.docs.add(n.mention.doc_id)
        if n.org and n.org not in self._orgs:
            self._orgs.add(n.org)
            self._sorted.pop("orgs", None)
        if not self._roles.issuperset(n.roles):
            self._roles.update(n.roles)
            self._sorted.pop("roles", None)

    @property
    def orgs(self) -> list[str]:
        found = self._sorted.get("orgs")
        if found is None:
            found = self._sorted["orgs"] = sorted(self._orgs)
        return found

    @property
    def roles(self) -> list[str]:
        found = self._sorted.get("roles")
        if found is None:
            found = self._sorted["roles"] = sorted(self._roles)
        return found

    def label(self) -> str:
        names = sorted({n.mention.name for n, _ in self.members if n.form == "full"} or
                       {n.mention.name for n, _ in self.members})
        orgs = self.orgs
        return quoted(names[0]) + (f" of {quoted(orgs[0])}" if orgs else "")


@lru_cache(maxsize=65536)
def _name_parts(name: str) -> tuple[str, str, str]:
    """(surname, given, initials) of a written name."""
    words = [w for w in person_key(name) if w]
    surname = words[-1] if words else fold(name)
    given_words = [w for w in words[:-1] if w not in _PARTICLES]
    # 'Hans-Peter' is a given name, 'H.-P.' and 'J' are initials
    parts = [[p for p in re.split(r"[.\-]+", w) if p] for w in given_words]
    given = "-".join(w for w, p in zip(given_words, parts) if any(len(x) > 1 for x in p))
    initials = "-".join(x[0] for p in parts for x in p)
    return surname, given, initials


@lru_cache(maxsize=65536)
def _is_office(role: str) -> bool:
    """A role that names an office or a job, not a part at the event ('Gast', 'Redner')."""
    key = role_key(role)
    return bool(key) and key[-1] not in _EVENT_ROLE_STEMS


def parse(mention: EntityMention) -> _Name:
    surname, given, initials = _name_parts(mention.name)
    org = mention.organisation or None
    if org and is_generic(org):  # 'TSV', 'die Tafel': which one, the name does not say
        org = None
    return _Name(mention, surname, given, initials, [r for r in mention.roles if _is_office(r)], org)


def blocking_keys(mention: EntityMention) -> set[str]:
    """The surname: no rule joins two persons of different surnames."""
    return {"person:" + _name_parts(mention.name)[0]}


# --- evidence ----------------------------------------------------------------------------------


def _acronym_fits(acronym: str, words: list[str]) -> bool:
    """Its letters appear in order in the words, the first one starting a word ('thw' in
    'bundesanstalt technisches hilfswerk')."""
    letters = [c for c in acronym.casefold() if c.isalnum()]
    if not letters or not words:
        return False
    text = " ".join(words)
    for start, word in enumerate(words):
        if word[0] != letters[0]:
            continue
        pos = len(" ".join(words[:start])) + (1 if start else 0)
        i = 0
        for ch in text[pos:]:
            if i < len(letters) and ch == letters[i]:
                i += 1
        if i == len(letters):
            return True
    return False


@lru_cache(maxsize=65536)
def orgs_agree(a: str, b: str) -> bool:
    """Same organisation as far as the two names tell: equal keys, or an acronym fitting the other
    name after their common ending ('LSB Thüringen' / 'Landessportbund Thüringen')."""
    if org_canonical_key(a) == org_canonical_key(b):
        return True
    wa, wb = fold(a).split(), fold(b).split()
    while wa and wb and wa[-1] == wb[-1]:
        wa, wb = wa[:-1], wb[:-1]
    raw_a, raw_b = a.split()[: len(wa)], b.split()[: len(wb)]
    if len(raw_a) == 1 and looks_like_acronym(raw_a[0]) and wb:
        return _acronym_fits(raw_a[0], wb)
    if len(raw_b) == 1 and looks_like_acronym(raw_b[0]) and wa:
        return _acronym_fits(raw_b[0], wa)
    return False


def _leads_with_acronym(org: str) -> bool:
    """The first word looks like an acronym: the only way two organisations with different keys agree."""
    words = org.split()
    return bool(words) and looks_like_acronym(words[0])


_role_match = lru_cache(maxsize=65536)(role_match)


def _agreeing_role(a: list[str], b: list[str]) -> str | None:
    for ra in a:
        for rb in b:
            if _role_match(ra, rb):
                return ra
    return None


def _org_label(orgs: list[str]) -> tuple[str, ...]:
    """The organisation part of an entity key: the smallest long-form key (an acronym only when
    no long form is known), so it does not depend on the order of the mentions."""
    long_forms = [org_canonical_key(o) for o in orgs if not looks_like_acronym(o)]
    return min(long_forms or [org_canonical_key(o) for o in orgs])


def _components(names: list[_Name]) -> list[list[_Name]]:
    """Mentions with organisations, grouped where the organisations agree (transitively); the
    organisations are compared once per distinct name, not per mention."""
    orgs = sorted({n.org for n in names if n.org})
    parent = {o: o for o in orgs}

    def find(o: str) -> str:
        while parent[o] != o:
            parent[o] = parent[parent[o]]
            o = parent[o]
        return o

    def join(a: str, b: str) -> None:
        if find(a) != find(b):
            parent[find(a)] = find(b)

    # Groups depend only on which pairs agree, not on the order they are found in. Equal keys
    # agree; any other pair only through an acronym that is the first word of one of the two
    # (see orgs_agree), so just those pairs are compared, not all n^2 of a common name's orgs.
    by_key: dict[tuple[str, ...], str] = {}
    for o in orgs:
        join(o, by_key.setdefault(org_canonical_key(o), o))
    for a in orgs:
        if _leads_with_acronym(a):
            for b in orgs:
                # orgs_agree is not symmetric when both are acronyms: ask in sorted order, as before
                if a != b and find(a) != find(b) and (orgs_agree(a, b) if a < b else orgs_agree(b, a)):
                    join(a, b)
    groups: dict[str, list[_Name]] = defaultdict(list)
    for n in names:
        groups[find(n.org or "")].append(n)
    return sorted(groups.values(), key=lambda g: min(n.mention.mention_key for n in g))


# --- resolution --------------------------------------------------------------------------------


def _by_name(names: list[_Name], surname: str, given: str) -> list[_Entity]:
    """Entities of one name (full given names, or initials that fit no full name)."""
    with_org = [n for n in names if n.org]
    components = _components(with_org)
    entities = [_Entity(("person", surname, given, "org", *_org_label([n.org for n in c if n.org])),
                        [(n, "org") for n in c]) for c in components]
    without = sorted((n for n in names if not n.org), key=lambda n: n.mention.mention_key)
    if not without:
        return entities
    if not entities:
        return [_Entity(("person", surname, given), [(n, "name") for n in without])]
    ambiguous = _Entity(("person", surname, given, "?"))
    orgs = ""  # the namesakes' organisations, listed once: the mentions joining them have none
    for n in without:
        if len(entities) == 1:
            entities[0].join(n, "only")
            continue
        # most mentions carry no office: nothing to compare with each namesake then
        fitting = [(e, r) for e in entities if (r := _agreeing_role(n.roles, e.roles))] if n.roles else []
        if len(fitting) == 1:
            fitting[0][0].join(n, "role:" + fitting[0][1])
        else:
            orgs = orgs or listed(["of " + quoted(e.orgs[0], 40) for e in entities])
            ambiguous.join(n, f"ambiguous:{len(entities)}:{orgs}")
    return entities + ([ambiguous] if ambiguous.members else [])


def _fits_initials(n: _Name, e: _Entity) -> bool:
    full = [m for m, _ in e.members if m.form == "full"]
    if not full or e.key[-1] == "?":
        return False
    if not any(m.initials.startswith(n.initials) for m in full):
        return False
    orgs = e.orgs
    return not (n.org and orgs and not any(orgs_agree(n.org, o) for o in orgs))


def _resolve_surname(surname: str, names: list[_Name]) -> list[_Entity]:
    by_given: dict[str, list[_Name]] = defaultdict(list)
    for n in names:
        if n.form == "full":
            by_given[n.given].append(n)
    entities = [e for given in sorted(by_given) for e in _by_name(by_given[given], surname, given)]

    unplaced: dict[str, list[_Name]] = defaultdict(list)
    for n in sorted((n for n in names if n.form == "initials"), key=lambda n: n.mention.mention_key):
        fitting = [e for e in entities if _fits_initials(n, e)]
        if len(fitting) == 1:
            fitting[0].join(n, "initials")
        else:
            unplaced[n.initials].append(n)
    for initials in sorted(unplaced):
        entities += _by_name(unplaced[initials], surname, initials + ".")

    bare_left: list[_Name] = []
    for n in sorted((n for n in names if n.form == "surname"), key=lambda n: n.mention.mention_key):
        evidence = []
        for e in entities:
            if n.mention.doc_id in e.docs or e.key[-1] == "?":
                continue
            if n.org and any(orgs_agree(n.org, o) for o in e.orgs):
                evidence.append((e, "bare-org:" + n.org))
            elif role := _agreeing_role(n.roles, e.roles):
                evidence.append((e, "bare-role:" + role))
        if len(evidence) == 1:
            evidence[0][0].join(n, evidence[0][1])
        else:
            bare_left.append(n)
    for c in _components([n for n in bare_left if n.org]):
        entities.append(_Entity(("person", surname, "", "org", *_org_label([n.org for n in c if n.org])),
                                [(n, "bare-own") for n in c]))
    for n in bare_left:
        if not n.org:
            entities.append(_Entity(("person", surname, "", "doc", n.mention.doc_id), [(n, "bare-own")]))
    return entities


def _reason(n: _Name, how: str, e: _Entity, docs: list[str]) -> str:
    name = quoted(n.mention.name)
    others = docs_phrase(docs, exclude=n.mention.doc_id)
    if how in ("name", "org"):
        org = f" of {quoted(n.org)}" if n.org else ""
        if not others:
            return f"{name}{org}: no other report names this person"
        basis = "the organisation agrees" if n.org else "titles and middle initials aside, no organisation differs"
        return f"{name}{org}: same person as in {others} ({basis})"
    if how == "only":
        return f"{name} {n.without}: the only person of this name is the one of {quoted(e.orgs[0])} ({others})"
    if how.startswith("role:"):
        return (f"{name} {n.without}: of the persons of this name, only the one of {quoted(e.orgs[0])} "
                f"has an agreeing role ({quoted(how[5:])})")
    if how.startswith("ambiguous:"):
        count, _, orgs = how[10:].partition(":")
        return f"{name} {n.without}: {count} namesakes ({orgs}), nothing tells which, so it stays apart"
    if how == "initials":
        return f"{name} gives initials only: the one person they fit is {e.label()}"
    if how.startswith("bare-org:"):
        return f"{name} is a surname only: its organisation {quoted(how[9:])} agrees with {e.label()}"
    if how.startswith("bare-role:"):
        return f"{name} is a surname only: its role {quoted(how[10:])} agrees with {e.label()}"
    if n.org:
        shared = f", as in {others}" if others else ""
        return f"{name} is a surname only, with organisation {quoted(n.org)}{shared}: no full name to join"
    return f"{name} is a surname only, with nothing tying it to a person of another report"


def resolve(mentions: list[EntityMention]) -> list[Placed]:
    by_surname: dict[str, list[_Name]] = defaultdict(list)
    for m in mentions:
        n = parse(m)
        by_surname[n.surname].append(n)
    placed = []
    for surname in sorted(by_surname):
        for e in _resolve_surname(surname, by_surname[surname]):
            docs = sorted(e.docs)
            phrases: dict[tuple, str] = {}  # as in entities.resolve: once per wording, not per mention
            for n, how in e.members:
                display = n.mention.name if n.form == "full" else None
                memo = (how, n.mention.name, n.org, n.mention.organisation,
                        n.mention.doc_id if n.mention.doc_id in docs[:4] else None)
                if memo not in phrases:
                    phrases[memo] = _reason(n, how, e, docs)
                placed.append(Placed(n.mention, e.key, phrases[memo], display))
    return placed
