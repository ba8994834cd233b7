"""Packing documents into the tasks handed to workers.

A task costs a round trip to a worker (pickling both ways, a spaCy memory zone) whatever it holds,
so small documents travel together: a task ends at `max_docs` documents or once it holds
`max_chars` characters. A document larger than that travels alone.
"""

from __future__ import annotations

from corpus.archive import HtmlDocument
from extractor.batch.inputs import Item


def item_size(item: Item) -> int:
    """Characters of text, or bytes of HTML (an over-estimate of its text, which is only known after
    extraction in the worker)."""
    return len(item.html) if isinstance(item, HtmlDocument) else len(item.text)


class TaskPacker:
    """Collects documents; `add` and `flush` return the tasks that are complete."""

    def __init__(self, max_docs: int, max_chars: int) -> None:
        self.max_docs = max_docs
        self.max_chars = max_chars
        self._items: list[Item] = []
        self._chars = 0

    def add(self, item: Item) -> list[list[Item]]:
        tasks = []
        size = item_size(item)
        if self._items and self._chars + size > self.max_chars:
            tasks.extend(self.flush())  # a large document does not drag small ones along
        self._items.append(item)
        self._chars += size
        if len(self._items) >= self.max_docs or self._chars >= self.max_chars:
            tasks.extend(self.flush())
        return tasks

    def flush(self) -> list[list[Item]]:
        if not self._items:
            return []
        task, self._items, self._chars = self._items, [], 0
        return [task]
