"""Read web archives: saved `.html`/`.htm` pages and `.warc`/`.warc.gz` crawls.

Reading is split in two steps so that a batch run can do the expensive one in its workers:
the readers stream `HtmlDocument`s (id, source and the raw bytes, cheap to make), and
`HtmlDocument.to_record()` extracts the main text with trafilatura and the publication date
with htmldate. `iter_documents` in `corpus.readers` makes the pages and calls `iter_warc`.

WARC files are read record by record (warcio streams, also through gzip members), so memory
stays flat however large the crawl; a record's declared length is checked before any of it is
read, so one record over the size limit is that record's error, not the run's memory. Only `response`/`resource` records with an HTML body
become documents; other response records (images, PDFs, redirects, errors) are yielded as
`SkippedRecord`s so the caller can report them; request, metadata, warcinfo and revisit
records are the crawl's bookkeeping and are passed over silently.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from corpus import sniffing
from corpus.errors import ReadError, os_message, printable
from corpus.sniffing import read_bounded
from models.inputs import InputRecord

HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")
WARC_SUFFIXES: tuple[str, ...] = (".warc", ".warc.gz")
ARCHIVE_SUFFIXES: tuple[str, ...] = HTML_SUFFIXES + WARC_SUFFIXES
# Content types that carry a web page; "text/plain" responses are not press releases.
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Bookkeeping record types of a crawl: never documents, not worth a message either.
_QUIET_WARC_TYPES = frozenset({"warcinfo", "request", "metadata", "revisit", "conversion", "continuation"})

log = logging.getLogger("eventfacts")

NO_MAIN_TEXT = "no main text (the page holds no article text trafilatura could find)"


class SkippedRecord(ReadError):
    """A WARC record that is deliberately not read (not HTML, not a 2xx response).

    It is a `ReadError`, so plain callers still see and count it; batch runs report it as
    skipped rather than failed.
    """


@dataclass
class HtmlDocument:
    """A web page whose text has not been extracted yet.

    doc_id (str): File name without extension, or `URI@WARC-Date` for WARC records.
    source (str): The file as named, or the record's target URI.
    html (bytes): The page as stored (the HTTP body for WARC records).
    url (str | None): Address of the page, which helps the date search.
    published (str | None): Date to use when the page shows none (`--published`).
    location (str): Where the page lies, for messages (`file` or `file@offset`).
    warnings (list[str]): Passed on to the record.
    """

    doc_id: str
    source: str
    html: bytes
    url: str | None = None
    published: str | None = None
    location: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_record(self) -> InputRecord | ReadError:
        """Extract main text and publication date.

        RETURNS (InputRecord | ReadError): The record, or a ReadError when the page holds no
            main text or cannot be parsed.
        """
        text, date, problem = html_to_text(self.html, url=self.url)
        if problem is not None:
            return ReadError(self.location or self.source, None, self.doc_id, problem)
        try:
            return InputRecord(
                id=self.doc_id,
                text=text or "",
                published=date or self.published,
                source=self.source,
                warnings=list(self.warnings),
            )
        except ValueError as exc:  # a date htmldate found but Pydantic refuses
            return ReadError(self.location or self.source, None, self.doc_id, str(exc))


def html_to_text(html: bytes | str, *, url: str | None = None) -> tuple[str | None, str | None, str | None]:
    """Main text and publication date of a web page.

    html (bytes | str): The page; bytes are decoded by trafilatura (meta charset, detection).
    url (str | None): The page's address, used by the date search.
    RETURNS (tuple): (text, ISO date or None, problem message or None).
    """
    # Imported here: trafilatura and htmldate take a second to import, and plain-text runs
    # never need them.
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    # Pages above this size are not articles (trafilatura's own default limit is similar).
    if len(html) > sniffing.MAX_DOCUMENT_BYTES:
        return None, None, f"page too large ({len(html):,} bytes; at most {sniffing.MAX_DOCUMENT_BYTES:,})"
    try:
        tree = load_html(html)
    except Exception as exc:  # lxml raises several types on broken markup
        return None, None, f"not parsable as HTML ({exc})"
    if tree is None:
        return None, None, "not parsable as HTML (empty, binary or not markup)"
    try:
        # original_date: the first publication, not a later "updated" stamp; no extensive
        # search, because dates in the article body are the event's, not the publisher's.
        document = bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"original_date": True, "extensive_search": False, "url": url},
        )
    except Exception as exc:  # trafilatura on odd markup: one page, not the run
        return None, None, f"text extraction failed ({type(exc).__name__}: {exc})"
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        return None, None, NO_MAIN_TEXT
    date = getattr(document, "date", None)
    return text, (date[:10] if date else None), None


def iter_warc(label: str, source: Path | IO[bytes], default_published: str | None) -> Iterator[HtmlDocument | ReadError]:
    """Stream the HTML pages of a WARC file (plain or gzip-compressed, per record or whole).

    label (str): The file as the user named it.
    source (Path | IO[bytes]): The file, or a stream of it (a pipe need not seek).
    default_published (str | None): Date for pages that show none.
    YIELDS (HtmlDocument | ReadError): Pages, `SkippedRecord`s for non-HTML responses, a
        ReadError for each record too large to be a page, and a final ReadError when the
        file is broken (the pages before it are kept).
    """
    if isinstance(source, (str, os.PathLike)):
        try:
            handle = open(source, "rb")  # noqa: SIM115
        except OSError as exc:
            yield ReadError(label, None, None, os_message(exc))
            return
        with handle:
            yield from iter_warc(label, handle, default_published)
        return
    from warcio.archiveiterator import ArchiveIterator

    _quiet_warcio()
    # no_record_parse: HTTP headers are parsed here, after the record's length is checked, so
    # an oversized record is never read into memory.
    records = ArchiveIterator(source, no_record_parse=True)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as exc:  # warcio: ArchiveLoadFailed, EOFError, zlib.error …
            where = _offset_label(label, records)
            yield ReadError(where, None, None, f"not a readable WARC file from here on ({_short(exc)})")
            return
        where = _offset_label(label, records)
        try:
            item = _warc_item(label, record, records, default_published)
            missing = _drain(record)
        except Exception as exc:  # a broken body shows only while reading it
            yield ReadError(where, None, None, f"WARC record cannot be read ({_short(exc)}); stopped reading this file")
            return
        if missing:
            # warcio reads a cut-off file without complaint; the record's length tells.
            doc_id = item.doc_id if item is not None else None
            yield ReadError(where, None, doc_id, f"WARC file is truncated ({missing} bytes of this record missing); stopped reading this file")
            return
        if item is not None:
            yield item


class _WarcioStderr:
    """warcio writes some warnings straight to sys.stderr, quoting raw bytes of the file
    ("Remainder: b'\\x8b…'"); they go to our logger instead, never to the user's terminal."""

    def write(self, text: str) -> int:
        if text.strip():
            log.debug("warcio: %s", printable(text.strip(), 300))
        return len(text)

    def flush(self) -> None:
        pass


class _SysWithQuietStderr:
    """The `sys` module as seen by warcio's readers: everything as it is, but `stderr`."""

    stderr = _WarcioStderr()

    def __getattr__(self, name: str) -> object:
        return getattr(sys, name)


def _quiet_warcio() -> None:
    import warcio.archiveiterator
    import warcio.bufferedreaders

    for module in (warcio.archiveiterator, warcio.bufferedreaders):
        if getattr(module, "sys", None) is sys:
            module.sys = _SysWithQuietStderr()  # type: ignore[attr-defined]


def _drain(record) -> int:  # noqa: ANN001
    """Read what is left of the record; return how many bytes its length promised but are missing."""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    return max(getattr(stream, "limit", 0) or 0, 0)


def _warc_item(label: str, record, records, default_published: str | None) -> HtmlDocument | ReadError | None:  # noqa: ANN001
    rec_type = record.rec_type
    if rec_type is None:
        raise ValueError("not a WARC record")
    if rec_type in _QUIET_WARC_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    warc_date = record.rec_headers.get_header("WARC-Date") or ""
    doc_id = f"{uri}@{warc_date}" if uri else (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
    where = _offset_label(label, records)
    if rec_type not in ("response", "resource"):
        return SkippedRecord(where, None, doc_id or None, f"skipped WARC record of type {rec_type!r}")
    limit = sniffing.MAX_DOCUMENT_BYTES
    # Checked before anything of the record is read: a crawl may hold a video of gigabytes.
    if record.length is not None and record.length > limit:
        return ReadError(where, None, doc_id or None, f"WARC record too large for a page ({record.length:,} bytes; at most {limit:,}); skipped")
    record.http_headers = records.loader.load_http_headers(rec_type, uri, record.raw_stream, record.length)
    status = None
    if record.http_headers is not None and rec_type == "response":
        status = record.http_headers.get_statuscode()
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if status and not status.startswith("2"):
        return SkippedRecord(where, None, doc_id, f"skipped: HTTP status {status} ({uri})")
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime not in HTML_CONTENT_TYPES:
        return SkippedRecord(where, None, doc_id, f"skipped: not HTML ({mime or 'no content type'}) ({uri})")
    # Bounded as well: a length-less record, or a body that unpacks (Content-Encoding) to more.
    body = read_bounded(record.content_stream(), limit)
    if len(body) > limit:
        return ReadError(where, None, doc_id or None, f"page too large (over {limit:,} bytes; at most {limit:,}); skipped")
    return HtmlDocument(
        doc_id=doc_id, source=uri or label, html=body, url=uri or None, published=default_published, location=where
    )


def _offset_label(label: str, records) -> str:  # noqa: ANN001
    offset = getattr(records, "offset", None)
    return f"{label}@{offset}" if offset is not None else label


def _short(exc: BaseException) -> str:
    """The exception as a short printable text. warcio quotes the line it could not read; binary
    data there is described, not shown."""
    text = str(exc).strip() or type(exc).__name__
    before, marker, line = text.partition("first line: ")
    if marker and (sniffing.binary_reason(line) is not None or sum(not c.isprintable() for c in line) > len(line) // 10):
        return f"{before}{marker}binary data, not a record header"
    return printable(text, 120)


def is_archive(path: str | os.PathLike[str]) -> bool:
    """True for names the archive readers handle (.html, .htm, .warc, .warc.gz)."""
    return os.fspath(path).lower().endswith(ARCHIVE_SUFFIXES)
