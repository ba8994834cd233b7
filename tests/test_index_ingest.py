"""Building the index: every fact stored, re-indexing, incremental runs, bad lines, the version
check, WAL readers during a write, and a kill -9 in the middle of a batch."""

from __future__ import annotations

import gzip
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.index import (
    BatchIndexer,
    Index,
    IndexVersionError,
    MissingIndexError,
    NotAnIndexError,
    index_files,
)
from extractor.index.ingest import Writer
from tests.index_records import BMAS, archive, record, write_jsonl, write_texts

ROOT = Path(__file__).resolve().parents[1]


def entity_sets(db: Path) -> set[frozenset[tuple[str, str]]]:
    """The entities as sets of (doc_id, name) entries: comparable across runs."""
    conn = sqlite3.connect(db)
    groups: dict[str, set[tuple[str, str]]] = {}
    for table in ("persons", "organisations", "places"):
        for doc_id, name, entity_id in conn.execute(
                f"SELECT r.doc_id, t.name, t.entity_id FROM {table} t JOIN reports r ON r.id = t.report_id"):
            groups.setdefault(entity_id, set()).add((doc_id, name))
    conn.close()
    return {frozenset(g) for g in groups.values()}


def test_every_fact_of_every_record_comes_back_from_the_index(tmp_path):
    reports = archive()
    stats = index_files(tmp_path / "a.sqlite", [str(write_jsonl(tmp_path / "facts.jsonl", reports))])
    assert (stats.records, stats.replaced, stats.errors) == (5, 0, [])
    with Index(tmp_path / "a.sqlite") as index:
        for report in reports:
            assert index.record(report.doc_id) == report
        assert index.record("r9-missing") is None
        assert index.counts() == {"reports": 5, "texts": 0, "entities": 10, "pending_keys": 0}
    # The view of all mentions, one row each, as a browser shows them.
    conn = sqlite3.connect(tmp_path / "a.sqlite")
    rows = conn.execute('SELECT m.kind, m.n, m.i, m.start, m."end", m.text FROM mentions m JOIN reports r '
                        "ON r.id = m.report_id WHERE r.doc_id = 'r1-fachtag-fulda' ORDER BY m.kind, m.n, m.i").fetchall()
    expected = [(kind, n, i, m.start, m.end, m.text)
                for kind, entries in (("org", reports[0].organisations), ("person", reports[0].persons),
                                      ("place", reports[0].locations))
                for n, entry in enumerate(entries) for i, m in enumerate(entry.mentions)]
    assert rows == expected and len(rows) == 7


def test_indexing_a_doc_id_again_replaces_its_rows(tmp_path):
    db = tmp_path / "a.sqlite"
    facts = write_jsonl(tmp_path / "facts.jsonl", archive())
    index_files(db, [str(facts)])
    first = sqlite3.connect(db).execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    again = index_files(db, [str(facts)])
    assert (again.records, again.replaced) == (5, 5)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 5
    assert conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0] == first
    # r1 now names another person and no organisation: Anna Beispiel keeps only r2, and with the
    # only report that paired "BMAS" with its long form gone, the bare acronym (r3) stands alone.
    text = "Fachtag in Fulda\nLandrätin Petra Sommer eröffnete den Fachtag in Fulda."
    changed = record("r1-fachtag-fulda", text, published="2024-05-13",
                     persons=[("Petra Sommer", ["Landrätin"], None, [], ["Petra Sommer"])],
                     places=[("Fulda", "city", ["Fulda"])])
    index_files(db, [str(write_jsonl(tmp_path / "changed.jsonl", [changed]))])
    with Index(db) as index:
        assert index.record("r1-fachtag-fulda") == changed
        anna = index.search(person="Anna Beispiel")
        assert [hit.doc_id for hit in anna] == ["r2-workshop-berlin"]
        counts = {e.name: e.reports for e in index.entities(type="person")}
        assert counts["Anna Beispiel"] == 1 and counts["Petra Sommer"] == 1
        orgs = {e.name: e.reports for e in index.entities(type="org")}
        assert (orgs[BMAS], orgs["BMAS"]) == (1, 1)


def test_the_same_doc_id_twice_in_one_batch_keeps_the_second(tmp_path):
    reports = archive()
    second = reports[0].model_copy(update={"title": "Zweite Fassung"})
    index_files(tmp_path / "a.sqlite", [str(write_jsonl(tmp_path / "f.jsonl", [reports[0], second]))])
    with Index(tmp_path / "a.sqlite") as index:
        assert index.record("r1-fachtag-fulda") == second
        assert index.counts()["reports"] == 1


def test_incremental_runs_give_the_entities_of_one_run(tmp_path):
    reports = archive()
    index_files(tmp_path / "once.sqlite", [str(write_jsonl(tmp_path / "all.jsonl", reports))])
    # The bare acronym (r3) first, its long forms later: the join must still happen.
    for n, part in enumerate(([reports[2], reports[4]], [reports[3]], [reports[0], reports[1]])):
        index_files(tmp_path / "steps.sqlite", [str(write_jsonl(tmp_path / f"part{n}.jsonl", part))])
    assert entity_sets(tmp_path / "steps.sqlite") == entity_sets(tmp_path / "once.sqlite")
    bmas = {("r1-fachtag-fulda", BMAS), ("r2-workshop-berlin", BMAS), ("r3-pflegekonferenz", "BMAS")}
    assert frozenset(bmas) in entity_sets(tmp_path / "steps.sqlite")


def test_bad_lines_are_reported_as_file_and_line_and_skipped(tmp_path):
    reports = archive()
    facts = write_jsonl(tmp_path / "facts.jsonl", reports, extra_lines={
        1: '{"doc_id": "kaputt", "persons": [',
        3: '{"doc_id": "r7", "source": "x.txt", "stage": "extract", "message": "Zeitüberschreitung"}',
        4: "",
    })
    seen: list[str] = []
    stats = index_files(tmp_path / "a.sqlite", [str(facts)], on_error=seen.append)
    assert stats.records == 5
    assert seen == stats.errors
    assert seen[0].startswith(f"{facts}:2: not a JSON object: ")
    assert seen[1] == (f"{facts}:5: not an EventReport record: stage: Extra inputs are not permitted "
                       "(and 1 more problems)")
    assert len(seen) == 2


def test_gzip_input_and_a_missing_file(tmp_path):
    plain = write_jsonl(tmp_path / "facts.jsonl", archive())
    packed = tmp_path / "facts.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    stats = index_files(tmp_path / "a.sqlite", [str(packed), str(tmp_path / "fehlt.jsonl")])
    assert stats.records == 5
    assert stats.errors == [f"{tmp_path / 'fehlt.jsonl'}: cannot read: No such file or directory"]


def test_source_texts_are_matched_by_doc_id(tmp_path):
    texts = write_texts(tmp_path / "texte")
    (texts / "r8-ohne-record.txt").write_text("Ein Bericht, den niemand extrahiert hat.", encoding="utf-8")
    stats = index_files(tmp_path / "a.sqlite", [str(write_jsonl(tmp_path / "f.jsonl", archive()))],
                        texts=[str(texts)])
    assert (stats.texts, stats.texts_without_record) == (5, 1)
    with Index(tmp_path / "a.sqlite") as index:
        assert [h.doc_id for h in index.search("Lehrwerkstätten")] == ["r1-fachtag-fulda"]
    # Facts indexed again without texts keep the text.
    index_files(tmp_path / "a.sqlite", [str(write_jsonl(tmp_path / "f.jsonl", archive()))])
    with Index(tmp_path / "a.sqlite") as index:
        assert index.counts()["texts"] == 5


def test_another_schema_version_is_refused_with_a_clear_message(tmp_path):
    db = tmp_path / "alt.sqlite"
    index_files(db, [str(write_jsonl(tmp_path / "f.jsonl", archive()[:1]))])
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'index_schema'")
    conn.commit()
    conn.close()
    with pytest.raises(IndexVersionError) as caught:
        Index(db)
    assert str(caught.value) == (f"{db}: index schema version 0, but this eventfacts reads version 1; "
                                 "build a new index from the JSONL files with `eventfacts index`")
    with pytest.raises(IndexVersionError):
        index_files(db, [str(tmp_path / "f.jsonl")])


def test_files_that_are_no_index(tmp_path):
    text = tmp_path / "notiz.sqlite"
    text.write_text("Kein SQLite, nur eine Notiz.", encoding="utf-8")
    with pytest.raises(NotAnIndexError, match="notiz.sqlite: not an eventfacts index"):
        Index(text)
    other = tmp_path / "andere.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE kunden (name TEXT)").connection.commit()
    with pytest.raises(NotAnIndexError, match=r"an SQLite database, but not an eventfacts index \(no meta table\)"):
        index_files(other, [])
    with pytest.raises(MissingIndexError, match="fehlt.sqlite: no such index"):
        Index(tmp_path / "fehlt.sqlite")
    assert not (tmp_path / "fehlt.sqlite").exists()


def test_a_reader_sees_committed_batches_while_the_writer_holds_a_transaction(tmp_path):
    db = tmp_path / "a.sqlite"
    reports = archive()
    writer = Writer(db)
    writer.add(reports[0])
    writer.add(reports[1])
    writer.commit()
    writer.add(reports[2])  # open transaction, not committed
    with Index(db) as reader:
        started = time.perf_counter()
        seen = {hit.doc_id for hit in reader.search(limit=10)}
        assert time.perf_counter() - started < 1.0  # not blocked by the writer
        assert seen == {"r1-fachtag-fulda", "r2-workshop-berlin"}
        writer.commit()
        assert len(reader.search(limit=10)) == 3
    writer.close()
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_batch_indexer_takes_reports_dicts_and_json_lines(tmp_path):
    reports = archive()
    with BatchIndexer(tmp_path / "a.sqlite", batch_size=2) as indexer:
        indexer.add([reports[0], reports[1].model_dump(mode="json")])
        indexer.add([reports[2].model_dump_json(), reports[3].model_dump_json().encode()])
        indexer.add([reports[4]])
    assert indexer.stats.records == 5
    with Index(tmp_path / "a.sqlite") as index:
        assert {h.doc_id for h in index.search(org="BMAS")} == {"r1-fachtag-fulda", "r2-workshop-berlin",
                                                               "r3-pflegekonferenz"}
    with pytest.raises(TypeError, match="cannot index a int"):
        BatchIndexer(tmp_path / "b.sqlite").add([42])


KILL_SCRIPT = """
import sys
from extractor.index import index_files
index_files(sys.argv[1], ["-"], batch_size=2)
"""


def test_kill_9_during_a_batch_leaves_every_committed_report_whole(tmp_path):
    db = tmp_path / "a.sqlite"
    reports = archive()
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db)], stdin=subprocess.PIPE, cwd=ROOT,
                            stderr=subprocess.PIPE)
    try:
        assert proc.stdin is not None
        # Two full batches (committed), then one record of a third batch that never completes.
        for report in reports[:5]:
            proc.stdin.write(report.model_dump_json().encode() + b"\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        committed = 0
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    with Index(db) as reader:  # reads while the writer runs (WAL)
                        committed = reader.counts()["reports"]
                except Exception:  # the file exists before its tables do
                    committed = 0
            if committed >= 4:
                break
            time.sleep(0.05)
        assert committed == 4, proc.stderr.read().decode() if proc.poll() is not None else committed
        time.sleep(0.3)  # the fifth record goes into the open transaction
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Index(db) as index:
        assert index.counts()["reports"] == 4
        for report in reports[:4]:
            assert index.record(report.doc_id) == report
        assert index.record(reports[4].doc_id) is None
        assert index.counts()["pending_keys"] > 0  # killed before entity resolution
    # The next run resolves what the killed one left pending and adds the rest.
    index_files(db, [str(write_jsonl(tmp_path / "rest.jsonl", reports[4:]))])
    with Index(db) as index:
        assert index.counts()["pending_keys"] == 0
        assert all(index.record(r.doc_id) == r for r in reports)
    index_files(tmp_path / "clean.sqlite", [str(write_jsonl(tmp_path / "all.jsonl", reports))])
    assert entity_sets(db) == entity_sets(tmp_path / "clean.sqlite")
