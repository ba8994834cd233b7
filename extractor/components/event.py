"""`eventfacts_event`: the frame of the main event (name, type, topic, place, dates, attendees, hosts).

Reads what the earlier components found. The headline and lead carry most of the frame, so
they are searched first: the event type is the first event noun there ("Praxiswerkstatt",
"Zukunftskonferenz" -> Konferenz), the name is that noun when a name prefix or a year marks it as
one ("INQA-Praxiswerkstatt 2024"), the topic is a quoted motto, the place the first location after
"in"/"nach" or the dateline. Participants are a quantity counting attendees; organisers are the
organisations that "luden ein", "richteten aus", or on whose "Einladung" people came.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import extensions as ext
from extractor.components.base import RuleComponent
from extractor.lexicon import attendee_nouns, compound_head, event_types

_QUOTES = re.compile(r"[„“\"»«]([^„“\"»«\n]{3,120})[“”\"«»]")
_MOTTO = re.compile(r"(?:Motto|Thema|Titel|Leitthema|Überschrift)\s*:?\s*[„“\"»«]([^„“\"»«\n]{3,120})[“”\"«»]")
# Verbs of hosting, with the organisation as subject or agent.
_HOST_BEFORE = re.compile(
    r"\b(lud|luden|hatte[n]?\s+\w+\s+eingeladen|richtete|richteten|veranstaltete|veranstalteten|"
    r"organisierte|organisierten|hatte[n]? eingeladen|hat(?:te)? .{0,60}eingeladen|begrüßte|begrüßten)\b"
)
_HOST_AFTER = re.compile(
    r"(?:[Ee]ingeladen (?:hatte|hatten|hat|haben)|auf Einladung|Einladung|Veranstalter(?:in)?|Gastgeber(?:in)?|Ausrichter(?:in)?|organisiert von|"
    r"veranstaltet von|ausgerichtet von|initiiert von)\s*(?:war|ist|waren|sind|:)?\s*(?:des|der|von|vom|dem|die|das)?\s*$"
)
_YEAR = re.compile(r"^(19|20)\d\d$")
_LEAD_CHARS = 600


def _event_type(text: str):  # noqa: ANN201 - EventTypeEntry | None
    table = event_types()
    if text in table:
        return table[text]
    if "-" in text:
        tail = text.rsplit("-", 1)[1]
        if tail in table:
            return table[tail]
    hit = compound_head(text, table)
    return hit[1] if hit and getattr(hit[1], "compound_head", False) else None


def is_attendee_noun(unit: str) -> bool:
    """'Teilnehmende', 'Netzwerker*innen', 'Vertreterinnen und Vertreter', 'Gäste' count attendees."""
    table = attendee_nouns()
    first = unit.split()[0]
    if first in table or unit in table:
        return True
    hit = compound_head(first, table)
    return hit is not None


class EventFramer(RuleComponent):
    """Writes `doc._.ef_event` and EVENT / TOPIC spans; resolves 'am zweiten Tag' against the start."""

    def __call__(self, doc: Doc) -> Doc:
        title = next((sp for sp in doc.spans.get(ext.LAYOUT, []) if sp.label_ == "TITLE"), None)
        lead_end = max(title.end_char if title is not None else 0, 0) + _LEAD_CHARS
        spans: list[Span] = []

        etype, name_span = self._type_and_name(doc, title, lead_end)
        if name_span is not None:
            spans.append(name_span)
        topic_span = self._topic(doc, title, lead_end)
        if topic_span is not None:
            spans.append(topic_span)
        start, end = self._when(doc, lead_end, name_span)
        frame = {
            "name": name_span.text if name_span is not None else None,
            "type": etype,
            "topic": topic_span.text if topic_span is not None else None,
            "location": self._where(doc, lead_end),
            "start": start,
            "end": end,
            "participants": self._participants(doc),
            "organisers": self._organisers(doc),
        }
        doc._.ef_event = frame
        doc.spans[self.cfg["spans_key"]] = spans
        self._resolve_event_days(doc, start)
        return doc

    def _type_and_name(self, doc: Doc, title: Span | None, lead_end: int) -> tuple[str | None, Span | None]:
        first = None
        for tok in doc:
            if tok.idx > lead_end and first is not None:
                break
            entry = _event_type(tok.text)
            if entry is None or not tok.text[:1].isupper():
                continue
            name_end = tok.i + 1
            if name_end < len(doc) and _YEAR.match(doc[name_end].text):
                name_end += 1
            # A name needs a marker: a name prefix ("INQA-Praxiswerkstatt"), a year
            # ("Bundesarbeitstagung 2017") or a compound the type noun only ends.
            named = "-" in tok.text or name_end > tok.i + 1
            if named:
                return entry.type, Span(doc, tok.i, name_end, label="EVENT")
            if first is None:
                first = entry.type
        return first, None

    def _topic(self, doc: Doc, title: Span | None, lead_end: int) -> Span | None:
        m = _MOTTO.search(doc.text)
        if m is None and title is not None:
            m = _QUOTES.search(doc.text, title.start_char, title.end_char)
        if m is None:
            return None
        span = doc.char_span(m.start(1), m.end(1), label="TOPIC", alignment_mode="contract")
        orgs = {(sp.start, sp.end) for sp in doc.spans.get(ext.ORGS, [])}
        if span is None or (span.start, span.end) in orgs:
            return None
        return span

    def _where(self, doc: Doc, lead_end: int) -> str | None:
        clusters = doc._.ef_locations or []
        by_start = {}
        for c in clusters:
            for s, _ in c["mentions"]:
                by_start[s] = c["name"]
        for s in sorted(by_start):
            if s > lead_end:
                break
            span = doc.char_span(s, s + 1, alignment_mode="expand")
            if span is not None and span.start > 0 and doc[span.start - 1].lower_ in {"in", "nach", "im"}:
                return by_start[s]
        for sp in doc.spans.get(ext.LOCATIONS, []):
            layout = [x for x in doc.spans.get(ext.LAYOUT, []) if x.label_ == "DATELINE"]
            if layout and sp.start == layout[0].start:
                return by_start.get(sp.start_char)
        return None

    def _when(self, doc: Doc, lead_end: int, name_span: Span | None) -> tuple[str | None, str | None]:
        dates = list(doc.spans.get(ext.DATES, []))
        for sp in dates:
            info = sp._.ef_date or {}
            if sp.start_char > lead_end + 600 or info.get("relative"):
                continue
            value = info.get("value") or ""
            if info.get("granularity") in {"day", "month"} and "X" not in value:
                start, _, end = value.partition("/")
                return start, end or start
        if name_span is not None and _YEAR.match(name_span[-1].text):
            return name_span[-1].text, name_span[-1].text
        return None, None

    def _participants(self, doc: Doc) -> int | None:
        for sp in doc.spans.get(ext.QUANTITIES, []):
            info = sp._.ef_quantity or {}
            if is_attendee_noun(str(info.get("unit", ""))) and isinstance(info.get("value"), (int, float)):
                return int(info["value"])
        return None

    def _organisers(self, doc: Doc) -> list[str]:
        names: list[str] = []
        for cluster in doc._.ef_orgs or []:
            for start, end in cluster["mentions"]:
                before = doc.text[max(0, start - 60) : start]
                sent = doc.char_span(start, end, alignment_mode="expand")
                after = doc.text[end : sent.sent.end_char] if sent is not None and doc.has_annotation("SENT_START") else doc.text[end : end + 120]
                if _HOST_AFTER.search(before) or (_HOST_BEFORE.match(after.lstrip()) or _host_in_sentence(after)):
                    if cluster["name"] not in names:
                        names.append(cluster["name"])
                    break
        return names

    def _resolve_event_days(self, doc: Doc, start: str | None) -> None:
        pending = doc.spans.get("eventfacts_event_days")
        if not pending or start is None or len(start) != 10:
            return
        from extractor.dates_rules import resolve_event_day

        resolved = list(doc.spans.get(ext.DATES, []))
        for sp in pending:
            ordinal = (sp._.ef_date or {}).get("ordinal")
            if not ordinal:
                continue
            new = Span(doc, sp.start, sp.end, label="DATE")
            new._.ef_date = {"value": resolve_event_day(int(ordinal), start), "granularity": "day", "relative": True}
            resolved.append(new)
        doc.spans[ext.DATES] = sorted(resolved, key=lambda s: s.start)


def _host_in_sentence(after: str) -> bool:
    """'Die Initiative … (INQA) lud … ein': the hosting verb follows the subject closely."""
    clause = re.split(r"[.!?]", after, maxsplit=1)[0]
    return bool(re.match(r"^[\s“”\"»«]*(?:\([^)]*\)\s*)?(lud|luden|richtete|richteten|veranstaltete|veranstalteten|organisierte|organisierten|hatte zu|hatten zu|lädt|laden)\b", clause))


@Language.factory("eventfacts_event", assigns=["doc._.ef_event", "doc.spans"], default_config={"spans_key": ext.EVENT})
def make_event(nlp: Language, name: str, spans_key: str) -> EventFramer:
    return EventFramer(nlp, name, spans_key=spans_key)
