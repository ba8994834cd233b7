"""What a search of the index returns: reports that matched, and entities across reports.

Plain Pydantic v2 models like the records themselves (no spaCy, no SQLite objects), so the
library, the CLI's `--json` output and any web layer speak the same shapes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.report import Event, Mention

EntityKind = Literal["person", "org", "place"]


class _Hit(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MatchedFact(_Hit):
    """One fact of a report that a search filter matched (a person, a role, a place...)."""

    field: Literal["person", "org", "place", "role", "type", "date"] = Field(
        description="Which filter matched it."
    )
    value: str = Field(description="The fact as the record states it, e.g. 'Anna Beispiel (Referatsleiterin)'.")
    entity_id: str | None = Field(default=None, description="The entity the fact belongs to, when resolved.")
    mentions: list[Mention] = Field(default_factory=list, description="Where the report's text names it.")


class ReportHit(_Hit):
    """A report that matched a search, with what made it match."""

    doc_id: str
    title: str | None = None
    published: str | None = None
    date: str | None = Field(default=None, description="The event start, else the publication date.")
    source: str | None = None
    event: Event | None = Field(default=None, description="The report's event frame.")
    matched: list[MatchedFact] = Field(default_factory=list, description="Facts that the filters matched.")
    snippet: str | None = Field(
        default=None, description="Text around the query words ([…] marks them), from the text or else the title."
    )
    score: float | None = Field(default=None, description="Text relevance (higher is better); None without a query.")


class EntitySummary(_Hit):
    """An entity across the archive: one person, organisation or place under all its names."""

    entity_id: str
    kind: EntityKind
    name: str = Field(description="Display name chosen by entity resolution.")
    reports: int = Field(description="Number of reports that name it.")
    mentions: int = Field(description="Number of record entries (one per report and name) joined into it.")
    names: list[str] = Field(default_factory=list, description="Every distinct name the records give it.")


class EntityMentionHit(_Hit):
    """One record entry joined into an entity, with the reason it was joined."""

    mention_key: str
    doc_id: str
    title: str | None = None
    date: str | None = None
    name: str
    acronym: str | None = None
    roles: list[str] = Field(default_factory=list)
    organisation: str | None = None
    titles: list[str] = Field(default_factory=list)
    reason: str | None = Field(default=None, description="Why entity resolution put this entry into the entity.")
    mentions: list[Mention] = Field(default_factory=list, description="Offsets of the entry in its report's text.")


class EntityDetail(_Hit):
    """An entity with its entries (sorted by date), for `eventfacts entities show ID`."""

    entity: EntitySummary
    entries: list[EntityMentionHit]
    total: int = Field(description="All entries of the entity; `entries` may hold fewer (limit).")
