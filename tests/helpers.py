"""Small helpers shared by the component tests (fixtures live in conftest.py)."""

from __future__ import annotations

import pytest


def known_bug(reason: str) -> pytest.MarkDecorator:
    """A case the pipeline gets wrong today: strict, so that a fix makes the test fail until unmarked."""
    return pytest.mark.xfail(reason=reason, strict=True)


def spans_of(text: str, *parts: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each part, searched in text order after the previous one."""
    found: list[tuple[int, int, str]] = []
    pos = 0
    for part in parts:
        start = text.index(part, pos)
        found.append((start, start + len(part), part))
        pos = start + len(part)
    return found
