"""Problems met while reading input documents."""

from __future__ import annotations

import lzma
import re
import zlib
from dataclasses import dataclass

from models.inputs import clean_text

# What reading a stream may raise: I/O, unpacking (truncated, corrupt), a text stream's decoding.
READ_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError)
# Longest message and path a ReadError keeps: messages quote the input (a WARC line, JSON keys).
MAX_MESSAGE_CHARS = 400
MAX_PATH_CHARS = 1000
# What a terminal must not receive raw: C0/C1 controls and DEL (escape sequences), lone
# surrogates (a file name that is not UTF-8; unprintable in UTF-8), and bidi overrides, which
# reorder the rest of the line on screen.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, limit: int | None = None) -> str:
    """`text` with every character a terminal would act on shown as an escape, cut to `limit`.

    A byte that was not UTF-8 in a file name (Python's surrogate escape U+DC80..U+DCFF) is
    shown as the byte, `\\xfc`; other control, surrogate and bidi characters as `\\x1b`,
    `\\u202e`. Printable text, umlauts included, is left as it is.
    """
    shown = _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return shown


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # surrogate escape of a raw byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


@dataclass(eq=False)
class ReadError(Exception):
    """One input that could not be turned into an `InputRecord`.

    The readers *yield* these instead of raising them, so that a caller can report
    `file:line`, count the failure and go on with the next document.

    Path and message are kept printable (see `printable`): they quote what was read, and a
    corrupt file must not send binary bytes or escape sequences to a terminal. The id gets the
    input rule of `InputRecord` (controls become spaces, lone surrogates U+FFFD), so it is the
    id the document's record would have had.

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
        self.path = printable(str(self.path), MAX_PATH_CHARS)
        self.message = printable(str(self.message), MAX_MESSAGE_CHARS)
        if self.doc_id is not None:
            self.doc_id = clean_text(str(self.doc_id))[0]
        # Keep `Exception.args` filled, so the error also prints and pickles sensibly
        # when a caller decides to raise it (e.g. a `--strict` mode); the
        # dataclass `__init__` does not call `Exception.__init__` by itself.
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, int | None, str | None, str]]:
        return (type(self), (self.path, self.line, self.doc_id, self.message))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def os_message(exc: BaseException) -> str:
    """'Permission denied' -> 'permission denied': messages here follow the `file:line: …` style."""
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return reason[:1].lower() + reason[1:]
