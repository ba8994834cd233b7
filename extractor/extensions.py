"""Every custom `._` attribute eventfacts sets, in one table.

Values are plain JSON types (str/int/float/bool/list/dict/None), never spaCy objects, so that
Docs survive `doc.to_bytes()` in `nlp.pipe(n_process>1)`. Span attributes live in
`doc.user_data` keyed by the span's offsets, hence one attribute name per concern.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

# Span group keys: one per component, named like the factory.
LAYOUT = "eventfacts_layout"          # TITLE, DATELINE, BOILERPLATE, CAPTION, QUOTE
DATES = "eventfacts_dates"            # DATE
QUANTITIES = "eventfacts_quantities"  # QUANTITY
ROLES = "eventfacts_roles"            # ROLE
PERSONS = "eventfacts_persons"        # PER
ORGS = "eventfacts_orgs"              # ORG
LOCATIONS = "eventfacts_locations"    # LOC
EVENT = "eventfacts_event"            # EVENT (name), TOPIC

DOC_EXTENSIONS: dict[str, object] = {
    # ISO date the document was published, set by the API before the pipeline runs.
    "ef_published": None,
    # Notes for EventReport.warnings.
    "ef_warnings": None,
    # The event frame: {"name", "type", "topic", "location", "start", "end", "participants", "organisers"}.
    "ef_event": None,
    # Person clusters: [{"name", "roles", "organisation", "titles", "mentions": [[start_char, end_char], ...]}].
    "ef_persons": None,
    # Organisation clusters: [{"name", "acronym", "mentions": [[start_char, end_char], ...]}].
    "ef_orgs": None,
    # Location clusters: [{"name", "kind", "mentions": [[start_char, end_char], ...]}].
    "ef_locations": None,
}

SPAN_EXTENSIONS: dict[str, object] = {
    # On DATES spans: {"value": "2024-06-04/2024-06-05", "granularity": "day", "relative": False}.
    "ef_date": None,
    # On QUANTITIES spans: {"value": 25, "unit": "Netzwerker*innen", "qualifier": None}.
    "ef_quantity": None,
    # On ROLES spans: {"lemma": "Referatsleiter", "complement": "der Abteilung ..."}.
    "ef_role": None,
}


def register_extensions() -> None:
    """Register every attribute once; safe to call repeatedly."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()
