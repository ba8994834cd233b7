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
    by_kind: dict[str, list[EntityMention]] = defaultdict(list)
    for m in sorted(given, key=lambda m: m.mention_key):
        by_kind[m.kind].append(m)
    placed: dict[str, Placed] = {}
    for kind, group in by_kind.items():
        for p in _KINDS[kind].resolve(group):
            placed[p.mention.mention_key] = p

    members: dict[tuple[str, ...], list[Placed]] = defaultdict(list)
    for p in placed.values():
        members[p.key].append(p)
    names, docs, ids = {}, {}, {}
    for key, group in members.items():
        docs[key] = sorted({p.mention.doc_id for p in group})
        shown = [p.display for p in group if p.display] or [p.mention.name for p in group]
        names[key] = display_name(shown, prefer_long=group[0].mention.kind != "org")
        ids[key] = entity_id(key)
    out = []
    # One reason per entity, name and report, unless the report is among the few the reason lists:
    # an entity named in thousands of reports gets its phrase built once, not per mention.
    phrases: dict[tuple, str] = {}
    for m in given:
        p = placed[m.mention_key]
        reason = p.reason
        if not reason:
            listed = m.doc_id if m.doc_id in docs[p.key][:4] else None
            memo = (p.key, m.name, listed)
            if memo not in phrases:
                phrases[memo] = _same_name_reason(p.mention, docs[p.key], names[p.key])
            reason = phrases[memo]
        out.append(EntityAssignment(mention_key=m.mention_key, entity_id=ids[p.key], canonical_name=names[p.key],
                                    reason=reason))
    return out


def _same_name_reason(m: EntityMention, docs: list[str], canonical: str) -> str:
    """Organisations and places joined by their key alone."""
    others = docs_phrase(docs, exclude=m.doc_id)
    variant = ""
    if m.name != canonical:
        variant = f" = {quoted(canonical)}" + (" (case endings, article, legal form aside)" if m.kind == "org" else "")
    if not others:
        return f"{quoted(m.name)}{variant}: no other report names this {_NOUN[m.kind]}"
    return f"{quoted(m.name)}{variant}: same {_NOUN[m.kind]} as in {others}"
