"""`eventfacts batch`: parallel, resumable extraction of whole press archives (`extractor.batch`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from extractor.cli.common import MODEL_HELP, err, fail, stdin_for


def batch_command(
    inputs: list[str] = typer.Argument(
        ...,
        help="Files, directories (searched recursively) or glob patterns: .txt, .jsonl, .jsonl.gz, "
        ".html/.htm (main text by trafilatura, date by htmldate), .warc/.warc.gz (HTML responses), "
        "or '-' for standard input.",
    ),
    output: Path = typer.Option(..., "-o", "--output", help="JSONL file of records; errors go to OUT.errors.jsonl beside it."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=0, help="Worker processes (default: number of CPUs); 0 = no workers, extract in this process."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="At most this many documents per task handed to a worker; a task also ends at 5,000 characters, so small documents travel together and large ones alone."),
    model: str = typer.Option("auto", "--model", "-m", help=MODEL_HELP),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date YYYY-MM-DD for documents that give none."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0, help="Seconds one document may take; slower ones are abandoned and listed with stage 'timeout'."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run: repair OUT's torn last line, skip every doc_id already in OUT, retry the documents only in the errors file."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Start afresh even though OUT already holds records."),
    fsync: bool = typer.Option(False, "--fsync", help="fsync after every record (survives a power cut, slower)."),
    engine: str = typer.Option("processes", "--engine", help="'processes' (this machine) or 'dask' (a Dask distributed cluster)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler, e.g. tcp://127.0.0.1:8786 (loopback only); without it a LocalCluster with --workers processes is started."),
    allow_errors: bool = typer.Option(False, "--allow-errors", help="Exit 0 even when documents failed."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, messages or summary on stderr."),
    index: Optional[Path] = typer.Option(None, "--index", help="Also put the records into this search index (SQLite, see `eventfacts index`) as they are written; searchable while the run goes on, entities resolved at its end. --resume first indexes the records the index lacks."),
) -> None:
    """Extract every document of large archives in parallel, exactly once, resumably.

    Output order follows completion, not input; every record carries doc_id and source.
    A failed document is listed in OUT.errors.jsonl (doc_id, source, stage, message) and the
    run goes on; the exit code is 1 when any failed, unless --allow-errors. After a crash or
    kill, run the same command with --resume.
    """
    from corpus import output_among_inputs
    from extractor.batch import BatchConfig, BatchError, count_documents, run_batch

    clash = output_among_inputs(inputs, output)
    if clash is not None:
        fail(f"the output {output} is also the input {clash}; writing it would destroy the input. Choose another output file.")
    if engine not in ("processes", "dask"):
        fail(f"--engine must be 'processes' or 'dask', not {engine!r}")
    if scheduler and engine != "dask":
        fail("--scheduler needs --engine dask")
    stdin = stdin_for(inputs)
    cpus = usable_cpus()
    if workers and workers > cpus and not scheduler and not quiet:
        err.print(f"[yellow]warning:[/yellow] --workers {workers} is more than the {cpus} CPUs of this machine: "
                  "the extra workers only share them, and each loads its own pipeline")
    config = BatchConfig(
        model=model,
        workers=workers if workers else None,
        batch_size=batch_size,
        timeout=timeout or None,
        engine="inline" if workers == 0 and engine == "processes" else engine,  # type: ignore[arg-type]
        scheduler=scheduler,
        resume=resume,
        overwrite=overwrite,
        fsync=fsync,
        published=published,
        index=str(index) if index is not None else None,
    )
    show_bar = not quiet and err.is_terminal
    reporter = _Reporter(err, quiet=quiet, total=count_documents(inputs) if show_bar else None, bar=show_bar)
    try:
        with reporter:
            summary = run_batch(inputs, output, config, progress=reporter, stdin=stdin)
    except BatchError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        err.print(f"interrupted; run the same command with --resume to continue {escape(str(output))}")
        raise typer.Exit(130) from None
    except Exception as exc:  # a failure no check foresaw: one line, not a traceback
        fail(f"{type(exc).__name__}: {exc}")
    if not quiet:
        err.print(
            f"{summary.documents} documents ({summary.already_done} already done), {summary.records} records, "
            f"{summary.errors} errors, {summary.duplicates} duplicates, {summary.skipped} skipped, "
            f"{summary.words_per_second:,.0f} words/s, {summary.documents_per_second:,.1f} documents/s "
            f"in {summary.seconds:.1f} s → {summary.output}"
            + (f"; {summary.indexed} indexed into {index}" if index is not None else "")
            + (f"; problems in {summary.errors_file}" if summary.errors or summary.duplicates or summary.skipped else "")
        )
    if summary.errors and not allow_errors:
        raise typer.Exit(1)


class _Reporter:
    """The progress callback: a rich progress bar (when stderr is a terminal) and messages."""

    # Messages beyond this many per kind are only counted, so a broken archive cannot flood stderr.
    MAX_MESSAGES = 20

    def __init__(self, err: Console, *, quiet: bool, total: int | None, bar: bool) -> None:
        self.err = err
        self.quiet = quiet
        self.total = total
        self.bar = None
        self.task = None
        self.shown: dict[str, int] = {}
        if bar:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} docs/s"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=False,
            )
            self.task = self.bar.add_task("batch", total=total, rate="–")

    def __enter__(self) -> _Reporter:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, event) -> None:  # noqa: ANN001 - BatchEvent, imported lazily
        if self.quiet:
            return
        if self.bar is not None and self.task is not None:
            if event.advance:
                self.bar.advance(self.task, event.advance)
            rate = event.summary.documents_per_second
            self.bar.update(self.task, rate=f"{rate:,.1f}" if rate else "–",
                            description="loading" if event.kind == "start" else "batch")
        if event.kind in ("advance", "start") or event.message is None:
            return
        count = self.shown.get(event.kind, 0) + 1
        self.shown[event.kind] = count
        if count > self.MAX_MESSAGES:
            if count == self.MAX_MESSAGES + 1:
                self.err.print(f"[yellow]… further {event.kind} messages only in the errors file[/yellow]")
            return
        style = {"error": "red", "duplicate": "yellow", "skip": "dim"}.get(event.kind)
        if style:
            # The message starts with its stage ("timeout: doc: …"); show it as the label.
            stage, _, rest = event.message.partition(": ")
            self.err.print(f"[{style}]{stage}:[/{style}] {escape(rest)}")
        else:
            self.err.print(escape(event.message))


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity), else the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def register(app: typer.Typer) -> None:
    app.command("batch")(batch_command)
