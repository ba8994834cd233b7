"""Entities across reports: the mentions handed to entity resolution and what it assigns to them.

Plain Pydantic v2 models, no spaCy. A mention is one person, organisation or place of one record
(`EventReport.persons[n]`, `.organisations[n]`, `.locations[n]`), with the facts resolution weighs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EntityKind = Literal["person", "org", "place"]


class EntityMention(BaseModel):
    """One person, organisation or place as one record gives it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mention_key: str = Field(description="Unique in the archive: '{doc_id}:{kind}:{n}', n = index in the record's list.")
    doc_id: str = Field(description="The record the mention comes from.")
    kind: EntityKind = Field(description="person, org or place.")
    name: str = Field(description="Name as the record gives it (Person.name, Organisation.name, Location.name).")
    acronym: str | None = Field(default=None, description="Organisations: the acronym the record pairs with the name.")
    titles: list[str] = Field(default_factory=list, description="Persons: titles and honorifics ('Dr.', 'Frau').")
    roles: list[str] = Field(default_factory=list, description="Persons: roles as written.")
    organisation: str | None = Field(default=None, description="Persons: the affiliation's name as in the record.")
    location_kind: str | None = Field(default=None, description="Places: city, state, country, region, ...")
    published: str | None = Field(default=None, description="The record's publication date, when known.")


class EntityAssignment(BaseModel):
    """Which entity a mention belongs to, and why."""

    model_config = ConfigDict(extra="forbid")

    mention_key: str = Field(description="The mention this assignment is for.")
    entity_id: str = Field(
        description="Stable id, e.g. 'org:3f2a9c1d0e': a hash of the entity's canonical key, so the same "
        "clusters give the same ids whatever the input order."
    )
    canonical_name: str = Field(description="Display name of the entity (from the mentions resolved with it).")
    reason: str = Field(description="Why this mention belongs to this entity, in words.")
