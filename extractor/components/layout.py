"""`eventfacts_layout`: headline, dateline and page furniture of a press text.

Marks the headline (TITLE), the dateline place ("BERLIN." / "Fulda, 12. Mai 2024 –": DATELINE),
boilerplate lines ("Zurück", "Teilen": BOILERPLATE) and caption prefixes ("Foto:": CAPTION_PREFIX),
so that later components neither take "Zurück" for a name nor miss the dateline place.
"""

from __future__ import annotations

import re

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import extensions as ext
from extractor.components.base import RuleComponent
from extractor.doc_tokens import doc_tokens
from extractor.dates_rules import find_dates, warm_up
from extractor.lexicon import boilerplate_lines, boilerplate_prefixes

_DATELINE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][A-ZÄÖÜ\-/ ]{2,40})\.\s"  # "BERLIN. " / "FRANKFURT AM MAIN. "
    r"|^(?P<place2>[A-ZÄÖÜ][\wäöüß\-/ ]{1,40}?)(?:,\s*\d{1,2}\.|\s*\((?:dpa|epd|kna|afp|red)\)|\s+[–—-]\s)"
    r"|^(?P<place3>[A-ZÄÖÜ][\wäöüß\-]+(?: (?:am|an der|im|in der|ob der) [A-ZÄÖÜ][\wäöüß\-]+)?)\.\s+[A-ZÄÖÜ„\"]"  # "Meißen. Mit …"
)
# "Fulda, 12. Mai 2024 –" / "Berlin, 04.06.2024:" — the date of the release, not of the event.
_DATELINE_DATE = re.compile(r",\s*((?:\d{1,2}\.\s*[A-ZÄÖÜ][a-zäöü]+\.?\s+\d{4})|(?:\d{1,2}\.\d{1,2}\.\d{2,4}))")
_MAX_TITLE_WORDS = 25


def find_layout(text: str) -> list[tuple[int, int, str]]:
    """Character spans (start, end, label) of headline, dateline place and furniture lines."""
    found: list[tuple[int, int, str]] = []
    lines = _lines(text)
    title_done = False
    body_seen = False
    furniture = boilerplate_lines()
    prefixes = boilerplate_prefixes()
    for start, line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        lead = start + len(line) - len(line.lstrip())
        end = lead + len(stripped)
        if stripped in furniture:
            found.append((lead, end, "BOILERPLATE"))
            continue
        # One tuple test rules out most lines before looking for the (longest) prefix that matched.
        prefix = next((p for p in prefixes if stripped.startswith(p)), None) if stripped.startswith(prefixes) else None
        if prefix is not None:
            found.append((lead, lead + len(prefix), "CAPTION_PREFIX"))
            continue
        if not title_done:
            title_done = True
            words = stripped.split()
            if len(words) <= _MAX_TITLE_WORDS and not stripped.endswith((".", "!")) or (
                len(words) <= 12 and len(lines) > 1
            ):
                found.append((lead, end, "TITLE"))
                continue
        if body_seen:
            continue
        # Only the first body line carries a dateline.
        body_seen = True
        m = _DATELINE.match(stripped)
        if m is not None:
            group = next(g for g in ("place", "place2", "place3") if m.group(g))
            place = m.group(group).strip()
            found.append((lead + m.start(group), lead + m.start(group) + len(place), "DATELINE"))
            d = _DATELINE_DATE.match(stripped, m.end(group))
            if d is not None:
                found.append((lead + d.start(1), lead + d.end(1), "DATELINE_DATE"))
    return found


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _lines_are_sentences(doc: Doc) -> None:
    """A line break ends a sentence: headlines, datelines and captions carry no final period.

    Only without a parser (a parsed Doc refuses new sentence starts) and after a sentencizer.
    """
    if doc.has_annotation("DEP") or not doc.has_annotation("SENT_START"):
        return
    words = doc_tokens(doc).text  # the trailing whitespace after a token is " " or nothing
    breaks = [i + 1 for i in range(len(words) - 1) if "\n" in words[i]]
    if not breaks:
        return
    # One array write: `Token.is_sent_start = True` scans the whole Doc each time (quadratic in lines).
    starts = doc.to_array([SENT_START])  # shape (n, 1)
    starts = starts.reshape(len(doc), 1)
    starts[breaks, 0] = 1
    doc.from_array([SENT_START], starts)


class LayoutTagger(RuleComponent):
    """Writes TITLE, DATELINE, BOILERPLATE and CAPTION_PREFIX spans."""

    preload = (boilerplate_lines, boilerplate_prefixes, warm_up)  # dateline dates go through dateparser

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        text = doc_tokens(doc).doc_text
        for start, end, label in find_layout(text):
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
            if label == "DATELINE_DATE" and doc._.ef_published is None:
                # The release date stands in for a missing publication date: it anchors "gestern".
                doc._.ef_published = _release_day(text[start:end])
        doc.spans[self.cfg["spans_key"]] = spans
        _lines_are_sentences(doc)
        return doc


def _release_day(text: str) -> str | None:
    facts = find_dates(text)
    if facts and facts[0].granularity == "day" and "X" not in facts[0].value:
        return facts[0].value
    return None


def dateline_published(text: str) -> str | None:
    """The dateline's release day of a text ("Fulda, 12. Mai 2024 – …" -> "2024-05-12"), or None.

    The layout component sets it on its Doc; a long text split into parts needs it for every part."""
    for start, end, label in find_layout(text):
        if label == "DATELINE_DATE":
            return _release_day(text[start:end])
    return None


@Language.factory("eventfacts_layout", assigns=["doc.spans"], default_config={"spans_key": ext.LAYOUT})
def make_layout(nlp: Language, name: str, spans_key: str) -> LayoutTagger:
    return LayoutTagger(nlp, name, spans_key=spans_key)
