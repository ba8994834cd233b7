"""Entity resolution across reports: which persons, organisations and places of different records
are the same entity (the contract is in ISSUE12_INTERFACE.md).

    mentions = [m for report in reports for m in mentions_from_report(report)]
    for a in resolve(mentions): a.entity_id, a.canonical_name, a.reason

`resolve` is a pure function. Each entity id is a hash of the entity's canonical key (an
organisation's long-form key, a person's name with their organisation, a place's key), so the same
clusters get the same ids in any order and adding unrelated mentions changes no id.

Locality, which the index relies on: a mention's entity id depends only on the mentions sharing a
blocking key with it (`blocking_keys`). Two joined mentions share a key, except a bare acronym and a
long form that never carries the acronym itself: they are linked through the report that pairs
them, which shares a key with each (the index re-resolves whole entities, so the pair travels
together). The rules are in the modules of the three kinds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from extractor.index.entities import organisations, persons, places
from extractor.index.entities.common import Placed, display_name, docs_phrase, entity_id, quoted
from models import EventReport
from models.entities import EntityAssignment, EntityMention

__all__ = ["blocking_keys", "mentions_from_report", "resolve"]

# Reasons are stored with every mention in the index: at most this many characters.
REASON_LIMIT = 200
_KINDS = {"person": persons, "org": organisations, "place": places}
_NOUN = {"person": "person", "org": "organisation", "place": "place"}


def mentions_from_report(report: EventReport) -> list[EntityMention]:
    """The persons, organisations and places of one record, keyed '{doc_id}:{kind}:{n}'."""
    doc, published = report.doc_id, report.published
    found = [EntityMention(mention_key=f"{doc}:person:{n}", doc_id=doc, kind="person", name=p.name,
                           titles=list(p.titles), roles=list(p.roles), organisation=p.organisation, published=published)
             for n, p in enumerate(report.persons)]
    found += [EntityMention(mention_key=f"{doc}:org:{n}", doc_id=doc, kind="org", name=o.name, acronym=o.acronym,
                            published=published) for n, o in enumerate(report.organisations)]
    found += [EntityMention(mention_key=f"{doc}:place:{n}", doc_id=doc, kind="place", name=loc.name,
                            location_kind=loc.kind, published=published) for n, loc in enumerate(report.locations)]
    return found


def blocking_keys(mention: EntityMention) -> set[str]:
    """Keys shared by every two mentions resolve() could join directly (see the module doc)."""
    return _KINDS[mention.kind].blocking_keys(mention)


def resolve(mentions: Iterable[EntityMention]) -> list[EntityAssignment]:
    """One assignment per mention, in input order; deterministic and independent of that order.

    RAISES (ValueError): two mentions with one mention_key."""
    given = list(mentions)
    seen: set[str] = set()
    for m in given:
        if m.mention_key in seen:
            raise ValueError(f"mention_key {m.mention_key!r} is given twice")
        seen.add(m.mention_key)
    # Each kind's resolver is order-independent itself (it sorts where an order could matter).
    by_kind: dict[str, list[EntityMention]] = defaultdict(list)
    for m in given:
        by_kind[m.kind].append(m)
    placed: dict[str, Placed] = {}
    for kind, group in by_kind.items():
        for p in _KINDS[kind].resolve(group):
            placed[p.mention.mention_key] = p

    members: dict[tuple[str, ...], list[Placed]] = defaultdict(list)
    for p in placed.values():
        members[p.key].append(p)
    entities: dict[tuple[str, ...], tuple[str, str, list[str]]] = {}  # key -> id, display name, sorted docs
    for key, group in members.items():
        if len(group) == 1:  # most entities of an archive: no counting, no sorting
            p = group[0]
            entities[key] = (entity_id(key), p.display or p.mention.name, [p.mention.doc_id])
            continue
        shown = [p.display for p in group if p.display] or [p.mention.name for p in group]
        entities[key] = (entity_id(key), display_name(shown, prefer_long=group[0].mention.kind != "org"),
                         sorted({p.mention.doc_id for p in group}))
    out = []
    # One reason per entity, name and report, unless the report is among the few the reason lists:
    # an entity named in thousands of reports gets its phrase built once, not per mention.
    phrases: dict[tuple, str] = {}
    for m in given:
        p = placed[m.mention_key]
        ident, name, docs = entities[p.key]
        reason = p.reason
        if not reason:
            memo = (p.key, m.name, m.doc_id if m.doc_id in docs[:4] else None)
            reason = phrases.get(memo) or phrases.setdefault(memo, _same_name_reason(m, docs, name))
        if len(reason) > REASON_LIMIT:  # the wording keeps most reasons far below; this is the bound
            reason = reason[: REASON_LIMIT - 1] + "…"
        out.append(EntityAssignment(mention_key=m.mention_key, entity_id=ident, canonical_name=name, reason=reason))
    return out


def _same_name_reason(m: EntityMention, docs: list[str], canonical: str) -> str:
    """Organisations and places joined by their key alone."""
    others = docs_phrase(docs, exclude=m.doc_id) if len(docs) > 1 else ""
    variant = ""
    if m.name != canonical:
        variant = f" = {quoted(canonical)}" + (" (case endings, article, legal form aside)" if m.kind == "org" else "")
    if not others:
        return f"{quoted(m.name)}{variant}: no other report names this {_NOUN[m.kind]}"
    return f"{quoted(m.name)}{variant}: same {_NOUN[m.kind]} as in {others}"
