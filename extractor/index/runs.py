"""Indexing runs: `index_files` (what `eventfacts index` does) and `BatchIndexer` (for a run that
writes records as it goes, `eventfacts batch --index`). Both commit per batch and resolve entities
once at the end."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import IO, Any

from extractor.index.ingest import DEFAULT_BATCH_SIZE, IngestStats, Writer
from extractor.index.linking import Resolver
from extractor.index.reading import LineError, iter_records
from models import EventReport


def index_files(
    db: str | os.PathLike[str],
    paths: Iterable[str],
    *,
    texts: Iterable[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_error: Callable[[str], None] | None = None,
    resolver: Resolver | None = None,
    stdin: IO[bytes] | None = None,
) -> IngestStats:
    """Index JSONL record files (and source texts) into `db`; returns what was done.

    Bad lines are reported through `on_error` as `file:line: problem` and skipped. Texts are
    read like `eventfacts batch` reads its inputs and matched to records by doc_id.
    """
    started = time.perf_counter()
    writer = Writer(db, resolver=resolver)
    report = on_error or (lambda message: None)
    try:
        writer.resolve()  # what a killed run left pending
        writer.stats.resolved_mentions = 0
        for path in paths:
            for item in iter_records(path, stdin):
                if isinstance(item, LineError):
                    writer.stats.errors.append(str(item))
                    report(str(item))
                    continue
                writer.add(item)
                if writer.batch_due(batch_size):
                    writer.commit()
        writer.commit()
        if texts:
            _index_texts(writer, list(texts), batch_size, writer.stats.errors, report)
        writer.resolve()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.close()
    writer.stats.seconds = time.perf_counter() - started
    return writer.stats


def _index_texts(writer: Writer, paths: list[str], batch_size: int, errors: list[str],
                 report: Callable[[str], None]) -> None:
    from corpus import ReadError, iter_documents
    from corpus.archive import HtmlDocument, SkippedRecord
    from extractor.batch import expand_inputs

    for item in iter_documents(expand_inputs(paths), archives=True):
        if isinstance(item, SkippedRecord):  # a WARC record that is no HTML page: nothing to index
            continue
        if isinstance(item, ReadError):
            errors.append(str(item))
            report(str(item))
            continue
        if isinstance(item, HtmlDocument):  # only with defer_html, which we do not ask for
            item = item.to_record()
        writer.add_text(item.id or "", item.text)
        if writer.batch_due(batch_size):
            writer.commit()
    writer.commit()


class BatchIndexer:
    """Index records while a run writes them (`eventfacts batch --index DB`).

    `add()` takes EventReports, record dicts or JSON lines, commits every `batch_size` records
    (or `COMMIT_SECONDS`), and `close()` commits the rest and resolves entities. Killed before
    `close()`, the committed batches stay and their entities are resolved by the next writer.
    """

    def __init__(self, db: str | os.PathLike[str], *, batch_size: int = DEFAULT_BATCH_SIZE,
                 resolver: Resolver | None = None) -> None:
        self.batch_size = batch_size
        self._writer = Writer(db, resolver=resolver)
        self._closed = False

    @property
    def stats(self) -> IngestStats:
        return self._writer.stats

    def add(self, records: Iterable[EventReport | dict[str, Any] | str | bytes]) -> None:
        writer = self._writer
        try:
            for record in records:
                writer.add(_as_report(record))
                if writer.batch_due(self.batch_size):
                    writer.commit()
        except BaseException:
            writer.rollback()
            raise

    def doc_ids(self) -> set[str]:
        """The doc_ids the index holds (committed or in this batch)."""
        return {row[0] for row in self._writer.conn.execute("SELECT doc_id FROM reports")}

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._writer.resolve()
        finally:
            self._writer.close()

    def stop(self) -> None:
        """Commit what is buffered and close without resolving entities (an interrupted run):
        the keys stay pending and the next writer of the index resolves them."""
        if self._closed:
            return
        self._closed = True
        self._writer.close()

    def __enter__(self) -> BatchIndexer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _as_report(record: EventReport | dict[str, Any] | str | bytes) -> EventReport:
    if isinstance(record, EventReport):
        return record
    if isinstance(record, (str, bytes)):
        return EventReport.model_validate_json(record)
    if isinstance(record, dict):
        return EventReport.model_validate(record)
    raise TypeError(f"cannot index a {type(record).__name__}: give EventReports, record dicts or JSON lines")
