"""The search index of eventfacts: an SQLite database of records, entities across reports,
full-text search, browsing (Datasette) and an Elasticsearch/OpenSearch export.

    from extractor.index import Index, index_files
    index_files("archive.sqlite", ["facts.jsonl"])
    hits = Index("archive.sqlite").search("Ausbildung", org="IHK", date_from="2024")
"""

from __future__ import annotations

from extractor.index.ingest import IngestStats
from extractor.index.reading import iter_records
from extractor.index.runs import BatchIndexer, index_files
from extractor.index.queries import Index
from extractor.index.schema import (
    DB_ENV,
    INDEX_SCHEMA_VERSION,
    IndexBusyError,
    IndexVersionError,
    MissingIndexError,
    NotAnIndexError,
    SearchIndexError,
)

__all__ = [
    "DB_ENV",
    "INDEX_SCHEMA_VERSION",
    "BatchIndexer",
    "Index",
    "IndexBusyError",
    "IndexVersionError",
    "IngestStats",
    "MissingIndexError",
    "NotAnIndexError",
    "SearchIndexError",
    "index_files",
    "iter_records",
]
