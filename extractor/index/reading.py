"""Reading record files for the index: JSON Lines (.gz too, '-' for standard input), a bad line
reported as `file:line: problem` and skipped."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from pydantic import ValidationError

from models import EventReport


@dataclass
class LineError:
    """A JSONL line that is no record; `str()` gives `file:line: problem`."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "record"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        if first["type"] == "json_invalid":
            return f"not a JSON object: {first['msg']}"
        return f"not an EventReport record: {where}: {first['msg']}{more}"
    return str(exc)


def iter_records(path: str, stdin: IO[bytes] | None = None) -> Iterator[EventReport | LineError]:
    """Records of one JSONL file (`.gz` too, '-' for standard input), a `LineError` for each bad line."""
    label = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            handle: IO[bytes] = stdin or sys.stdin.buffer
        elif path.endswith(".gz"):
            handle = gzip.open(path, "rb")
        else:
            handle = open(path, "rb")
    except OSError as exc:
        yield LineError(label, None, f"cannot read: {exc.strerror or exc}")
        return
    try:
        number = 0
        while True:
            try:
                line = handle.readline()
            except (OSError, EOFError) as exc:  # a broken .gz
                yield LineError(label, number + 1, f"cannot read: {exc}")
                return
            if not line:
                return
            number += 1
            if not line.strip():
                continue
            try:
                yield EventReport.model_validate_json(line)
            except ValidationError as exc:
                yield LineError(label, number, _describe(exc))
    finally:
        if handle is not stdin and path != "-":
            handle.close()
