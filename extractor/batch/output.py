"""The output files of a batch run: the checks before it starts, the lock, the repair before a resume."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO

from extractor.batch.config import BatchConfig, BatchError, errors_path_for
from extractor.line_output import LineWriter, OutputError, output_problem


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
            doc_id = doc_id_of(raw)
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


def doc_id_of(raw: bytes) -> str | None:
    """The doc_id of one output line, or None when the line is no record."""
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    doc_id = value.get("doc_id") if isinstance(value, dict) else None
    return doc_id if isinstance(doc_id, str) else None


def check_outputs(output: Path) -> None:
    """Refuse, before anything starts, an output (or its errors file) that cannot be written."""
    for path in (output, errors_path_for(output)):
        problem = output_problem(path, regular=True)
        if problem:
            raise BatchError(problem)


def open_outputs(output: Path, config: BatchConfig) -> tuple[LineWriter, LineWriter, set[str], int, set[str]]:
    """Open the output and the errors file as the config says (fresh, overwritten or resumed).

    RETURNS: (output, errors file, doc_ids already done, bytes cut off, doc_ids that failed before).
    """
    try:
        return _open_outputs(output, config)
    except OutputError as exc:
        raise BatchError(str(exc)) from exc
    except OSError as exc:
        raise BatchError(f"cannot write the output {output}: {exc.strerror or exc}") from exc


def _open_outputs(output: Path, config: BatchConfig) -> tuple[LineWriter, LineWriter, set[str], int, set[str]]:
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
        out = LineWriter.open(output, append=True, fsync=config.fsync)
    else:
        out = LineWriter.open(output, fsync=config.fsync)
    # The errors file describes the latest pass: what fails again is listed again.
    try:
        errors = LineWriter.open(errors_path, fsync=config.fsync)
    except BaseException:
        out.close()
        raise
    return out, errors, done, repaired, failed_before


def lock_output(output: Path) -> IO[bytes]:
    """An exclusive lock on the run's output, held until the run ends: a second run (or a --resume
    while the first still runs) on the same output would write every record twice.

    The lock lives in a hidden file beside the output ('.facts.jsonl.lock'), which directory scans skip."""
    import fcntl

    path = output.with_name(f".{output.name}.lock")
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
