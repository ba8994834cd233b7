"""`eventfacts extract`: one JSON record per document, to stdout or a file, in input order."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Iterator, Optional

import jsonlines
import typer
from rich.markup import escape

from extractor.cli.common import MODEL_HELP, err, fail


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
    counted; every other document is still processed, and the exit code is 1 if any failed."""
    from corpus import ReadError, iter_documents, output_among_inputs
    from extractor.api import Extractor
    from extractor.errors import ModelLoadError

    clash = output_among_inputs(paths, output)
    if clash is not None:
        err.print(f"[red]error:[/red] the output {escape(str(output))} is also the input {escape(clash)}; "
                  "writing it would empty the input. Choose another output file.", highlight=False)
        raise typer.Exit(2)
    try:
        extractor = Extractor(model)
    except ModelLoadError as exc:
        fail(str(exc))
    try:
        documents = iter_documents(
            paths, published=published, stdin=sys.stdin.buffer, exclude=[output] if output else []
        )
    except ValueError as exc:
        fail(f"--published: {exc}")

    counts = {"documents": 0, "errors": 0}
    seen: set[str] = set()

    def good_records() -> Iterator:
        for item in documents:
            if isinstance(item, ReadError):
                counts["errors"] += 1
                err.print(f"[red]error:[/red] {escape(str(item))}", highlight=False)
                continue
            if item.id in seen:
                err.print(f"[yellow]warning:[/yellow] duplicate id {escape(repr(item.id))} ({escape(str(item.source))}); both records are written", highlight=False)
            seen.add(item.id or "")
            yield item

    out = output.open("w", encoding="utf8") if output else sys.stdout
    # One complete JSON line per record, flushed at once, so that a killed run loses nothing written.
    writer = jsonlines.Writer(out, compact=True, flush=True)
    show_progress = not quiet and err.is_terminal
    try:
        with err.status("extracting…", spinner="dots") if show_progress else nullcontext():
            for report in extractor.pipe(good_records(), batch_size=batch_size):
                counts["documents"] += 1
                if any(w.startswith(("[E002]", "[E003]")) for w in report.warnings):
                    counts["errors"] += 1
                    err.print(f"[red]error:[/red] {escape(report.doc_id)}: {escape(report.warnings[-1])}", highlight=False)
                if pretty:
                    out.write(report.model_dump_json(indent=2) + "\n")
                    out.flush()
                else:
                    writer.write(report.model_dump(mode="json"))
    finally:
        if output:
            out.close()
    if not quiet:
        err.print(f"{counts['documents']} records written, {counts['errors']} errors", highlight=False)
    if counts["errors"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
