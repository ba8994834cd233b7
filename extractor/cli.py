"""The `eventfacts` command line: a thin layer over the library API.

Stdout carries JSON Lines only; messages, progress and the summary go to stderr.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Iterator, Optional

import jsonlines
import typer
from rich.markup import escape
from rich.console import Console

from extractor import __version__

app = typer.Typer(
    name="eventfacts",
    help="Extract persons, roles, organisations, places, quantities, dates and the event frame "
    "from German event reports, as one JSON record per document.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)

MODEL_HELP = (
    "spaCy pipeline to use: 'auto' (de_core_news_lg, _md or _sm if installed, else the embedded "
    "default), 'default' (the embedded default: our trained NER + rules, no download needed), "
    "'rules' (rules and lexicons only), an installed package name, or a directory saved with nlp.to_disk()."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"eventfacts {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """eventfacts: facts from German event reports."""


@app.command()
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
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    try:
        documents = iter_documents(
            paths, published=published, stdin=sys.stdin.buffer, exclude=[output] if output else []
        )
    except ValueError as exc:
        err.print(f"[red]error:[/red] --published: {escape(str(exc))}")
        raise typer.Exit(2) from exc

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


@app.command()
def schema() -> None:
    """Print the JSON Schema of the EventReport record."""
    from models import EventReport

    typer.echo(json.dumps(EventReport.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
def info(model: str = typer.Option("auto", "--model", "-m", help=MODEL_HELP)) -> None:
    """Say which spaCy pipeline would be loaded, why, and whether it has a statistical NER."""
    from extractor.errors import ModelLoadError
    from extractor.pipeline import load_pipeline

    try:
        _, details = load_pipeline(model)
    except ModelLoadError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    typer.echo(f"eventfacts {__version__}")
    typer.echo(f"base pipeline: {details.base}")
    typer.echo(f"why: {details.reason}")
    if not details.has_ner:
        ner = "rules and lexicons only (no statistical NER)"
    elif details.base == "default":
        ner = "the embedded eventfacts NER (extractor/default_model), combined with rules and lexicons"
    else:
        ner = f"the NER of {details.base}, combined with rules and lexicons"
    typer.echo(f"persons/organisations/places: {ner}")
    typer.echo("components: " + ", ".join(details.components))


def _register_commands() -> None:
    # The corpus, evaluation and batch commands live in their own modules; registered here so that
    # `eventfacts --help` lists them beside extract.
    from extractor.cli_eval import corpus_app, evaluate_command

    from extractor.cli_batch import batch_command

    app.add_typer(corpus_app, name="corpus", help="Check annotated gold files and import them from annotation tools.")
    app.command("evaluate")(evaluate_command)
    app.command("batch")(batch_command)


_register_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
