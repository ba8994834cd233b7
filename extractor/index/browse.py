"""Browsing the index in a web page with Datasette (optional extra `browse`).

`datasette_metadata()` declares what a reader of the archive wants at hand: facets on the reports
(event type, place, year, organisation), labels instead of ids, full-text search over titles and
texts, the bookkeeping tables hidden, and two canned queries.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from extractor.index.schema import open_index


class BrowseUnavailable(Exception):
    """Datasette is not installed."""


REPORTS_OF_AN_ORGANISATION = """
SELECT r.date, r.doc_id, r.title, r.event_type, r.event_location, o.name AS organisation, o.acronym, o.entity_id
FROM organisations o JOIN reports r ON r.id = o.report_id
WHERE o.entity_id IN (SELECT entity_id FROM organisations
                      WHERE name LIKE '%' || :organisation || '%' OR acronym = :organisation)
   OR o.name LIKE '%' || :organisation || '%' OR o.acronym = :organisation
ORDER BY r.date DESC, r.doc_id
""".strip()

ROLES_OF_A_PERSON = """
SELECT r.date, p.name AS person, group_concat(rn.role, ', ') AS roles, p.organisation, r.doc_id, r.title, p.entity_id
FROM persons p JOIN reports r ON r.id = p.report_id
LEFT JOIN roles ro ON ro.report_id = p.report_id AND ro.n = p.n
LEFT JOIN role_names rn ON rn.id = ro.role_id
WHERE p.entity_id IN (SELECT entity_id FROM persons WHERE name LIKE '%' || :person || '%')
   OR p.name LIKE '%' || :person || '%'
GROUP BY p.report_id, p.n
ORDER BY p.entity_id, r.date, r.doc_id
""".strip()

# Lookup and search plumbing: the vocabulary of the typo-tolerant search (`words`) and the reason
# texts (shown as labels of `reason_id`) are not tables a reader browses.
_HIDDEN = ("meta", "names", "names_fts", "role_names", "keys", "entity_keys", "pending_keys", "pending_entities",
           "report_fts", "roles", "words", "words_fts", "reasons")


def datasette_metadata(db: str | os.PathLike[str]) -> dict[str, Any]:
    """Datasette metadata for the index file `db` (its database name is the file's stem)."""
    name = Path(db).stem
    tables: dict[str, Any] = {table: {"hidden": True} for table in _HIDDEN}
    tables.update({
        "reports": {
            "label_column": "title",
            "description": "One row per report with its event frame. Search covers titles and texts.",
            "facets": ["event_type", "event_location", "year", {"array": "organisations"}],
            "facet_size": 15,
            "sort_desc": "date",
            "fts_table": "report_fts",
            "fts_pk": "id",
            "columns": {
                "date": "Event start, else publication date",
                "event_location": "Place of the event",
                "organisations": "Organisations the report names",
                "organisers": "Organisers of the event",
            },
        },
        "persons": {"label_column": "name", "facets": ["organisation", "entity_id"],
                    "description": "Persons per report; entity_id joins the same person across reports."},
        "organisations": {"label_column": "name", "facets": ["name", "acronym"],
                          "description": "Organisations per report; entity_id joins long forms, inflections, acronyms."},
        "places": {"label_column": "name", "facets": ["name", "kind"]},
        "reasons": {"hidden": True, "label_column": "text",
                    "description": "Why entity resolution joined an entry to its entity."},
        "entities": {"label_column": "name", "facets": ["kind"], "sort_desc": "reports",
                     "description": "Persons, organisations and places across the archive, with report counts."},
        "person_roles": {"facets": ["role", "organisation"]},
        "report_organisations": {"facets": ["organisation", "year", "event_type"]},
    })
    return {
        "title": "eventfacts index",
        "description": "Facts from German event reports: reports, persons with roles, organisations, places, "
                       "quantities, dates and entities across reports.",
        "databases": {
            name: {
                "tables": tables,
                "queries": {
                    "reports_of_an_organisation": {
                        "title": "Reports of an organisation",
                        "description": "Name, part of a name or acronym; every form entity resolution joined.",
                        "sql": REPORTS_OF_AN_ORGANISATION,
                    },
                    "roles_of_a_person": {
                        "title": "Roles of a person over time",
                        "description": "A name or part of it; one row per report, oldest first.",
                        "sql": ROLES_OF_A_PERSON,
                    },
                },
            }
        },
    }


def make_datasette(db: str | os.PathLike[str]) -> Any:
    """A Datasette instance over the index (checked first: a wrong file fails with our message)."""
    open_index(db).close()
    try:
        from datasette.app import Datasette
    except ImportError as exc:
        raise BrowseUnavailable(
            "browsing needs Datasette, an optional extra: pip install 'eventfacts[browse]'") from exc
    return Datasette([str(db)], metadata=datasette_metadata(db), settings={"facet_time_limit_ms": 1000})


def serve(db: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8001,
          echo: Callable[[str], None] = print) -> None:
    """Serve the index until interrupted."""
    datasette = make_datasette(db)
    import uvicorn

    echo(f"browsing {db} at http://{host}:{port}/{Path(db).stem} (Ctrl-C stops)")
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
