"""The batch engine behind `eventfacts batch`: many documents, several processes, exactly once.

The calling process reads the inputs (streaming, see `corpus.readers`), hands batches of
documents to workers that each load the pipeline once, and is the only writer of the output:
every record is one complete JSON line written with a single unbuffered `write()`, so a run
killed at any moment leaves at most one torn last line. `resume=True` cuts that line off,
skips every doc_id already in the output and retries everything else, including the
documents listed in the errors file (which is written anew by every run). Documents that
cannot be read or extracted go to `OUT.errors.jsonl` with a stage (read, extract, timeout,
duplicate, skip) and the run goes on. At most `2 × workers` batches are in flight, so memory
stays flat however large the input. The library never prints: progress and problems go to
the `progress` callback.

Modules: `config` (what a run is told and reports), `inputs` (globs, counting), `output`
(whole-line files, the lock, the repair), `deadline` (per-document timeout), `worker` (what
runs in a worker), `runners` (inline, processes, Dask), `run` (the loop).
"""

from __future__ import annotations

from extractor.batch.config import (
    ERRORS_SUFFIX,
    BatchConfig,
    BatchError,
    BatchEvent,
    BatchSummary,
    Engine,
    ProgressCallback,
    Stage,
    errors_path_for,
    summary_dict,
)
from extractor.batch.deadline import DocumentTimeout, deadline
from extractor.batch.inputs import count_documents, expand_inputs
from extractor.batch.output import repair_output
from extractor.batch.run import run_batch
from extractor.batch.runners import check_loopback
from extractor.batch.worker import process_batch, worker_extractor

__all__ = [
    "ERRORS_SUFFIX",
    "BatchConfig",
    "BatchError",
    "BatchEvent",
    "BatchSummary",
    "DocumentTimeout",
    "Engine",
    "ProgressCallback",
    "Stage",
    "check_loopback",
    "count_documents",
    "deadline",
    "errors_path_for",
    "expand_inputs",
    "process_batch",
    "repair_output",
    "run_batch",
    "summary_dict",
    "worker_extractor",
]
