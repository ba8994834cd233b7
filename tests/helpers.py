"""Small helpers shared by the component tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


@contextmanager
def fed_path(data: bytes, fifo: Path | None = None) -> Iterator[str]:
    """A path a writer thread feeds `data` through: a named pipe at `fifo`, else `/dev/fd/N` of an
    os.pipe (what bash makes of `<(zcat presse.jsonl.gz)`). Neither can seek nor has a size."""
    if fifo is not None:
        os.mkfifo(fifo)
        read_end = None
    else:
        read_end, write_end = os.pipe()

    def write() -> None:
        with open(fifo, "wb") if fifo is not None else os.fdopen(write_end, "wb") as handle:
            handle.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        yield str(fifo) if fifo is not None else f"/dev/fd/{read_end}"
    finally:
        writer.join(timeout=10)
        if read_end is not None:
            os.close(read_end)
