"""Writing records into the index: one transaction per batch, a doc_id indexed again replaces its rows.

`Writer` holds the one write connection. Each record's report row is written when the record
arrives; its child rows wait in buffers and go in with `executemany` when the batch commits (a
replaced doc_id flushes them first). A crash or kill at any point leaves the last committed batch:
SQLite's WAL makes the open transaction vanish whole. Entity resolution runs afterwards in its
own transaction (`linking.resolve_pending`) over the keys the batches marked as pending; those
keys are stored, so a run killed before resolving is resolved by the next writer.
"""

from __future__ import annotations

import json
import os
from json.encoder import encode_basestring as _encode_text
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.index.linking import Resolver, default_resolver, resolve_pending
from extractor.index.normalise import date_bounds, fold, name_words, text_words
from extractor.index.schema import IndexBusyError, open_index
from models import EventReport, Mention

# Records per transaction. Larger batches index faster; a kill loses at most one batch.
DEFAULT_BATCH_SIZE = 1000
# A slow producer (`extract | index -`, `batch --index`) still commits this often, so readers
# see its records while it runs.
COMMIT_SECONDS = 2.0

_CHILD_TABLES = ("persons", "roles", "organisations", "places", "quantities", "dates", "organisers")
_BUFFERED = (*_CHILD_TABLES, "entity_keys")
_ENTITY_TABLES = {"person": "persons", "org": "organisations", "place": "places"}


@dataclass
class IngestStats:
    """What an indexing run did."""

    records: int = 0
    replaced: int = 0
    errors: list[str] = field(default_factory=list)
    texts: int = 0
    texts_without_record: int = 0
    resolved_mentions: int = 0
    seconds: float = 0.0
    resolve_seconds: float = 0.0  # of `seconds`, spent in entity resolution

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


# One encoder for all: json.dumps() with options builds a new encoder at every call.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json_list(values: list[str]) -> str | None:
    return _ENCODE(values) if values else None


def _json_ids(ids: list[int] | None) -> str | None:
    return "[" + ",".join(map(str, ids)) + "]" if ids else None


def _offsets(mentions: list[Mention]) -> str:
    # What _ENCODE gives for [[start, end, text], ...], without building the lists: ~90,000 calls
    # per 10,000 records. Offsets are ints (validated), the text is escaped as the encoder does.
    return "[" + ",".join(f"[{m.start},{m.end},{_encode_text(m.text)}]" for m in mentions) + "]"


class Writer:
    """The index's single writer: `add()` records, `commit()` per batch, `resolve()` at the end."""

    def __init__(self, path: str | os.PathLike[str], *, resolver: Resolver | None = None) -> None:
        self.path = Path(path)
        self.conn = open_index(self.path, create=True)
        self.resolver = resolver or default_resolver()
        self._in_tx = False
        self._rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _BUFFERED}
        self._fts: list[tuple[int, str, str]] = []
        self._name_fts: list[tuple[int, str]] = []
        self._word_fts: list[tuple[int, str]] = []
        self._words: set[str] = set()
        self._pending: set[int] = set()
        self._keys: dict[str, int] = {}
        self._names: dict[tuple[str, str, str], int] = {}
        self._roles: dict[str, int] = {}
        self.stats = IngestStats()
        self.batch_records = 0
        self._batch_started = time.monotonic()

    # -- transactions ---------------------------------------------------------------------

    def begin(self) -> None:
        if not self._in_tx:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise IndexBusyError(f"{self.path}: another process is writing this index ({exc})") from exc
            self._in_tx = True
            self.batch_records = 0
            self._batch_started = time.monotonic()

    def commit(self) -> None:
        if self._in_tx:
            self._flush()
            self.conn.execute("COMMIT")
            self._in_tx = False

    def rollback(self) -> None:
        if self._in_tx:
            self.conn.execute("ROLLBACK")
            self._in_tx = False
        for rows in self._rows.values():
            rows.clear()
        self._fts.clear()
        self._name_fts.clear()
        self._word_fts.clear()
        self._pending.clear()
        # Ids handed out inside the rolled-back transaction no longer exist.
        self._names.clear()
        self._roles.clear()
        self._keys.clear()
        self._words.clear()

    def batch_due(self, batch_size: int) -> bool:
        return self.batch_records >= batch_size or time.monotonic() - self._batch_started >= COMMIT_SECONDS

    def resolve(self) -> int:
        """Run entity resolution over every pending key (own transaction); returns entries resolved."""
        self.commit()
        started = time.perf_counter()
        count = resolve_pending(self.conn, self.resolver)
        self.stats.resolved_mentions += count
        self.stats.resolve_seconds += time.perf_counter() - started
        return count

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.conn.close()

    # -- records ----------------------------------------------------------------------------

    def add(self, report: EventReport) -> None:
        """Write one record inside the open batch (opening one if needed); replaces its doc_id."""
        self.begin()
        conn = self.conn
        values = _report_values(report)
        found = conn.execute("SELECT id FROM reports WHERE doc_id = ?", (report.doc_id,)).fetchone()
        body = ""
        if found is not None:
            rid = found[0]
            self._flush()  # the same doc_id may be in this batch's buffers
            row = conn.execute("SELECT body FROM report_fts WHERE rowid = ?", (rid,)).fetchone()
            body = row[0] if row and row[0] else ""  # the text stays when only the facts change
            self._delete(rid)
            conn.execute(f"UPDATE reports SET {', '.join(f'{c} = ?' for c in _REPORT_COLUMNS)} WHERE id = ?",
                         (*values, rid))
            self.stats.replaced += 1
        else:
            rid = conn.execute(
                f"INSERT INTO reports ({', '.join(_REPORT_COLUMNS)}) VALUES ({', '.join('?' * len(_REPORT_COLUMNS))})",
                values,
            ).lastrowid
        self._fts.append((rid, report.title or "", body))
        self._note_words(report.title)
        self._children(rid, report)
        self.stats.records += 1
        self.batch_records += 1

    def add_text(self, doc_id: str, text: str) -> bool:
        """Put a report's source text into the full-text index; False when no record has that id."""
        self.begin()
        self._flush()
        found = self.conn.execute("SELECT id FROM reports WHERE doc_id = ?", (doc_id,)).fetchone()
        if found is None:
            self.stats.texts_without_record += 1
            return False
        self.conn.execute("UPDATE report_fts SET body = ? WHERE rowid = ?", (text, found[0]))
        self._note_words(text)
        self.stats.texts += 1
        self.batch_records += 1
        return True

    def _delete(self, rid: int) -> None:
        conn = self.conn
        # The old entries leave their entities: their keys are resolved again, their entities recounted.
        doomed = []
        for kind, table in _ENTITY_TABLES.items():
            for n, keys, entity_id in conn.execute(f"SELECT n, keys, entity_id FROM {table} WHERE report_id = ?", (rid,)):
                key_ids = json.loads(keys) if keys else []
                self._pending.update(key_ids)
                doomed.extend((key_id, kind, rid, n) for key_id in key_ids)
                if entity_id is not None:
                    conn.execute("INSERT OR IGNORE INTO pending_entities (entity_id) VALUES (?)", (entity_id,))
        conn.executemany("DELETE FROM entity_keys WHERE key_id = ? AND kind = ? AND report_id = ? AND n = ?", doomed)
        for table in _CHILD_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (rid,))
        conn.execute("DELETE FROM report_fts WHERE rowid = ?", (rid,))

    def _children(self, rid: int, report: EventReport) -> None:
        rows = self._rows
        keys: dict[tuple[str, int], list[int]] = {}
        for mention in self.resolver.mentions_from_report(report):
            kind, n = mention.kind, int(mention.mention_key.rsplit(":", 1)[1])
            key_ids = sorted({self._key_id(key) for key in self.resolver.blocking_keys(mention)})
            keys[(kind, n)] = key_ids
            rows["entity_keys"].extend((key_id, kind, rid, n) for key_id in key_ids)
            self._pending.update(key_ids)
        for n, person in enumerate(report.persons):
            rows["persons"].append((rid, n, person.name, self._name_id("person", person.name, None),
                                    person.organisation, _json_list(person.titles), _offsets(person.mentions),
                                    _json_ids(keys.get(("person", n)))))
            rows["roles"].extend((rid, n, i, self._role_id(role)) for i, role in enumerate(person.roles))
        for n, org in enumerate(report.organisations):
            rows["organisations"].append((rid, n, org.name, self._name_id("org", org.name, org.acronym), org.acronym,
                                          _offsets(org.mentions), _json_ids(keys.get(("org", n)))))
        for n, place in enumerate(report.locations):
            rows["places"].append((rid, n, place.name, self._name_id("place", place.name, None), place.kind,
                                   _offsets(place.mentions), _json_ids(keys.get(("place", n)))))
        rows["quantities"].extend(
            (rid, n, q.value, q.unit, q.text, q.qualifier, q.mention.start, q.mention.end,
             None if q.mention.text == q.text else q.mention.text)
            for n, q in enumerate(report.quantities)
        )
        rows["dates"].extend(
            (rid, n, d.text, d.value, d.granularity, int(d.relative), d.mention.start, d.mention.end,
             None if d.mention.text == d.text else d.mention.text)
            for n, d in enumerate(report.dates)
        )
        if report.event is not None:
            rows["organisers"].extend((rid, n, name) for n, name in enumerate(report.event.organisers))

    def _note_words(self, text: str | None) -> None:
        # New words of the vocabulary get a row in `words` (trigram-indexed at the next flush).
        for word in text_words(text) - self._words:
            cursor = self.conn.execute("INSERT OR IGNORE INTO words (word) VALUES (?)", (word,))
            if cursor.rowcount == 1:
                self._word_fts.append((cursor.lastrowid, word))
            self._words.add(word)

    def _dictionary_id(self, cache: dict[Any, int], key: Any, insert: str, values: tuple[Any, ...],
                       select: str, where: tuple[Any, ...]) -> tuple[int, bool]:
        """Id of a value in a dictionary table (names, roles, keys), added when new; (id, added)."""
        found = cache.get(key)
        if found is not None:
            return found, False
        # INSERT first: on a growing archive most values missing from the cache are new (one statement).
        cursor = self.conn.execute(insert, values)
        added = cursor.rowcount == 1
        found = cursor.lastrowid if added else self.conn.execute(select, where).fetchone()[0]
        cache[key] = found
        return found, added

    def _key_id(self, key: str) -> int:
        return self._dictionary_id(self._keys, key, "INSERT OR IGNORE INTO keys (key) VALUES (?)", (key,),
                                   "SELECT id FROM keys WHERE key = ?", (key,))[0]

    def _name_id(self, kind: str, name: str, acronym: str | None) -> int:
        # Organisation names carry their acronym, so "--org BMAS" finds the long form too.
        key = (kind, name, acronym or "")
        if key in self._names:
            return self._names[key]
        norm = " ".join(name_words(name, acronym))
        found, added = self._dictionary_id(
            self._names, key, "INSERT OR IGNORE INTO names (kind, name, acronym, norm) VALUES (?, ?, ?, ?)",
            (*key, norm), "SELECT id FROM names WHERE kind = ? AND name = ? AND acronym = ?", key)
        if added:
            self._name_fts.append((found, norm))
        return found

    def _role_id(self, role: str) -> int:
        return self._dictionary_id(self._roles, role, "INSERT OR IGNORE INTO role_names (role, fold) VALUES (?, ?)",
                                   (role, fold(role)), "SELECT id FROM role_names WHERE role = ?", (role,))[0]

    def _flush(self) -> None:
        conn, rows = self.conn, self._rows
        for table, placeholders in _INSERTS.items():
            if rows[table]:
                conn.executemany(f"INSERT INTO {table} VALUES ({placeholders})", rows[table])
                rows[table].clear()
        if self._fts:
            conn.executemany("INSERT INTO report_fts (rowid, title, body) VALUES (?, ?, ?)", self._fts)
            self._fts.clear()
        if self._word_fts:
            conn.executemany("INSERT INTO words_fts (rowid, word) VALUES (?, ?)", self._word_fts)
            self._word_fts.clear()
        if self._name_fts:
            conn.executemany("INSERT INTO names_fts (rowid, norm) VALUES (?, ?)", self._name_fts)
            self._name_fts.clear()
        if self._pending:
            conn.executemany("INSERT OR IGNORE INTO pending_keys (key_id) VALUES (?)", ((k,) for k in self._pending))
            self._pending.clear()


_INSERTS = {
    "persons": "?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL",
    "roles": "?, ?, ?, ?",
    "organisations": "?, ?, ?, ?, ?, ?, ?, NULL, NULL",
    "places": "?, ?, ?, ?, ?, ?, ?, NULL, NULL",
    "quantities": "?, ?, ?, ?, ?, ?, ?, ?, ?",
    "dates": "?, ?, ?, ?, ?, ?, ?, ?, ?",
    "organisers": "?, ?, ?",
    "entity_keys": "?, ?, ?, ?",
}
_REPORT_COLUMNS = (
    "doc_id", "source", "title", "published", "language", "record_version", "date", "date_from", "date_to",
    "year", "has_event", "event_name", "event_type", "event_topic", "event_location", "event_start",
    "event_end", "event_participants", "organisers", "organisations", "warnings",
)


def report_date(report: EventReport) -> tuple[str | None, tuple[str, str] | None]:
    """The date a report is filed under (event start, else publication) and the days it covers."""
    event = report.event
    if event is not None and date_bounds(event.start):
        start = date_bounds(event.start)
        end = date_bounds(event.end) or start
        assert start is not None and end is not None
        return event.start, (min(start[0], end[0]), max(start[1], end[1]))
    bounds = date_bounds(report.published)
    return (report.published if bounds else None), bounds


def _report_values(report: EventReport) -> tuple[Any, ...]:
    event = report.event
    date, bounds = report_date(report)
    return (
        report.doc_id, report.source, report.title, report.published, report.language, report.schema_version,
        date, bounds[0] if bounds else None, bounds[1] if bounds else None,
        int(bounds[0][:4]) if bounds else None,
        int(event is not None),
        event.name if event else None, event.type if event else None, event.topic if event else None,
        event.location if event else None, event.start if event else None, event.end if event else None,
        event.participants if event else None,
        _json_list(event.organisers) if event else None,
        _json_list(list(dict.fromkeys(o.name for o in report.organisations))),
        _json_list(report.warnings),
    )
