"""Ties of a person to an organisation, for `eventfacts_persons` (ANNOTATION.md: only ties the text writes).

After a role or name ("Referentin im BMAS", "Anna Beispiel vom BMAS"), through a role compound
("IHK-Präsident", "Kammerpräsident"), through an office and its body ("Bürgermeister" -> "Stadt X"),
through "unsere …" for the publisher, and for staff functions the one organisation of the passage.
Each function takes a person cluster (name, roles, organisation, mentions) and sets its
`organisation` when it is still empty.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from extractor.components.orgs import head_entry
from extractor.doc_tokens import doc_tokens
from extractor.german import ARTICLES

if TYPE_CHECKING:
    from extractor.components.persons import PersonCluster

# Words before an organisation that tie a person to it: "Anna Beispiel vom BMAS".
AFFILIATION_WORDS = frozenset({"vom", "von", "des", "der", "bei", "beim", "im", "aus", "am", "für", "an"})
# Offices and the bodies they head (by the end of the organisation's first word or of its name).
_OFFICE_BODIES: dict[str, tuple[str, ...]] = {
    "Bürgermeister": ("Stadt", "Gemeinde", "Stadtverwaltung", "Hansestadt", "Markt"),
    "Oberbürgermeister": ("Stadt", "Stadtverwaltung", "Hansestadt"),
    "Landrat": ("Kreis", "Landkreis", "Landratsamt"),
    "minister": ("ministerium",),
    "Staatssekretär": ("ministerium",),
    "Ministerialdirektor": ("ministerium",),
    "Rektor": ("Universität", "Hochschule"),
    "Präsident": ("Universität", "Hochschule", "Kammer", "Verband"),
    "Kanzler": ("Universität", "Hochschule"),
    "Dekan": ("Universität", "Hochschule"),
    "Botschafter": ("Botschaft",),
    "Direktor": ("Akademie", "Institut", "Museum", "Schule"),
    "Schulleiter": ("Schule", "Gymnasium", "Realschule", "Gesamtschule", "Oberschule"),
}
# A compound office of the state, not of the body a bare "Präsident" or "Direktor" heads.
_STATE_OFFICE_PREFIXES = ("Minister", "Landtags", "Bundestags", "Bundes", "Regierungs", "Polizei", "Senats",
                          "Bezirkstags", "Kreistags", "Landes", "Verwaltungs", "Gerichts", "Amtsgerichts", "Landgerichts")
_PUBLISHER_CUE = re.compile(r"(?:\bwir als|\b[Uu]nser(?:es|er|em|en)?(?:\s+\w+)?)\s*(?:der|des|die|das)?\s*$")

# Role kinds whose holder works for the organisation the passage is about.
_NEARBY_KINDS = frozenset({"function", "profession"})


def affiliation_from_role(doc: Doc, role: Span, c: PersonCluster) -> None:
    """'IHK-Hauptgeschäftsführer' ties the person to the organisation called IHK in the text."""
    prefix = role._.ef_role.get("org_prefix")
    if c.organisation is not None or not prefix:
        return
    for cluster in doc._.ef_orgs or []:
        if prefix in {cluster["acronym"], cluster["name"]}:
            c.organisation = cluster["name"]
            return


def affiliation_by_compound(doc: Doc, c: PersonCluster) -> None:
    """'Kammerpräsident', 'Vereinsvorsitzende', 'Verbandsgeschäftsführer': the first part of the role
    names the kind of body; with exactly one such organisation in the text, that is it."""
    if c.organisation is not None:
        return
    for role in c.roles:
        head = role.split(" ")[-1]
        for cut in range(3, len(head) - 3):
            prefix = head[:cut].rstrip("s")
            found = head_entry(prefix[:1].upper() + prefix[1:]) if prefix else None
            if found is None:
                continue
            kind = found[0].head.lower()
            bodies = {o["name"] for o in doc._.ef_orgs or [] if kind in o["name"].split(" ")[0].lower() or kind in o["name"].lower().split()}
            if len(bodies) == 1:
                c.organisation = bodies.pop()
                return


def affiliation_by_office(doc: Doc, c: PersonCluster, lemmas: dict[str, str]) -> None:
    """An office names its body: a mayor heads the 'Stadt X', a minister the ministry in the text.

    Used only when exactly one organisation of that kind is named in the document.
    """
    if c.organisation is not None:
        return
    for role in c.roles:
        lemma = lemmas.get(role) or ""
        heads = next((b for office, b in _OFFICE_BODIES.items() if lemma.endswith(office) or lemma.endswith(office.lower())), ())
        if heads and lemma.startswith(_STATE_OFFICE_PREFIXES) and lemma.endswith(("präsident", "direktor")):
            continue  # "Ministerpräsident", "Landtagspräsident", "Regierungsdirektor": no chamber or school head
        if not heads:
            continue
        # by the first word's compound head too: a Landrat heads the "Altmarkkreis Salzwedel"
        low_heads = tuple(h.lower() for h in heads)
        bodies = {
            o["name"] for o in doc._.ef_orgs or []
            if o["name"].split(" ")[0].lower().endswith(low_heads) or o["name"].endswith(heads)
        }
        if len(bodies) == 1:
            c.organisation = bodies.pop()
            return


def affiliation_of_publisher(doc: Doc, c: PersonCluster) -> None:
    """'unsere Kassiererin' works for the publisher: the organisation written as 'wir als X' or 'unser Verein X'."""
    if c.organisation is not None:
        return
    s, _ = min(c.mentions)
    if not any(t.lower_.startswith("unser") for t in doc[max(0, s - 4) : s]):
        return
    for o in doc._.ef_orgs or []:
        for start, _ in o["mentions"]:
            before = doc_tokens(doc).doc_text[max(0, start - 40) : start]
            if _PUBLISHER_CUE.search(before):
                c.organisation = o["name"]
                return


def affiliation_nearby(doc: Doc, c: PersonCluster, role_kinds: dict[str, str]) -> None:
    """A function holder ('Referatsleiter') works for the one organisation the passage is about.

    Only for roles of kind 'function' (offices such as 'Bürgermeister' name their own body), only
    without a possessive ('Unsere Geschäftsführerin' is the publisher's), and only when exactly one
    organisation is mentioned in the sentence or the one before.
    """
    if c.organisation is not None or not c.roles or not doc.has_annotation("SENT_START"):
        return
    if not any(role_kinds.get(r) in _NEARBY_KINDS for r in c.roles):
        return
    s, _ = min(c.mentions)
    sent = doc[s].sent
    window_start = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
    if any(t.lower_.startswith("unser") for t in doc[max(sent.start, s - 4) : s]):
        return
    names = {
        cluster["name"]
        for cluster in doc._.ef_orgs or []
        for start, _ in cluster["mentions"]
        if window_start <= start < sent.end_char
    }
    if len(names) == 1:
        c.organisation = names.pop()


def affiliation_after(doc: Doc, i: int, c: PersonCluster, orgs: dict[int, str]) -> None:
    if c.organisation is not None or i >= len(doc):
        return
    if i in orgs and doc[i - 1].text != ",":
        c.organisation = orgs[i]
        return
    j = i
    while j < len(doc) and j < i + 2 and doc[j].lower_ in AFFILIATION_WORDS | ARTICLES:
        j += 1
    if j > i and j in orgs:
        c.organisation = orgs[j]


