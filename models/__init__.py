"""Pydantic records of eventfacts. This package never imports spaCy."""

from models.report import (
    SCHEMA_VERSION,
    Event,
    EventReport,
    Location,
    Mention,
    Organisation,
    Person,
    Quantity,
    TimeExpression,
)
from models.inputs import InputRecord, stable_id

__all__ = [
    "SCHEMA_VERSION",
    "Event",
    "EventReport",
    "InputRecord",
    "Location",
    "Mention",
    "Organisation",
    "Person",
    "Quantity",
    "TimeExpression",
    "stable_id",
]
