"""Read web archives: saved `.html`/`.htm` pages and `.warc`/`.warc.gz` crawls.

Reading is split in two steps so that a batch run can do the expensive one in its workers:
the readers here stream `HtmlDocument`s (id, source and the raw bytes, cheap to make), and
`HtmlDocument.to_record()` extracts the main text with trafilatura and the publication date
with htmldate. `iter_documents(..., archives=True)` in `corpus.readers` dispatches to them.

WARC files are read record by record (warcio streams, also through gzip members), so memory
stays flat however large the crawl. Only `response`/`resource` records with an HTML body
become documents; other response records (images, PDFs, redirects, errors) are yielded as
`SkippedRecord`s so the caller can report them; request, metadata, warcinfo and revisit
records are the crawl's bookkeeping and are passed over silently.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import ReadError
from models.inputs import InputRecord

HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")
WARC_SUFFIXES: tuple[str, ...] = (".warc", ".warc.gz")
ARCHIVE_SUFFIXES: tuple[str, ...] = HTML_SUFFIXES + WARC_SUFFIXES
# Content types that carry a web page; "text/plain" responses are not press releases.
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Pages above this size are not articles (trafilatura's own default limit is similar).
MAX_HTML_BYTES = 20_000_000
# Bookkeeping record types of a crawl: never documents, not worth a message either.
_QUIET_WARC_TYPES = frozenset({"warcinfo", "request", "metadata", "revisit", "conversion", "continuation"})

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

    if len(html) > MAX_HTML_BYTES:
        return None, None, f"page too large ({len(html):,} bytes; at most {MAX_HTML_BYTES:,})"
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


def read_html_file(label: str, path: Path, default_published: str | None, doc_id: str | None = None) -> HtmlDocument | ReadError:
    """One saved page as an `HtmlDocument` (id = file name without extension, unless `doc_id` is given)."""
    name = path.name
    doc_id = doc_id or name.rsplit(".", 1)[0] or name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ReadError(label, None, doc_id, _os_message(exc))
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ReadError(label, None, doc_id, "binary file, not HTML (contains NUL bytes)")
    return HtmlDocument(doc_id=doc_id, source=label, html=data, published=default_published, location=label)


def iter_warc(label: str, path: Path, default_published: str | None) -> Iterator[HtmlDocument | ReadError]:
    """Stream the HTML pages of a WARC file (plain or gzip-compressed, per record or whole).

    label (str): The file as the user named it.
    path (Path): The file.
    default_published (str | None): Date for pages that show none.
    YIELDS (HtmlDocument | ReadError): Pages, `SkippedRecord`s for non-HTML responses, and a
        final ReadError when the file is broken (the pages before it are kept).
    """
    from warcio.archiveiterator import ArchiveIterator

    try:
        handle = open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        yield ReadError(label, None, None, _os_message(exc))
        return
    with handle:
        if not _starts_like_warc(handle):
            yield ReadError(label, None, None, "not a readable WARC file from here on (it does not start with 'WARC/')")
            return
        records = ArchiveIterator(handle, no_record_parse=False)
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


def _starts_like_warc(handle) -> bool:  # noqa: ANN001
    head = handle.read(2)
    handle.seek(0)
    if head == b"\x1f\x8b":
        try:
            with gzip.open(handle) as unpacked:
                head = unpacked.read(5)
        except (OSError, EOFError, zlib.error):
            head = b""
        handle.seek(0)
    else:
        head = handle.read(5)
        handle.seek(0)
    return head == b"WARC/"


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
    body = record.content_stream().read()
    return HtmlDocument(
        doc_id=doc_id, source=uri or label, html=body, url=uri or None, published=default_published, location=where
    )


def _offset_label(label: str, records) -> str:  # noqa: ANN001
    offset = getattr(records, "offset", None)
    return f"{label}@{offset}" if offset is not None else label


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def is_archive(path: str | os.PathLike[str]) -> bool:
    """True for names the archive readers handle (.html, .htm, .warc, .warc.gz)."""
    return os.fspath(path).lower().endswith(ARCHIVE_SUFFIXES)
