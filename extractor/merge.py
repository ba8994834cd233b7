"""Merging the records of the parts of one long text into one record."""

from __future__ import annotations

from models import EventReport


def _merge_named(groups: list[list], key: str = "name") -> list:
    merged: dict[str, object] = {}
    for items in groups:
        for item in items:
            name = getattr(item, key)
            if name in merged:
                target = merged[name]
                target.mentions.extend(item.mentions)
                for role in getattr(item, "roles", []):
                    if role not in target.roles:
                        target.roles.append(role)
                if hasattr(item, "organisation") and target.organisation is None:
                    target.organisation = item.organisation
                if hasattr(item, "acronym") and target.acronym is None:
                    target.acronym = item.acronym
            else:
                merged[name] = item.model_copy(deep=True)
    return list(merged.values())


def merge_reports(parts: list[EventReport]) -> EventReport:
    """One record from the records of consecutive parts (offsets already shifted)."""
    first = parts[0]
    return first.model_copy(
        update={
            "persons": _merge_named([p.persons for p in parts]),
            "organisations": _merge_named([p.organisations for p in parts]),
            "locations": _merge_named([p.locations for p in parts]),
            "quantities": [q for p in parts for q in p.quantities],
            "dates": [d for p in parts for d in p.dates],
            "event": first.event or next((p.event for p in parts if p.event), None),
            "warnings": [w for p in parts for w in p.warnings],
        }
    )
