"""The run loop: read, skip what is done, hand batches to the runner, write each outcome once."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from corpus.archive import HtmlDocument, SkippedRecord
from corpus.errors import ReadError
from corpus.readers import iter_documents
from extractor.batch.config import (
    BatchConfig,
    BatchError,
    BatchEvent,
    BatchSummary,
    ProgressCallback,
    Stage,
    errors_path_for,
)
from extractor.batch.indexing import RunIndexer
from extractor.batch.inputs import Item, expand_inputs, item_id
from extractor.batch.output import check_outputs, lock_output, open_outputs
from extractor.batch.runners import Runner, make_runner
from extractor.batch.tasks import TaskPacker
from extractor.batch.worker import check_model
from extractor.errors import ModelLoadError
from extractor.line_output import LineWriter, OutputError
from models import InputRecord

# Batches in flight per worker: one being processed, one waiting, so no worker idles.
_INFLIGHT_PER_WORKER = 2


def run_batch(
    inputs: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    config: BatchConfig = BatchConfig(),
    *,
    progress: ProgressCallback | None = None,
    stdin: IO[bytes] | None = None,
) -> BatchSummary:
    """Extract every document of `inputs` into `output`, exactly once, in parallel.

    inputs (Sequence[PathLike]): Files, directories, glob patterns or '-': .txt, .jsonl,
        .jsonl.gz, .html, .htm, .warc, .warc.gz.
    output (PathLike): The JSONL file of records; errors go to `errors_path_for(output)`.
    config (BatchConfig): Engine, workers, resume and so on.
    progress (ProgressCallback | None): Receives a `BatchEvent` for every settled batch and
        every problem.
    stdin (IO[bytes] | None): Read for '-'.
    RETURNS (BatchSummary): The counts of the run.
    RAISES (BatchError): When the run cannot start (output exists or cannot be written, unknown
        model, bad scheduler, bad date) or the output cannot be written any more (disk full).
    """
    if config.batch_size < 1 or config.task_chars < 1:
        raise BatchError("batch size and task characters must be at least 1")
    if config.timeout is not None and config.timeout < 0:
        raise BatchError("timeout must not be negative")
    output = Path(output)
    emit = progress or (lambda event: None)
    started = time.perf_counter()
    summary = BatchSummary(output=str(output), errors_file=str(errors_path_for(output)))
    try:
        documents = iter_documents(
            expand_inputs(inputs),
            published=config.published,
            stdin=stdin,
            exclude=[output, errors_path_for(output)],
            archives=True,
            defer_html=True,
        )
    except ValueError as exc:
        raise BatchError(str(exc)) from exc
    check_outputs(output)
    try:
        check_model(config.model)
    except ModelLoadError as exc:
        raise BatchError(str(exc)) from exc
    lock = lock_output(output)
    try:
        out, errors, done, summary.repaired_bytes, failed_before = open_outputs(output, config)
    except BaseException:
        lock.close()
        raise
    indexer: RunIndexer | None = None
    try:
        if config.index:
            indexer = RunIndexer(config.index, summary, emit)
            if done:
                indexer.catch_up(output, done)
        if summary.repaired_bytes:
            emit(BatchEvent("info", summary, message=f"{output}: cut off a torn last line ({summary.repaired_bytes} bytes)"))
        if config.resume:
            emit(BatchEvent("info", summary, message=f"resuming: {len(done)} documents already in {output}, "
                            f"{len(failed_before)} failed before and are retried"))
        emit(BatchEvent("start", summary, message=f"loading the pipeline ({config.engine})"))
        try:
            runner = make_runner(config)
            try:
                _drive(runner, documents, config, out, errors, done, failed_before, summary, emit, started, indexer)
            except BaseException:
                runner.close(cancel=True)
                raise
            runner.close()
        except (ModelLoadError, OutputError) as exc:  # the workers cannot load the pipeline; the disk is full
            raise BatchError(str(exc)) from exc
        if indexer is not None:
            indexer.finish()
            indexer = None
    finally:
        if indexer is not None:  # the run failed or was interrupted: keep what is indexed, resolve later
            indexer.stop()
        out.close()
        errors.close()
        lock.close()
        summary.seconds = time.perf_counter() - started
    return summary


def _drive(
    runner: Runner,
    documents: Iterator[InputRecord | ReadError | HtmlDocument],
    config: BatchConfig,
    out: LineWriter,
    errors: LineWriter,
    done: set[str],
    failed_before: set[str],
    summary: BatchSummary,
    emit: ProgressCallback,
    started: float,
    indexer: RunIndexer | None = None,
) -> None:
    # Every doc_id met in this run, to report duplicates (ids only: memory grows by ~100 bytes a document).
    seen: set[str] = set()
    inflight: dict[Any, list[Item]] = {}
    limit = _INFLIGHT_PER_WORKER * (1 if config.engine == "inline" else config.n_workers())
    packer = TaskPacker(config.batch_size, config.task_chars)

    def problem(doc_id: str | None, source: str | None, stage: Stage, message: str) -> None:
        entry = {"doc_id": doc_id, "source": source, "stage": stage, "message": message}
        errors.write(json.dumps(entry, ensure_ascii=False))
        kind = {"duplicate": "duplicate", "skip": "skip"}.get(stage, "error")
        emit(BatchEvent(kind, summary, advance=0 if stage == "skip" else 1,
                        message=f"{stage}: {doc_id or source}: {message}"))

    def settle(future: Any) -> None:
        items = inflight.pop(future)
        results = runner.outcomes(future, items)
        if results is None:  # the worker died: retry each document alone
            for item in items:
                inflight[runner.submit([item])] = [item]
            return
        if not summary.startup_seconds:
            # Until the first batch is back: pipeline loading in the workers, cluster start.
            summary.startup_seconds = time.perf_counter() - started
        for result in results:
            if result["kind"] == "record":
                out.write(result["line"])
                summary.records += 1
                summary.words += result["words"]
                if indexer is not None:
                    indexer.add(result["line"], result["doc_id"], problem)
            else:
                summary.errors += 1
                problem(result["doc_id"], result["source"], result["stage"], result["message"])
        summary.seconds = time.perf_counter() - started
        emit(BatchEvent("advance", summary, advance=sum(r["kind"] == "record" for r in results)))

    def submit(items: list[Item]) -> None:
        while len(inflight) >= limit:
            for future in runner.wait_any(inflight):
                settle(future)
        inflight[runner.submit(items)] = items

    for item in documents:
        if isinstance(item, SkippedRecord):
            summary.skipped += 1
            problem(item.doc_id, item.path, "skip", item.message)
            continue
        summary.documents += 1
        if isinstance(item, ReadError):
            summary.errors += 1
            if item.doc_id:
                seen.add(item.doc_id)
            problem(item.doc_id, item.path if item.line is None else f"{item.path}:{item.line}", "read", item.message)
            continue
        doc_id = item_id(item)
        if doc_id in seen:
            summary.duplicates += 1
            problem(doc_id, item.source, "duplicate",
                    "doc_id occurs again in the input; only its first document is processed, this one is left out")
            continue
        seen.add(doc_id)
        if doc_id in done:
            summary.already_done += 1
            emit(BatchEvent("advance", summary, advance=1))
            continue
        if doc_id in failed_before:
            summary.retried += 1
        for task in packer.add(item):
            submit(task)
    for task in packer.flush():
        submit(task)
    while inflight:
        for future in runner.wait_any(list(inflight)):
            settle(future)
