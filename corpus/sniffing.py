"""What an input holds, judged by its bytes: compression, file type, text or binary, its encoding.

The readers ask this module the same questions for every way in (a named file, a file found in a
directory, a pipe such as `/dev/fd/63`, standard input), so one input gives the same documents
whichever way it arrives:

* compression by magic bytes, whatever the name: gzip, bzip2 and xz are unpacked, others named;
* other binary formats by their signature (PNG, PDF, ZIP …), so the error says what the file is;
* JSONL, HTML, WARC or plain text by the content where the name does not say it;
* text bytes decoded (UTF-8, UTF-16, else a Western legacy encoding), and the binary rule: a text
  whose control characters (NUL and the other C0 codes except whitespace, DEL) are more than
  `BINARY_CONTROL_SHARE` of it is binary and refused; fewer are replaced by spaces in the
  record (`models.inputs.clean_text`), with a warning.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import re
import zlib
from collections.abc import Iterator
from typing import IO, Any, Literal, NamedTuple

from models.inputs import CONTROL_CHARS

Kind = Literal["text", "jsonl", "html", "warc"]

# The most one document may hold (a text file, a JSONL line, an HTML page, a WARC record):
# larger inputs are no reports, and reading them whole would cost memory for nothing.
MAX_DOCUMENT_BYTES = 20_000_000
# How much is read ahead to decide what an input is (it is read again from the start after).
HEAD_BYTES = 65_536
_MIN_HEAD = 64
# Share of control characters above which input counts as binary. Random binary data has about
# 11 % such bytes; German prose, even with a stray NUL, practically none.
BINARY_CONTROL_SHARE = 0.05
# ... and a handful never does: "Fachtag\x00" is a text with one odd byte.
MIN_BINARY_CONTROLS = 3

# Compressions the standard library reads, by magic bytes.
_COMPRESSIONS: tuple[tuple[bytes, str], ...] = ((b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"))
_BZIP2 = re.compile(rb"BZh[1-9](1AY&SY|\x17rE8P\x90)")
COMPRESSED_SUFFIXES: dict[str, str] = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}
# Formats that are not text, named in the error so the user knows what they gave.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"(\xb5/\xfd", "zstd-compressed; unpack it first with zstd -d"),
    (b"\x04\x22\x4d\x18", "lz4-compressed; unpack it first with lz4 -d"),
    (b"\x1f\x9d", "compress (.Z) data; unpack it first with uncompress"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"PK\x03\x04", "a ZIP archive (also .docx, .odt, .xlsx)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an executable program (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_JSONL_START = re.compile(r'\{\s*("|\}|$)')
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body")
_C1_BYTES = frozenset(range(0x80, 0xA0))


class Undecodable(ValueError):
    """Bytes that are not text in any encoding we accept."""


class LineTooLong(NamedTuple):
    """A JSONL line over the size limit, skipped unread: its size and its first bytes."""

    size: int
    sample: bytes | str


def compression_of(head: bytes) -> str | None:
    """'gzip', 'bzip2', 'xz' or None, by the magic bytes at the start."""
    for magic, name in _COMPRESSIONS:
        if head.startswith(magic):
            return name
    return "bzip2" if _BZIP2.match(head) else None


def signature_of(head: bytes) -> str | None:
    """What a binary format is ('a PDF document'), or None when the start names no known format."""
    for magic, name in _SIGNATURES:
        if head.startswith(magic):
            return name
    return None


def open_decompressed(compression: str, stream: IO[bytes]) -> IO[bytes]:
    """A stream of the unpacked bytes of `stream` (gzip, bzip2 or xz)."""
    if compression == "gzip":
        return gzip.GzipFile(fileobj=stream, mode="rb")
    if compression == "bzip2":
        return bz2.BZ2File(stream)
    return lzma.LZMAFile(stream)


def unpack_problem(exc: BaseException, compression: str | None) -> str | None:
    """The message for an error raised while unpacking, or None when `exc` is something else."""
    if compression is None:
        return None
    if isinstance(exc, EOFError):
        return f"{compression} file is truncated (compressed data ends early)"
    if isinstance(exc, (OSError, zlib.error, lzma.LZMAError)) and not _is_os_level(exc):
        return f"{compression} data is corrupt ({str(exc) or type(exc).__name__})"
    return None


def _is_os_level(exc: BaseException) -> bool:
    # Permission and I/O errors carry an errno; format errors of the unpackers do not.
    return isinstance(exc, OSError) and exc.errno is not None


def content_kind(head: bytes | str) -> Kind:
    """What the content looks like: WARC by its magic, JSONL when the first non-blank line starts a
    JSON object (`{"` or `{}`), HTML when it starts with markup that names html, head or body, else
    text."""
    if isinstance(head, bytes):
        if head.startswith(b"WARC/"):
            return "warc"
        head = _text_of_head(head)
    head = head.removeprefix("\ufeff")
    start = head.lstrip()
    if _JSONL_START.match(start.split("\n", 1)[0]):
        return "jsonl"
    if start.startswith("<"):
        low = start[:HEAD_BYTES].lower()
        if any(marker in low for marker in _HTML_MARKERS):
            return "html"
    return "text"


def _text_of_head(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", "replace")
    return head.decode("utf-8", "replace")


def lookahead(stream: IO[Any]) -> bytes | str:
    """Read the start of `stream`, enough for `content_kind`: lines up to the first non-blank one
    (a few KB more when it starts with markup), never more than about `HEAD_BYTES`.

    Read by lines, so a JSONL stream (standard input fed by a slow writer) is not waited on for
    more than its first record.
    """
    pending: list[Any] = []
    total = 0
    first: Any = None
    while total < HEAD_BYTES:
        raw = stream.readline(HEAD_BYTES)
        if not raw:
            break
        pending.append(raw)
        total += len(raw)
        if first is None:
            start = raw.removeprefix(b"\xef\xbb\xbf" if isinstance(raw, bytes) else "\ufeff").lstrip()
            if not start:
                continue
            first = start[:1]
            if first in (b"{", "{"):
                break  # JSONL: not a line more, a slow writer's next record may not be there yet
        if first not in (b"<", "<") and total >= _MIN_HEAD:
            break  # enough for the magic bytes of any format
        # Markup may name html only in a later line (<?xml …?> first); a few KB are enough, and
        # HTML is read whole anyway.
        if total >= 4096:
            break
    return (pending[0][:0] if pending else b"").join(pending)


def bounded_lines(stream: IO[Any], limit: int) -> Iterator[bytes | str | LineTooLong]:
    """The lines of `stream`, each read with at most `limit` + 1 characters in memory; a longer
    line is skipped up to its end and given as a `LineTooLong`."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        newline = line[-1:] in (b"\n", "\n")
        if len(line) <= limit or (newline and len(line) == limit + 1):
            yield line
            continue
        size = len(line)
        sample = line[:HEAD_BYTES]
        del line
        while not newline:
            chunk = stream.readline(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            newline = chunk[-1:] in (b"\n", "\n")
        yield LineTooLong(size, sample)


def decode(data: bytes, subject: str) -> tuple[str, list[str]]:
    """Decode input bytes as UTF-8 (or UTF-16), falling back to a Western legacy encoding.

    The text is kept exactly as stored (a leading BOM aside), "\\r\\n" included, because
    every character offset the extractor reports refers to it.

    data (bytes): The raw bytes of a file, a JSONL line or standard input.
    subject (str): "file", "line" or "input", used in messages.
    RETURNS (tuple[str, list[str]]): The text and the warnings for the record.
    RAISES (Undecodable): For binary data (see `binary_reason`).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Windows editors save "Unicode" as UTF-16 with a BOM; it is text, despite its NULs.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Undecodable(f"binary {subject}, not text (broken UTF-16)") from exc
        warnings = [f"decoded as utf-16: the {subject} starts with a UTF-16 byte-order mark"]
    else:
        data = data.removeprefix(codecs.BOM_UTF8)
        text, warnings = _decode_plain(data, subject)
    reason = binary_reason(text)
    if reason is not None:
        raise Undecodable(f"binary {subject}, not text ({reason})")
    return text, warnings


def _decode_plain(data: bytes, subject: str) -> tuple[str, list[str]]:
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return utf16, [f"decoded as utf-16: the {subject} has no byte-order mark, but every second byte is NUL"]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        bad_offset = exc.start
    encoding = _legacy_encoding(data)
    warning = (
        f"decoded as {encoding}: the {subject} is not valid UTF-8 "
        f"(byte 0x{data[bad_offset]:02x} at offset {bad_offset})"
    )
    return data.decode(encoding), [warning]


def _bomless_utf16(data: bytes) -> str | None:
    """Text saved as UTF-16 without a byte-order mark: in German prose every second byte is NUL."""
    if len(data) % 2 or b"\x00" not in data[:4096]:
        return None
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.7 * pairs and even == 0:
        encoding = "utf-16-le"
    elif even >= 0.7 * pairs and odd == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def binary_reason(text: str) -> str | None:
    """Why `text` is binary data rather than a text with a few stray control characters, or None.

    Binary: at least `MIN_BINARY_CONTROLS` control characters, and more than
    `BINARY_CONTROL_SHARE` of the text.
    """
    if not CONTROL_CHARS.search(text):
        return None
    controls = len(text) - len(CONTROL_CHARS.sub("", text))
    if controls < MIN_BINARY_CONTROLS or controls <= BINARY_CONTROL_SHARE * len(text):
        return None
    if "\x00" in text:
        return "contains NUL bytes"
    return f"{controls / len(text):.0%} of it are control characters"


def _legacy_encoding(data: bytes) -> str:
    """Pick cp1252, iso-8859-15 or latin-1 for bytes that are not UTF-8.

    cp1252 is what Windows writes for German; it is a superset of latin-1 except for
    five unassigned bytes. iso-8859-15 differs from both mainly by the euro sign at 0xA4,
    where cp1252 has the rarely meant "¤" and keeps "€" at 0x80 (a C1 byte in iso-8859-15).
    """
    has_c1 = any(byte in _C1_BYTES for byte in data)
    if not has_c1 and 0xA4 in data:
        return "iso-8859-15"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


class Replayable:
    """A read-only stream that remembers what was read, so the start can be read again.

    Sniffing reads the head of a pipe (which cannot seek), then `rewind()` lets the real reader
    start from the first byte. After `stop_recording()` nothing more is kept: the remembered
    bytes are served once more, then reads go straight to the stream.
    """

    def __init__(self, raw: IO[Any]) -> None:
        self._raw = raw
        self._buf: Any = None
        self._pos = 0
        self._recording = True

    def readable(self) -> bool:
        return True

    def rewind(self) -> None:
        self._pos = 0

    def stop_recording(self) -> None:
        self._recording = False

    def _remembered(self) -> int:
        return len(self._buf) - self._pos if self._buf is not None else 0

    def _take(self, count: int) -> Any:
        piece = self._buf[self._pos : self._pos + count]
        self._pos += len(piece)
        if not self._recording and self._pos >= len(self._buf):
            self._buf, self._pos = None, 0  # replayed: free it
        return piece

    def _keep(self, data: Any) -> Any:
        if self._recording and data:
            self._buf = data if self._buf is None else self._buf + data
            self._pos = len(self._buf)
        return data

    def read(self, size: int | None = -1) -> Any:
        if self._remembered():
            if size is None or size < 0:
                head = self._take(self._remembered())
                return head + self._keep(self._raw.read())
            return self._take(size)
        return self._keep(self._raw.read(-1 if size is None else size))

    def read1(self, size: int = -1) -> Any:
        return self.read(size)

    def readline(self, size: int | None = -1) -> Any:
        if self._remembered():
            newline = b"\n" if isinstance(self._buf, bytes) else "\n"
            end = self._buf.find(newline, self._pos)
            available = (end + 1 if end >= 0 else len(self._buf)) - self._pos
            if size is not None and 0 <= size <= available:
                return self._take(size)
            piece = self._take(available)
            if piece.endswith(newline):
                return piece
            rest = -1 if size is None or size < 0 else size - len(piece)
            return piece + self._keep(self._raw.readline(rest))
        return self._keep(self._raw.readline(-1 if size is None else size))

    def close(self) -> None:
        self._buf = None

    @property
    def closed(self) -> bool:
        return False


def read_bounded(stream: IO[Any], limit: int) -> Any:
    """Everything `stream` holds, but never more than `limit` + 1 characters: a result longer
    than `limit` means the input is over the limit (and was not read to its end)."""
    parts: list[Any] = []
    wanted = limit + 1
    while wanted > 0:
        chunk = stream.read(min(wanted, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        wanted -= len(chunk)
    return (parts[0][:0] if parts else b"").join(parts)
