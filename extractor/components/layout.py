"""`eventfacts_layout`: headline, dateline and page furniture of a press text.

Marks the headline (TITLE), the dateline place ("BERLIN." / "Fulda, 12. Mai 2024 –": DATELINE),
boilerplate lines ("Zurück", "Teilen": BOILERPLATE) and caption prefixes ("Foto:": CAPTION_PREFIX),
so that later components neither take "Zurück" for a name nor miss the dateline place.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import extensions as ext
from extractor.components.base import RuleComponent
from extractor.lexicon import boilerplate_lines, boilerplate_prefixes

_DATELINE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][A-ZÄÖÜ\-/ ]{2,40})\.\s"  # "BERLIN. " / "FRANKFURT AM MAIN. "
    r"|^(?P<place2>[A-ZÄÖÜ][\wäöüß\-/ ]{1,40}?)(?:,\s*\d{1,2}\.|\s*\((?:dpa|epd|kna|afp|red)\)|\s+[–—-]\s)"
)
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
        prefix = next((p for p in prefixes if stripped.startswith(p)), None)
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
            group = "place" if m.group("place") else "place2"
            place = m.group(group).strip()
            found.append((lead + m.start(group), lead + m.start(group) + len(place), "DATELINE"))
    return found


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


class LayoutTagger(RuleComponent):
    """Writes TITLE, DATELINE, BOILERPLATE and CAPTION_PREFIX spans."""

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for start, end, label in find_layout(doc.text):
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
        doc.spans[self.cfg["spans_key"]] = spans
        return doc


@Language.factory("eventfacts_layout", assigns=["doc.spans"], default_config={"spans_key": ext.LAYOUT})
def make_layout(nlp: Language, name: str, spans_key: str) -> LayoutTagger:
    return LayoutTagger(nlp, name, spans_key=spans_key)
