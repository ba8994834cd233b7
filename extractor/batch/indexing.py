"""Filling the search index while a batch run writes its records (`BatchConfig.index`).

Each record goes into the index right after its line is written to the output; the index commits
every thousand records or two seconds, so readers see the archive grow while the run goes on.
Entities are resolved once, when the run ends. Output first, index second: a run killed between
the two leaves records in the output that the index lacks, and the next `--resume` indexes them
before it goes on (the index knows its doc_ids). A record the index refuses is listed in the
errors file with stage 'index'; its record stays in the output.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from extractor.batch.config import BatchError, BatchEvent, BatchSummary, ProgressCallback
from extractor.batch.output import doc_id_of


class RunIndexer:
    """The batch run's side of `extractor.index.BatchIndexer`."""

    def __init__(self, db: str, summary: BatchSummary, emit: ProgressCallback) -> None:
        from extractor.index import BatchIndexer, SearchIndexError

        self.db = db
        self.summary = summary
        self.emit = emit
        try:
            self._indexer = BatchIndexer(db)
        except SearchIndexError as exc:
            raise BatchError(str(exc)) from exc

    def catch_up(self, output: Path, done: set[str]) -> None:
        """Index the records of a resumed output that the index does not hold yet."""
        missing = done - self._indexer.doc_ids()
        if not missing:
            return
        self.emit(BatchEvent("info", self.summary, message=f"indexing {len(missing)} records of {output} "
                             f"that {self.db} does not hold yet"))
        with open(output, "rb") as handle:
            for raw in handle:
                doc_id = doc_id_of(raw)
                if doc_id in missing:
                    missing.discard(doc_id)  # a doc_id is in the output once; if twice, its first record
                    self.add(raw.decode("utf-8"), doc_id, problem=None)

    def add(self, line: str, doc_id: str | None, problem: Callable[..., Any] | None) -> None:
        """Index one written record; a record the index refuses is a problem, not the end of the run."""
        try:
            self._indexer.add((line,))
        except ValueError as exc:  # pydantic's ValidationError is a ValueError: a record that breaks the contract
            if problem is not None:
                problem(doc_id, None, "index", f"not indexed: {str(exc).splitlines()[0]}")
            return
        self.summary.indexed += 1

    def finish(self) -> None:
        """Commit and resolve the entities of the run (takes a while on a large archive)."""
        self.emit(BatchEvent("info", self.summary, message=f"resolving entities in {self.db}"))
        self._indexer.close()

    def stop(self) -> None:
        """Commit what is buffered without resolving: the next writer of the index resolves it."""
        self._indexer.stop()

