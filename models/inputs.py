"""The input record: one document handed to the extractor."""

from __future__ import annotations

import datetime as _dt
import hashlib

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
# Lone UTF-16 surrogates ("\ud800"), which JSON may carry but no UTF-8 text can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")


def stable_id(text: str) -> str:
    """A document id derived from the text: the same text always gets the same id."""
    # surrogatepass: JSON may carry lone surrogates ("\\ud83d"), which strict UTF-8 refuses.
    return "sha1-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class InputRecord(BaseModel):
    """One document to read: `{"id", "text", "published"?, "source"?}` in JSONL input."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = Field(default=None, description="Document id; a stable hash of the text when missing.")
    text: str = Field(description="The report text.")
    published: str | None = Field(default=None, description="ISO date (YYYY-MM-DD) the report was published.")
    source: str | None = Field(default=None, description="Path or URL the text came from.")
    warnings: list[str] = Field(default_factory=list, description="What the reader noticed (e.g. legacy encoding).")

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        # Archives often number their records; ids are compared as strings.
        return str(value) if isinstance(value, int) else value

    @field_validator("published", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> str | None:
        # A date, or exactly "YYYY-MM-DD" (a timestamp's day part too: "2024-05-03T10:00:00");
        # not "2024-05-03garbage", "20240503" or "2024-W01-1", which fromisoformat would read.
        if value is None or value == "":
            return None
        if isinstance(value, _dt.datetime):
            return value.date().isoformat()
        if isinstance(value, _dt.date):
            return value.isoformat()
        if not isinstance(value, str) or not _ISO_DAY.match(value):
            raise ValueError(f"published must be an ISO date YYYY-MM-DD, got {value!r}")
        try:
            return _dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError as exc:
            raise ValueError(f"published must be an ISO date YYYY-MM-DD, got {value!r}") from exc

    @model_validator(mode="after")
    def _no_lone_surrogates(self) -> InputRecord:
        # One rule at the input boundary: each lone surrogate becomes U+FFFD, one character for one,
        # so offsets into the text stay valid; the record says so.
        for name in ("text", "id", "source"):
            value = getattr(self, name)
            if value and _SURROGATE.search(value):
                count = len(_SURROGATE.findall(value))
                object.__setattr__(self, name, _SURROGATE.sub("\ufffd", value))
                self.warnings.append(f"{count} lone surrogate(s) in {name} replaced by U+FFFD")
        return self
