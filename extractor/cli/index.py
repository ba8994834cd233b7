"""Thin typer commands over the index library (`extractor.index`): `index`, `search`, `entities`,
`browse`, `export`. Registered by the CLI package through `register(app)`.

Results go to stdout (a table, or JSON Lines with --json); messages to stderr. Bad input is one
line naming the file or option, exit code 2; bad JSONL lines are reported and skipped (exit 1).
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from extractor.cli.common import err, fail
from extractor.index.schema import DB_ENV, SearchIndexError

DB_HELP = f"The index database (SQLite file). Default: ${DB_ENV}."


def _out() -> Console:
    # A pipe or file gets a wide table rather than one squeezed to 80 columns ($COLUMNS wins).
    wide = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    return Console(highlight=False, width=wide)


def _need_db(db: Optional[Path]) -> Path:
    if db is None:
        fail(f"no index given: use --db DB or set {DB_ENV}")
    return db


@contextmanager
def _open(db: Optional[Path]) -> Iterator:
    from extractor.index.queries import Index

    try:
        index = Index(_need_db(db))
    except SearchIndexError as exc:
        fail(str(exc))
    try:
        yield index
    finally:
        index.close()


# -- index -------------------------------------------------------------------------------------


def index_command(
    facts: list[str] = typer.Argument(..., help="JSONL files of records (from `eventfacts extract` or `batch`; "
                                      ".jsonl.gz too), or '-' for standard input."),
    db: Optional[Path] = typer.Option(None, "--db", envvar=DB_ENV, help=DB_HELP + " Created when missing."),
    texts: Optional[list[str]] = typer.Option(
        None, "--texts", help="Source texts to search in, read like `batch` reads its inputs (files, directories, "
        "globs; .txt, .jsonl, .html, .warc); matched to records by doc_id. Repeat for more."),
    batch_size: int = typer.Option(1000, "--batch-size", min=1, help="Records per transaction."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary on stderr."),
) -> None:
    """Put records into the search index. A doc_id indexed again replaces its rows; bad lines are
    reported as FILE:LINE and skipped (exit code 1 at the end)."""
    from extractor.index.runs import index_files

    db = _need_db(db)
    for path in facts:
        if path != "-" and not Path(path).is_file():
            fail(f"{path}: no such file" if not Path(path).exists() else f"{path}: not a file")
    try:
        stats = index_files(db, facts, texts=texts or (), batch_size=batch_size,
                            on_error=lambda message: err.print(f"[red]error:[/red] {escape(message)}"))
    except SearchIndexError as exc:
        fail(str(exc))
    if not quiet:
        parts = [f"{stats.records} records indexed into {db} ({stats.replaced} replaced)"]
        if texts:
            parts.append(f"{stats.texts} texts" + (f" ({stats.texts_without_record} without a record)"
                                                   if stats.texts_without_record else ""))
        parts.append(f"{len(stats.errors)} errors")
        parts.append(f"{stats.resolved_mentions} entries resolved to entities")
        err.print(escape(", ".join(parts) + f"; {stats.seconds:.1f} s"))
    if stats.errors:
        raise typer.Exit(1)


# -- search ------------------------------------------------------------------------------------


def search_command(
    query: Optional[str] = typer.Argument(None, help="Words that must all occur in the title or text (inside "
                                          "compounds too: 'Ausbildung' finds 'Berufsausbildung'); \"quoted phrases\"."),
    db: Optional[Path] = typer.Option(None, "--db", envvar=DB_ENV, help=DB_HELP),
    person: Optional[str] = typer.Option(None, "--person", help="A person, in any spelling entity resolution joined."),
    org: Optional[str] = typer.Option(None, "--org", help="An organisation: long form, inflected, or acronym."),
    place: Optional[str] = typer.Option(None, "--place", help="A place."),
    role: Optional[str] = typer.Option(None, "--role", help="Text inside a person's role; with --person, that person's."),
    type: Optional[str] = typer.Option(None, "--type", help="Event type, e.g. Fachtag, Workshop (case ignored)."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Earliest date: YYYY, YYYY-MM or YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Latest date: YYYY, YYYY-MM or YYYY-MM-DD."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Most reports to show."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per report (with doc_id) instead of a table."),
) -> None:
    """Find reports: ranked by relevance with a query, else newest first; every filter must match."""
    with _open(db) as index:
        try:
            hits = index.search(query, person=person, org=org, place=place, role=role, type=type,
                                date_from=date_from, date_to=date_to, limit=limit)
        except ValueError as exc:
            fail(str(exc))
    if as_json:
        for hit in hits:
            typer.echo(hit.model_dump_json())
        return
    if not hits:
        err.print("no report matches")
        return
    # Columns that no hit fills (matched without filters, snippet without a query) are left out.
    columns = ["#", "date", "report", "event"]
    columns += ["matched"] if any(hit.matched for hit in hits) else []
    columns += ["snippet"] if any(hit.snippet for hit in hits) else []
    table = Table(show_lines=True)
    for column in columns:
        table.add_column(column, overflow="fold")
    for number, hit in enumerate(hits, start=1):
        event = hit.event
        frame = " · ".join(x for x in (event.type, event.location, event.name) if x) if event else ""
        if event and event.participants:
            frame += f" · {event.participants} Teilnehmende"
        report = Text(hit.title or "(no title)")
        report.append(f"\n{hit.doc_id}", style="dim")
        cells: list = [str(number), hit.date or "", report, Text(frame)]
        if "matched" in columns:
            cells.append(Text("\n".join(f"{m.field}: {m.value}" for m in hit.matched)))
        if "snippet" in columns:
            cells.append(Text(hit.snippet or ""))
        table.add_row(*cells)
    _out().print(table)


# -- entities ----------------------------------------------------------------------------------

entities_app = typer.Typer(help="Entities across reports: the most named ones, or one with its entries.",
                           invoke_without_command=True, no_args_is_help=False, add_completion=False)


@entities_app.callback()
def entities_command(
    ctx: typer.Context,
    db: Optional[Path] = typer.Option(None, "--db", envvar=DB_ENV, help=DB_HELP),
    type: Optional[str] = typer.Option(None, "--type", help="person, org or place."),
    top: int = typer.Option(20, "--top", min=1, help="How many entities."),
    as_json: bool = typer.Option(False, "--json", help="JSON Lines instead of a table."),
) -> None:
    """List the entities named in most reports, with their report counts (`entities show ID`: one entity)."""
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is not None:
        return
    with _open(db) as index:
        try:
            found = index.entities(type=type, top=top)
        except ValueError as exc:
            fail(str(exc))
        pending = index.pending_keys()
    if pending:
        err.print(f"note: {pending} name keys wait for entity resolution; the next `eventfacts index` run resolves them")
    if as_json:
        for entity in found:
            typer.echo(entity.model_dump_json())
        return
    table = Table()
    for column in ("entity", "kind", "name", "reports", "entries", "also named"):
        table.add_column(column, overflow="fold")
    for entity in found:
        others = ", ".join(n for n in entity.names if n != entity.name)
        table.add_row(Text(entity.entity_id), entity.kind, Text(entity.name), str(entity.reports),
                      str(entity.mentions), Text(others))
    _out().print(table)


@entities_app.command("show")
def entity_show_command(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., help="An entity id from `eventfacts entities` or a search's --json."),
    db: Optional[Path] = typer.Option(None, "--db", envvar=DB_ENV, help=DB_HELP),
    limit: int = typer.Option(100, "--limit", "-n", min=1, help="Most entries to list."),
    as_json: bool = typer.Option(False, "--json", help="The entity as one JSON object."),
) -> None:
    """One entity: every record entry joined into it, oldest first, and why it was joined."""
    db = db or (ctx.obj or {}).get("db")
    with _open(db) as index:
        detail = index.entity(entity_id, limit=limit)
    if detail is None:
        fail(f"no entity {entity_id!r} in {db}", code=1)
    if as_json:
        typer.echo(detail.model_dump_json())
        return
    out = _out()
    entity = detail.entity
    out.print(Text(f"{entity.entity_id}  {entity.kind}  {entity.name}: {entity.reports} reports, "
                   f"{entity.mentions} entries"))
    table = Table(show_lines=False)
    for column in ("date", "report", "as", "why joined"):
        table.add_column(column, overflow="fold")
    for entry in detail.entries:
        facts = ", ".join(entry.roles)
        facts = "; ".join(x for x in (facts, entry.organisation, entry.acronym) if x)
        name = " ".join([*entry.titles, entry.name]) + (f" ({facts})" if facts else "")
        table.add_row(entry.date or "", Text(entry.doc_id), Text(name), Text(entry.reason or "(not yet resolved)"))
    out.print(table)
    if detail.total > len(detail.entries):
        out.print(f"… and {detail.total - len(detail.entries)} more (--limit)")


# -- browse ------------------------------------------------------------------------------------


def browse_command(
    db: Optional[Path] = typer.Argument(None, envvar=DB_ENV, help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on."),
    port: int = typer.Option(8001, "--port", min=0, max=65535, help="Port to serve on."),
) -> None:
    r"""Browse the index in a web page (Datasette): facets, labels, canned queries. Needs the extra
    `pip install 'eventfacts\[browse]'`."""
    from extractor.index.browse import BrowseUnavailable, serve

    db = _need_db(db)
    try:
        serve(db, host=host, port=port, echo=lambda line: err.print(escape(line)))
    except (BrowseUnavailable, SearchIndexError) as exc:
        fail(str(exc))


# -- export ------------------------------------------------------------------------------------


def export_command(
    facts: Optional[list[str]] = typer.Argument(None, help="JSONL files of records (.jsonl.gz too, '-' for stdin)."),
    to: str = typer.Option("elasticsearch", "--to", help="Target: elasticsearch or opensearch (same bulk format)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of standard output."),
    mapping: bool = typer.Option(False, "--mapping", help="Write the index mapping (settings + mappings JSON) instead."),
    index_name: str = typer.Option("eventfacts", "--index-name", help="The `_index` of every bulk action."),
    db: Optional[Path] = typer.Option(None, "--db", help="An index to take entity ids and source texts from (optional)."),
) -> None:
    """Write records as Elasticsearch/OpenSearch bulk NDJSON, or the index mapping (--mapping)."""
    from extractor.index import export

    if to not in export.TARGETS:
        fail(f"--to must be one of {', '.join(export.TARGETS)}, not {to!r}")
    if mapping:
        if facts:
            fail("--mapping writes the mapping only; give no FACTS files with it")
        _write(output, [json.dumps(export.index_mapping(), ensure_ascii=False, indent=2)])
        return
    if not facts:
        fail("give FACTS.jsonl files to export (or --mapping)")
    for path in facts:
        if path != "-" and not Path(path).is_file():
            fail(f"{path}: no such file")
    if output is not None and any(path != "-" and Path(path).resolve() == output.resolve() for path in facts):
        fail(f"the output {output} is also an input; choose another file")
    errors: list[str] = []

    def on_error(message: str) -> None:
        errors.append(message)
        err.print(f"[red]error:[/red] {escape(message)}")

    try:
        lines = export.bulk_lines(facts, index_name=index_name, db=db, on_error=on_error)
        count = _write(output, lines)
    except SearchIndexError as exc:
        fail(str(exc))
    err.print(f"{count // 2} documents written for {to}, {len(errors)} errors")
    if errors:
        raise typer.Exit(1)


def _write(output: Optional[Path], lines) -> int:
    count = 0
    handle = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for line in lines:
            handle.write(line + "\n")
            count += 1
    finally:
        if output:
            handle.close()
    return count


def register(app: typer.Typer) -> None:
    """Add the archive commands to the `eventfacts` app."""
    app.command("index")(index_command)
    app.command("search")(search_command)
    app.add_typer(entities_app, name="entities")
    app.command("browse")(browse_command)
    app.command("export")(export_command)
