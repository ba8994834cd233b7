"""The SQLite layout of the index, and opening a database with the version check.

One row per report (with its event frame), one per person / organisation / place entry of a
record (with the entity id that entity resolution gave it and its mentions with their offsets),
quantities, dates, and full-text tables. Child tables are keyed by (report_id, n) WITHOUT ROWID,
so re-indexing a doc_id deletes its rows by key range and a report's rows sit together on disk.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

# Bump when the tables change; a database of another version is refused with a clear message.
INDEX_SCHEMA_VERSION = "1"
# Environment variable that names the default database of every query command.
DB_ENV = "EVENTFACTS_DB"


class SearchIndexError(Exception):
    """Base of the index's errors; the message names the database file."""


class NotAnIndexError(SearchIndexError):
    """The file exists but is not an eventfacts index (or not SQLite at all)."""


class IndexVersionError(SearchIndexError):
    """The database was written by another version of the index schema."""


class MissingIndexError(SearchIndexError):
    """A query names a database that does not exist."""


class IndexBusyError(SearchIndexError):
    """Another process holds the write lock for longer than we wait."""


# Full text: German writes compounds as one word, and a user who searches "Ausbildung" expects
# "Berufsausbildung" and "Ausbildungsplätze" too. A word index (unicode61) finds compounds only by
# their first part; a trigram index over whole texts finds any part but is slow on 100,000 texts
# (a common word intersects the position lists of eight frequent trigrams in every document) and
# three times the text's size. So: titles and texts get a word index, and a trigram index over the
# archive's *vocabulary* (table `words`, one row per distinct word) turns each query word into the
# indexed words that contain it ("ausbildung" -> berufsausbildung, ausbildungsplätze, ...), which
# the word index then looks up. Case folds (Ä/ä); umlauts stay umlauts (remove_diacritics 0).
TEXT_TOKENIZER = "unicode61 remove_diacritics 0"
WORD_TOKENIZER = "trigram"
# Names are matched word by word after our own normalisation (see `normalise.name_words`).
NAME_TOKENIZER = "unicode61"

DDL = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    source TEXT,
    title TEXT,
    published TEXT,
    language TEXT,
    record_version TEXT,
    date TEXT,               -- event start, else publication date (what a hit shows)
    date_from TEXT,          -- first and last day the report's date covers, for --from/--to
    date_to TEXT,
    year INTEGER,
    has_event INTEGER NOT NULL DEFAULT 0,
    event_name TEXT,
    event_type TEXT,
    event_topic TEXT,
    event_location TEXT,
    event_start TEXT,
    event_end TEXT,
    event_participants INTEGER,
    organisers TEXT,         -- JSON list of the event's organiser names, in record order
    organisations TEXT,      -- JSON list of the record's organisation names (browse facet)
    warnings TEXT            -- JSON list
);
CREATE INDEX reports_type ON reports(event_type COLLATE NOCASE);
CREATE INDEX reports_dates ON reports(date_from, date_to);
CREATE INDEX reports_date ON reports(date);

-- Distinct names of persons, organisations and places, with their normalised words.
-- acronym: '' when none (NULLs would make UNIQUE let duplicates in).
CREATE TABLE names (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, acronym TEXT NOT NULL,
                    norm TEXT NOT NULL, UNIQUE (kind, name, acronym));
CREATE VIRTUAL TABLE names_fts USING fts5(norm, content='names', content_rowid='id',
                                          tokenize='{NAME_TOKENIZER}');
CREATE TABLE role_names (id INTEGER PRIMARY KEY, role TEXT NOT NULL UNIQUE, fold TEXT NOT NULL);

CREATE TABLE persons (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    n INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_id INTEGER NOT NULL REFERENCES names(id),
    organisation TEXT,
    titles TEXT,             -- JSON list
    mentions TEXT NOT NULL,  -- JSON [[start, end, text], ...]; the view `mentions` lists them as rows
    keys TEXT,               -- JSON list of the entry's blocking key ids (keys.id)
    entity_id TEXT REFERENCES entities(entity_id),
    reason_id INTEGER REFERENCES reasons(id),
    PRIMARY KEY (report_id, n)
) WITHOUT ROWID;
-- (name_id, entity_id): a name filter finds its entities from the index alone.
CREATE INDEX persons_name ON persons(name_id, entity_id);
CREATE INDEX persons_entity ON persons(entity_id);

CREATE TABLE roles (
    report_id INTEGER NOT NULL,
    n INTEGER NOT NULL,      -- the person's index in the record
    i INTEGER NOT NULL,
    role_id INTEGER NOT NULL REFERENCES role_names(id),
    PRIMARY KEY (report_id, n, i)
) WITHOUT ROWID;
CREATE INDEX roles_role ON roles(role_id);

CREATE TABLE organisations (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    n INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_id INTEGER NOT NULL REFERENCES names(id),
    acronym TEXT,
    mentions TEXT NOT NULL,
    keys TEXT,
    entity_id TEXT REFERENCES entities(entity_id),
    reason_id INTEGER REFERENCES reasons(id),
    PRIMARY KEY (report_id, n)
) WITHOUT ROWID;
CREATE INDEX organisations_name ON organisations(name_id, entity_id);
CREATE INDEX organisations_entity ON organisations(entity_id);

CREATE TABLE places (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    n INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_id INTEGER NOT NULL REFERENCES names(id),
    kind TEXT,
    mentions TEXT NOT NULL,
    keys TEXT,
    entity_id TEXT REFERENCES entities(entity_id),
    reason_id INTEGER REFERENCES reasons(id),
    PRIMARY KEY (report_id, n)
) WITHOUT ROWID;
CREATE INDEX places_name ON places(name_id, entity_id);
CREATE INDEX places_entity ON places(entity_id);

CREATE TABLE quantities (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    n INTEGER NOT NULL,
    value,                   -- no type: an int stays an int and a float a float
    unit TEXT NOT NULL,
    text TEXT NOT NULL,
    qualifier TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    mention_text TEXT,       -- only where it differs from text (the contract says it never does)
    PRIMARY KEY (report_id, n)
) WITHOUT ROWID;

CREATE TABLE dates (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    n INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT NOT NULL,
    granularity TEXT NOT NULL,
    relative INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    mention_text TEXT,       -- only where it differs from text
    PRIMARY KEY (report_id, n)
) WITHOUT ROWID;

CREATE TABLE organisers (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    n INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (report_id, n)
) WITHOUT ROWID;

-- Entity resolution: the blocking keys of every entry, the keys whose entries must be resolved
-- again (new, replaced or deleted entries), and the entities with their counts.
-- Keys are numbered (keys.id) and each entry lists its key ids (column `keys`), so a replaced
-- entry's rows are found without a second index on entity_keys.
CREATE TABLE keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE entity_keys (
    key_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    report_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (key_id, kind, report_id, n)
) WITHOUT ROWID;
CREATE TABLE pending_keys (key_id INTEGER PRIMARY KEY);
-- Why entity resolution put an entry into its entity; many entries share one wording.
CREATE TABLE reasons (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE pending_entities (entity_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE entities (
    entity_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    reports INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    names TEXT               -- JSON: its names, most used first (at most 20), then acronyms
) WITHOUT ROWID;
CREATE INDEX entities_top ON entities(kind, reports DESC, mentions DESC, entity_id);
CREATE INDEX entities_rank ON entities(reports DESC, mentions DESC, entity_id);

-- Titles and (with --texts) the source texts; rowid = reports.id. `words` holds every distinct
-- (lower-case) word of them, trigram-indexed, to expand query words to the compounds containing them.
CREATE VIRTUAL TABLE report_fts USING fts5(title, body, tokenize='{TEXT_TOKENIZER}');
CREATE TABLE words (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE words_fts USING fts5(word, content='words', content_rowid='id', tokenize='{WORD_TOKENIZER}');

-- Browsing: one row per role a person holds in a report, readable on its own.
CREATE VIEW person_roles AS
    SELECT r.doc_id, r.date, r.title, p.name AS person, rn.role, p.organisation, p.entity_id
    FROM roles ro
    JOIN persons p ON p.report_id = ro.report_id AND p.n = ro.n
    JOIN role_names rn ON rn.id = ro.role_id
    JOIN reports r ON r.id = ro.report_id;
-- Offsets of every person / organisation / place mention, one row each (kind: person, org, place).
-- Stored as a JSON column of the entry: a row per mention cost a third of all inserts.
CREATE VIEW mentions AS
    SELECT t.report_id, 'person' AS kind, t.n, CAST(m.key AS INTEGER) AS i, m.value ->> 0 AS start,
           m.value ->> 1 AS "end", m.value ->> 2 AS text FROM persons t, json_each(t.mentions) m
    UNION ALL
    SELECT t.report_id, 'org', t.n, CAST(m.key AS INTEGER), m.value ->> 0, m.value ->> 1, m.value ->> 2
    FROM organisations t, json_each(t.mentions) m
    UNION ALL
    SELECT t.report_id, 'place', t.n, CAST(m.key AS INTEGER), m.value ->> 0, m.value ->> 1, m.value ->> 2
    FROM places t, json_each(t.mentions) m;
CREATE VIEW report_organisations AS
    SELECT r.doc_id, r.date, r.year, r.title, r.event_type, o.name AS organisation, o.acronym, o.entity_id
    FROM organisations o JOIN reports r ON r.id = o.report_id;
"""


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    mode = "rwc" if create else "rw"
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per batch.
    conn = sqlite3.connect(f"file:{_uri_path(path)}?mode={mode}", uri=True, isolation_level=None,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def _uri_path(path: Path) -> str:
    # A path in a URI must escape '?', '#' and '%'.
    from urllib.parse import quote

    return quote(str(path.absolute()), safe="/:")


def open_index(path: str | os.PathLike[str], *, create: bool = False) -> sqlite3.Connection:
    """Open an index database, creating its tables when `create` and the file is new or empty.

    RAISES: MissingIndexError (no file and not `create`), NotAnIndexError (another kind of
    file or database), IndexVersionError (written by another schema version).
    """
    path = Path(path)
    if not create and not path.exists():
        raise MissingIndexError(f"{path}: no such index; build it with `eventfacts index FACTS.jsonl --db {path}`")
    if path.is_dir():
        raise NotAnIndexError(f"{path}: is a directory, not an index database file")
    try:
        conn = _connect(path, create=create)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    except sqlite3.DatabaseError as exc:
        raise NotAnIndexError(f"{path}: not an eventfacts index ({exc})") from exc
    if not tables:
        if not create:
            conn.close()
            raise NotAnIndexError(f"{path}: an empty database, not an eventfacts index")
        _create(conn)
    elif "meta" not in tables:
        conn.close()
        raise NotAnIndexError(f"{path}: an SQLite database, but not an eventfacts index (no meta table)")
    else:
        row = conn.execute("SELECT value FROM meta WHERE key = 'index_schema'").fetchone()
        found = row[0] if row else "unknown"
        if found != INDEX_SCHEMA_VERSION:
            conn.close()
            raise IndexVersionError(
                f"{path}: index schema version {found}, but this eventfacts reads version "
                f"{INDEX_SCHEMA_VERSION}; build a new index from the JSONL files with `eventfacts index`"
            )
    # WAL: readers see the last committed batch while a writer runs; NORMAL sync is safe in WAL
    # (a crash loses at most the open transaction, never consistency).
    if create:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=10000")
    # 64 MB of page cache (default 2 MB): index inserts land all over big B-trees.
    conn.execute("PRAGMA cache_size=-65536")
    conn.execute("PRAGMA foreign_keys=OFF")  # declared for Datasette's labels, not enforced
    return conn


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN IMMEDIATE")
    for statement in _statements(DDL):
        conn.execute(statement)
    from extractor import __version__

    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                     [("index_schema", INDEX_SCHEMA_VERSION), ("created_by", f"eventfacts {__version__}")])
    conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT on its own; running the statements one by one keeps the whole
    # creation in one transaction, so a half-created index never exists.
    parts, current = [], []
    for line in script.splitlines():
        stripped = line.split("--", 1)[0].rstrip()
        if not stripped:
            continue
        current.append(stripped)
        if stripped.endswith(";") and sqlite3.complete_statement("\n".join(current)):
            parts.append("\n".join(current))
            current = []
    return parts
