"""Turn the CLI's input arguments (files, directories, `-`) into `InputRecord`s.

Documents are streamed lazily in the order given; JSONL is read line by line, so memory
stays flat on large archives. Problems are *yielded* as `ReadError`s, never raised, so a
caller can report `file:line`, count the failure and carry on with the next document.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from pydantic import ValidationError

from corpus import sniffing
from corpus.archive import ARCHIVE_SUFFIXES, HTML_SUFFIXES, WARC_SUFFIXES, HtmlDocument, iter_warc
from corpus.errors import READ_ERRORS, ReadError, os_message
from corpus.jsonl import read_jsonl_lines
from corpus.sniffing import (
    COMPRESSED_SUFFIXES,
    Kind,
    Replayable,
    Undecodable,
    binary_reason,
    bounded_lines,
    compression_of,
    content_kind,
    decode,
    lookahead,
    open_decompressed,
    read_bounded,
    signature_of,
    unpack_problem,
)
from models.inputs import InputRecord

# File kinds picked up when a directory is given; other files there are ignored.
DIRECTORY_SUFFIXES: tuple[str, ...] = (".txt", ".jsonl", ".jsonl.gz")
STDIN_NAME = "-"
STDIN_LABEL = "<stdin>"
STDIN_ID = "stdin"


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
    `.jsonl` / `.jsonl.gz` file of `{"id", "text", "published"?, "source"?}` records, an
    `.html`/`.htm` page or a `.warc`/`.warc.gz` crawl (see `archives`), a directory (searched
    recursively, in sorted order, for `*.txt`, `*.jsonl` and `*.jsonl.gz`), or `-` for
    standard input (one text document with id "stdin", unless its content says otherwise).
    A name that says none of these (`notes.md`, `/dev/fd/63`) is judged by its content, as
    standard input is: JSONL when the first line starts a JSON object, HTML when it starts
    with markup naming html, head or body, WARC by its magic, else text (see
    `corpus.sniffing`). gzip, bzip2 and xz are unpacked whatever the name.

    paths (Sequence[str | PathLike]): What the user named; a single path is accepted too.
    published (str | None): ISO date used for records that bring no `published` of their own.
    stdin (IO | None): Stream read for `-`; defaults to `sys.stdin` (its binary buffer).
    exclude (Sequence[PathLike]): Files never read from directories, e.g. the output file
        being written into the folder that is read.
    archives (bool): Also pick up web archives in directories (see `corpus.archive`):
        `.html`/`.htm` pages (main text by trafilatura, date by htmldate) and `.warc`/`.warc.gz`
        crawls. Named files and standard input are read as what they hold either way.
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
            yield from _read_stdin(sys.stdin if stdin is None else stdin, default_published, archives)
            continue
        if "\x00" in label:  # only from the API; the file system would say "no such file"
            yield ReadError(label, None, None, "not a usable path (it contains a NUL character)")
            continue
        path = Path(label)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:
            yield ReadError(label, None, None, os_message(exc))
            continue
        if is_dir:
            yield from _read_directory(label, path, default_published, skip, archives)
        elif exists:
            yield from _read_file(label, path, default_published, archives)
        elif os.path.islink(label):
            yield ReadError(label, None, None, "a symbolic link that leads nowhere (its target is missing, or it loops)")
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
        yield ReadError(problem.filename or label, None, None, os_message(problem))
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
            yield ReadError(os.path.join(label, *parts), None, None, os_message(exc))
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


# The kind a file name promises; other names (".md", "/dev/fd/63", no extension) are judged by content.
_NAMED_KINDS: tuple[tuple[tuple[str, ...], Kind], ...] = (
    ((".txt",), "text"),
    ((".jsonl",), "jsonl"),
    (HTML_SUFFIXES, "html"),
    (WARC_SUFFIXES[:1], "warc"),
)
_KIND_WORDS: dict[str, str] = {"text": "text", "jsonl": "JSONL", "html": "HTML", "warc": "WARC"}
_LOOKS_LIKE: dict[str, str] = {"jsonl": "JSON Lines", "html": "an HTML page", "warc": "a WARC file"}


def _kind_from_name(name: str) -> tuple[Kind | None, str | None]:
    """('jsonl', 'gzip') for 'archiv.jsonl.gz': the kind and the compression the name promises."""
    low = name.lower()
    packed = None
    for suffix, compression in COMPRESSED_SUFFIXES.items():
        if low.endswith(suffix):
            low, packed = low[: -len(suffix)], compression
            break
    for suffixes, kind in _NAMED_KINDS:
        if low.endswith(suffixes):
            return kind, packed
    return None, packed


def _read_file(
    label: str, path: Path, default_published: str | None, archives: _ArchiveMode = _ArchiveMode(),
    doc_id: str | None = None,
) -> Iterator[InputRecord | ReadError | HtmlDocument]:
    named, packed = _kind_from_name(path.name)
    doc_id = doc_id or _id_from_file_name(path.name)
    try:
        handle = open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        yield ReadError(label, None, doc_id if named in (None, "text", "html") else None, os_message(exc))
        return
    with handle:
        # Only a regular file's size is known before reading (a pipe, /dev/fd/63, has none).
        info = os.fstat(handle.fileno())
        size = info.st_size if stat.S_ISREG(info.st_mode) else None
        yield from _read_source(
            _Source(label, doc_id, "file", named, packed, size), handle, default_published, archives
        )


class _Source(NamedTuple):
    """One input stream as the readers see it."""

    label: str  # for messages: the file as named, or <stdin>
    doc_id: str  # the id of its one document, if it holds one (text, HTML)
    subject: str  # "file" or "input", in messages
    named: Kind | None = None  # what the name promises, None to judge by content
    packed: str | None = None  # the compression the name promises ('.gz')
    size: int | None = None  # bytes, for regular files


def _read_source(
    src: _Source, raw: IO[Any], default_published: str | None, archives: _ArchiveMode = _ArchiveMode()
) -> Iterator[InputRecord | ReadError | HtmlDocument]:
    """Sniff what `raw` holds, then read it from its first byte as text, JSONL, HTML or WARC."""
    source = Replayable(raw)
    compression = None
    try:
        head = lookahead(source)
        compression = compression_of(head) if isinstance(head, bytes) else None
        inner = head
        if compression is not None:
            source.rewind()
            inner = lookahead(open_decompressed(compression, source))
    except READ_ERRORS as exc:
        yield _stream_error(src, exc, compression)
        return
    source.rewind()
    source.stop_recording()
    looks = content_kind(inner)
    kind: Kind = src.named or looks
    single_id = src.doc_id if kind in ("text", "html") else None
    # (warcio reads a plain crawl named .warc.gz as well, and always did)
    if src.packed is not None and compression != src.packed and kind != "warc":
        suffix = next(s for s, c in COMPRESSED_SUFFIXES.items() if c == src.packed)
        yield ReadError(src.label, None, single_id, f"not a {src.packed} file, although the name ends in {suffix}")
        return
    problem = _not_readable_as(kind, inner, compression, src.subject)
    if problem is not None:
        yield ReadError(src.label, None, single_id, problem)
        return
    # warcio unpacks gzip itself, member by member, and then gives offsets into the file.
    stream = source if compression is None or (kind == "warc" and compression == "gzip") else open_decompressed(compression, source)
    if kind == "warc":
        for page in iter_warc(src.label, stream, default_published):
            yield page.to_record() if isinstance(page, HtmlDocument) and not archives.defer else page
    elif kind == "jsonl":
        yield from read_jsonl_lines(src.label, bounded_lines(stream, sniffing.MAX_DOCUMENT_BYTES), default_published, compression)
    else:
        warnings = [] if src.named is None or looks in ("text", kind) else [
            f"read as {'one text' if kind == 'text' else 'a web page'}, as the name says, although it looks like {_LOOKS_LIKE.get(looks, looks)}"
        ]
        yield _read_document(src, stream, kind, compression, default_published, archives, warnings)


def _not_readable_as(kind: Kind, inner: bytes | str, compression: str | None, subject: str) -> str | None:
    """Why the start of an input rules out reading it as `kind` (a PDF named .txt), or None."""
    if isinstance(inner, str):
        return None
    packed = f", {compression}-compressed" if compression else ""
    signature = signature_of(inner)
    if kind == "warc":
        if inner.startswith(b"WARC/"):
            return None
        found = signature or ("empty" if not inner else "it does not start with 'WARC/'")
        return f"not a WARC file ({found}{packed})"
    if signature is not None:
        return f"binary {subject}, not {_KIND_WORDS[kind]} ({signature}{packed})"
    # Text is judged whole when decoded (UTF-16 without a BOM is half NULs); pages and JSONL by
    # their start, so a sparse file of NULs is not read line by line to its end.
    if kind in ("html", "jsonl") and not inner.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        reason = binary_reason(inner.decode("latin-1"))
        if reason is not None:
            return f"binary {subject}, not {_KIND_WORDS[kind]} ({reason}{packed})"
    return None


def _read_document(
    src: _Source, stream: IO[Any], kind: Kind, compression: str | None, default_published: str | None,
    archives: _ArchiveMode, warnings: list[str],
) -> InputRecord | ReadError | HtmlDocument:
    """The one document of a text file or web page, read whole (within the size limit)."""
    limit = sniffing.MAX_DOCUMENT_BYTES
    if src.size is not None and compression is None and src.size > limit:
        return ReadError(src.label, None, src.doc_id, _too_large(src.size, limit))
    try:
        data = read_bounded(stream, limit)
    except READ_ERRORS as exc:
        return _stream_error(src, exc, compression, src.doc_id)
    if len(data) > limit:
        return ReadError(src.label, None, src.doc_id, _too_large(None, limit))
    if kind == "html":
        page = HtmlDocument(doc_id=src.doc_id, source=src.label, html=data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"),
                            published=default_published, location=src.label, warnings=warnings)
        return page if archives.defer else page.to_record()
    if isinstance(data, bytes):
        try:
            text, decoded = decode(data, src.subject)
        except Undecodable as exc:
            return ReadError(src.label, None, src.doc_id, str(exc))
    else:
        text, decoded = data.removeprefix("\ufeff"), []
        reason = binary_reason(text)
        if reason is not None:
            return ReadError(src.label, None, src.doc_id, f"binary {src.subject}, not text ({reason})")
    return InputRecord(id=src.doc_id, text=text, published=default_published, source=src.label, warnings=decoded + warnings)


def _too_large(size: int | None, limit: int) -> str:
    held = f"{size:,} bytes" if size is not None else f"over {limit:,} bytes"
    return f"too large for one document ({held}; at most {limit:,})"


def _stream_error(src: _Source, exc: BaseException, compression: str | None, doc_id: str | None = None) -> ReadError:
    problem = unpack_problem(exc, compression)
    if problem is None:
        reason = os_message(exc) if isinstance(exc, OSError) else (str(exc) or type(exc).__name__)
        problem = f"cannot read standard input: {reason}" if src.label == STDIN_LABEL else reason
    return ReadError(src.label, None, doc_id, problem)


def _id_from_file_name(name: str) -> str:
    """'bericht-2024.txt' -> 'bericht-2024'; 'bericht.txt.gz' -> 'bericht'."""
    low = name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if low.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    stem, dot, _suffix = name.rpartition(".")
    # A leading dot (".notiz") names the file, it does not start an extension.
    return stem if dot and stem else name


def _read_stdin(
    stream: IO[str] | IO[bytes], default_published: str | None, archives: _ArchiveMode = _ArchiveMode()
) -> Iterator[InputRecord | ReadError | HtmlDocument]:
    # The binary buffer keeps "\r\n" as sent and lets us check the encoding ourselves. Standard
    # input is judged by content, like any stream whose name says nothing (JSONL is read line by
    # line, so a slow writer's records are not waited for).
    source: IO[Any] = getattr(stream, "buffer", stream)
    if source is None:  # started with stdin closed (`0<&-`): sys.stdin is None
        yield ReadError(STDIN_LABEL, None, None, "cannot read standard input: it is closed")
        return
    yield from _read_source(_Source(STDIN_LABEL, STDIN_ID, "input"), source, default_published, archives)
