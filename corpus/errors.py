"""Problems met while reading input documents."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=False)
class ReadError(Exception):
    """One input that could not be turned into an `InputRecord`.

    The readers *yield* these instead of raising them, so that a caller can report
    `file:line`, count the failure and go on with the next document.

    path (str): The file as the user named it (`"<stdin>"` for standard input).
    line (int | None): 1-based line number for JSONL input, None for whole files.
    doc_id (str | None): The record's id when it was readable before the problem.
    message (str): What was expected and what was found.
    """

    path: str
    line: int | None
    doc_id: str | None
    message: str

    def __post_init__(self) -> None:
        # Keep `Exception.args` filled, so the error also prints and pickles sensibly
        # when a caller decides to raise it (e.g. a `--strict` mode); the
        # dataclass `__init__` does not call `Exception.__init__` by itself.
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, int | None, str | None, str]]:
        return (type(self), (self.path, self.line, self.doc_id, self.message))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
