"""Reading the index: `Index(path).search(...)`, `.entities(...)`, `.entity(id)`.

Name filters go through two steps: the filter's normalised words find the stored names that
contain them all (names_fts), and those names' entity ids bring in every other name entity
resolution joined to them (an acronym, an inflected long form, "Frankfurt am Main"). Entries
not yet resolved still match by their own name.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable
from typing import Any

from extractor.index.normalise import check_date, fold, name_words, text_words, word_list
from extractor.index.schema import open_index
from models.hits import EntityDetail, EntityMentionHit, EntitySummary, MatchedFact, ReportHit
from models.report import Event, EventReport, Mention

ENTITY_KINDS = ("person", "org", "place")
_TABLE = {"person": "persons", "org": "organisations", "place": "places"}
# bm25 weights of the full-text columns: a word in the headline counts four times one in the text.
_WEIGHTS = (4.0, 1.0)
SNIPPET_WIDTH = 180
# A name filter may stand for at most this many names (SQLite takes 32,766 parameters).
MAX_NAMES = 10_000
# A query word stands for at most this many indexed words containing it (shortest first).
MAX_EXPANSIONS = 200
_TERM = re.compile(r'"([^"]*)"|(\S+)')


def query_terms(query: str) -> list[str]:
    """Words and "quoted phrases" of a text query, in order. ValueError when it has no word."""
    terms = []
    for quoted, word in _TERM.findall(query):
        term = " ".join((quoted or word).split())
        if text_words(term):
            terms.append(term)
    if not terms:
        raise ValueError(f"the query {query!r} has no word to search for")
    return terms


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def make_snippet(text: str, terms: list[str], width: int = SNIPPET_WIDTH) -> str:
    """The stretch of `text` around the first query term, terms marked with [ ], whitespace folded."""
    flat = " ".join(text.split())
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(flat)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < (first.start() if first else start + 20) else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    piece = pattern.sub(lambda m: f"[{m.group(0)}]", flat[start:end])
    return ("…" if start else "") + piece + ("…" if end < len(flat) else "")


class Index:
    """An index database opened for queries (read-only; WAL lets a writer run meanwhile).

    path: the SQLite file made by `eventfacts index` (or `Index.add`); `create=True` makes an
    empty index when none exists.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        self.path = path
        if create:
            open_index(path, create=True).close()
        self.conn = open_index(path)
        self.conn.execute("PRAGMA query_only=ON")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing, for library users --------------------------------------------------------

    def add(self, records: Iterable[EventReport | dict[str, Any] | str], *, batch_size: int = 1000) -> int:
        """Index records (replacing doc_ids already there) and resolve entities; returns the count."""
        from extractor.index.runs import BatchIndexer

        indexer = BatchIndexer(self.path, batch_size=batch_size)
        try:
            indexer.add(records)
        finally:
            indexer.close()
        return indexer.stats.records

    # -- reports -----------------------------------------------------------------------------

    def search(
        self,
        query: str | None = None,
        *,
        person: str | None = None,
        org: str | None = None,
        place: str | None = None,
        role: str | None = None,
        type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 20,
    ) -> list[ReportHit]:
        """Reports matching every filter given, best first (by text relevance with a query, else newest).

        query: words (each must occur, inside compounds too) and "quoted phrases" in title or text.
        person / org / place: a name in any form entity resolution joined (an acronym for org).
        role: text inside one of a person's roles ("Geschäftsführer" finds "Hauptgeschäftsführerin");
            with `person`, that person must hold it.
        type: the event type, exactly (case does not matter).
        date_from / date_to: YYYY, YYYY-MM or YYYY-MM-DD; the report's date (event start to end,
            else publication) must overlap the range.
        RAISES ValueError: for a bad date, a limit under 1, a query or name without searchable words.
        """
        if limit < 1:
            raise ValueError(f"limit must be 1 or more, got {limit}")
        low = check_date(date_from, "--from")[0] if date_from else None
        high = check_date(date_to, "--to")[1] if date_to else None
        terms = query_terms(query) if query is not None and query.strip() else []
        conds: list[str] = []
        params: list[Any] = []
        facts: dict[str, tuple[str, set[int], set[str]]] = {}  # field -> (table, name ids, entity ids)
        role_ids = self._role_ids(role) if role else None
        if role_ids is not None and not role_ids:
            return []
        for field_name, text in (("person", person), ("org", org), ("place", place)):
            if text is None:
                continue
            names, entities = self._entity_match(field_name, text)
            if not names:
                return []
            table = _TABLE[field_name]
            role_cond, role_params = "", []
            if field_name == "person" and role_ids:
                role_cond = (" AND EXISTS (SELECT 1 FROM roles ro WHERE ro.report_id = t.report_id AND ro.n = t.n "
                             f"AND ro.role_id IN {_marks(role_ids)})")
                role_params = sorted(role_ids)
            arms = [f"SELECT t.report_id FROM {table} t WHERE t.name_id IN {_marks(names)}{role_cond}"]
            params_here = [*sorted(names), *role_params]
            if entities:
                arms.append(f"SELECT t.report_id FROM {table} t WHERE t.entity_id IN {_marks(entities)}{role_cond}")
                params_here += [*sorted(entities), *role_params]
            # On the full-text rowid, so a row is dropped before its report row is read; the unary
            # "+" keeps SQLite from handing the list to FTS5 as a rowid constraint (a probe per id: slow).
            conds.append(f"{{rid}} IN ({' UNION '.join(arms)})")
            params += params_here
            facts[field_name] = (table, names, entities)
        if role_ids and person is None:
            conds.append(f"{{rid}} IN (SELECT report_id FROM roles WHERE role_id IN {_marks(role_ids)})")
            params += sorted(role_ids)
        if type:
            conds.append("r.event_type = ? COLLATE NOCASE")
            params.append(type.strip())
        if low:
            conds.append("r.date_to >= ?")
            params.append(low)
        if high:
            conds.append("r.date_from <= ?")
            params.append(high)
        where = " AND ".join(conds) or "1"
        where = where.replace("{rid}", "+report_fts.rowid" if terms else "r.id")
        if terms:
            match = self._match_expression(terms)
            if match is None:
                return []
            # CROSS JOIN keeps the full-text match as the outer loop (probing it per report row is
            # ruinous), and bm25 is computed only for the rows that pass the filters.
            sql = (f"SELECT r.*, bm25(report_fts, {_WEIGHTS[0]}, {_WEIGHTS[1]}) AS rank FROM report_fts "
                   f"CROSS JOIN reports r ON r.id = report_fts.rowid WHERE report_fts MATCH ? AND {where} "
                   "ORDER BY rank, r.doc_id LIMIT ?")
            rows = self.conn.execute(sql, [match, *params, limit]).fetchall()
        else:
            sql = f"SELECT r.*, NULL AS rank FROM reports r WHERE {where} ORDER BY r.date IS NULL, r.date DESC, r.doc_id LIMIT ?"
            rows = self.conn.execute(sql, [*params, limit]).fetchall()
        return [self._hit(row, terms, facts, role_ids, type, low or high) for row in rows]

    def _match_expression(self, terms: list[str]) -> str | None:
        """The FTS5 query: each word becomes the indexed words containing it (compounds, inflected
        forms), a phrase stays a phrase of whole words; None when a word occurs nowhere."""
        groups = []
        for term in terms:
            words = word_list(term)
            if len(words) > 1 or len(words[0]) < 3:  # trigrams need 3 characters: short words match whole
                groups.append(_fts_string(" ".join(words)))
                continue
            found = [row[0] for row in self.conn.execute(
                "SELECT word FROM words WHERE id IN (SELECT rowid FROM words_fts WHERE words_fts MATCH ?) "
                "ORDER BY length(word), word LIMIT ?", (_fts_string(words[0]), MAX_EXPANSIONS))]
            if not found:
                return None
            groups.append("(" + " OR ".join(_fts_string(w) for w in found) + ")")
        return " AND ".join(groups)

    def _entity_match(self, kind: str, text: str) -> tuple[set[int], set[str]]:
        """The ids of the names whose words include all of the filter's, and their entity ids."""
        words = name_words(text)
        if not words:
            raise ValueError(f"--{kind} {text!r} has no name words to look for")
        expression = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        # The IN subquery runs the full-text match once (a join let SQLite probe it per name row);
        # "+kind" keeps SQLite from scanning every name of the kind through the (kind, name) index.
        names = {row[0] for row in self.conn.execute(
            "SELECT id FROM names WHERE id IN (SELECT rowid FROM names_fts WHERE names_fts MATCH ?) AND +kind = ?",
            (expression, kind))}
        if not names:
            return set(), set()
        if len(names) > MAX_NAMES:
            raise ValueError(f"--{kind} {text!r} matches {len(names):,} names; give more of the name")
        entities = {row[0] for row in self.conn.execute(
            f"SELECT DISTINCT entity_id FROM {_TABLE[kind]} WHERE name_id IN {_marks(names)} AND entity_id IS NOT NULL",
            sorted(names))}
        return names, entities

    def _role_ids(self, role: str) -> set[int]:
        wanted = fold(role)
        if not wanted:
            raise ValueError("--role needs some text")
        return {row[0] for row in self.conn.execute("SELECT id FROM role_names WHERE instr(fold, ?) > 0", (wanted,))}

    def _hit(self, row: sqlite3.Row, terms: list[str], facts: dict[str, tuple[str, set[int], set[str]]],
             role_ids: set[int] | None, type: str | None, dated: str | None) -> ReportHit:
        rid = row["id"]
        matched: list[MatchedFact] = []
        for field_name, (table, names, entities) in facts.items():
            matched += self._matched_entries(field_name, table, rid, names, entities,
                                             role_ids if field_name == "person" else None)
        if role_ids and "person" not in facts:
            matched += self._matched_entries("role", "persons", rid, None, None, role_ids)
        if type and row["event_type"]:
            matched.append(MatchedFact(field="type", value=row["event_type"]))
        if dated and row["date"]:
            matched.append(MatchedFact(field="date", value=row["date"]))
        snippet = None
        if terms:
            found = self.conn.execute("SELECT title, body FROM report_fts WHERE rowid = ?", (rid,)).fetchone()
            text = found["body"] if found and found["body"] else (row["title"] or "")
            snippet = make_snippet(text, terms)
        return ReportHit(
            doc_id=row["doc_id"], title=row["title"], published=row["published"], date=row["date"],
            source=row["source"], event=_event(row), matched=matched, snippet=snippet,
            score=None if row["rank"] is None else -row["rank"],
        )

    def _matched_entries(self, field_name: str, table: str, rid: int, names: set[int] | None,
                         entities: set[str] | None, role_ids: set[int] | None) -> list[MatchedFact]:
        # A report has a handful of entries: fetch them all and pick in Python (an IN list per hit
        # cost milliseconds when a name stands for hundreds of entities).
        entries = self.conn.execute(f"SELECT t.* FROM {table} t WHERE t.report_id = ? ORDER BY t.n", (rid,)).fetchall()
        if names is not None:
            entries = [e for e in entries if e["name_id"] in names or e["entity_id"] in (entities or ())]
        if role_ids:
            entries = [e for e in entries if role_ids & {r[0] for r in self.conn.execute(
                "SELECT role_id FROM roles WHERE report_id = ? AND n = ?", (rid, e["n"]))}]
        result = []
        for entry in entries:
            value = entry["name"]
            if table == "persons":
                roles = self._roles(rid, entry["n"])
                extra = "; ".join(x for x in (", ".join(roles), entry["organisation"]) if x)
                value = f"{value} ({extra})" if extra else value
            elif table == "organisations" and entry["acronym"]:
                value = f"{value} ({entry['acronym']})"
            result.append(MatchedFact(field=field_name, value=value, entity_id=entry["entity_id"],
                                      mentions=_mentions(entry["mentions"])))
        return result

    def _roles(self, rid: int, n: int) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT rn.role FROM roles ro JOIN role_names rn ON rn.id = ro.role_id "
            "WHERE ro.report_id = ? AND ro.n = ? ORDER BY ro.i", (rid, n))]

    # -- entities ----------------------------------------------------------------------------

    def entities(self, type: str | None = None, top: int = 20) -> list[EntitySummary]:
        """The entities named in most reports (ties: most entries, then id); `type`: person, org or place."""
        if type is not None and type not in ENTITY_KINDS:
            raise ValueError(f"type must be one of {', '.join(ENTITY_KINDS)}, got {type!r}")
        if top < 1:
            raise ValueError(f"top must be 1 or more, got {top}")
        where, params = ("WHERE kind = ?", [type]) if type else ("", [])
        rows = self.conn.execute(
            f"SELECT * FROM entities {where} ORDER BY reports DESC, mentions DESC, entity_id LIMIT ?", [*params, top])
        return [self._summary(row) for row in rows]

    def entity(self, entity_id: str, *, limit: int | None = 100) -> EntityDetail | None:
        """An entity with its entries (oldest first, at most `limit`), or None when there is none such."""
        row = self.conn.execute("SELECT * FROM entities WHERE entity_id = ?", (entity_id,)).fetchone()
        if row is None:
            return None
        summary = self._summary(row)
        table = _TABLE[summary.kind]
        entries = []
        for entry in self.conn.execute(
            f"SELECT t.*, r.doc_id, r.title, r.date, rs.text AS reason FROM {table} t JOIN reports r ON r.id = t.report_id "
            "LEFT JOIN reasons rs ON rs.id = t.reason_id WHERE t.entity_id = ? ORDER BY r.date IS NULL, r.date, r.doc_id, t.n LIMIT ?",
            (entity_id, -1 if limit is None else limit),
        ):
            keys = entry.keys()
            rid, n = entry["report_id"], entry["n"]
            entries.append(EntityMentionHit(
                mention_key=f"{entry['doc_id']}:{summary.kind}:{n}", doc_id=entry["doc_id"], title=entry["title"],
                date=entry["date"], name=entry["name"], reason=entry["reason"],
                acronym=entry["acronym"] if "acronym" in keys else None,
                organisation=entry["organisation"] if "organisation" in keys else None,
                titles=json.loads(entry["titles"]) if "titles" in keys and entry["titles"] else [],
                roles=self._roles(rid, n) if table == "persons" else [],
                mentions=_mentions(entry["mentions"]),
            ))
        return EntityDetail(entity=summary, entries=entries, total=summary.mentions)

    def _summary(self, row: sqlite3.Row) -> EntitySummary:
        return EntitySummary(entity_id=row["entity_id"], kind=row["kind"], name=row["name"],
                             reports=row["reports"], mentions=row["mentions"],
                             names=json.loads(row["names"]) if row["names"] else [])

    def record(self, doc_id: str) -> EventReport | None:
        """The record indexed under `doc_id`, rebuilt from the index's rows (None if absent)."""
        from extractor.index.stored import load_record

        return load_record(self.conn, doc_id)

    def pending_keys(self) -> int:
        """Blocking keys whose entries wait for entity resolution (a run killed before it)."""
        return self.conn.execute("SELECT COUNT(*) FROM pending_keys").fetchone()[0]

    def counts(self) -> dict[str, int]:
        """How many reports, texts, entities and pending keys the index holds."""
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "reports": one("SELECT COUNT(*) FROM reports"),
            "texts": one("SELECT COUNT(*) FROM report_fts WHERE body != ''"),
            "entities": one("SELECT COUNT(*) FROM entities"),
            "pending_keys": one("SELECT COUNT(*) FROM pending_keys"),
        }


def _marks(values: set[Any] | list[Any]) -> str:
    """Placeholders for an IN list: SQLite uses an index for a literal list, not always for json_each."""
    return "(" + ",".join("?" * len(values)) + ")"


def _mentions(stored: str) -> list[Mention]:
    return [Mention(start=start, end=end, text=text) for start, end, text in json.loads(stored)]


def _event(row: sqlite3.Row) -> Event | None:
    if not row["has_event"]:
        return None
    return Event(
        name=row["event_name"], type=row["event_type"], topic=row["event_topic"], location=row["event_location"],
        start=row["event_start"], end=row["event_end"], participants=row["event_participants"],
        organisers=json.loads(row["organisers"]) if row["organisers"] else [],
    )
