"""eventfacts: facts from German event reports. `import extractor` registers every spaCy factory."""

from __future__ import annotations

from extractor import extensions as extensions  # noqa: F401 - registers Doc/Span attributes
from extractor.api import Extractor, load, stable_id
from extractor.pipeline import load_pipeline

__version__ = "0.1.0"
__all__ = ["Extractor", "load", "load_pipeline", "stable_id", "__version__"]
