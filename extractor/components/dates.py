"""`eventfacts_dates`: German date and period expressions, normalised to ISO 8601.

Candidates are found on characters with our own patterns (`extractor.dates_rules`), each
candidate string is normalised by dateparser, then the spans are snapped to tokens. Results:
- `doc.spans[spans_key]`: one "DATE" span per expression, `span._.ef_date` =
  {"value", "granularity", "relative", "kind", ...}; relative ones only when `doc._.ef_published` is set.
- `doc.spans[event_days_key]`: "am zweiten Tag" that could not be tied to a date, with
  `span._.ef_date = {"ordinal": 2, ...}` and no value; the event component resolves them
  (`extractor.dates_rules.resolve_event_day`). Resolved ones go to `spans_key` instead.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import extensions as ext
from extractor.components.base import RuleComponent
from extractor.doc_tokens import doc_tokens
from extractor.dates_rules import find_dates, find_event_days, resolve_event_days, warm_up

EVENT_DAYS = "eventfacts_event_days"


@Language.factory(
    "eventfacts_dates",
    assigns=["doc.spans"],
    default_config={"spans_key": ext.DATES, "event_days_key": EVENT_DAYS, "resolve_event_days": True},
)
def make_dates(
    nlp: Language, name: str, spans_key: str, event_days_key: str = EVENT_DAYS, resolve_event_days: bool = True
) -> DateTagger:
    return DateTagger(nlp, name, spans_key=spans_key, event_days_key=event_days_key,
                      resolve_event_days=resolve_event_days)


class DateTagger(RuleComponent):
    """Finds time expressions and writes them to `doc.spans`.

    spans_key (str): span group for resolved time expressions (label "DATE").
    event_days_key (str): span group for unresolved event days (label "EVENT_DAY").
    resolve_event_days (bool): tie "am zweiten Tag" to the document's only multi-day period.
    """

    preload = (warm_up,)

    def __init__(
        self,
        nlp: Language,
        name: str = "eventfacts_dates",
        *,
        spans_key: str = ext.DATES,
        event_days_key: str = EVENT_DAYS,
        resolve_event_days: bool = True,
    ) -> None:
        super().__init__(nlp, name, spans_key=spans_key, event_days_key=event_days_key,
                         resolve_event_days=resolve_event_days)

    @property
    def spans_key(self) -> str:
        return self.cfg["spans_key"]

    @property
    def event_days_key(self) -> str:
        return self.cfg["event_days_key"]

    def __call__(self, doc: Doc) -> Doc:
        text = doc_tokens(doc).doc_text
        facts = find_dates(text, doc._.ef_published)
        dates: list[Span] = []
        taken: list[tuple[int, int]] = []
        for fact in facts:
            span = _span(doc, fact.start, fact.end)
            if span is None:
                continue
            attr = fact.as_attr()
            if (span.start_char, span.end_char) != (fact.start, fact.end):
                # Snapping grew the span (e.g. "2024." kept as one token): keep the exact offsets.
                attr["char_span"] = [fact.start, fact.end]
            span._.ef_date = attr
            dates.append(span)
            taken.append((span.start_char, span.end_char))
        pending: list[Span] = []
        mentions = [m for m in find_event_days(text) if not _overlaps(m.start, m.end, taken)]
        resolved = resolve_event_days(mentions, facts) if self.cfg["resolve_event_days"] else [(m, None) for m in mentions]
        for mention, fact in resolved:
            span = _span(doc, mention.start, mention.end, label="DATE" if fact else "EVENT_DAY")
            if span is None:
                continue
            if fact is not None:
                span._.ef_date = fact.as_attr()
                dates.append(span)
            else:
                span._.ef_date = {"ordinal": mention.ordinal, "daypart": mention.daypart}
                pending.append(span)
        doc.spans[self.spans_key] = sorted(dates, key=lambda s: s.start_char)
        doc.spans[self.event_days_key] = pending
        return doc


def _span(doc: Doc, start: int, end: int, label: str = "DATE") -> Span | None:
    """The span for [start, end): exact token boundaries if possible, else the enclosing tokens."""
    span = doc.char_span(start, end, label=label)
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
    return span


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and end > s for s, e in taken)
