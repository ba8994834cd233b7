"""Keeping the index's entity ids up to date with entity resolution (`extractor.index.entities`).

Ingest stores each entry's blocking keys and marks them pending. `resolve_pending` then loads
every entry that shares a pending key, plus the other members of the entities those entries
belong to now (so a cluster whose display name changes moves whole), hands them to `resolve()`,
writes the entity ids and reasons back and recounts the entities touched, all in one
transaction. Resolution is a pure function over the entries it is given; the blocking keys
guarantee that any two entries it could join are in the same call.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from models import EventReport


class Resolver(Protocol):
    """What the index needs from entity resolution (the contract in ISSUE12_INTERFACE.md)."""

    mention: Callable[..., Any]  # builds an EntityMention from its fields

    def mentions_from_report(self, report: EventReport) -> list[Any]: ...
    def blocking_keys(self, mention: Any) -> set[str]: ...
    def resolve(self, mentions: Iterable[Any]) -> list[Any]: ...


@dataclass(frozen=True)
class _EntityResolution:
    mention: Callable[..., Any]
    mentions_from_report: Callable[[EventReport], list[Any]]
    blocking_keys: Callable[[Any], set[str]]
    resolve: Callable[[Iterable[Any]], list[Any]]


def default_resolver() -> Resolver:
    """The project's entity resolution, imported when the index first writes."""
    from extractor.index import entities
    from models.entities import EntityMention

    return _EntityResolution(EntityMention, entities.mentions_from_report, entities.blocking_keys, entities.resolve)


_TABLES = {"person": "persons", "org": "organisations", "place": "places"}


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Resolution builds a few objects per entry and keeps them all until it ends, so the cyclic
    garbage collector would scan a growing heap again and again while finding nothing to free
    (a fifth of resolution's time on 10,000 reports). Paused meanwhile; what it leaves, the next
    collection takes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def resolve_pending(conn: sqlite3.Connection, resolver: Resolver) -> int:
    """Resolve the entries sharing a pending key, in one transaction; returns how many were resolved."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        with _no_cycle_collection():
            count = _resolve(conn, resolver)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("DROP TABLE IF EXISTS temp._todo")
        conn.execute("DROP TABLE IF EXISTS temp._touched")
    return count


def _resolve(conn: sqlite3.Connection, resolver: Resolver) -> int:
    if conn.execute("SELECT 1 FROM pending_keys UNION ALL SELECT 1 FROM pending_entities LIMIT 1").fetchone() is None:
        return 0
    conn.execute("CREATE TEMP TABLE _todo (kind TEXT, report_id INTEGER, n INTEGER, PRIMARY KEY (kind, report_id, n)) WITHOUT ROWID")
    conn.execute("CREATE TEMP TABLE _touched (entity_id TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID")
    conn.execute("INSERT OR IGNORE INTO _todo SELECT kind, report_id, n FROM entity_keys "
                 "WHERE key_id IN (SELECT key_id FROM pending_keys)")
    conn.execute("INSERT OR IGNORE INTO _touched SELECT entity_id, NULL FROM pending_entities")
    for kind, table in _TABLES.items():
        current = (f"SELECT t.entity_id FROM {table} t JOIN _todo d ON d.kind = '{kind}' "
                   "AND d.report_id = t.report_id AND d.n = t.n WHERE t.entity_id IS NOT NULL")
        conn.execute(f"INSERT OR IGNORE INTO _touched SELECT DISTINCT entity_id, NULL FROM ({current})")
        # The other members of those entities come along, so a cluster is re-resolved whole.
        conn.execute(f"INSERT OR IGNORE INTO _todo SELECT '{kind}', report_id, n FROM {table} "
                     "WHERE entity_id IN (SELECT entity_id FROM _touched)")
    where: dict[str, tuple[str, int, int]] = {}
    mentions = [m for m in _load_mentions(conn, resolver, where)]
    assignments = resolver.resolve(mentions) if mentions else []
    updates: dict[str, list[tuple[str, str, int, int]]] = {kind: [] for kind in _TABLES}
    names: dict[str, str] = {}
    for assignment in assignments:
        kind, rid, n = where.pop(assignment.mention_key)
        updates[kind].append((assignment.entity_id, assignment.reason, rid, n))
        names[assignment.entity_id] = assignment.canonical_name
    conn.executemany("INSERT INTO _touched (entity_id, name) VALUES (?, ?) "
                     "ON CONFLICT (entity_id) DO UPDATE SET name = excluded.name", names.items())
    if where:
        missing = ", ".join(sorted(where)[:3])
        raise RuntimeError(f"entity resolution gave no entity to {len(where)} entries (e.g. {missing})")
    reason_ids = _reason_ids(conn, {row[1] for rows in updates.values() for row in rows})
    for kind, rows in updates.items():
        conn.executemany(f"UPDATE {_TABLES[kind]} SET entity_id = ?, reason_id = ? WHERE report_id = ? AND n = ?",
                         ((entity_id, reason_ids[reason], rid, n) for entity_id, reason, rid, n in rows))
    _recount(conn)
    conn.execute("DELETE FROM pending_keys")
    conn.execute("DELETE FROM pending_entities")
    return len(assignments)


def _reason_ids(conn: sqlite3.Connection, reasons: set[str]) -> dict[str, int]:
    """Ids of the reason texts, adding the new ones (a reason is stored once however many share it)."""
    conn.executemany("INSERT OR IGNORE INTO reasons (text) VALUES (?)", ((r,) for r in reasons))
    conn.execute("CREATE TEMP TABLE _reasons (text TEXT PRIMARY KEY) WITHOUT ROWID")
    try:
        conn.executemany("INSERT INTO _reasons VALUES (?)", ((r,) for r in reasons))
        return dict(conn.execute("SELECT r.text, r.id FROM reasons r JOIN _reasons t ON t.text = r.text").fetchall())
    finally:
        conn.execute("DROP TABLE temp._reasons")


def _load_mentions(conn: sqlite3.Connection, resolver: Resolver, where: dict[str, tuple[str, int, int]]) -> list[Any]:
    roles: dict[tuple[int, int], list[str]] = {}
    for rid, n, role in conn.execute(
        "SELECT r.report_id, r.n, rn.role FROM _todo d JOIN roles r ON d.kind = 'person' AND r.report_id = d.report_id "
        "AND r.n = d.n JOIN role_names rn ON rn.id = r.role_id ORDER BY r.report_id, r.n, r.i"
    ):
        roles.setdefault((rid, n), []).append(role)
    queries = {
        "person": "SELECT t.report_id, t.n, r.doc_id, r.published, t.name, NULL, t.titles, t.organisation, NULL FROM persons t",
        "org": "SELECT t.report_id, t.n, r.doc_id, r.published, t.name, t.acronym, NULL, NULL, NULL FROM organisations t",
        "place": "SELECT t.report_id, t.n, r.doc_id, r.published, t.name, NULL, NULL, NULL, t.kind FROM places t",
    }
    mentions = []
    for kind, select in queries.items():
        sql = (f"{select} JOIN _todo d ON d.kind = '{kind}' AND d.report_id = t.report_id AND d.n = t.n "
               "JOIN reports r ON r.id = t.report_id")
        for rid, n, doc_id, published, name, acronym, titles, organisation, location_kind in conn.execute(sql):
            key = f"{doc_id}:{kind}:{n}"
            where[key] = (kind, rid, n)
            mentions.append(resolver.mention(
                mention_key=key, doc_id=doc_id, kind=kind, name=name, acronym=acronym,
                titles=json.loads(titles) if titles else [], roles=roles.get((rid, n), []),
                organisation=organisation, location_kind=location_kind, published=published,
            ))
    return mentions


def _recount(conn: sqlite3.Connection) -> None:
    # A touched entity without a new name keeps the one it had.
    conn.execute("UPDATE _touched SET name = (SELECT e.name FROM entities e WHERE e.entity_id = _touched.entity_id) "
                 "WHERE name IS NULL")
    conn.execute("DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM _touched)")
    for kind, table in _TABLES.items():
        conn.execute(
            f"INSERT INTO entities (entity_id, kind, name, reports, mentions) "
            f"SELECT t.entity_id, '{kind}', COALESCE(k.name, MIN(t.name)), COUNT(DISTINCT t.report_id), COUNT(*) "
            f"FROM {table} t JOIN _touched k ON k.entity_id = t.entity_id GROUP BY t.entity_id"
        )
        conn.executemany("UPDATE entities SET names = ? WHERE entity_id = ?", _names(conn, table))


NAMES_KEPT = 20


def _names(conn: sqlite3.Connection, table: str) -> Iterable[tuple[str, str]]:
    """(JSON names, entity id) of the touched entities: most used names first, then acronyms."""
    names: dict[str, list[str]] = {}
    for entity_id, name in conn.execute(
            f"SELECT t.entity_id, t.name FROM {table} t JOIN _touched k ON k.entity_id = t.entity_id "
            "GROUP BY t.entity_id, t.name ORDER BY t.entity_id, COUNT(*) DESC, t.name"):
        kept = names.setdefault(entity_id, [])
        if len(kept) < NAMES_KEPT:
            kept.append(name)
    if table == "organisations":
        for entity_id, acronym in conn.execute(
                "SELECT DISTINCT t.entity_id, t.acronym FROM organisations t JOIN _touched k ON k.entity_id = t.entity_id "
                "WHERE t.acronym IS NOT NULL ORDER BY t.entity_id, t.acronym"):
            kept = names.setdefault(entity_id, [])
            if acronym not in kept and len(kept) < NAMES_KEPT + 5:
                kept.append(acronym)
    return ((json.dumps(kept, ensure_ascii=False), entity_id) for entity_id, kept in names.items())
