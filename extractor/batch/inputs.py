"""The input side of a batch run: glob patterns, a cheap document count, the id of an item."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from corpus.archive import HtmlDocument
from models import InputRecord

_GLOB_CHARS = frozenset("*?[")

# What a worker is handed: a record, or a web page whose text is extracted in the worker.
Item = InputRecord | HtmlDocument


def expand_inputs(inputs: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Expand glob patterns the shell left alone ('archiv/**/*.warc.gz'); keep everything else.

    A pattern matching nothing is kept as is, so the reader reports "no such file".
    """
    expanded: list[str] = []
    for entry in inputs:
        text = os.fspath(entry)
        if _GLOB_CHARS & set(text) and not os.path.exists(text):
            matches = sorted(glob.glob(text, recursive=True))
            expanded.extend(matches or [text])
        else:
            expanded.append(text)
    return expanded


def count_documents(inputs: Sequence[str | os.PathLike[str]]) -> int | None:
    """The number of documents when it is cheap to know, else None.

    Only plain files are counted: one per .txt/.html/.htm, one per non-blank line of an
    uncompressed .jsonl. Directories, compressed files, WARC files and stdin give None.
    """
    total = 0
    for name in expand_inputs(inputs):
        path = Path(name)
        lower = path.name.lower()
        if name == "-" or not path.is_file():
            return None
        if lower.endswith(".jsonl"):
            total += _count_lines(path)
        elif lower.endswith((".gz", ".warc")):
            return None
        else:
            total += 1
    return total


def _count_lines(path: Path) -> int:
    count = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def item_id(item: Item) -> str:
    if isinstance(item, HtmlDocument):
        return item.doc_id
    return item.id or ""
