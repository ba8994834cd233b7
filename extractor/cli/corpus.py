"""`eventfacts corpus check | import`: validate gold annotation files and convert tool exports.

Results go to stdout; problems and summaries to stderr.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

corpus_app = typer.Typer(help="Check gold annotation files and import them from annotation tools.", no_args_is_help=True)


class ImportFormat(str, Enum):
    prodigy = "prodigy"
    doccano = "doccano"
    labelstudio = "labelstudio"


@corpus_app.command("check")
def check_command(
    paths: list[Path] = typer.Argument(..., help="Gold JSONL files, e.g. corpus/annotated/*.jsonl."),
) -> None:
    """Validate gold files: JSON, keys, offsets, token boundaries, labels, relations, facts and their
    agreement with the spans. Each problem is printed as FILE:LINE: [ID] message; exit 1 if any."""
    from extractor.gold import check_file, gold_tokenizer

    nlp = gold_tokenizer()
    total_lines = total_problems = 0
    for path in paths:
        lines, problems = check_file(path, nlp)
        total_lines += lines
        total_problems += len(problems)
        for problem in problems:
            typer.echo(str(problem), err=True)
    typer.echo(f"{len(paths)} file(s), {total_lines} line(s), {total_problems} problem(s)", err=True)
    if total_problems:
        raise typer.Exit(1)


@corpus_app.command("import")
def import_command(
    source: Path = typer.Argument(..., exists=True, dir_okay=False, help="The annotation tool export."),
    fmt: ImportFormat = typer.Option(..., "--from", help="Format of the export."),
    output: Path = typer.Option(..., "-o", "--output", help="Gold JSONL file to write."),
) -> None:
    """Convert a Prodigy, doccano or Label Studio export into spans-only gold lines (`meta.facts` false),
    then check them; exit 1 if the converted lines have problems (the file is written anyway)."""
    from extractor.gold import GoldProblem, check_record, gold_tokenizer, read_annotations
    from extractor.line_output import output_problem

    problem = output_problem(output)
    if problem:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(2)
    try:
        records = read_annotations(source, fmt.value)
    except UnicodeDecodeError as exc:
        typer.echo(f"error: {source}: not UTF-8 text ({exc.reason} at byte {exc.start})", err=True)
        raise typer.Exit(2) from exc
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    with output.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    nlp = gold_tokenizer()
    problems = [
        GoldProblem(str(output), number, record["id"], message)
        for number, record in enumerate(records, start=1)
        for message in check_record(record, nlp)
    ]
    for problem in problems:
        typer.echo(str(problem), err=True)
    typer.echo(f"{len(records)} document(s) written to {output}, {len(problems)} problem(s)", err=True)
    if problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(corpus_app, name="corpus", help="Check annotated gold files and import them from annotation tools.")
