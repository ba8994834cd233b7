"""The worker side of a batch run: runs in the worker processes (or inline, or in a Dask worker)."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from typing import Any

from corpus.archive import HtmlDocument
from corpus.errors import ReadError
from extractor.batch.config import Stage
from extractor.batch.deadline import DocumentTimeout, deadline
from extractor.batch.inputs import Item, item_id

# How often a process worker checks that the batch process is still alive.
_PARENT_POLL_SECONDS = 1.0

_EXTRACTORS: dict[str, Any] = {}
_EXTRACTOR_LOCK = threading.Lock()


def worker_extractor(model: str) -> Any:
    """The pipeline of this process, loaded on first use and kept (one per model name)."""
    with _EXTRACTOR_LOCK:
        if model not in _EXTRACTORS:
            from extractor.api import Extractor

            _EXTRACTORS[model] = Extractor(model)
        return _EXTRACTORS[model]


def warm_worker(model: str) -> None:
    # Returns nothing: Dask's client.run would otherwise ship the whole pipeline back.
    worker_extractor(model)


def init_process_worker(model: str, parent_pid: int) -> None:
    """ProcessPool initializer: load the pipeline once, and die with the batch process."""
    # Ctrl-C goes to the whole process group; the parent decides what happens to workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), daemon=True).start()
    worker_extractor(model)


def _exit_when_orphaned(parent_pid: int) -> None:
    # After a SIGKILL of the batch process no one would collect our results: stop working.
    while True:
        time.sleep(_PARENT_POLL_SECONDS)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass


def process_batch(items: list[Item], model: str, timeout: float | None) -> list[dict[str, Any]]:
    """Extract a batch of documents in a worker.

    items (list): InputRecords, or HtmlDocuments still to be turned into text.
    model (str): Pipeline name; loaded once per process.
    timeout (float | None): Seconds per document.
    RETURNS (list[dict]): One outcome per document: {"kind": "record", "doc_id", "source",
        "line", "words"} or {"kind": "error", "doc_id", "source", "stage", "message"}.
    """
    extractor = worker_extractor(model)
    # The strings and lexemes of a batch's new words are freed when it ends (spaCy memory zone), so a
    # worker's vocabulary does not grow with the archive; only JSON lines leave the zone.
    with extractor.nlp.memory_zone():
        return [_process_one(extractor, item, timeout) for item in items]


def _process_one(extractor: Any, item: Item, timeout: float | None) -> dict[str, Any]:
    from extractor.errors import ExtractionError

    doc_id = item_id(item)
    source = item.location or item.source if isinstance(item, HtmlDocument) else item.source
    try:
        with deadline(timeout):
            record = item.to_record() if isinstance(item, HtmlDocument) else item
            if isinstance(record, ReadError):
                return error_outcome(doc_id, record.path, "read", record.message)
            report = next(extractor.pipe([record], batch_size=1, on_error="record"))
            failed = [w for w in report.warnings if w.startswith(("[E002]", "[E003]"))]
            if failed:
                return error_outcome(doc_id, source, "extract", failed[0])
            line = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
            return {"kind": "record", "doc_id": doc_id, "source": record.source, "line": line,
                    "words": len(record.text.split())}
    except DocumentTimeout:
        return error_outcome(doc_id, source, "timeout", f"extraction took longer than {timeout:g} s; document abandoned")
    except ExtractionError as exc:
        return error_outcome(doc_id, source, "extract", str(exc))
    except Exception as exc:  # any bug in a component: one document lost, not the run
        return error_outcome(doc_id, source, "extract", f"{type(exc).__name__}: {exc}")


def error_outcome(doc_id: str | None, source: str | None, stage: Stage, message: str) -> dict[str, Any]:
    return {"kind": "error", "doc_id": doc_id, "source": source, "stage": stage, "message": message}
