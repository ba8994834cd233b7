"""What a batch run is told (`BatchConfig`), what it reports (`BatchEvent`) and what it did (`BatchSummary`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

Engine = Literal["processes", "dask", "inline"]
Stage = Literal["read", "extract", "timeout", "duplicate", "skip", "index"]

ERRORS_SUFFIX = ".errors.jsonl"


class BatchError(Exception):
    """The batch cannot start (bad output file, bad scheduler address, …)."""


@dataclass(frozen=True)
class BatchConfig:
    """How to run a batch.

    model (str): spaCy pipeline, as for `Extractor` ('auto', 'default', a package, a directory).
    workers (int | None): Worker processes; None = the number of CPUs; ignored by "inline".
    batch_size (int): At most this many documents per task sent to a worker.
    task_chars (int): A task also ends once it holds this many characters, so small documents
        travel (and are extracted) together and large ones alone.
    timeout (float | None): Seconds one document may take (reading HTML included); None = no limit.
    engine (str): "processes", "dask" or "inline".
    scheduler (str | None): Dask scheduler address (tcp://127.0.0.1:8786); None starts a LocalCluster.
    resume (bool): Continue an interrupted run: keep OUT, repair its last line, skip its doc_ids.
    overwrite (bool): Start afresh even though OUT exists and holds records.
    fsync (bool): fsync the output after every record (survives power loss, slower).
    published (str | None): Publication date for documents that bring none.
    index (str | None): A search index (SQLite, `extractor.index`) filled as records are written;
        entities are resolved when the run ends.
    """

    model: str = "auto"
    workers: int | None = None
    batch_size: int = 64
    task_chars: int = 5_000
    timeout: float | None = None
    engine: Engine = "processes"
    scheduler: str | None = None
    resume: bool = False
    overwrite: bool = False
    fsync: bool = False
    published: str | None = None
    index: str | None = None

    def n_workers(self) -> int:
        return max(1, self.workers or os.cpu_count() or 1)


@dataclass
class BatchSummary:
    """What a run did. `documents` counts every input document met, whatever became of it."""

    documents: int = 0
    records: int = 0
    errors: int = 0
    duplicates: int = 0
    skipped: int = 0
    already_done: int = 0
    retried: int = 0
    repaired_bytes: int = 0
    indexed: int = 0
    words: int = 0
    seconds: float = 0.0
    startup_seconds: float = 0.0
    output: str = ""
    errors_file: str = ""

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    @property
    def documents_per_second(self) -> float:
        done = self.records + self.errors
        return done / self.seconds if self.seconds > 0 else 0.0


@dataclass
class BatchEvent:
    """One thing for the progress callback to show.

    kind (str): "start" (the pipeline is loading), "advance" (documents were settled),
        "error", "duplicate", "skip" (a message for the user) or "info".
    advance (int): Documents settled by this event (records, errors, duplicates, already done).
    message (str | None): Text for the user, for all kinds but "advance".
    summary (BatchSummary): Counts so far.
    """

    kind: str
    summary: BatchSummary
    advance: int = 0
    message: str | None = None


ProgressCallback = Callable[[BatchEvent], None]


def errors_path_for(output: str | os.PathLike[str]) -> Path:
    """'out.jsonl' -> 'out.errors.jsonl'; 'out' -> 'out.errors.jsonl'."""
    path = Path(output)
    stem = path.name[: -len(".jsonl")] if path.name.lower().endswith(".jsonl") else path.name
    return path.with_name(stem + ERRORS_SUFFIX)


def summary_dict(summary: BatchSummary) -> dict[str, Any]:
    """The summary as plain data, with the rates."""
    data = asdict(summary)
    data["words_per_second"] = round(summary.words_per_second, 1)
    data["documents_per_second"] = round(summary.documents_per_second, 2)
    return data
