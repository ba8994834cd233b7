"""The input record: one document handed to the extractor."""

from __future__ import annotations

import datetime as _dt
import hashlib

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
# Lone UTF-16 surrogates ("\ud800"), which JSON may carry but no UTF-8 text can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters that are no text: NUL, the other C0 codes except the whitespace ones
# (tab, line feed, vertical tab, form feed, carriage return), and DEL.
CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_UNCLEAN = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(value: str) -> tuple[str, int, int]:
    """The input rule for text, id and source: each control character becomes a space and each
    lone surrogate U+FFFD, one character for one, so every offset into the text stays valid.

    RETURNS (tuple[str, int, int]): The cleaned value, the number of controls and of surrogates replaced.
    """
    controls = surrogates = 0
    if _UNCLEAN.search(value) is None:  # the common case: one scan
        return value, 0, 0
    if CONTROL_CHARS.search(value):
        value, controls = CONTROL_CHARS.subn(" ", value)
    if _SURROGATE.search(value):
        value, surrogates = _SURROGATE.subn("\ufffd", value)
    return value, controls, surrogates


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
    def _clean_input(self) -> InputRecord:
        # One rule at the input boundary (see `clean_text`), for every reader and the API alike;
        # the record says what was replaced.
        if not (_UNCLEAN.search(self.text) or (self.id and _UNCLEAN.search(self.id))
                or (self.source and _UNCLEAN.search(self.source))):
            return self  # the common case, checked without a call per field
        for name in ("text", "id", "source"):
            value = getattr(self, name)
            if not value:
                continue
            cleaned, controls, surrogates = clean_text(value)
            if cleaned is value:
                continue
            object.__setattr__(self, name, cleaned)
            if surrogates:
                self.warnings.append(f"{surrogates} lone surrogate(s) in {name} replaced by U+FFFD")
            if controls:
                self.warnings.append(f"{controls} control character(s) in {name} replaced by spaces")
        return self
