"""Coded error messages and the exception hierarchy of eventfacts."""

from __future__ import annotations


class EventfactsError(Exception):
    """Base class: carries where the problem happened, when known."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None, doc_id: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.doc_id = doc_id


class ModelLoadError(EventfactsError):
    """A spaCy pipeline named with --model cannot be loaded."""


class ExtractionError(EventfactsError):
    """The pipeline failed on one document."""


E001 = (
    "[E001] Cannot load spaCy pipeline {name!r}: {reason}. Give an installed package name "
    "(e.g. de_core_news_lg, installed with `python -m spacy download de_core_news_lg`), a directory "
    "saved with nlp.to_disk(), or 'auto' / 'default' for the embedded pipeline."
)
E002 = "[E002] Document {doc_id!r}: the extractor failed ({reason}). The document was skipped."
E003 = "[E003] component {name!r} failed on this document ({reason}); its facts are missing from the record"
W001 = "[W001] empty text: nothing to extract"
W002 = "[W002] text does not look German ({share:.0%} German function words); results may be poor"
W003 = "[W003] long text ({chars} characters) processed in {parts} parts split at paragraph boundaries"
