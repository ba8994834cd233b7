"""Input side of eventfacts: reading documents from files, directories and stdin."""

from __future__ import annotations

from corpus.errors import ReadError
from corpus.readers import iter_documents, output_among_inputs

__all__ = ["ReadError", "iter_documents", "output_among_inputs"]
