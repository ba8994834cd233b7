"""Turn the CLI's input arguments (files, directories, `-`) into `InputRecord`s.

Documents are streamed lazily in the order given; JSONL is read line by line, so memory
stays flat on large archives. Problems are *yielded* as `ReadError`s, never raised, so a
caller can report `file:line`, count the failure and carry on with the next document.
"""

from __future__ import annotations

import codecs
import gzip
import itertools
import json
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from pydantic import ValidationError

from corpus.archive import ARCHIVE_SUFFIXES, HTML_SUFFIXES, HtmlDocument, iter_warc, read_html_file
from corpus.errors import ReadError
from models.inputs import InputRecord, stable_id

# File kinds picked up when a directory is given; other files there are ignored.
DIRECTORY_SUFFIXES: tuple[str, ...] = (".txt", ".jsonl", ".jsonl.gz")
STDIN_NAME = "-"
STDIN_LABEL = "<stdin>"
STDIN_ID = "stdin"
# Share of control bytes above which undecodable input counts as binary. Random binary data
# has about 11 % such bytes; legacy-encoded German prose has practically none.
BINARY_CONTROL_SHARE = 0.05

_CONTROL_BYTES = frozenset(range(0x20)) - frozenset(b"\t\n\r\f\x1b") | {0x7F}
_C1_BYTES = frozenset(range(0x80, 0xA0))
_JSON_TYPES: dict[type, str] = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


class _Undecodable(ValueError):
    """Bytes that are not text in any encoding we accept."""


def iter_documents(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    published: str | None = None,
    stdin: IO[str] | IO[bytes] | None = None,
    exclude: Sequence[str | os.PathLike[str]] = (),
    archives: bool = False,
    defer_html: bool = False,
) -> Iterator[InputRecord | ReadError | HtmlDocument]:
    """Stream the documents named on the command line, in the order given.

    Each entry is a `.txt` file (one document, id = file name without extension), a
    `.jsonl` / `.jsonl.gz` file of `{"id", "text", "published"?, "source"?}` records, a
    directory (searched recursively, in sorted order, for `*.txt`, `*.jsonl` and
    `*.jsonl.gz`), or `-` for standard input (JSONL when it starts with `{`, otherwise one
    text document with id "stdin"). A file of any other extension named explicitly is read
    as text.

    paths (Sequence[str | PathLike]): What the user named; a single path is accepted too.
    published (str | None): ISO date used for records that bring no `published` of their own.
    stdin (IO | None): Stream read for `-`; defaults to `sys.stdin` (its binary buffer).
    exclude (Sequence[PathLike]): Files never read from directories, e.g. the output file
        being written into the folder that is read.
    archives (bool): Also read web archives (see `corpus.archive`): `.html`/`.htm` pages
        (main text by trafilatura, date by htmldate) and `.warc`/`.warc.gz` crawls, named
        or found in directories. Off by default, where a named `.html` is read as text.
    defer_html (bool): With `archives`, yield pages as `HtmlDocument`s whose `to_record()`
        does the extraction, so a batch run can do it in its worker processes.
    RETURNS (Iterator[InputRecord | ReadError | HtmlDocument]): Records, and errors in place
        of the documents that could not be read (`SkippedRecord` for WARC records that are
        not HTML pages).
    """
    # Checked here, not inside the generator, so a bad `--published` fails at the call.
    default_published = _check_published(published)
    if isinstance(paths, (str, os.PathLike)):
        # A lone string is a Sequence too; iterating it would yield one "path" per character.
        paths = [paths]
    skip = frozenset(Path(p).resolve() for p in exclude)
    return _iter_entries(list(paths), default_published, stdin, skip, _ArchiveMode(archives, defer_html))


class _ArchiveMode(NamedTuple):
    enabled: bool = False
    defer: bool = False


def output_among_inputs(paths: Iterable[str], output: Path | str | None) -> str | None:
    """The input that is the same file as `output` (by device and inode, whatever the spelling), or
    None. Writing there would empty the input before it is read."""
    if output is None:
        return None
    out = Path(output)
    if not out.exists():
        return None
    for raw in paths:
        if raw == "-":
            continue
        path = Path(raw)
        try:
            if path.is_file() and os.path.samefile(path, out):
                return raw
        except OSError:
            continue
    return None


def _check_published(published: str | None) -> str | None:
    if published is None:
        return None
    try:
        return InputRecord(text="", published=published).published
    except ValidationError as exc:
        raise ValueError(
            f"published = {published!r} is not an ISO date; give it as YYYY-MM-DD, e.g. 2024-05-03"
        ) from exc


def _iter_entries(
    entries: list[str | os.PathLike[str]],
    default_published: str | None,
    stdin: IO[str] | IO[bytes] | None,
    skip: frozenset[Path] = frozenset(),
    archives: _ArchiveMode = _ArchiveMode(),
) -> Iterator[InputRecord | ReadError | HtmlDocument]:
    stdin_read = False
    for entry in entries:
        label = os.fspath(entry)
        if label == STDIN_NAME:
            if stdin_read:
                yield ReadError(STDIN_LABEL, None, None, "standard input was already read; name '-' only once")
                continue
            stdin_read = True
            yield from _read_stdin(sys.stdin if stdin is None else stdin, default_published)
            continue
        path = Path(label)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:
            yield ReadError(label, None, None, _os_message(exc))
            continue
        if is_dir:
            yield from _read_directory(label, path, default_published, skip, archives)
        elif exists:
            yield from _read_file(label, path, default_published, archives)
        else:
            yield ReadError(label, None, None, "no such file or directory")


def _read_directory(
    label: str,
    root: Path,
    default_published: str | None,
    skip: frozenset[Path] = frozenset(),
    archives: _ArchiveMode = _ArchiveMode(),
) -> Iterator[InputRecord | ReadError | HtmlDocument]:
    suffixes = DIRECTORY_SUFFIXES + ARCHIVE_SUFFIXES if archives.enabled else DIRECTORY_SUFFIXES
    found: list[tuple[str, ...]] = []
    problems: list[OSError] = []
    visited = {os.path.realpath(root)}
    loops: list[str] = []
    # Symbolic links to directories are followed; one that leads back into a folder already read
    # (a loop, or a second way to the same folder) is reported and not read twice.
    for dirpath, dirnames, filenames in os.walk(root, onerror=problems.append, followlinks=True):
        # Hidden entries are tool droppings (.git, macOS "._name" forks), not reports.
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        kept = []
        for name in dirnames:
            real = os.path.realpath(os.path.join(dirpath, name))
            if real in visited:
                loops.append(os.path.join(label, *Path(dirpath).relative_to(root).parts, name))
                continue
            visited.add(real)
            kept.append(name)
        dirnames[:] = kept
        relative = Path(dirpath).relative_to(root).parts
        for name in filenames:
            if not name.startswith(".") and name.lower().endswith(suffixes):
                found.append((*relative, name))
    for problem in problems:
        yield ReadError(problem.filename or label, None, None, _os_message(problem))
    for loop in loops:
        yield ReadError(loop, None, None, "a link to a folder already read (a loop or a second path to it); not read again")
    if not found and not problems:
        kinds = "*.txt, *.jsonl, *.jsonl.gz, *.html, *.htm, *.warc or *.warc.gz" if archives.enabled else "*.txt, *.jsonl or *.jsonl.gz"
        yield ReadError(label, None, None, f"directory holds no {kinds} files")
    # A file's id is its name without the extension, unless another file of this scan has the same
    # one ("2023/bericht.txt", "2024/bericht.txt", "2024/bericht.html"): then every one of them is
    # known by its path relative to the folder, so no document is taken for a duplicate and lost.
    ids = [_file_id(parts[-1]) for parts in found]
    shared = {i for i in ids if i is not None and ids.count(i) > 1} if len(ids) != len(set(ids)) else set()
    # Sorting the path parts (not the joined string) keeps "a/z.txt" before "a-b/x.txt".
    for parts in sorted(found):
        if skip and root.joinpath(*parts).resolve() in skip:
            continue
        path = root.joinpath(*parts)
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
        except OSError as exc:
            yield ReadError(os.path.join(label, *parts), None, None, _os_message(exc))
            continue
        if not regular:
            # a FIFO would block the scan for ever; sockets and devices are no documents either
            yield ReadError(os.path.join(label, *parts), None, None, "not a regular file (a FIFO, socket or device); skipped")
            continue
        doc_id = "/".join(parts) if _file_id(parts[-1]) in shared else None
        yield from _read_file(os.path.join(label, *parts), path, default_published, archives, doc_id=doc_id)


def _file_id(name: str) -> str | None:
    """The id a file's name gives its one document (.txt, .html); None for files of many records."""
    low = name.lower()
    if low.endswith((".jsonl", ".jsonl.gz", ".warc", ".warc.gz")):
        return None
    if low.endswith(HTML_SUFFIXES):
        return name.rsplit(".", 1)[0] or name
    return _id_from_file_name(name)


def _read_file(
    label: str, path: Path, default_published: str | None, archives: _ArchiveMode = _ArchiveMode(),
    doc_id: str | None = None,
) -> Iterator[InputRecord | ReadError | HtmlDocument]:
    name = path.name.lower()
    compressed = name.endswith(".gz")
    if archives.enabled and name.endswith(ARCHIVE_SUFFIXES):
        pages = [read_html_file(label, path, default_published, doc_id)] if name.endswith(HTML_SUFFIXES) else iter_warc(label, path, default_published)
        for page in pages:
            yield page.to_record() if isinstance(page, HtmlDocument) and not archives.defer else page
    elif name.endswith((".jsonl", ".jsonl.gz")):
        yield from _read_jsonl_file(label, path, compressed, default_published)
    else:
        yield _read_text_file(label, path, compressed, default_published, doc_id)


def _read_text_file(
    label: str, path: Path, compressed: bool, default_published: str | None, doc_id: str | None = None
) -> InputRecord | ReadError:
    doc_id = doc_id or _id_from_file_name(path.name)
    try:
        data = gzip.decompress(path.read_bytes()) if compressed else path.read_bytes()
    except EOFError:
        return ReadError(label, None, doc_id, "gzip file is truncated (compressed data ends early)")
    except gzip.BadGzipFile:
        return ReadError(label, None, doc_id, "not a gzip file, although the name ends in .gz")
    except (OSError, zlib.error) as exc:
        return ReadError(label, None, doc_id, _os_message(exc))
    try:
        text, warnings = _decode(data, "file")
    except _Undecodable as exc:
        return ReadError(label, None, doc_id, str(exc))
    return InputRecord(id=doc_id, text=text, published=default_published, source=label, warnings=warnings)


def _id_from_file_name(name: str) -> str:
    """'bericht-2024.txt' -> 'bericht-2024'; 'bericht.txt.gz' -> 'bericht'."""
    if name.lower().endswith(".gz"):
        name = name[: -len(".gz")]
    stem, dot, _suffix = name.rpartition(".")
    # A leading dot (".notiz") names the file, it does not start an extension.
    return stem if dot and stem else name


def _read_jsonl_file(
    label: str, path: Path, compressed: bool, default_published: str | None
) -> Iterator[InputRecord | ReadError]:
    try:
        handle: IO[bytes] = gzip.open(path, "rb") if compressed else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        yield ReadError(label, None, None, _os_message(exc))
        return
    with handle:
        yield from _read_jsonl_lines(label, handle, default_published)


def _read_jsonl_lines(
    label: str, lines: Iterable[bytes] | Iterable[str], default_published: str | None
) -> Iterator[InputRecord | ReadError]:
    """Parse JSONL lines; reading errors (truncated gzip, I/O) end the file with a ReadError."""
    iterator: Iterator[bytes | str] = iter(lines)
    line_no = 0
    while True:
        try:
            raw = next(iterator)
        except StopIteration:
            return
        except EOFError:
            yield ReadError(
                label, line_no + 1, None,
                "gzip file is truncated (compressed data ends early); this and later lines are lost",
            )
            return
        except gzip.BadGzipFile:
            yield ReadError(label, None, None, "not a gzip file, although the name ends in .gz")
            return
        except (OSError, zlib.error) as exc:
            yield ReadError(label, line_no + 1, None, f"cannot read further: {_os_message(exc)}")
            return
        line_no += 1
        try:
            result = _parse_jsonl_line(label, line_no, raw, default_published)
        except _Undecodable as exc:
            # A NUL-laden line means the whole file is binary; one message is enough.
            yield ReadError(label, line_no, None, f"{exc}; stopped reading this file")
            return
        if result is not None:
            yield result


def _parse_jsonl_line(
    label: str, line_no: int, raw: bytes | str, default_published: str | None
) -> InputRecord | ReadError | None:
    if isinstance(raw, bytes):
        line, warnings = _decode(raw, "line")
    else:
        line, warnings = raw.removeprefix("\ufeff"), []
    if not line.strip():
        return None
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return ReadError(label, line_no, None, f"not valid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        # an integer of thousands of digits, brackets nested deeper than Python recurses: this line's error
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
        return ReadError(label, line_no, None, f"not readable JSON ({reason})")
    if not isinstance(value, dict):
        return ReadError(label, line_no, None, f"not a JSON object (found {_json_type(value)})")
    return _record_from_object(label, line_no, value, default_published, warnings)


def _record_from_object(
    label: str, line_no: int, value: dict[str, Any], default_published: str | None, warnings: list[str]
) -> InputRecord | ReadError:
    raw_id = value.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int, type(None))):
        return ReadError(
            label, line_no, None, f"field 'id' must be a string or an integer (found {_describe(raw_id)})"
        )
    doc_id = str(raw_id) if isinstance(raw_id, int) else raw_id
    if doc_id is not None and not doc_id.strip():
        doc_id = None

    def error(message: str) -> ReadError:
        return ReadError(label, line_no, doc_id, message)

    if "text" not in value:
        found = ", ".join(value) if value else "an empty object"
        return error(f"no field 'text' (found: {found})")
    text = value["text"]
    if not isinstance(text, str):
        return error(f"field 'text' must be a string (found {_describe(text)})")
    if doc_id is None:
        doc_id = stable_id(text)
    published = value.get("published")
    if published is None or published == "":
        published = default_published
    elif not isinstance(published, str):
        return error(f"field 'published' must be an ISO date string YYYY-MM-DD (found {_describe(published)})")
    source = value.get("source")
    if source is None:
        source = label
    elif not isinstance(source, str):
        return error(f"field 'source' must be a string (found {_describe(source)})")
    try:
        return InputRecord(id=doc_id, text=text, published=published, source=source, warnings=warnings)
    except ValidationError as exc:
        return error("; ".join(_validation_messages(exc)))


def _validation_messages(exc: ValidationError) -> list[str]:
    messages = []
    for problem in exc.errors():
        field = ".".join(str(part) for part in problem["loc"])
        messages.append(f"bad field '{field}': {problem['msg'].removeprefix('Value error, ')}")
    return messages


def _read_stdin(stream: IO[str] | IO[bytes], default_published: str | None) -> Iterator[InputRecord | ReadError]:
    # The binary buffer keeps "\r\n" as sent and lets us check the encoding ourselves.
    source: IO[Any] = getattr(stream, "buffer", stream)
    pending: list[bytes | str] = []
    try:
        # Look ahead to the first non-blank line to choose JSONL or plain text.
        while True:
            raw = source.readline()
            if not raw:
                break
            pending.append(raw)
            if _strip_bom(raw).strip():
                break
        is_jsonl = bool(pending) and _strip_bom(pending[-1]).lstrip()[:1] in (b"{", "{")
        if is_jsonl:
            lines = itertools.chain(pending, iter(source.readline, pending[0][:0]))
            yield from _read_jsonl_lines(STDIN_LABEL, lines, default_published)
            return
        rest = source.read()
    except (OSError, ValueError) as exc:
        yield ReadError(STDIN_LABEL, None, None, f"cannot read standard input: {exc}")
        return
    empty = (pending[0] if pending else rest)[:0]
    data = empty.join([*pending, rest])
    if isinstance(data, bytes):
        try:
            text, warnings = _decode(data, "input")
        except _Undecodable as exc:
            yield ReadError(STDIN_LABEL, None, STDIN_ID, str(exc))
            return
    else:
        text, warnings = data.removeprefix("\ufeff"), []
    yield InputRecord(id=STDIN_ID, text=text, published=default_published, source=STDIN_LABEL, warnings=warnings)


def _strip_bom(raw: bytes | str) -> bytes | str:
    if isinstance(raw, bytes):
        return raw.removeprefix(codecs.BOM_UTF8)
    return raw.removeprefix("\ufeff")


def _decode(data: bytes, subject: str) -> tuple[str, list[str]]:
    """Decode input bytes as UTF-8, falling back to a Western legacy encoding.

    The text is kept exactly as stored (a leading BOM aside), "\\r\\n" included, because
    every character offset the extractor reports refers to it.

    data (bytes): The raw bytes of a file, a JSONL line or standard input.
    subject (str): "file", "line" or "input", used in messages.
    RETURNS (tuple[str, list[str]]): The text and the warnings for the record.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Windows editors save "Unicode" as UTF-16 with a BOM; it is text, despite its NULs.
        try:
            return data.decode("utf-16"), [f"decoded as utf-16: the {subject} starts with a UTF-16 byte-order mark"]
        except UnicodeDecodeError as exc:
            raise _Undecodable(f"binary {subject}, not text (broken UTF-16)") from exc
    data = data.removeprefix(codecs.BOM_UTF8)
    # Checked even for valid UTF-8: BOM-less UTF-16 of plain ASCII is valid UTF-8 with NULs.
    if b"\x00" in data:
        raise _Undecodable(f"binary {subject}, not text (contains NUL bytes)")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        bad_offset = exc.start
    if _control_share(data) > BINARY_CONTROL_SHARE:
        raise _Undecodable(f"binary {subject}, not text (mostly non-text bytes)")
    encoding = _legacy_encoding(data)
    warning = (
        f"decoded as {encoding}: the {subject} is not valid UTF-8 "
        f"(byte 0x{data[bad_offset]:02x} at offset {bad_offset})"
    )
    return data.decode(encoding), [warning]


def _control_share(data: bytes) -> float:
    return sum(1 for byte in data if byte in _CONTROL_BYTES) / max(len(data), 1)


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


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{_json_type(value)} {shown}"


def _os_message(exc: OSError | zlib.error) -> str:
    # "Permission denied" -> "permission denied": messages here follow the file:line: style.
    reason = getattr(exc, "strerror", None) or str(exc)
    return reason[:1].lower() + reason[1:]
