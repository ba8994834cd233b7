"""The worker side of a batch run: runs in the worker processes (or inline, or in a Dask worker)."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from corpus.archive import HtmlDocument
from corpus.errors import ReadError
from extractor.batch.config import Stage
from extractor.batch.deadline import DocumentTimeout, deadline
from extractor.batch.inputs import Item, item_id
from models import InputRecord

# How often a process worker checks that the batch process is still alive.
_PARENT_POLL_SECONDS = 1.0
# With --timeout: the longest a task's documents are tried together before each is run alone.
GROUP_SECONDS = 1.0

_EXTRACTORS: dict[str, Any] = {}
_EXTRACTOR_LOCK = threading.Lock()
# Why this process could not load its pipeline (process workers); every task then reports it.
_LOAD_FAILURE: list[Exception] = []


def check_model(model: str) -> None:
    """Refuse a model name that names nothing, in the calling process and before any worker starts
    (each worker would fail to load it). Cheap: the name is resolved, the pipeline is not loaded.

    RAISES (ModelLoadError): with the [E001] message.
    """
    import spacy

    from extractor.errors import E001, ModelLoadError
    from extractor.pipeline import DEFAULT_NAME, RULES_NAME, resolve_model

    base, _ = resolve_model(model)
    if model in _EXTRACTORS or base in (DEFAULT_NAME, RULES_NAME) or spacy.util.is_package(base):
        return
    path = Path(base)
    if path.is_dir() and (path / "config.cfg").is_file():
        return
    reason = ("a directory without config.cfg, not a pipeline saved with nlp.to_disk()" if path.is_dir()
              else "no installed package or directory of that name")
    raise ModelLoadError(E001.format(name=model, reason=reason))


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
    try:
        worker_extractor(model)
    except Exception as exc:  # an initializer that raises breaks the pool with a traceback per worker
        _LOAD_FAILURE.append(exc)


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
    if _LOAD_FAILURE:
        raise _LOAD_FAILURE[0]
    extractor = worker_extractor(model)
    # The strings and lexemes of a batch's new words are freed when it ends (spaCy memory zone), so a
    # worker's vocabulary does not grow with the archive; only JSON lines leave the zone.
    with extractor.nlp.memory_zone():
        together = _process_together(extractor, items, timeout)
        return [together.get(k) or _process_one(extractor, item, timeout) for k, item in enumerate(items)]


def _process_together(extractor: Any, items: list[Item], timeout: float | None) -> dict[int, dict[str, Any]]:
    """The outcomes of a task's plain records, extracted in one stream: spaCy batches them, which
    makes small documents much cheaper than one call each.

    With a timeout the stream gets one document's time, at most GROUP_SECONDS (a task holds no more
    characters than one ordinary report). Whatever it did not finish, after a timeout or a failure,
    is left to `_process_one`, each document with its own deadline: so a slow document is still
    ended within its timeout plus GROUP_SECONDS, and a failing one is found and reported alone.
    RETURNS (dict[int, dict]): Outcomes by position in `items`.
    """
    keys = [k for k, item in enumerate(items) if not isinstance(item, HtmlDocument)]
    outcomes: dict[int, dict[str, Any]] = {}
    if len(keys) < 2:
        return outcomes
    records = [items[k] for k in keys]
    try:
        with deadline(min(timeout, GROUP_SECONDS) if timeout else None):
            reports = extractor.pipe(records, batch_size=len(records), on_error="record")
            for k, record, report in zip(keys, records, reports):
                outcomes[k] = _outcome(report, record, item_id(record), record.source)
    except (DocumentTimeout, Exception):  # noqa: BLE001 - the documents are run again one by one
        pass
    return outcomes


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
            return _outcome(report, record, doc_id, source)
    except DocumentTimeout:
        return error_outcome(doc_id, source, "timeout", f"extraction took longer than {timeout:g} s; document abandoned")
    except ExtractionError as exc:
        return error_outcome(doc_id, source, "extract", str(exc))
    except Exception as exc:  # any bug in a component: one document lost, not the run
        return error_outcome(doc_id, source, "extract", f"{type(exc).__name__}: {exc}")


def _outcome(report: Any, record: InputRecord, doc_id: str, source: str | None) -> dict[str, Any]:
    failed = [w for w in report.warnings if w.startswith(("[E002]", "[E003]"))]
    if failed:
        return error_outcome(doc_id, source, "extract", failed[0])
    line = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
    return {"kind": "record", "doc_id": doc_id, "source": record.source, "line": line, "words": len(record.text.split())}


def error_outcome(doc_id: str | None, source: str | None, stage: Stage, message: str) -> dict[str, Any]:
    return {"kind": "error", "doc_id": doc_id, "source": source, "stage": stage, "message": message}
