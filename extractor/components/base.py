"""Shared plumbing for the eventfacts rule components: settings and (de)serialisation.

Each component keeps its settings in `self.cfg` (plain JSON) and writes them as `cfg.json`, so a
pipeline saved with `nlp.to_disk()` loads again with `spacy.load()`. Lexicons are package data and
are read on construction, not serialised.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.language import Language

from extractor import extensions  # noqa: F401 - registers doc._.ef_warnings
from extractor.errors import E003
from spacy.tokens import Doc
from spacy.util import ensure_path, from_bytes, from_disk, to_bytes, to_disk


log = logging.getLogger("eventfacts")


class RuleComponent:
    """Base class: subclasses implement `__call__(doc) -> Doc` and read settings from `self.cfg`."""

    # The cached lexicon tables (and other lazy set-up) a component reads, built when the
    # component is created, i.e. when the pipeline loads, not while the first document waits.
    preload: tuple[Callable[[], object], ...] = ()

    def __init__(self, nlp: Language, name: str, **cfg: Any) -> None:
        self.nlp = nlp
        self.name = name
        self.cfg: dict[str, Any] = dict(cfg)
        for load in self.preload:
            load()

    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - abstract
        raise NotImplementedError

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Process a stream; a failure on one document is noted on it, never ends the stream."""
        for doc in stream:
            try:
                yield self(doc)
            except Exception as exc:  # one bad document must not stop an archive run
                # the record carries the reason; the traceback only for those who debug
                log.debug("component %s failed", self.name, exc_info=True)
                doc._.ef_warnings = list(doc._.ef_warnings or []) + [E003.format(name=self.name, reason=exc)]
                yield doc

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None) -> None:
        """Rule components need no training data; lexicons are package data."""

    # -- serialisation: only the settings travel ------------------------------------------
    def _load_cfg(self, data: bytes | str) -> None:
        self.cfg.update(json.loads(data))

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return to_bytes({"cfg": lambda: json.dumps(self.cfg, sort_keys=True).encode("utf8")}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = tuple()) -> RuleComponent:
        from_bytes(bytes_data, {"cfg": self._load_cfg}, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        path = ensure_path(path)

        def write_cfg(p: Path) -> None:
            p.write_text(json.dumps(self.cfg, sort_keys=True, ensure_ascii=False), encoding="utf8")

        to_disk(path, {"cfg.json": write_cfg}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> RuleComponent:
        path = ensure_path(path)
        from_disk(path, {"cfg.json": lambda p: self._load_cfg(p.read_text(encoding="utf8"))}, exclude)
        return self
