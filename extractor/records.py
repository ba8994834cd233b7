"""Doc -> models.EventReport: the one bridge between spaCy objects and the record contract."""

from __future__ import annotations

from spacy.tokens import Doc

from extractor import extensions as ext
from models import (
    Event,
    EventReport,
    Location,
    Mention,
    Organisation,
    Person,
    Quantity,
    TimeExpression,
)


def _mention(text: str, start: int, end: int, offset: int) -> Mention:
    return Mention(start=start + offset, end=end + offset, text=text[start:end])


def doc_to_report(
    doc: Doc,
    *,
    doc_id: str,
    source: str | None = None,
    published: str | None = None,
    offset: int = 0,
) -> EventReport:
    """Build the record for one processed Doc.

    offset (int): added to every character offset, for a Doc that is one part of a longer text.
    """
    text = doc.text  # built from the tokens on every access: take it once
    title = next((sp.text for sp in doc.spans.get(ext.LAYOUT, []) if sp.label_ == "TITLE"), None)
    persons = [
        Person(
            name=p["name"],
            roles=list(p["roles"]),
            organisation=p["organisation"],
            titles=list(p.get("titles", [])),
            mentions=[_mention(text, s, e, offset) for s, e in p["mentions"]],
        )
        for p in doc._.ef_persons or []
    ]
    organisations = [
        Organisation(
            name=o["name"],
            acronym=o["acronym"],
            mentions=[_mention(text, s, e, offset) for s, e in o["mentions"]],
        )
        for o in doc._.ef_orgs or []
    ]
    locations = [
        Location(
            name=loc["name"],
            kind=loc.get("kind"),
            mentions=[_mention(text, s, e, offset) for s, e in loc["mentions"]],
        )
        for loc in doc._.ef_locations or []
    ]
    quantities = []
    for sp in doc.spans.get(ext.QUANTITIES, []):
        info = sp._.ef_quantity or {}
        quantities.append(
            Quantity(
                value=info["value"],
                unit=info["unit"],
                qualifier=info.get("qualifier"),
                text=sp.text,
                mention=_mention(text, sp.start_char, sp.end_char, offset),
            )
        )
    dates = []
    for sp in doc.spans.get(ext.DATES, []):
        info = sp._.ef_date or {}
        if not info.get("value"):
            continue
        dates.append(
            TimeExpression(
                text=sp.text,
                value=info["value"],
                granularity=info["granularity"],
                relative=bool(info.get("relative")),
                mention=_mention(text, sp.start_char, sp.end_char, offset),
            )
        )
    frame = doc._.ef_event
    event = Event(**frame) if frame and any(v not in (None, []) for v in frame.values()) else None
    return EventReport(
        doc_id=doc_id,
        source=source,
        title=title,
        published=published or doc._.ef_published,
        persons=persons,
        organisations=organisations,
        locations=locations,
        quantities=quantities,
        dates=dates,
        event=event,
        warnings=list(doc._.ef_warnings or []),
    )
