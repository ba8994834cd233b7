"""The batch engine behind `eventfacts batch`: many documents, several processes, exactly once.

The calling process reads the inputs (streaming, see `corpus.readers`), hands batches of
documents to workers that each load the pipeline once, and is the only writer of the output:
every record is one complete JSON line written with a single unbuffered `write()`, so a run
killed at any moment leaves at most one torn last line. `resume=True` cuts that line off,
skips every doc_id already in the output and retries everything else, including the
documents listed in the errors file (which is written anew by every run). Documents that
cannot be read or extracted go to `OUT.errors.jsonl` with a stage (read, extract, timeout,
duplicate, skip) and the run goes on.

Engines: "processes" (a `ProcessPoolExecutor` in a forkserver/spawn context, pipeline loaded
by the initializer), "dask" (a `distributed` cluster: the given scheduler or a `LocalCluster`;
each worker process keeps the pipeline in a cached global) and "inline" (this process, no
workers; for debugging and tests). At most `2 × workers` batches are in flight, so memory
stays flat however large the input. The library never prints: progress and problems go to
the `progress` callback.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import glob
import ipaddress
import json
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import urlsplit

from corpus.archive import HtmlDocument, SkippedRecord
from corpus.errors import ReadError
from corpus.readers import iter_documents
from models import InputRecord

Engine = Literal["processes", "dask", "inline"]
Stage = Literal["read", "extract", "timeout", "duplicate", "skip"]

ERRORS_SUFFIX = ".errors.jsonl"
_GLOB_CHARS = frozenset("*?[")
# Batches in flight per worker: one being processed, one waiting, so no worker idles.
_INFLIGHT_PER_WORKER = 2
# How often a process worker checks that the batch process is still alive.
_PARENT_POLL_SECONDS = 1.0


class BatchError(Exception):
    """The batch cannot start (bad output file, bad scheduler address, …)."""


class DocumentTimeout(BaseException):
    """Raised inside a worker when one document takes longer than `timeout` seconds.

    A BaseException, like KeyboardInterrupt: the `except Exception` that keeps one failing
    component from ending a stream must not swallow the deadline (it did, and the next components
    ran on without one)."""


@dataclass(frozen=True)
class BatchConfig:
    """How to run a batch.

    model (str): spaCy pipeline, as for `Extractor` ('auto', 'default', a package, a directory).
    workers (int | None): Worker processes; None = the number of CPUs; ignored by "inline".
    batch_size (int): Documents per task sent to a worker.
    timeout (float | None): Seconds one document may take (reading HTML included); None = no limit.
    engine (str): "processes", "dask" or "inline".
    scheduler (str | None): Dask scheduler address (tcp://127.0.0.1:8786); None starts a LocalCluster.
    resume (bool): Continue an interrupted run: keep OUT, repair its last line, skip its doc_ids.
    overwrite (bool): Start afresh even though OUT exists and holds records.
    fsync (bool): fsync the output after every record (survives power loss, slower).
    published (str | None): Publication date for documents that bring none.
    """

    model: str = "auto"
    workers: int | None = None
    batch_size: int = 16
    timeout: float | None = None
    engine: Engine = "processes"
    scheduler: str | None = None
    resume: bool = False
    overwrite: bool = False
    fsync: bool = False
    published: str | None = None

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


# ---------------------------------------------------------------------------------------------
# Output files


class _LineFile:
    """An append-only JSONL file written one whole line per `os.write`, without buffering."""

    def __init__(self, path: Path, *, fsync: bool) -> None:
        self.path = path
        self.fsync = fsync
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, line: str) -> None:
        data = (line + "\n").encode("utf8")
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        if self.fsync:
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def repair_output(path: Path) -> tuple[set[str], int]:
    """Read the doc_ids of an output file and cut off a torn last line.

    A line without its newline, or a last line that is not a JSON object (a crash between
    write and disk), is removed; a bad line before the last raises, because that is not a
    torn write but a damaged file.

    path (Path): The JSONL output of an earlier run.
    RETURNS (tuple[set[str], int]): The doc_ids found, and how many bytes were cut off.
    """
    done: set[str] = set()
    good_end = 0
    bad: tuple[int, int] | None = None  # (line number, byte offset) of a bad complete line
    with open(path, "rb") as handle:
        offset = 0
        for line_no, raw in enumerate(handle, start=1):
            end = offset + len(raw)
            if not raw.endswith(b"\n"):
                break  # torn: the run died inside this write
            if bad is not None:
                raise BatchError(f"{path}:{bad[0]}: not a JSON record; the file is damaged, not just torn at the end")
            doc_id = _doc_id_of(raw)
            if doc_id is None and raw.strip():
                bad = (line_no, offset)
            else:
                if doc_id is not None:
                    done.add(doc_id)
                good_end = end
            offset = end
    size = path.stat().st_size
    if good_end < size:
        with open(path, "r+b") as handle:
            handle.truncate(good_end)
            handle.flush()
            os.fsync(handle.fileno())
    return done, size - good_end


def _doc_id_of(raw: bytes) -> str | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    doc_id = value.get("doc_id") if isinstance(value, dict) else None
    return doc_id if isinstance(doc_id, str) else None


def _open_outputs(output: Path, config: BatchConfig) -> tuple[_LineFile, _LineFile, set[str], int, set[str]]:
    errors_path = errors_path_for(output)
    done: set[str] = set()
    repaired = 0
    failed_before: set[str] = set()
    exists = output.exists() and output.stat().st_size > 0
    if exists and not config.resume and not config.overwrite:
        raise BatchError(f"{output} already holds records; use --resume to continue that run or --overwrite to start afresh")
    if config.resume and output.exists():
        done, repaired = repair_output(output)
        if errors_path.exists():
            failed_before = _error_ids(errors_path) - done
    elif output.exists():
        output.write_bytes(b"")
    # The errors file describes the latest pass: what fails again is listed again.
    errors_path.write_bytes(b"")
    return _LineFile(output, fsync=config.fsync), _LineFile(errors_path, fsync=config.fsync), done, repaired, failed_before


def _lock_output(output: Path) -> IO[bytes]:
    """An exclusive lock on the run's output, held until the run ends: a second run (or a --resume
    while the first still runs) on the same output would write every record twice.

    The lock lives in a hidden file beside the output ('.facts.jsonl.lock'), which directory scans skip."""
    import fcntl

    path = output.with_name(f".{output.name}.lock")
    if not output.parent.is_dir():
        raise BatchError(f"the directory of the output {output} does not exist")
    try:
        handle = open(path, "ab")
    except OSError as exc:
        raise BatchError(f"cannot write beside the output {output}: {exc.strerror or exc}") from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        raise BatchError(f"another eventfacts batch is writing {output}; wait for it to end, or choose another output") from exc
    return handle


def _error_ids(path: Path) -> set[str]:
    ids: set[str] = set()
    with open(path, "rb") as handle:
        for raw in handle:
            try:
                value = json.loads(raw)
            except ValueError:
                continue
            if isinstance(value, dict) and isinstance(value.get("doc_id"), str) and value.get("stage") != "duplicate":
                ids.add(value["doc_id"])
    return ids


# ---------------------------------------------------------------------------------------------
# Inputs


def expand_inputs(inputs: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Expand glob patterns the shell left alone ('archiv/**/*.warc.gz'); keep everything else.

    A pattern matching nothing is kept as is, so the reader reports "no such file".
    """
    expanded: list[str] = []
    for entry in inputs:
        text = os.fspath(entry)
        if _GLOB_CHARS & set(text) and not os.path.exists(text):
            matches = sorted(glob.glob(text, recursive=True))
            expanded.extend(matches or [text])
        else:
            expanded.append(text)
    return expanded


def count_documents(inputs: Sequence[str | os.PathLike[str]]) -> int | None:
    """The number of documents when it is cheap to know, else None.

    Only plain files are counted: one per .txt/.html/.htm, one per non-blank line of an
    uncompressed .jsonl. Directories, compressed files, WARC files and stdin give None.
    """
    total = 0
    for name in expand_inputs(inputs):
        path = Path(name)
        lower = path.name.lower()
        if name == "-" or not path.is_file():
            return None
        if lower.endswith(".jsonl"):
            total += _count_lines(path)
        elif lower.endswith((".gz", ".warc")):
            return None
        else:
            total += 1
    return total


def _count_lines(path: Path) -> int:
    count = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


Item = InputRecord | HtmlDocument


def _item_id(item: Item) -> str:
    if isinstance(item, HtmlDocument):
        return item.doc_id
    return item.id or ""


# ---------------------------------------------------------------------------------------------
# Worker side: runs in the worker processes (or inline)

_EXTRACTORS: dict[str, Any] = {}
_EXTRACTOR_LOCK = threading.Lock()


def worker_extractor(model: str) -> Any:
    """The pipeline of this process, loaded on first use and kept (one per model name)."""
    with _EXTRACTOR_LOCK:
        if model not in _EXTRACTORS:
            from extractor.api import Extractor

            _EXTRACTORS[model] = Extractor(model)
        return _EXTRACTORS[model]


def _warm_worker(model: str) -> None:
    # Returns nothing: Dask's client.run would otherwise ship the whole pipeline back.
    worker_extractor(model)


def _init_process_worker(model: str, parent_pid: int) -> None:
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

    doc_id = _item_id(item)
    source = item.location or item.source if isinstance(item, HtmlDocument) else item.source
    try:
        with deadline(timeout):
            record = item.to_record() if isinstance(item, HtmlDocument) else item
            if isinstance(record, ReadError):
                return _error(doc_id, record.path, "read", record.message)
            report = next(extractor.pipe([record], batch_size=1, on_error="record"))
            failed = [w for w in report.warnings if w.startswith(("[E002]", "[E003]"))]
            if failed:
                return _error(doc_id, source, "extract", failed[0])
            line = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
            return {"kind": "record", "doc_id": doc_id, "source": record.source, "line": line,
                    "words": len(record.text.split())}
    except DocumentTimeout:
        return _error(doc_id, source, "timeout", f"extraction took longer than {timeout:g} s; document abandoned")
    except ExtractionError as exc:
        return _error(doc_id, source, "extract", str(exc))
    except Exception as exc:  # any bug in a component: one document lost, not the run
        return _error(doc_id, source, "extract", f"{type(exc).__name__}: {exc}")


def _error(doc_id: str | None, source: str | None, stage: Stage, message: str) -> dict[str, Any]:
    return {"kind": "error", "doc_id": doc_id, "source": source, "stage": stage, "message": message}


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise `DocumentTimeout` in the current thread when the block runs longer than `seconds`.

    The main thread uses SIGALRM (process workers, inline); other threads (Dask workers run
    tasks in a thread pool) get the exception injected with PyThreadState_SetAsyncExc. Both
    interrupt Python code only: a C call that never returns is not interrupted.
    """
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        active = [True]

        def on_alarm(signum: int, frame: Any) -> None:
            if active[0]:
                raise DocumentTimeout()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            active[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(DocumentTimeout))
                state["fired"] = True

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        if state["fired"]:
            # Not delivered yet (the block ended first): take it back.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)


# ---------------------------------------------------------------------------------------------
# Engines: submit a batch, wait for any to finish


class _Runner:
    def submit(self, items: list[Item]) -> Any:
        raise NotImplementedError

    def wait_any(self, futures: Iterable[Any]) -> set[Any]:
        raise NotImplementedError

    def outcomes(self, future: Any, items: list[Item]) -> list[dict[str, Any]] | None:
        """The results, or None when the batch must be resubmitted (its worker died)."""
        return future.result()

    def close(self, *, cancel: bool = False) -> None:
        pass


class _DoneFuture:
    def __init__(self, value: list[dict[str, Any]]) -> None:
        self.value = value

    def result(self) -> list[dict[str, Any]]:
        return self.value


class _InlineRunner(_Runner):
    def __init__(self, config: BatchConfig) -> None:
        self.config = config
        worker_extractor(config.model)

    def submit(self, items: list[Item]) -> _DoneFuture:
        return _DoneFuture(process_batch(items, self.config.model, self.config.timeout))

    def wait_any(self, futures: Iterable[Any]) -> set[Any]:
        return set(futures)


class _ProcessRunner(_Runner):
    def __init__(self, config: BatchConfig) -> None:
        self.config = config
        methods = multiprocessing.get_all_start_methods()
        # fork would copy the caller's threads and locks; forkserver starts clean and fast.
        self.context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self.pool = self._new_pool()
        self.crashes: dict[tuple[str, ...], int] = {}

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(
            max_workers=self.config.n_workers(),
            mp_context=self.context,
            initializer=_init_process_worker,
            initargs=(self.config.model, os.getpid()),
        )

    def submit(self, items: list[Item]) -> cf.Future:
        return self.pool.submit(process_batch, items, self.config.model, self.config.timeout)

    def wait_any(self, futures: Iterable[Any]) -> set[Any]:
        done, _ = cf.wait(list(futures), return_when=cf.FIRST_COMPLETED)
        return done

    def outcomes(self, future: Any, items: list[Item]) -> list[dict[str, Any]] | None:
        try:
            return future.result()
        except cf.process.BrokenProcessPool:
            # A worker died (segfault, out of memory). Every batch in flight is lost with it;
            # each is retried alone, and a document that kills a worker twice is an error.
            key = tuple(_item_id(item) for item in items)
            self.crashes[key] = self.crashes.get(key, 0) + 1
            if self.pool is not None and getattr(self.pool, "_broken", False):
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()
            if self.crashes[key] >= 2:
                return [
                    _error(_item_id(item), getattr(item, "source", None), "extract", "the worker process died on this document")
                    for item in items
                ]
            return None

    def close(self, *, cancel: bool = False) -> None:
        self.pool.shutdown(wait=not cancel, cancel_futures=cancel)


class _DaskRunner(_Runner):
    def __init__(self, config: BatchConfig) -> None:
        import logging

        from distributed import Client, LocalCluster

        self.config = config
        self.cluster = None
        if config.scheduler:
            check_loopback(config.scheduler)
            self.client = Client(config.scheduler, timeout="20s")
        else:
            self.cluster = LocalCluster(
                n_workers=config.n_workers(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)
        # Load the pipeline on every worker now, in parallel, instead of inside the first tasks.
        self.client.run(_warm_worker, config.model)

    def submit(self, items: list[Item]) -> Any:
        return self.client.submit(process_batch, items, self.config.model, self.config.timeout, pure=False)

    def wait_any(self, futures: Iterable[Any]) -> set[Any]:
        from distributed import wait

        done, _ = wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done)

    def outcomes(self, future: Any, items: list[Item]) -> list[dict[str, Any]] | None:
        from distributed.scheduler import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:
            return [_error(_item_id(item), getattr(item, "source", None), "extract", f"Dask worker died: {exc}") for item in items]

    def close(self, *, cancel: bool = False) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def check_loopback(address: str) -> None:
    """Refuse scheduler addresses that are not on this machine (tcp://127.0.0.1:8786 is fine)."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    host = parts.hostname
    if parts.scheme not in ("tcp", "tls", "ws", "wss") or not host:
        raise BatchError(f"scheduler {address!r} is not an address like tcp://127.0.0.1:8786")
    try:
        infos = socket.getaddrinfo(host, parts.port or 8786, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise BatchError(f"scheduler host {host!r} cannot be resolved: {exc}") from exc
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise BatchError(f"scheduler {address!r} is not a loopback address; only 127.0.0.1, ::1 or localhost are allowed")


def _make_runner(config: BatchConfig) -> _Runner:
    if config.engine == "inline":
        return _InlineRunner(config)
    if config.engine == "dask":
        return _DaskRunner(config)
    if config.engine == "processes":
        return _ProcessRunner(config)
    raise BatchError(f"unknown engine {config.engine!r}; use processes, dask or inline")


# ---------------------------------------------------------------------------------------------
# The run


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
    RAISES (BatchError): When the run cannot start (output exists, bad scheduler, bad date).
    """
    if config.batch_size < 1:
        raise BatchError("batch size must be at least 1")
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
    lock = _lock_output(output)
    try:
        out, errors, done, summary.repaired_bytes, failed_before = _open_outputs(output, config)
    except BaseException:
        lock.close()
        raise
    try:
        if summary.repaired_bytes:
            emit(BatchEvent("info", summary, message=f"{output}: cut off a torn last line ({summary.repaired_bytes} bytes)"))
        if config.resume:
            emit(BatchEvent("info", summary, message=f"resuming: {len(done)} documents already in {output}, "
                            f"{len(failed_before)} failed before and are retried"))
        emit(BatchEvent("start", summary, message=f"loading the pipeline ({config.engine})"))
        runner = _make_runner(config)
        try:
            _drive(runner, documents, config, out, errors, done, failed_before, summary, emit, started)
        except BaseException:
            runner.close(cancel=True)
            raise
        runner.close()
    finally:
        out.close()
        errors.close()
        lock.close()
        summary.seconds = time.perf_counter() - started
    return summary


def _drive(
    runner: _Runner,
    documents: Iterator[InputRecord | ReadError | HtmlDocument],
    config: BatchConfig,
    out: _LineFile,
    errors: _LineFile,
    done: set[str],
    failed_before: set[str],
    summary: BatchSummary,
    emit: ProgressCallback,
    started: float,
) -> None:
    # Every doc_id met in this run, to report duplicates (ids only: memory grows by ~100 bytes a document).
    seen: set[str] = set()
    inflight: dict[Any, list[Item]] = {}
    limit = _INFLIGHT_PER_WORKER * (1 if config.engine == "inline" else config.n_workers())
    batch: list[Item] = []

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
        doc_id = _item_id(item)
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
        batch.append(item)
        if len(batch) >= config.batch_size:
            submit(batch)
            batch = []
    if batch:
        submit(batch)
    while inflight:
        for future in runner.wait_any(list(inflight)):
            settle(future)


def summary_dict(summary: BatchSummary) -> dict[str, Any]:
    """The summary as plain data, with the rates."""
    data = asdict(summary)
    data["words_per_second"] = round(summary.words_per_second, 1)
    data["documents_per_second"] = round(summary.documents_per_second, 2)
    return data


__all__ = [
    "BatchConfig",
    "BatchError",
    "BatchEvent",
    "BatchSummary",
    "DocumentTimeout",
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
