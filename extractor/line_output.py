"""Whole-line output for JSON Lines: a record reaches the file complete or not at all.

`extract` and `batch` write through `LineWriter`: one `os.write` loop per line, no buffer, and the
end of the last complete line remembered. When a write fails (disk full, file too large, Ctrl-C in
the middle), a regular file is cut back to that end, so no torn last line is left behind.
`output_problem` finds what would stop an output before any work starts.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO


class OutputError(Exception):
    """Writing the output failed; the message names the file and the reason."""


def output_problem(path: str | os.PathLike[str], *, regular: bool = False) -> str | None:
    """Why `path` cannot be written as an output file, or None when it can.

    Checked before the pipeline loads: a directory, a missing or read-only folder, a read-only file.
    regular (bool): Only a regular file will do (batch locks, truncates and resumes its output).
    """
    path = Path(path)
    parent = path.parent
    if path.is_dir():
        return f"the output {path} is a directory; give a file name, e.g. {path / 'facts.jsonl'}"
    if path.exists():
        if regular and not path.is_file():
            return f"the output {path} is not a regular file"
        if not os.access(path, os.W_OK):
            return f"cannot write the output {path}: permission denied"
        return None
    if not parent.exists():
        return f"cannot create the output {path}: the directory {parent} does not exist"
    if not parent.is_dir():
        return f"cannot create the output {path}: {parent} is not a directory"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot create the output {path}: the directory {parent} is not writable"
    return None


class LineWriter:
    """Writes whole lines to a file descriptor (or, for test harnesses, a binary stream).

    name (str): How messages name the output ('facts.jsonl', 'standard output').
    """

    def __init__(self, fd: int | None, *, name: str, stream: IO[bytes] | None = None, fsync: bool = False,
                 owned: bool = False) -> None:
        self.name = name
        self.fsync = fsync
        self.lines = 0
        self._fd = fd
        self._stream = stream
        self._owned = owned
        self._end: int | None = None  # end of the last complete line, where a regular file is cut back to
        if fd is not None and stat.S_ISREG(os.fstat(fd).st_mode):
            self._end = os.lseek(fd, 0, os.SEEK_END) if _appends(fd) else os.lseek(fd, 0, os.SEEK_CUR)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, append: bool = False, fsync: bool = False) -> LineWriter:
        """Open (create; empty unless `append`) a file. RAISES (OutputError) naming it when that fails."""
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot write the output {path}: {exc.strerror or exc}") from exc
        return cls(fd, name=str(path), fsync=fsync, owned=True)

    @classmethod
    def stdout(cls, stream: IO[str]) -> LineWriter:
        """Standard output: its file descriptor when it has one, else its binary buffer (test runners)."""
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):
            return cls(None, name="standard output", stream=stream.buffer)  # type: ignore[attr-defined]
        stream.flush()
        return cls(fd, name="standard output")

    def write(self, line: str) -> None:
        """Write `line` and a newline, whole. RAISES (OutputError) when the system refuses; the file
        then ends with the last complete line (BrokenPipeError is left as it is, for the caller)."""
        data = (line + "\n").encode("utf8")
        try:
            if self._fd is None:
                assert self._stream is not None
                self._stream.write(data)
                self._stream.flush()
            else:
                view = memoryview(data)
                while view:
                    view = view[os.write(self._fd, view):]
                if self.fsync:
                    os.fsync(self._fd)
        except BrokenPipeError:
            raise
        except OSError as exc:
            self._cut_back()
            done = f" (stopped after {self.lines} complete records)" if self.lines else ""
            raise OutputError(f"cannot write {self._subject()}: {exc.strerror or exc}{done}") from exc
        except BaseException:  # Ctrl-C between two partial writes
            self._cut_back()
            raise
        self.lines += 1
        if self._end is not None:
            self._end += len(data)

    def close(self) -> None:
        if self._owned and self._fd is not None and self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _subject(self) -> str:
        return "to standard output" if self.name == "standard output" else f"the output {self.name}"

    def _cut_back(self) -> None:
        if self._end is not None and self._fd is not None:
            try:
                os.ftruncate(self._fd, self._end)
            except OSError:
                pass  # nothing more can be done; the reader of a torn line will say so


def _appends(fd: int) -> bool:
    import fcntl

    return bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND)
