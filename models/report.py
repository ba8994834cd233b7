"""The EventReport record contract (see SCHEMA.md in the shared brief).

Plain Pydantic v2 models: character offsets and values only, never spaCy objects.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

SCHEMA_VERSION = "1.0"

Granularity = Literal["year", "month", "day", "week", "hour", "minute"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Mention(_Record):
    """A stretch of the document text."""

    start: int = Field(ge=0, description="Start character offset into the document text.")
    end: int = Field(ge=0, description="End character offset (exclusive) into the document text.")
    text: str = Field(description="The text between start and end, exactly: text[start:end].")

    @model_validator(mode="after")
    def _ordered(self) -> Mention:
        if self.end < self.start:
            raise ValueError(f"mention end {self.end} lies before start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"mention {self.text!r} has {len(self.text)} characters but spans "
                f"{self.start}..{self.end}"
            )
        return self


class Person(_Record):
    """A person named in the report."""

    name: str = Field(description="Fullest form of the name in the text, without titles such as 'Dr.' or 'Frau'.")
    roles: list[str] = Field(
        default_factory=list,
        description="Job titles or functions as written, nominative singular where the text inflects them.",
    )
    organisation: str | None = Field(
        default=None, description="Name of the organisation the text ties the person to, if any."
    )
    titles: list[str] = Field(
        default_factory=list, description="Academic titles and honorifics seen before the name ('Prof. Dr.', 'Frau')."
    )
    mentions: list[Mention] = Field(default_factory=list, description="Every mention of the person, in text order.")


class Organisation(_Record):
    """An organisation named in the report."""

    name: str = Field(description="Long form of the name, nominative (uninflected).")
    acronym: str | None = Field(default=None, description="Acronym or short form, when the text gives one.")
    mentions: list[Mention] = Field(
        default_factory=list, description="Every mention (long form or acronym), in text order."
    )


class Location(_Record):
    """A place named in the report."""

    name: str = Field(description="Name of the place, nominative.")
    kind: str | None = Field(
        default=None, description="What kind of place, when known: 'city', 'state', 'country', 'region'."
    )
    mentions: list[Mention] = Field(default_factory=list, description="Every mention, in text order.")


class Quantity(_Record):
    """A counted amount: '25 Netzwerker*innen', 'neun Bundesländern', 'rund 2,5 Millionen Euro'."""

    value: int | float = Field(description="The number, with words and German separators resolved.")
    unit: str = Field(description="The counted noun as written ('Bundesländern'), '%' or a currency.")
    text: str = Field(description="The whole phrase as written, equal to mention.text.")
    qualifier: str | None = Field(
        default=None, description="Approximator or bound as written: 'rund', 'mehr als', 'über', 'ca.', 'knapp'."
    )
    mention: Mention = Field(description="Where the phrase stands in the text.")


class TimeExpression(_Record):
    """A date or period, normalised to ISO 8601 at the granularity the text states."""

    text: str = Field(description="The expression as written, equal to mention.text.")
    value: str = Field(
        description="ISO 8601 value at the stated granularity: '2024', '2024-06', '2024-06-04', "
        "or a range 'start/end'."
    )
    granularity: Granularity = Field(description="Finest unit the text states: year, month, day, ...")
    relative: bool = Field(
        default=False, description="True when resolved against `published` or the event start ('gestern')."
    )
    mention: Mention = Field(description="Where the expression stands in the text.")


class Event(_Record):
    """The main event the report is about."""

    name: str | None = Field(default=None, description="Name of the event, e.g. 'INQA-Praxiswerkstatt 2024'.")
    type: str | None = Field(default=None, description="Kind of event, e.g. 'Workshop', 'Fachtag', 'Konferenz'.")
    topic: str | None = Field(default=None, description="Motto or topic, usually a quoted title.")
    location: str | None = Field(default=None, description="Where the event took place (a location name).")
    start: str | None = Field(default=None, description="ISO date of the start, at the stated granularity.")
    end: str | None = Field(default=None, description="ISO date of the end, at the stated granularity.")
    participants: int | None = Field(default=None, description="Number of attendees, when the text counts them.")
    organisers: list[str] = Field(default_factory=list, description="Names of the organisations that hosted it.")


class EventReport(_Record):
    """Every fact eventfacts found in one document."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Version of this record contract.")
    doc_id: str = Field(description="Id from the input record, or a stable hash of the text.")
    source: str | None = Field(default=None, description="Path or URL the text came from.")
    title: str | None = Field(default=None, description="Headline, when one is recognisable.")
    published: str | None = Field(default=None, description="ISO date of publication, when given or found.")
    language: str = Field(default="de", description="Language of the text (always 'de').")
    persons: list[Person] = Field(default_factory=list, description="People named in the text.")
    organisations: list[Organisation] = Field(default_factory=list, description="Organisations named in the text.")
    locations: list[Location] = Field(default_factory=list, description="Places named in the text.")
    quantities: list[Quantity] = Field(default_factory=list, description="Counted amounts.")
    dates: list[TimeExpression] = Field(default_factory=list, description="Dates and periods.")
    event: Event | None = Field(default=None, description="The main event the report is about.")
    warnings: list[str] = Field(
        default_factory=list, description="What the extractor noticed but could not resolve."
    )

    def iter_mentions(self) -> list[Mention]:
        """Every Mention in the record, for contract checks."""
        found: list[Mention] = []
        for group in (self.persons, self.organisations, self.locations):
            for item in group:
                found.extend(item.mentions)
        found.extend(q.mention for q in self.quantities)
        found.extend(d.mention for d in self.dates)
        return found

    @model_validator(mode="after")
    def _offsets_match_text(self, info: ValidationInfo) -> EventReport:
        # The offset contract can only be checked when the caller hands the text in:
        # EventReport.model_validate(data, context={"text": text}).
        context: Any = info.context
        text = context.get("text") if isinstance(context, dict) else None
        if text is None:
            return self
        for m in self.iter_mentions():
            if m.end > len(text) or text[m.start : m.end] != m.text:
                raise ValueError(
                    f"doc {self.doc_id!r}: mention {m.text!r} at {m.start}..{m.end} does not match "
                    f"the text there ({text[m.start:m.end]!r})"
                )
        for q in self.quantities:
            if q.text != q.mention.text:
                raise ValueError(f"doc {self.doc_id!r}: quantity text {q.text!r} differs from its mention")
        for d in self.dates:
            if d.text != d.mention.text:
                raise ValueError(f"doc {self.doc_id!r}: date text {d.text!r} differs from its mention")
        return self
