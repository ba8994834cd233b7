"""The index's command functions (`index`, `search`, `entities`, `export`, `browse`) on a small typer
app built here, as the CLI package registers them: exit codes, messages, tables and JSON Lines."""

from __future__ import annotations

import json
import sqlite3

import pytest
import typer
from typer.testing import CliRunner

from extractor.cli.index import browse_command, entities_app, export_command, index_command, search_command
from tests.index_records import BMAS, archive, record, write_jsonl, write_texts

app = typer.Typer(add_completion=False)
app.command("index")(index_command)
app.command("search")(search_command)
app.add_typer(entities_app, name="entities")
app.command("browse")(browse_command)
app.command("export")(export_command)
# Wide enough that no table cell wraps, so rows can be looked for whole.
runner = CliRunner(env={"COLUMNS": "400"})


@pytest.fixture()
def built(tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTFACTS_DB", raising=False)
    facts = write_jsonl(tmp_path / "facts.jsonl", archive())
    db = tmp_path / "archiv.sqlite"
    result = runner.invoke(app, ["index", str(facts), "--db", str(db), "--texts", str(write_texts(tmp_path / "t"))])
    assert result.exit_code == 0, result.output
    return db


def test_index_reports_what_it_did(tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTFACTS_DB", raising=False)
    facts = write_jsonl(tmp_path / "facts.jsonl", archive(), extra_lines={2: "kein json"})
    db = tmp_path / "a.sqlite"
    result = runner.invoke(app, ["index", str(facts), "--db", str(db)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: {facts}:3: not a JSON object: ")
    assert lines[1].startswith(f"5 records indexed into {db} (0 replaced), 1 errors, 16 entries resolved to entities; ")
    again = runner.invoke(app, ["index", str(facts), "--db", str(db), "-q"])
    assert again.exit_code == 1 and "5 records" not in again.stderr


def test_index_usage_errors_exit_2_with_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTFACTS_DB", raising=False)
    facts = write_jsonl(tmp_path / "facts.jsonl", archive())
    missing = runner.invoke(app, ["index", str(tmp_path / "fehlt.jsonl"), "--db", str(tmp_path / "a.sqlite")])
    assert (missing.exit_code, missing.stderr) == (2, f"error: {tmp_path / 'fehlt.jsonl'}: no such file\n")
    no_db = runner.invoke(app, ["index", str(facts)])
    assert (no_db.exit_code, no_db.stderr) == (2, "error: no index given: use --db DB or set EVENTFACTS_DB\n")
    (tmp_path / "liste.sqlite").write_text("Einkaufsliste", encoding="utf-8")
    wrong = runner.invoke(app, ["index", str(facts), "--db", str(tmp_path / "liste.sqlite")])
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith(f"error: {tmp_path / 'liste.sqlite'}: not an eventfacts index")
    assert "Traceback" not in wrong.output


def test_search_json_lines_carry_the_doc_id(built):
    result = runner.invoke(app, ["search", "Ausbildung", "--db", str(built), "--json", "--org", "BMAS"])
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert [h["doc_id"] for h in hits] == ["r1-fachtag-fulda", "r3-pflegekonferenz"]
    assert hits[0]["matched"][0]["value"] == f"{BMAS} (BMAS)"
    assert hits[0]["snippet"].startswith("Fachtag Berufs[ausbildung] in Fulda")


def test_search_table_and_the_environment_default(built, monkeypatch):
    monkeypatch.setenv("EVENTFACTS_DB", str(built))
    result = runner.invoke(app, ["search", "--person", "Thomas Müller", "--role", "geschäftsführer"])
    assert result.exit_code == 0, result.output
    assert "Netzwerktreffen der Handwerkskammer Kassel" in result.stdout
    assert "person: Thomas Müller (Hauptgeschäftsführer; Handwerkskammer Kassel)" in result.stdout
    assert "r4-sommerfest" not in result.stdout
    assert "snippet" not in result.stdout  # no query, no snippet column
    with_query = runner.invoke(app, ["search", "stärken"])
    assert "snippet" in with_query.stdout and "matched" not in with_query.stdout
    assert "Die HWK will die Ausbildung im Handwerk [stärken]." in with_query.stdout
    none = runner.invoke(app, ["search", "Zeppelin"])
    assert (none.exit_code, none.stdout, none.stderr) == (0, "", "no report matches\n")


def test_search_usage_errors(built, tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTFACTS_DB", raising=False)
    bad_date = runner.invoke(app, ["search", "--db", str(built), "--from", "13.05.2024"])
    assert (bad_date.exit_code, bad_date.stderr) == (
        2, "error: --from must be a date YYYY, YYYY-MM or YYYY-MM-DD, got '13.05.2024'\n")
    missing = runner.invoke(app, ["search", "Fest", "--db", str(tmp_path / "fehlt.sqlite")])
    assert missing.exit_code == 2
    assert missing.stderr.startswith(f"error: {tmp_path / 'fehlt.sqlite'}: no such index; build it with")
    conn = sqlite3.connect(built)
    conn.execute("UPDATE meta SET value = '7' WHERE key = 'index_schema'")
    conn.commit()
    conn.close()
    old = runner.invoke(app, ["search", "Fest", "--db", str(built)])
    assert old.exit_code == 2 and "index schema version 7, but this eventfacts reads version 1" in old.stderr


def test_markup_in_titles_is_printed_as_written(tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTFACTS_DB", raising=False)
    text = "[bold]Sommerfest[/bold] im Park [/x]\nDer Verein feierte im Park."
    facts = write_jsonl(tmp_path / "f.jsonl", [record("[/x]-fest", text, published="2024-07-01")])
    db = tmp_path / "a.sqlite"
    assert runner.invoke(app, ["index", str(facts), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["search", "Sommerfest", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "[bold][Sommerfest][/bold] im Park [/x]" in result.stdout
    assert "[/x]-fest" in result.stdout


def test_entities_list_and_show(built):
    listed = runner.invoke(app, ["entities", "--db", str(built), "--type", "org", "--top", "2", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["name"], r["reports"], r["names"]) for r in rows] == [
        (BMAS, 3, [BMAS, "BMAS"]), ("Handwerkskammer Kassel", 2, ["Handwerkskammer Kassel", "HWK"])]
    table = runner.invoke(app, ["entities", "--db", str(built), "--top", "3"])
    assert "Bundesministerium für Arbeit und Soziales" in table.stdout and "Anna Beispiel" in table.stdout
    shown = runner.invoke(app, ["entities", "show", rows[0]["entity_id"], "--db", str(built)])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines()[0] == f"{rows[0]['entity_id']}  org  {BMAS}: 3 reports, 3 entries"
    assert "r3-pflegekonferenz" in shown.stdout and "acronym" in shown.stdout
    # --db given to the group serves its subcommand too.
    via_group = runner.invoke(app, ["entities", "--db", str(built), "show", rows[0]["entity_id"], "--json"])
    assert json.loads(via_group.stdout)["total"] == 3
    unknown = runner.invoke(app, ["entities", "show", "org:fehlt", "--db", str(built)])
    assert (unknown.exit_code, unknown.stderr) == (1, f"error: no entity 'org:fehlt' in {built}\n")
    bad = runner.invoke(app, ["entities", "--db", str(built), "--type", "firma"])
    assert (bad.exit_code, bad.stderr) == (2, "error: type must be one of person, org, place, got 'firma'\n")


def test_export_bulk_and_mapping(built, tmp_path):
    facts = tmp_path / "facts.jsonl"
    out = tmp_path / "bulk.ndjson"
    result = runner.invoke(app, ["export", str(facts), "--to", "opensearch", "-o", str(out), "--db", str(built)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "5 documents written for opensearch, 0 errors\n"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"index": {"_index": "eventfacts", "_id": "r1-fachtag-fulda"}}
    assert json.loads(lines[1])["organisations"][0]["entity_id"].startswith("org:")
    assert json.loads(lines[1])["text"].startswith("Fachtag Berufsausbildung in Fulda")
    mapping = runner.invoke(app, ["export", "--mapping"])
    assert json.loads(mapping.stdout)["mappings"]["properties"]["persons"]["type"] == "nested"
    both = runner.invoke(app, ["export", str(facts), "--mapping"])
    assert (both.exit_code, both.stderr) == (2, "error: --mapping writes the mapping only; give no FACTS files with it\n")
    target = runner.invoke(app, ["export", str(facts), "--to", "solr"])
    assert (target.exit_code, target.stderr) == (2, "error: --to must be one of elasticsearch, opensearch, not 'solr'\n")
    same = runner.invoke(app, ["export", str(facts), "-o", str(facts)])
    assert same.exit_code == 2 and "is also an input" in same.stderr


def test_browse_refuses_what_is_no_index(tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTFACTS_DB", raising=False)
    result = runner.invoke(app, ["browse", str(tmp_path / "fehlt.sqlite")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'fehlt.sqlite'}: no such index")
    assert runner.invoke(app, ["browse"]).stderr == "error: no index given: use --db DB or set EVENTFACTS_DB\n"


def test_entities_says_when_resolution_is_pending(tmp_path, monkeypatch):
    from extractor.index.ingest import Writer

    monkeypatch.delenv("EVENTFACTS_DB", raising=False)
    writer = Writer(tmp_path / "a.sqlite")  # records committed, entity resolution never run
    writer.add(archive()[0])
    writer.close()
    result = runner.invoke(app, ["entities", "--db", str(tmp_path / "a.sqlite")])
    assert result.exit_code == 0
    assert result.stderr.startswith("note: ")
    assert result.stderr.endswith("name keys wait for entity resolution; the next `eventfacts index` run resolves them\n")


def test_batch_index_fills_the_index_and_a_resume_does_not_duplicate(tmp_path: Path) -> None:
    from extractor.cli import app as eventfacts

    source = tmp_path / "eingang.jsonl"
    source.write_text(
        '{"id": "b1", "text": "Fachtag in Kassel: Dr. Anna Schmidt (IHK Kassel) begrüßte 80 Gäste."}\n'
        '{"id": "b2", "text": "Workshop in Erfurt mit 25 Teilnehmenden."}\n',
        encoding="utf-8",
    )
    out, db = tmp_path / "fakten.jsonl", tmp_path / "archiv.sqlite"
    args = ["batch", str(source), "-o", str(out), "--workers", "0", "--model", "rules", "-q", "--index", str(db)]
    assert CliRunner().invoke(eventfacts, args).exit_code == 0
    assert CliRunner().invoke(eventfacts, [*args, "--resume"]).exit_code == 0
    from extractor.index import Index

    with Index(db) as index:
        hits = index.search(person="Anna Schmidt")
        assert [h.doc_id for h in hits] == ["b1"]
        assert sorted(h.doc_id for h in index.search(limit=10)) == ["b1", "b2"]


BATCH_DOCS = [
    ("c1", "Fachtag in Kassel: Dr. Anna Schmidt (IHK Kassel) begrüßte 80 Gäste."),
    ("c2", "Workshop in Erfurt mit 25 Teilnehmenden."),
    ("c3", "Netzwerktreffen in Gera: Bürgermeister Jonas Weber eröffnete die Runde."),
    ("c4", "Konferenz in Fulda mit 120 Gästen aus neun Bundesländern."),
]


def _batch_source(tmp_path: Path, docs: list[tuple[str, str]]) -> Path:
    source = tmp_path / f"eingang{len(docs)}.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in docs),
                      encoding="utf-8")
    return source


def test_batch_index_is_searchable_while_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.batch import BatchConfig, run_batch
    from extractor.index import Index, ingest

    monkeypatch.setattr(ingest, "COMMIT_SECONDS", 0.0)  # commit after every record, as a slow run would
    db = tmp_path / "archiv.sqlite"
    seen: list[tuple[int, int]] = []  # (records written, reports a reader finds) at each settled document

    def progress(event) -> None:  # noqa: ANN001 - a BatchEvent
        if event.kind == "advance" and event.summary.records and db.exists():
            with Index(db) as reader:
                seen.append((event.summary.records, len(reader.search(limit=10))))

    config = BatchConfig(model="rules", engine="inline", batch_size=1, index=str(db))
    summary = run_batch([str(_batch_source(tmp_path, BATCH_DOCS))], tmp_path / "fakten.jsonl", config, progress=progress)
    assert summary.records == summary.indexed == 4
    # A second connection saw each record as soon as it was written, before the run ended.
    assert seen == [(1, 1), (2, 2), (3, 3), (4, 4)]
    with Index(db) as index:
        assert [h.doc_id for h in index.search(person="Jonas Weber")] == ["c3"]
        # Entities were resolved when the run ended.
        assert index.pending_keys() == 0
        assert {e.name for e in index.entities(type="person")} == {"Anna Schmidt", "Jonas Weber"}


def test_batch_resume_indexes_the_records_the_index_lacks(tmp_path: Path) -> None:
    from extractor.batch import BatchConfig, run_batch
    from extractor.index import Index

    out, db = tmp_path / "fakten.jsonl", tmp_path / "archiv.sqlite"
    # A first run without the index (or one killed before its index committed) ...
    run_batch([str(_batch_source(tmp_path, BATCH_DOCS[:2]))], out, BatchConfig(model="rules", engine="inline"))
    # ... and a resumed run with it: the two records already in the output are indexed first.
    config = BatchConfig(model="rules", engine="inline", resume=True, index=str(db))
    summary = run_batch([str(_batch_source(tmp_path, BATCH_DOCS))], out, config)
    assert (summary.already_done, summary.records, summary.indexed) == (2, 2, 4)
    with Index(db) as index:
        assert sorted(h.doc_id for h in index.search(limit=10)) == ["c1", "c2", "c3", "c4"]
    # Resumed once more, nothing is new and nothing is indexed twice.
    again = run_batch([str(_batch_source(tmp_path, BATCH_DOCS))], out, config)
    assert (again.records, again.indexed) == (0, 0)
    with Index(db) as index:
        assert len(index.search(limit=10)) == 4


def test_batch_refuses_an_index_of_another_kind_before_it_starts(tmp_path: Path) -> None:
    from extractor.batch import BatchConfig, BatchError, run_batch

    db = tmp_path / "fremd.sqlite"
    db.write_text("keine Datenbank", encoding="utf-8")
    out = tmp_path / "fakten.jsonl"
    with pytest.raises(BatchError, match="fremd.sqlite"):
        run_batch([str(_batch_source(tmp_path, BATCH_DOCS[:1]))], out, BatchConfig(model="rules", engine="inline", index=str(db)))
    assert not out.exists() or out.stat().st_size == 0
