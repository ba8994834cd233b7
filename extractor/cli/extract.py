"""`eventfacts extract`: one JSON record per document, to stdout or a file, in input order."""

from __future__ import annotations

import json
import shlex
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, NoReturn, Optional

import typer
from rich.markup import escape

from extractor.cli.common import MODEL_HELP, err, fail, stdin_for

if TYPE_CHECKING:  # the pipeline is imported when the command runs, not when the CLI starts
    from extractor.api import Extractor
    from extractor.line_output import LineWriter


def extract(
    paths: list[str] = typer.Argument(
        ...,
        help="Inputs: .txt files (one report each; id = file name), directories (searched "
        "recursively for *.txt, *.jsonl, *.jsonl.gz), JSONL files of {\"id\", \"text\", "
        "\"published\"?, \"source\"?} records, or '-' for standard input.",
    ),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the JSONL records here instead of standard output."),
    published: Optional[str] = typer.Option(
        None, "--published", help="Publication date YYYY-MM-DD for inputs that give none; anchors 'gestern', 'im letzten Jahr'. A record's own 'published' wins."
    ),
    model: str = typer.Option("auto", "--model", "-m", help=MODEL_HELP),
    pretty: bool = typer.Option(False, "--pretty", help="Indent each record (then the output is not one record per line)."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Documents per spaCy batch (1 or more)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary on stderr."),
) -> None:
    """Extract one JSON record per document. Bad documents are reported as FILE:LINE on stderr and
    counted; every other document is still processed, and the exit code is 1 if any failed.

    Exit codes: 0 done, 1 documents failed, 2 a usage error or an output that cannot be written,
    130 interrupted (the summary says how to go on), 141 the reader of standard output went away."""
    from corpus import iter_documents, output_among_inputs
    from extractor.api import Extractor
    from extractor.errors import ModelLoadError
    from extractor.line_output import LineWriter, OutputError, output_problem

    clash = output_among_inputs(paths, output)
    if clash is not None:
        fail(f"the output {output} is also the input {clash}; writing it would empty the input. Choose another output file.")
    problem = output_problem(output) if output else None
    if problem:
        fail(problem)
    if output is None and sys.stdout is None:
        fail("standard output is closed; give an output file with -o")
    try:
        documents = iter_documents(paths, published=published, stdin=stdin_for(paths), exclude=[output] if output else [])
    except ValueError as exc:
        fail(f"--published: {exc}")
    counts = {"documents": 0, "errors": 0, "read_errors": 0}
    try:
        try:
            extractor = Extractor(model)
        except ModelLoadError as exc:
            fail(str(exc))
        try:
            writer = LineWriter.open(output) if output else LineWriter.stdout(sys.stdout)
        except OutputError as exc:
            fail(str(exc))
        try:
            _run(extractor, documents, writer, counts, pretty=pretty, batch_size=batch_size, quiet=quiet)
        except OutputError as exc:
            fail(str(exc))
        finally:
            writer.close()
    except KeyboardInterrupt:
        _interrupted(paths, output, counts, model=model, published=published, pretty=pretty)
    if not quiet:
        err.print(f"{counts['documents']} records written, {counts['errors']} errors")
    if counts["errors"]:
        raise typer.Exit(1)


def _run(extractor: Extractor, documents: Iterator, writer: LineWriter, counts: dict[str, int], *,
         pretty: bool, batch_size: int, quiet: bool) -> None:
    """Extract every document and write its record whole; problems go to stderr and into `counts`."""
    from corpus import ReadError

    seen: set[str] = set()

    def good_records() -> Iterator:
        for item in documents:
            if isinstance(item, ReadError):
                counts["errors"] += 1
                counts["read_errors"] += 1
                err.print(f"[red]error:[/red] {escape(str(item))}")
                continue
            if item.id in seen:
                err.print(f"[yellow]warning:[/yellow] duplicate id {escape(repr(item.id))} ({escape(str(item.source))}); both records are written")
            seen.add(item.id or "")
            yield item

    show_progress = not quiet and err.is_terminal
    with err.status("extracting…", spinner="dots") if show_progress else nullcontext():
        for report in extractor.pipe(good_records(), batch_size=batch_size):
            if any(w.startswith(("[E002]", "[E003]")) for w in report.warnings):
                counts["errors"] += 1
                err.print(f"[red]error:[/red] {escape(report.doc_id)}: {escape(report.warnings[-1])}")
            if pretty:
                writer.write(report.model_dump_json(indent=2))
            else:
                writer.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")))
            counts["documents"] += 1


def _interrupted(paths: list[str], output: Optional[Path], counts: dict[str, int], *, model: str,
                 published: Optional[str], pretty: bool) -> NoReturn:
    """Ctrl-C: say what was written and how to go on (extract has no resume; batch --resume skips
    the doc_ids already in a file), then exit 130 like any program ended by SIGINT."""
    from extractor.batch import count_documents

    where = str(output) if output else "standard output"
    total = count_documents(paths)
    done = counts["documents"] + counts["read_errors"]
    left = f"{max(total - done, 0)} documents left" if total is not None else "the rest of the input left"
    err.print(f"interrupted: {counts['documents']} records written to {escape(where)}, {counts['errors']} errors, {left}")
    if not pretty:
        command = ["eventfacts", "batch", *paths, "-o", str(output) if output else "FILE", "--resume"]
        command += ["--model", model] if model != "auto" else []
        command += ["--published", published] if published else []
        saved = "" if output else "keep what was written in a file FILE and "
        err.print(f"to go on without redoing them, {saved}run: {escape(shlex.join(command))}")
    raise typer.Exit(130)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
