"""Roles given to names through elections, lists and copulas (used by `eventfacts_persons`).

Board elections and lists name the role once for several people, away from the names:

    Zu Beisitzern wurden Eva Roth, Jan Kurz und Ole Berg gewählt.
    Andrea Gerlach, Kerstin Matthes und Brigitte Ott wurden als Beisitzerinnen gewählt.
    Michael Hofmann ist zum neuen Kommandanten gewählt worden.
    Kassenprüfer sind Tim Lau und Uwe Sand.  /  Schriftführerin bleibt Eva Roth.  /  Roth bleibt Kassiererin.

A sentence is cut at commas into chunks; a chunk holding a *cue* (a role after "zum/zur/zu/als"
in a sentence with an election verb, or a role next to a copula) opens a group, chunks without a
cue join the group before them (or the next cue when none came yet). Each person named in a group
with exactly one cue role takes that role; a role written in the plural takes the person's gender.
Names after "von", "für", "mit" … ("Nachfolgerin von Hans Meier") are not the ones elected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Span

from extractor import extensions as ext
from extractor.doc_tokens import doc_tokens

_ELECTION = frozenset(
    "gewählt wiedergewählt neugewählt bestätigt ernannt berufen bestimmt gekürt benannt eingesetzt "
    "einstimmig wählte wählten ernannte ernannten bestätigte bestätigten befördert beförderte beförderten".split()
)
_COPULA = frozenset("ist sind bleibt bleiben wurde wurden wird werden war waren".split())
# Finite active forms: the name before them does the electing or promoting.
_ACTIVE_ELECTION = frozenset("wählte wählten ernannte ernannten bestätigte bestätigten beförderte beförderten".split())
_APPOINTING = frozenset({"zum", "zur", "zu", "als"})
_NOT_THE_HOLDER = frozenset("von vom für mit bei beim durch dank gegen ohne nach".split())
# Honorifics and titles before a name of a list.
_NAME_PREFIXES = frozenset("Frau Herr Herrn Dr. Prof. Dipl.-Ing.".split())
_OPENERS = frozenset({"neue", "neuer", "neuen", "neues", "als", "und", "sowie", "weiterhin", "wieder", "auch"})
# Words between a role and the organisation it belongs to: "ist Präsident des Landessportbundes".
_OF_ORG = frozenset({"des", "der", "im", "beim", "bei", "vom", "von", "am"})


def _skip_adjectives_back(doc: Doc, k: int, limit: int = 2) -> int:
    """Index of the word before doc[k], stepping back over up to `limit` lower-case adjectives."""
    j = k - 1
    steps = 0
    while j >= 0 and steps < limit and doc[j].text.islower() and doc[j].text.endswith(("e", "en", "er", "es", "em")) \
            and doc[j].lower_ not in _APPOINTING and doc[j].lower_ not in _COPULA:
        j -= 1
        steps += 1
    return j


def is_plural(role: Span) -> bool:
    """The role is written in the plural: 'Ehrengäste', 'Beisitzerinnen', 'die Preisträger'."""
    written = role.doc[role._.ef_role["head"]].text
    head = role._.ef_role["role"].rsplit(" ", 1)[-1]
    if written != head and not written.endswith(("s", "es")) or written.endswith("innen"):
        return True
    k = role.start - 1
    return k >= 0 and role.doc[k].lower_ in {"die", "den"} and role._.ef_role.get("gender") == "m"


def _org_ends_chunk(doc: Doc, i: int, chunk: tuple[int, int], org_ends: dict[int, int]) -> bool:
    """'… Präsident des Landessportbundes Thüringen.': from i, an organisation closes the chunk."""
    if i < chunk[1] and doc[i].lower_ in _OF_ORG:
        i += 1
    end = org_ends.get(i)
    return end is not None and (end >= chunk[1] or not doc[end].is_alpha)


def _is_cue(doc: Doc, role: Span, chunk: tuple[int, int], election: bool, org_ends: dict[int, int]) -> bool:
    before = _skip_adjectives_back(doc, role.start)
    if before >= chunk[0] and doc[before].lower_ in _APPOINTING and election:
        return True  # "zum neuen Kommandanten gewählt", "als Beisitzerinnen bestätigt"
    if is_plural(role):
        k = before - 1 if before >= chunk[0] and doc[before].lower_ in {"den", "die"} else before
        if k >= chunk[0] and doc[k].lower_ in {"als", "unter"}:
            return True  # "Als Ehrengäste begrüßte er …", "Unter den Gästen waren …"
    if before >= chunk[0] and doc[before].lower_ in _COPULA:
        after = role.end
        if after >= chunk[1] or not doc[after].is_alpha:
            return True  # "… bleibt Kassiererin."
        if _org_ends_chunk(doc, after, chunk, org_ends):
            return True  # "… ist neuer Präsident des Landessportbundes Thüringen."
    opens = all(doc[t].lower_ in _OPENERS for t in range(chunk[0], role.start))
    if opens:
        nxt = role.end
        return nxt < chunk[1] and doc[nxt].lower_ in _COPULA  # "Kassenprüfer sind …", "Neue Schriftführerin ist …"
    return False


def _chunks(doc: Doc, sent: Span) -> list[tuple[int, int]]:
    out, start = [], sent.start
    words = doc_tokens(doc).text
    for i in range(sent.start, sent.end):
        if words[i] in {",", ";"}:
            if i > start:
                out.append((start, i))
            start = i + 1
    if sent.end > start:
        out.append((start, sent.end))
    return out


def listed_roles(
    doc: Doc,
    roles: Iterable[Span],
    mentions: dict[int, int],
) -> list[tuple[int, Span]]:
    """(person mention start, role span) pairs given through elections, lists and copulas.

    roles: the ROLE spans of the doc; mentions: person mention start -> its end (token indices).
    """
    roles = sorted(roles, key=lambda r: r.start)
    pairs: list[tuple[int, Span]] = []
    if not doc.has_annotation("SENT_START"):
        return pairs
    lower = doc_tokens(doc).lower
    org_ends = {sp.start: sp.end for sp in doc.spans.get(ext.ORGS, [])}
    for sent in doc.sents:
        in_sent = [r for r in roles if sent.start <= r.start < sent.end]
        if not in_sent:
            continue
        election = not _ELECTION.isdisjoint(lower[sent.start : sent.end])
        groups: list[tuple[list[tuple[int, int]], list[Span]]] = []
        pending: list[tuple[int, int]] = []
        for chunk in _chunks(doc, sent):
            cues = [r for r in in_sent if chunk[0] <= r.start < chunk[1] and _is_cue(doc, r, chunk, election, org_ends)]
            if cues and (not groups or groups[-1][1]):
                groups.append((pending + [chunk], cues))
                pending = []
            elif cues:
                groups[-1][0].append(chunk)
                groups[-1][1].extend(cues)
            elif groups:
                groups[-1][0].append(chunk)
            else:
                pending.append(chunk)
        for chunks, cues in groups:
            if len(cues) != 1:
                continue
            cue = cues[0]
            for start, end in chunks:
                for m_start in sorted(s for s in mentions if start <= s < end):
                    if m_start > 0 and doc[m_start - 1].lower_ in _NOT_THE_HOLDER:
                        continue
                    if cue.start <= m_start < cue.end:
                        continue
                    if any(lower[t] in _ACTIVE_ELECTION for t in range(mentions[m_start], cue.start)):
                        continue  # "Kommandant X beförderte A zum Feuerwehrmann": X is who promotes
                    pairs.append((m_start, cue))
    return pairs


def gendered(role: str, written: str, female: bool | None, feminine_of: Callable[[str], str | None]) -> str:
    """The role for one person of a list: a plural or masculine form takes a woman's feminine form.

    role: the normalised role ('Beisitzer'); written: the head as written ('Beisitzern').
    """
    if female and written != role.rsplit(" ", 1)[-1]:
        head = role.rsplit(" ", 1)[-1]
        fem = feminine_of(head)
        if fem:
            # "stellvertretender Vorsitzender" -> "stellvertretende Vorsitzende"
            before = [w[:-1] if w.islower() and w.endswith("er") else w for w in role.split()[:-1]]
            return " ".join([*before, fem])
    return role


def names_after_plural_role(doc: Doc, roles: Iterable[Span], mentions: dict[int, int], role_ends: set[int]) -> list[tuple[int, Span]]:
    """(mention start, role) for the later names of a list after a plural role: "die Kreistagsmitglieder
    A, B und C", "Preisträgerinnen A und B" (the first name takes the role by adjacency already).
    A name with a role of its own ends the list."""
    pairs: list[tuple[int, Span]] = []
    for role in roles:
        first = _past_name_prefixes(doc, role.end, mentions)
        if first not in mentions or not is_plural(role):
            continue
        pos = mentions[first]
        while pos < len(doc) and doc[pos].text in {",", "und", "sowie"}:
            nxt = pos + 1
            if nxt < len(doc) and doc[pos].text == "," and doc[nxt].lower_ in {"und", "sowie"}:
                nxt += 1
            nxt = _past_name_prefixes(doc, nxt, mentions)
            if nxt not in mentions or nxt in role_ends:
                break
            pairs.append((nxt, role))
            pos = mentions[nxt]
    return pairs


def _past_name_prefixes(doc: Doc, i: int, mentions: dict[int, int]) -> int:
    """Where the name at doc[i] starts when honorifics or titles stand first ("Frau Heike Kröger",
    "Dr. Jan Roth"): a name mention begins after them."""
    while i < len(doc) and i not in mentions and doc[i].text in _NAME_PREFIXES:
        i += 1
    return i


def names_before_appointed_role(doc: Doc, roles: Iterable[Span], mentions: dict[int, int]) -> list[tuple[int, Span]]:
    """(mention start, role) for names right before "zum/zur ROLE" in a sentence of promotion or
    election, each group up to the role before it: "Er beförderte A und B zum Feuerwehrmann, C zum
    Löschmeister und D sowie E zum Brandmeister" (one sentence, several roles: the lists above give
    up on it)."""
    pairs: list[tuple[int, Span]] = []
    if not doc.has_annotation("SENT_START"):
        return pairs
    lower = doc_tokens(doc).lower
    ends = {e: s for s, e in mentions.items()}
    for role in roles:
        before = _skip_adjectives_back(doc, role.start)
        if before < 1 or lower[before] not in {"zum", "zur"}:
            continue
        sent = doc[role.start].sent
        if _ELECTION.isdisjoint(lower[sent.start : sent.end]):
            continue
        k = before  # walk back over "A, B und C" to the start of the group
        while k - 1 >= sent.start:
            start = ends.get(k)
            if start is not None:
                pairs.append((start, role))
                k = start
                continue
            if lower[k - 1] in {"und", "sowie", ","} and ends.get(k - 1) is not None:
                k -= 1
                continue
            break
    return pairs


_GUEST_WORD = re.compile(r"^(Ehren|Fest)?[Gg]äst(?:e|en)$")


def guests_listed(doc: Doc, mentions: dict[int, int]) -> list[tuple[int, str]]:
    """(mention start, "Gast" or "Ehrengast") for the names of a guest list: "Unter den Ehrengästen
    waren A und B", or "Unter ihnen A, B und C" / "Darunter A" after a sentence about the guests."""
    out: list[tuple[int, str]] = []
    if not doc.has_annotation("SENT_START"):
        return out
    words = doc_tokens(doc).text
    previous_guests = None
    for sent in doc.sents:
        head = [w for w in words[sent.start : min(sent.end, sent.start + 4)]]
        guest = None
        if head[:1] == ["Unter"] and len(head) > 2 and _GUEST_WORD.match(head[2]):
            guest = head[2]
        elif head[:2] == ["Unter", "ihnen"] or head[:1] == ["Darunter"]:
            guest = previous_guests
        if guest is not None:
            role = "Ehrengast" if guest.startswith("Ehren") else "Gast"
            for m in sorted(k for k in mentions if sent.start <= k < sent.end):
                if m > 0 and doc[m - 1].lower_ in _NOT_THE_HOLDER:
                    continue
                out.append((m, role))
        previous_guests = next((w for w in words[sent.start : sent.end] if _GUEST_WORD.match(w)), None)
    return out


# Event roles a report gives through a verb or an act, not a role noun: "Moderiert wurde der Abend
# von …", "Die Laudatio hielt …", "… hielt die Festrede". (masculine, feminine) forms.
_ACT_ROLES: dict[str, tuple[str, str]] = {
    "moderiert": ("Moderator", "Moderatorin"),
    "moderierte": ("Moderator", "Moderatorin"),
    "moderierten": ("Moderator", "Moderatorin"),
    "moderation": ("Moderator", "Moderatorin"),
    "laudatio": ("Laudator", "Laudatorin"),
    "festrede": ("Festredner", "Festrednerin"),
    "festvortrag": ("Festredner", "Festrednerin"),
    "festansprache": ("Festredner", "Festrednerin"),
    "keynote": ("Hauptredner", "Hauptrednerin"),
}


def roles_from_acts(doc: Doc, mentions: dict[int, int]) -> list[tuple[int, tuple[str, str]]]:
    """(mention start, (masculine, feminine) role) where a sentence names one act and one person:
    "Moderiert wurde der Abend von Jan Kurz", "Die Laudatio hielt Eva Roth". With more people in
    the sentence the act is not assigned (who moderated whom is not clear from words alone)."""
    out: list[tuple[int, tuple[str, str]]] = []
    if not doc.has_annotation("SENT_START"):
        return out
    lower = doc_tokens(doc).lower
    org_ends = {sp.start: sp.end for sp in doc.spans.get(ext.ORGS, [])}
    for sent in doc.sents:
        acts = [_ACT_ROLES[w] for w in lower[sent.start : sent.end] if w in _ACT_ROLES]
        if not acts:
            continue
        people = [s for s in mentions if sent.start <= s < sent.end]
        if len(set(acts)) == 1 and len(people) == 1:
            out.append((people[0], acts[0]))
    return out
