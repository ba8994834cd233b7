"""Shared fixtures: the embedded default pipeline, loaded once per test session."""

from __future__ import annotations

import pytest

from extractor.api import Extractor


@pytest.fixture(scope="session")
def extractor_default() -> Extractor:
    return Extractor("default")


@pytest.fixture(scope="session")
def nlp_default(extractor_default: Extractor):
    return extractor_default.nlp
