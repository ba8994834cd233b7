"""What the three resolvers share: entity ids from canonical keys, display names, doc lists."""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from models.entities import EntityMention


@dataclass(frozen=True)
class Placed:
    """A mention's place in an entity: the entity's canonical key and the rule that put it there."""

    mention: EntityMention
    key: tuple[str, ...]
    reason: str
    # How the name may be shown for the entity; None when it should not be (a bare acronym).
    display: str | None


def entity_id(key: tuple[str, ...]) -> str:
    """'<kind>:' + a short hash of the canonical key: equal keys give equal ids in any run."""
    digest = hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:12]
    return f"{key[0].split('-')[0]}:{digest}"


def display_name(names: Iterable[str], prefer_long: bool) -> str:
    """The most frequent name; ties go to the longest (places, persons: 'Frankfurt am Main',
    'Michael J. Schulz') or the shortest (organisations: the nominative 'Bundesministerium' beats
    'Bundesministeriums'), then to the alphabetically first, so the choice never depends on order."""
    counts = Counter(names)
    sign = -1 if prefer_long else 1
    return min(counts, key=lambda n: (-counts[n], sign * len(n), n))


def docs_phrase(docs: Iterable[str], exclude: str | None = None, limit: int = 3) -> str:
    """'r012', 'r012 and r014', 'r012, r014, r020 and 2 more': sorted, without repeats, without `exclude`.

    A list is taken as sorted and free of repeats already (entities with thousands of reports hand
    theirs in once, so the phrase costs `limit` steps per mention, not a sort)."""
    ordered = docs if isinstance(docs, list) else sorted(set(docs))
    at = bisect_left(ordered, exclude) if exclude is not None else len(ordered)
    excluded = at < len(ordered) and ordered[at] == exclude
    total = len(ordered) - excluded
    first = [d for d in ordered[: limit + 2] if d != exclude][: limit + 1]
    if total <= 1:
        return "".join(first[:1])
    if total <= limit:
        return ", ".join(first[: total - 1]) + " and " + first[total - 1]
    return ", ".join(first[:limit]) + f" and {total - limit} more"


def quoted(text: str, limit: int = 60) -> str:
    """'text' in quotes, cut to `limit` characters: reasons are stored with every mention."""
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


def listed(items: list[str], limit: int = 2) -> str:
    """'a; b' or 'a; b and 3 more': the first few of a sorted list."""
    shown = "; ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
