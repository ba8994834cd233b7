"""The library API: `load()`, `Extractor.extract()` and the streaming `Extractor.pipe()`.

The library never prints; it logs to the 'eventfacts' logger and returns records.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from extractor.errors import E002, W001, W002, W003, ExtractionError
from extractor.german import GERMAN_FUNCTION_WORDS
from extractor.merge import merge_reports
from extractor.pipeline import PipelineInfo, load_pipeline
from extractor.records import doc_to_report
from extractor.tokenizer import make_doc_bounded
from models import EventReport, InputRecord, stable_id

log = logging.getLogger("eventfacts")

# Texts longer than this are processed in parts split at paragraph boundaries, so memory stays
# bounded whatever the input (spaCy's own limit is 1,000,000 characters).
MAX_PART_CHARS = 50_000
# A part of digits or one-letter words ("1 2 3 4 …") holds 25,000 tokens in 50,000 characters, and
# memory grows with tokens (the NER's activations, the rule indexes): such parts are cut further
# so that none holds more than about this many tokens (prose has ~8,000 in 50,000 characters).
MAX_PART_TOKENS = 12_000
# Characters and tokens of the parts in one pipeline batch, whatever the batch size: 32 parts of
# 50,000 characters took gigabytes (the NER's activations grow with the tokens of a batch);
# documents of a few hundred characters still go through in batches of `batch_size`.
MAX_CHARS_IN_FLIGHT = 200_000
MAX_TOKENS_IN_FLIGHT = 16_000
_TOKEN_GUESS = re.compile(r"\w+|[^\w\s]")
_MIN_WORDS_FOR_LANGUAGE = 25


def split_text(text: str, max_chars: int = MAX_PART_CHARS) -> list[tuple[int, str]]:
    """(offset, part) pieces of at most max_chars, cut after a blank line, else a line break, else a space."""
    parts: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = max(window.rfind("\n\n"), 0)
        if cut < max_chars // 4:
            cut = window.rfind("\n")
        if cut < max_chars // 4:
            cut = window.rfind(" ")
        if cut < max_chars // 4:
            cut = max_chars - 1
        parts.append((start, text[start : start + cut + 1]))
        start += cut + 1
    parts.append((start, text[start:]))
    return parts


def split_parts(text: str, max_chars: int = MAX_PART_CHARS, max_tokens: int = MAX_PART_TOKENS) -> list[tuple[int, str]]:
    """`split_text`, then parts with more than about `max_tokens` tokens cut again (linear)."""
    parts: list[tuple[int, str]] = []
    for offset, part in split_text(text, max_chars):
        tokens = sum(1 for _ in _TOKEN_GUESS.finditer(part))
        if tokens <= max_tokens:
            parts.append((offset, part))
            continue
        smaller = max(1_000, len(part) * max_tokens // tokens)
        parts.extend((offset + o, p) for o, p in split_text(part, smaller))
    return parts


def german_share(doc: Doc) -> float | None:
    """Share of words that are German function words; None for texts too short to judge."""
    words = [t.lower_ for t in doc if t.is_alpha]
    if len(words) < _MIN_WORDS_FOR_LANGUAGE:
        return None
    return sum(w in GERMAN_FUNCTION_WORDS for w in words) / len(words)


class Extractor:
    """Turns German event reports into `EventReport` records.

    model (str): 'auto' (de_core_news_lg/md/sm if installed, else the embedded default),
        'default', an installed spaCy package name, or a pipeline directory.
    """

    def __init__(self, model: str = "auto", *, nlp: Language | None = None, max_part_chars: int = MAX_PART_CHARS) -> None:
        self.max_part_chars = max_part_chars
        if nlp is not None:
            self.nlp = nlp
            self.info = PipelineInfo(model, "given", "a Language object was passed", "ner" in nlp.pipe_names, tuple(nlp.pipe_names))
        else:
            self.nlp, self.info = load_pipeline(model)

    def extract(
        self,
        text: str,
        *,
        doc_id: str | None = None,
        published: str | None = None,
        source: str | None = None,
    ) -> EventReport:
        """Extract the facts of one report.

        text (str): the report, as it should be offset into.
        doc_id (str | None): id for the record; a hash of the text when None.
        published (str | None): ISO publication date; anchors "gestern", "im letzten Jahr".
        source (str | None): path or URL, copied into the record.
        RETURNS (EventReport): the validated record.
        """
        if not isinstance(text, str):
            hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
            raise TypeError(f"extract() takes the report text as a str, not {type(text).__name__}{hint}")
        record = InputRecord(id=doc_id, text=text, published=published, source=source)
        report = next(self.pipe([record], on_error="raise"))
        return report

    def pipe(
        self,
        records: Iterable[InputRecord | dict[str, Any] | str],
        *,
        batch_size: int = 32,
        n_process: int = 1,
        on_error: str = "record",
    ) -> Iterator[EventReport]:
        """Stream records through the pipeline, keeping input order.

        records: InputRecords, dicts with 'text' (and 'id', 'published', 'source'), or plain texts.
        on_error (str): 'record' (default): a component that fails on a document leaves an [E003]
            warning in its record (the other components still run); 'raise' turns that into
            ExtractionError. Anything else is a ValueError.
        RAISES (TypeError): for an input that is no InputRecord, dict or str.
        YIELDS (EventReport): one per input record, in input order.
        """
        # A failure while reading the input ends the input there: the records read before it are
        # processed and yielded first, then the failure is raised (nothing read is lost).
        failure: list[BaseException] = []
        if on_error not in ("record", "raise"):
            raise ValueError(f"on_error must be 'record' or 'raise', not {on_error!r}")
        jobs = self._jobs(_until_failure(records, failure))
        if n_process == 1:
            docs = self._pipe_bounded(jobs, batch_size)
        else:
            docs = self.nlp.pipe(jobs, as_tuples=True, batch_size=batch_size, n_process=n_process)
        # Parts of a long text become partial records at once, so no more than one Doc per part
        # is alive: memory stays bounded whatever the length of a text.
        pending: dict[int, list[tuple[int, EventReport]]] = {}
        shares: dict[int, float | None] = {}
        for doc, (key, part_offset, n_parts, rec) in docs:
            partial = doc_to_report(doc, doc_id=rec.id or "", source=rec.source, published=rec.published, offset=part_offset)
            if part_offset == 0:
                shares[key] = german_share(doc)
            pending.setdefault(key, []).append((part_offset, partial))
            if len(pending[key]) < n_parts:
                continue
            parts = pending.pop(key)
            report = self._report(rec, parts, shares.pop(key, None))
            failures = [w for w in report.warnings if w.startswith("[E003]")]
            if failures and on_error == "raise":
                raise ExtractionError(E002.format(doc_id=rec.id, reason=failures[0]), doc_id=rec.id)
            yield report
        if failure:
            raise failure[0]

    def _pipe_bounded(self, jobs: Iterator[tuple[Doc, tuple]], batch_size: int) -> Iterator[tuple[Doc, tuple]]:
        """`nlp.pipe` over groups of at most `batch_size` parts, `MAX_CHARS_IN_FLIGHT` characters and
        `MAX_TOKENS_IN_FLIGHT` tokens (a single larger part goes alone): memory is bounded by the
        size of the text in flight, not by the number of documents."""
        group: list[tuple[Doc, tuple]] = []
        chars = tokens = 0
        for job in jobs:
            size, length = len(job[0].text), len(job[0])
            if group and (chars + size > MAX_CHARS_IN_FLIGHT or tokens + length > MAX_TOKENS_IN_FLIGHT):
                yield from self.nlp.pipe(group, as_tuples=True, batch_size=len(group))
                group, chars, tokens = [], 0, 0
            group.append(job)
            chars += size
            tokens += length
            # A full group goes at once, not when the next input arrives: a stream from a pipe
            # gets each record as soon as its batch is complete.
            if len(group) >= batch_size:
                yield from self.nlp.pipe(group, as_tuples=True, batch_size=len(group))
                group, chars, tokens = [], 0, 0
        if group:
            yield from self.nlp.pipe(group, as_tuples=True, batch_size=len(group))

    def _jobs(self, records: Iterable[InputRecord | dict[str, Any] | str]) -> Iterator[tuple[Doc, tuple]]:
        for key, raw in enumerate(records):
            rec = _as_record(raw)
            if rec.id is None:
                rec = rec.model_copy(update={"id": stable_id(rec.text)})
            parts = split_parts(rec.text, self.max_part_chars)
            # Every part sees the same anchors: the dateline of the first part dates the later ones too.
            anchor = rec.published
            if anchor is None and len(parts) > 1:
                from extractor.components.layout import dateline_published

                anchor = dateline_published(parts[0][1])
            for offset, part in parts:
                doc = make_doc_bounded(self.nlp, part)
                doc._.ef_published = anchor
                yield doc, (key, offset, len(parts), rec)

    def _report(self, rec: InputRecord, parts: list[tuple[int, EventReport]], share: float | None) -> EventReport:
        warnings = list(rec.warnings)
        if not rec.text.strip():
            warnings.append(W001)
        reports = [r for _, r in sorted(parts, key=lambda p: p[0])]
        report = merge_reports(reports) if len(reports) > 1 else reports[0]
        if len(parts) > 1:
            warnings.append(W003.format(chars=len(rec.text), parts=len(parts)))
        if share is not None and share < 0.08:
            warnings.append(W002.format(share=share))
        report.warnings = warnings + report.warnings
        # The offset contract, checked on every record before it leaves the library.
        return EventReport.model_validate(report.model_dump(), context={"text": rec.text})


def _until_failure(records: Iterable[Any], failure: list[BaseException]) -> Iterator[Any]:
    """The records, ending quietly where the iterable raises; the exception goes into `failure`."""
    iterator = iter(records)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # the caller's iterator: its failure is re-raised after the records read
            failure.append(exc)
            return
        yield item


def _as_record(raw: InputRecord | dict[str, Any] | str) -> InputRecord:
    if isinstance(raw, InputRecord):
        return raw
    if isinstance(raw, str):
        return InputRecord(text=raw)
    if not isinstance(raw, dict):
        raise TypeError(f"pipe() takes InputRecords, dicts with 'text' or str texts, not {type(raw).__name__}")
    return InputRecord.model_validate(raw)


def load(model: str = "auto") -> Extractor:
    """The extractor with `model` (see Extractor)."""
    return Extractor(model)
