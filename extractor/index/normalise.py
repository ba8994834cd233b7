"""Normal forms the index matches on: name words, role text, and date bounds.

A name filter ("--org 'Bundesministeriums für Arbeit'") must find the record name "Bundesministerium
für Arbeit und Soziales" and an acronym; a date filter must compare "2024", "2024-06" and
"2024-06-04/2024-06-05" with plain days. Entity resolution joins what these forms cannot
(an acronym to its long form, "Frankfurt" to "Frankfurt am Main"), through entity ids.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

import snowballstemmer

# Words a name filter ignores: titles and honorifics (records keep them apart from names anyway)
# and the function words inside organisation names, which every long form shares.
IGNORED_WORDS = frozenset(
    "dr prof frau herr hr fr dipl ing med phil rer nat jur mba ma ba "
    "für fur und der die das des dem den von vom zu zur zum am im in an auf aus bei mit e v".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("german")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def name_words(*names: str | None) -> list[str]:
    """The stems a name is matched by: case-folded, titles and function words dropped, each word
    reduced by the Snowball German stemmer, so inflected forms meet ("Ministeriums" ->
    "ministerium", "Müllers" -> "mull")."""
    words: list[str] = []
    for name in names:
        if not name:
            continue
        for word in _WORD.findall(name.casefold()):
            if word in IGNORED_WORDS:
                continue
            stem = _stem(word)
            if stem not in words:
                words.append(stem)
    return words


# Word characters as SQLite's unicode61 tokenizer sees them: letters and digits, not "_".
_TEXT_WORD = re.compile(r"[^\W_]+")


def word_list(text: str | None) -> list[str]:
    """The lower-case words of a title, text or query, in order, as the full-text index splits them."""
    return _TEXT_WORD.findall(text.lower()) if text else []


def text_words(text: str | None) -> set[str]:
    """The distinct lower-case words of a title or text."""
    return set(word_list(text))


def fold(text: str) -> str:
    """Case-folded text for substring matching of roles (SQLite's LIKE folds ASCII only)."""
    return " ".join(text.casefold().split())


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?$")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@lru_cache(maxsize=65536)  # pure; asked twice per record and most archives share their dates
def date_bounds(value: str | None) -> tuple[str, str] | None:
    """First and last day an ISO value covers: "2024" -> 2024-01-01..2024-12-31, a range
    "a/b" -> first day of a .. last day of b. None for what no calendar day can pin
    ("--08-01", "XXXX", empty)."""
    if not value:
        return None
    if "/" in value:
        first, _, last = value.partition("/")
        a, b = date_bounds(first), date_bounds(last)
        if a and b:
            return (a[0], b[1]) if a[0] <= b[1] else (b[0], a[1])
        return a or b
    week = _ISO_WEEK.match(value)
    if week:
        try:
            monday = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError:
            return None
        return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
    match = _ISO.match(value)
    if not match:
        return None
    year, month, day = match[1], match[2], match[3]
    try:
        if day:
            iso = dt.date(int(year), int(month), int(day)).isoformat()
            return iso, iso
        if month:
            last = calendar.monthrange(int(year), int(month))[1]
            return f"{year}-{month}-01", dt.date(int(year), int(month), last).isoformat()
    except ValueError:
        return None
    return f"{year}-01-01", f"{year}-12-31"


def check_date(value: str, option: str) -> tuple[str, str]:
    """Bounds of a user's --from/--to value, or ValueError with a sentence naming the option."""
    bounds = date_bounds(value.strip()) if value and "/" not in value else None
    if bounds is None:
        raise ValueError(f"{option} must be a date YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return bounds
