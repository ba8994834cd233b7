"""`eventfacts evaluate`: score the pipeline (or given records) against gold.

Results go to stdout; problems, warnings and summaries to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer


def evaluate_command(
    gold: Optional[Path] = typer.Argument(
        None, exists=True, dir_okay=False, help="Gold JSONL file (corpus/annotated/test.jsonl); not with --records."
    ),
    records: Optional[Path] = typer.Option(
        None, "--records", exists=True, file_okay=False,
        help="Record-level gold of real reports, one <id>.json each (corpus/real/gold); scores those instead.",
    ),
    texts: Optional[Path] = typer.Option(
        None, "--texts", file_okay=False,
        help="With --records: the report texts, <id>.txt (default $EVENTFACTS_REAL_TEXTS or ~/.cache/eventfacts/real).",
    ),
    split: Optional[str] = typer.Option(None, "--split", help="With --records: only the dev or the test split of the index."),
    index: Optional[Path] = typer.Option(
        None, "--index", exists=True, dir_okay=False, help="With --records: the index (default: index.jsonl beside the gold directory)."
    ),
    pred: Optional[Path] = typer.Option(
        None, "--pred", exists=True, dir_okay=False, help="JSONL of EventReports to score (matched by doc_id) instead of running the pipeline."
    ),
    model: str = typer.Option("auto", "--model", "-m", help="spaCy pipeline to run when --pred is not given ('auto', 'default', 'rules', a package or directory)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object with every figure instead of Markdown tables."),
    errors: bool = typer.Option(False, "--errors", help="Also list every miss and spurious fact with its document (and sentence)."),
    compare: Optional[Path] = typer.Option(
        None, "--compare", exists=True, dir_okay=False, help="A previous --json output: show the F1 change per field."
    ),
) -> None:
    """Score the pipeline (or --pred records) against gold.

    With a gold JSONL file (the annotated corpus): span P/R/F1 per label in the SemEval-2013
    strict/exact/partial/type schemes, and record-level P/R/F1 per field.

    With --records DIR (real reports, ANNOTATION.md): record-level P/R/F1 per field with a reader's
    tolerance (titles, case endings, seats, role heads, acronyms) and event-slot accuracy."""
    if records is not None:
        if gold is not None:
            typer.echo("error: give either a gold JSONL file or --records, not both", err=True)
            raise typer.Exit(2)
        _evaluate_real(records, texts, split, index, pred, model, as_json, errors)
        return
    if gold is None:
        typer.echo("error: give a gold JSONL file, or --records DIR for real-report gold", err=True)
        raise typer.Exit(2)
    from extractor.errors import ModelLoadError
    from extractor.evaluation import compare_results, render_comparison, render_errors, render_markdown, run_evaluation
    from extractor.gold import GoldFormatError

    result = _run_or_exit(lambda: run_evaluation(gold, pred_path=pred, model=model, with_errors=errors),
                          GoldFormatError, ModelLoadError, prefix="", pred=pred)
    figures = result.to_dict(with_errors=errors)
    deltas = None
    if compare is not None:
        try:
            baseline = json.loads(compare.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            typer.echo(f"error: {compare}: not a JSON evaluation output: {exc}", err=True)
            raise typer.Exit(2) from exc
        if not isinstance(baseline, dict):
            kind = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(type(baseline), "null")
            typer.echo(f"error: {compare}: not a JSON evaluation output (the object --json prints), but {kind}", err=True)
            raise typer.Exit(2)
        deltas = compare_results(figures, baseline)
    if as_json:
        if deltas is not None:
            figures["comparison"] = [{"field": d.name, "baseline": d.baseline, "current": d.current, "delta": d.delta} for d in deltas]
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    typer.echo(render_markdown(figures))
    if deltas is not None:
        typer.echo(render_comparison(deltas))
    if errors:
        typer.echo(render_errors(figures["errors"]))


def _evaluate_real(records: Path, texts: Optional[Path], split: Optional[str], index: Optional[Path],
                   pred: Optional[Path], model: str, as_json: bool, errors: bool) -> None:
    from corpus.real import SPLITS, texts_dir
    from extractor.errors import ModelLoadError
    from extractor.evaluation.real_records import RealGoldError, render_errors, render_markdown, run

    if split is not None and split not in SPLITS:
        typer.echo(f"error: --split must be one of {', '.join(SPLITS)}", err=True)
        raise typer.Exit(2)
    directory = texts or texts_dir()
    result = _run_or_exit(lambda: run(records, directory, index_path=index, split=split, model=model, pred_path=pred),
                          RealGoldError, ModelLoadError, prefix="error: ", pred=pred)
    if not result.documents:
        typer.echo(f"error: no report has its text in {directory} (see scripts/real_texts.py status)", err=True)
        raise typer.Exit(2)
    figures = result.to_dict(with_errors=errors)
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    typer.echo(render_markdown(figures))
    if errors:
        typer.echo(render_errors(figures["errors"]))


def _run_or_exit(evaluation, gold_error: type[Exception], load_error: type[Exception], prefix: str,
                 pred: Optional[Path] = None):
    """Run an evaluation; bad gold (each problem on a line), a model that will not load or a --pred
    file that is no JSONL of records exit 2. Warnings go to stderr."""
    from pydantic import ValidationError

    try:
        result = evaluation()
    except gold_error as exc:
        for problem in getattr(exc, "problems", [exc]):
            typer.echo(f"{prefix}{problem}", err=True)
        raise typer.Exit(2) from exc
    except load_error as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        if pred is None:
            raise
        typer.echo(f"error: --pred {pred}: {_pred_problem(exc, ValidationError)}", err=True)
        raise typer.Exit(2) from exc
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    return result


def _pred_problem(exc: ValueError, validation_error: type[Exception]) -> str:
    """One line on why a --pred file could not be read."""
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, json.JSONDecodeError):
        return f"a line is not JSON ({exc.msg} at column {exc.colno})"
    if isinstance(exc, validation_error):
        first = exc.errors()[0]  # type: ignore[attr-defined]
        where = ".".join(str(part) for part in first["loc"]) or "the record"
        return (f"a line is not an EventReport record ({exc.error_count()} problems, e.g. {where}: "  # type: ignore[attr-defined]
                f"{first['msg'].lower()}); give the output of eventfacts extract or batch")
    return str(exc)


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
