"""Pure rules for German time expressions: find candidates in a text and normalise them to ISO 8601.

Nothing here knows about spaCy. `find_dates(text, published)` returns `DateFact`s (character
offsets + ISO value) and `EventDayMention`s ("am zweiten Tag"), which the `eventfacts_dates`
component turns into spans.

Why not `dateparser.search.search_dates`: over running text it reads function words ("die", "mit",
"so") as dates. Candidates are therefore found with explicit patterns, and every value is computed
with plain calendar arithmetic (month-name table, `datetime.date` validation), which is exact for
the closed set of forms the patterns accept.

Decisions (documented because the text is often ambiguous):
- Spans start at the first day number or weekday: "vom 4. bis 5. Juni 2024" -> "4. bis 5. Juni 2024";
  "am 04.06.2024" -> "04.06.2024"; "im Jahr 2023" -> "2023". Relative phrases keep their preposition
  because it carries the meaning: "im letzten Jahr", "vor zwei Wochen", "in der vergangenen Woche".
  A weekday alone keeps its modifier but not "am": "vergangenen Montag", "Montag".
- A year right after an event-type noun or an acronym-prefixed name ("INQA-Praxiswerkstatt 2024",
  "Bundesarbeitstagung 2017") is the event's year: emitted as a DATE and used as context year.
  A year after any other capitalised noun is part of a name ("Agenda 2030", "Raum 2024"): skipped.
- Missing years: see `context_year`. Unknown years are written "XXXX" (ISO 8601-2 unspecified).
- Relative expressions are emitted only when the publication date is known.
- Durations ("zwei Tage"), clock times alone ("14 Uhr"), ordinals ("3. Platz"), "2023/24": no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

MONTHS: dict[str, int] = {
    "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feber": 2, "feb": 2, "märz": 3, "maerz": 3,
    "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "dezember": 12, "dez": 12,
}
WEEKDAYS: dict[str, int] = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6, "mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6,
}
NUMBER_WORDS: dict[str, int] = {
    "ein": 1, "einem": 1, "einer": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
}
ORDINAL_STEMS: dict[str, int] = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7, "siebent": 7,
}

# --- regex building blocks --------------------------------------------------------------------
_MONTH_FULL = r"(?:Januar|Jänner|Februar|Feber|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)(?![\w-])"
# Abbreviations only with their period: "Jun." - bare "Jun" or "Mai" as a name part stays out.
_MONTH_ABBR = r"(?:Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Nov|Dez)\."
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_WEEKDAY = r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag|Mo\.|Di\.|Mi\.|Do\.|Fr\.|Sa\.|So\.)"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MON_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19\d\d|20\d\d)"
# "Dienstag, 4. Juni", "Montag, den 3. März", "Di., 04.06.": the weekday belongs to the span.
_WD = r"(?:(?P<{g}>" + _WEEKDAY + r")\s*,?\s*(?:(?:den|dem)\s+)?)?"
_DASH = r"\s*[-–—]\s*"
_BIS = r"\s+bis(?:\s+(?:zum|einschließlich))?\s+"
_DAY_LIST_SEP = rf"(?:{_DASH}|\s*/\s*|{_BIS}|\s+(?:und|&)\s+)"
_DATE_SEP = rf"(?:{_DASH}|{_BIS})"
_NOT_BEFORE_NUM = r"(?<![\w.,/:+§-])"
_YEAR_END = r"(?![\d]|[.,]\d|/\d)"

_TEXT_RANGE_FULL = re.compile(
    _NOT_BEFORE_NUM + _WD.format(g="wd1") + rf"(?P<d1>{_DAY})\.\s*(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?"
    + _DATE_SEP + _WD.format(g="wd2") + rf"(?P<d2>{_DAY})\.\s*(?P<m2>{_MONTH})(?:\s+(?P<y2>{_YEAR}){_YEAR_END})?"
)
_TEXT_RANGE_DAYS = re.compile(
    _NOT_BEFORE_NUM + _WD.format(g="wd1") + rf"(?P<d1>{_DAY})\.{_DAY_LIST_SEP}(?P<d2>{_DAY})\.\s*"
    rf"(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}){_YEAR_END})?"
)
_NUM_RANGE_DAYS = re.compile(  # "4.-6.3.2024", "4.–6.3."
    _NOT_BEFORE_NUM + rf"(?P<d1>{_DAY})\.{_DASH}(?P<d2>{_DAY})\.(?P<m>{_MON_NUM})\."
    rf"(?:(?P<y>{_YEAR})|(?P<yy>\d\d))?(?!\d)"
)
_NUM_RANGE_FULL = re.compile(  # "30.05.–02.06.2024", "30.05.2024 bis 02.06.2024"
    _NOT_BEFORE_NUM + _WD.format(g="wd1") + rf"(?P<d1>{_DAY})\.(?P<m1>{_MON_NUM})\.(?:(?P<y1>{_YEAR})|(?P<yy1>\d\d))?(?!\d)"
    + _DATE_SEP + _WD.format(g="wd2") + rf"(?P<d2>{_DAY})\.(?P<m2>{_MON_NUM})\.(?:(?P<y2>{_YEAR})|(?P<yy2>\d\d))?(?!\d)"
)
_TEXT_DATE = re.compile(
    _NOT_BEFORE_NUM + _WD.format(g="wd") + rf"(?P<d>{_DAY})\.\s*(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}){_YEAR_END})?"
)
_NUM_DATE = re.compile(
    _NOT_BEFORE_NUM + _WD.format(g="wd") + rf"(?P<d>{_DAY})\.(?P<m>{_MON_NUM})\."
    rf"(?:(?P<y>{_YEAR})|(?P<yy>\d\d))?(?![\d])"
)
_ISO_DATE = re.compile(rf"(?<![\w.-])(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w-])")
_MONTH_RANGE = re.compile(
    rf"(?<!\w)(?P<m1>{_MONTH_FULL})(?:\s+(?P<y1>{_YEAR}))?(?:{_DASH}|\s+bis\s+)(?P<m2>{_MONTH_FULL})"
    rf"(?:\s+(?P<y2>{_YEAR}){_YEAR_END})?"
)
_MONTH_YEAR = re.compile(rf"(?<!\w)(?P<m>{_MONTH})\s+(?P<y>{_YEAR}){_YEAR_END}")
# A month alone is a date only after a temporal preposition: "im Juni", "Ende Mai", "seit März".
_BARE_MONTH = re.compile(
    rf"(?<!\w)(?:[Ii]m|[Ss]eit|[Aa]b|[Bb]is|[Aa]nfang|[Mm]itte|[Ee]nde|[Ss]tart)\s+(?P<m>{_MONTH_FULL})"
)
_YEAR_RANGE = re.compile(
    rf"{_NOT_BEFORE_NUM}(?P<y1>{_YEAR})(?:{_DASH}|\s+bis\s+(?:(?:zum\s+)?Jahr\s+)?)(?P<y2>{_YEAR}){_YEAR_END}"
)
_BARE_YEAR = re.compile(rf"(?<![\w.,/:+§©-])(?P<y>{_YEAR})(?![\w%€]|[.,:]\d|/\d|-\d)")

# --- relative expressions ---------------------------------------------------------------------
_DAY_ADVERB = re.compile(r"(?<![\w-])(?P<w>[Vv]orgestern|[Gg]estern|[Hh]eute|morgen|[Üü]bermorgen)(?![\w-])")
_DAY_ADVERB_OFFSET = {"vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "übermorgen": 2}
_REL_PERIOD = re.compile(
    r"(?<![\w-])(?P<prep>(?:[Ii]m|[Ii]n(?:\s+der)?)\s+)?"
    r"(?P<adj>[Ll]etzt|[Vv]ergangen|[Vv]orig|[Nn]ächst|[Kk]ommend|[Dd]ies)(?:e|en|er|es|em)\s+"
    r"(?P<unit>Jahr(?:es)?|Monat(?:s)?|Woche)(?![\w-])"
)
_REL_OFFSET = {"letzt": -1, "vergangen": -1, "vorig": -1, "nächst": 1, "kommend": 1, "dies": 0}
_PRIOR_YEAR = re.compile(r"(?<![\w-])(?:[Ii]m\s+)?Vorjahr(?:es|s)?(?![\w-])")
_AGO = re.compile(
    r"(?<![\w-])[Vv]or\s+(?P<n>\d{1,2}|einem|einer|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf)\s+"
    r"(?P<unit>Tag(?:en)?|Woche(?:n)?|Monat(?:en)?|Jahr(?:en)?)(?![\w-])"
)
_REL_WEEKDAY = re.compile(
    r"(?<![\w-])(?:(?P<am>[Aa]m|[Aa]n\s+diesem|[Ss]eit|[Aa]b|[Bb]is|[Zz]um)\s+)?"
    r"(?:(?P<mod>[Vv]ergangenen|[Ll]etzten|[Vv]origen|[Kk]ommenden|[Nn]ächsten|[Dd]iesen|heutigen)\s+)?"
    r"(?P<wd>Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)"
    r"(?P<part>morgen|vormittag|mittag|nachmittag|abend|\s+(?:Morgen|Vormittag|Mittag|Nachmittag|Abend)(?![\w-]))?(?![\w-])"
)
_EVENT_DAY = re.compile(
    r"(?<![\w-])(?:(?P<part>Vormittag|Nachmittag|Morgen|Mittag|Abend)\s+des\s+)?"
    r"(?:(?P<ordw>[Ee]rst|[Zz]weit|[Dd]ritt|[Vv]iert|[Ff]ünft|[Ss]echst|[Ss]iebent|[Ss]iebt)(?:e|en|er|es|em)|(?P<ordn>[1-9])\.)"
    r"\s+(?:Tag|(?:Veranstaltungs|Konferenz|Tagungs|Kongress|Workshop|Messe|Seminar|Festival|Forums|Camp)tag)(?:es|s)?(?![\w-])"
)
_EVENT_DAY_NUMBERED = re.compile(r"(?<![\w-])Tag\s+(?P<n>[1-7]|eins|zwei|drei|vier|fünf)(?![\w.,:-])")

# --- context words for bare years ---------------------------------------------------------------
# Capitalised words after which a year is still a time ("Seit 2019", "Im Jahr 2023", "Sommer 2024").
_YEAR_FRIENDLY = frozenset(
    "im in seit ab bis von vom vor nach um für zum zur bereits schon erst noch auch und oder sowie "
    "ende anfang mitte beginn start jahr jahres jahren jahre sommer herbst winter frühjahr frühling "
    "saison spielzeit quartal halbjahr geschäftsjahr haushaltsjahr schuljahr kalenderjahr stand "
    "ostern pfingsten weihnachten silvester während zwischen dem den des der die das am".split()
)
# Nouns of time or of an action, after which a year dates it: "Jahresende 2015", "Übernahme 2012".
_TIME_NOUN_ENDINGS = (
    "jahr", "jahres", "ende", "anfang", "beginn", "mitte", "hälfte", "quartal", "ung", "nahme", "wahl",
    "wahlen", "start", "gabe",
)
# Words before a number that make it an amount: "rund 2000", "mehr als 1900".
_AMOUNT_WORDS = frozenset(
    "rund etwa ca. circa über knapp fast nahezu insgesamt gut mehr weniger als zu unter mindestens "
    "maximal höchstens bislang nr. nummer tel. telefon fax".split()
)
# Lowercase units after a number: "2000 km".
_UNIT_WORDS = frozenset("km m kg t ha qm mio. mrd. mal stück prozent euro eur".split())
# Event-type heads: "INQA-Praxiswerkstatt 2024", "Bundesarbeitstagung 2017", "Fachtag 2024".
_EVENT_SUFFIXES = (
    "tagung", "konferenz", "werkstatt", "tag", "tage", "forum", "kongress", "messe", "preis", "award",
    "woche", "wochen", "festival", "gipfel", "workshop", "seminar", "treffen", "symposium",
    "wettbewerb", "camp", "summit", "dialog", "börse", "lauf", "cup", "meisterschaft", "ausstellung",
    "expo", "barcamp", "hackathon", "versammlung", "akademie", "schau", "gala", "festspiele",
)
# "Antrag", "Vertrag", "Betrag", "Montag" end in "tag" but name no event.
_NOT_EVENT_SUFFIXES = ("trag", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")


@dataclass(frozen=True)
class Point:
    """One calendar point as the text states it; None where the text is silent."""

    year: int | None
    month: int | None = None
    day: int | None = None

    @property
    def granularity(self) -> str:
        return "day" if self.day else "month" if self.month else "year"


@dataclass
class Candidate:
    """A stretch of text that may be a time expression, before the year is filled in."""

    start: int
    end: int
    kind: str  # "point", "range", "relative"
    points: tuple[Point, ...] = ()
    weekday: int | None = None
    name_year: bool = False  # the year of an event name ("Fachtag 2024")
    rel: tuple[Any, ...] | None = None  # ("day", n) / ("week", n) / ("month", n) / ("year", n) / ("weekday", wd, mode)


@dataclass(frozen=True)
class DateFact:
    """A normalised time expression at [start, end) of the text."""

    start: int
    end: int
    value: str
    granularity: str
    relative: bool
    kind: str = "point"
    extra: dict[str, Any] = field(default_factory=dict)

    def as_attr(self) -> dict[str, Any]:
        """The JSON dict stored in `span._.ef_date`."""
        return {"value": self.value, "granularity": self.granularity, "relative": self.relative,
                "kind": self.kind, **self.extra}


@dataclass(frozen=True)
class EventDayMention:
    """'am zweiten Tag': a day counted from the event start, resolvable only against it."""

    start: int
    end: int
    ordinal: int
    daypart: str | None = None


# --- small helpers ----------------------------------------------------------------------------
def _month(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


def _year(full: str | None, short: str | None = None) -> int | None:
    if full:
        return int(full)
    if short:
        yy = int(short)
        return 2000 + yy if yy < 70 else 1900 + yy
    return None


def _weekday(name: str | None) -> int | None:
    return WEEKDAYS[name.rstrip(".").lower()] if name else None


def _valid(p: Point) -> bool:
    if p.month is None or p.day is None:
        return True
    try:
        date(p.year or 2000, p.month, p.day)  # 2000 is a leap year: "29. Februar" stays valid
    except ValueError:
        return False
    return True


def _prev_word(text: str, pos: int) -> tuple[str, str]:
    """The word before `pos` and the characters between it and `pos` (same line only)."""
    m = re.search(r"(\S+)([ \t\u00a0]*)\Z", text[max(0, pos - 60):pos])
    return (m.group(1), m.group(2)) if m else ("", "")


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"[ \t\u00a0]+(\S+)", text[pos:pos + 60])
    return m.group(1) if m else ""


def _event_word_before(text: str, pos: int, n: int = 4) -> bool:
    """An event-type word among the `n` words before `pos`, within the same line and clause."""
    line = text[max(0, pos - 80):pos].rsplit("\n", 1)[-1]
    clause = re.split(r"[.,;:!?()„“\"–—]", line)[-1]
    return any(_is_event_name(w) for w in clause.split()[-n:])


def _is_acronym(word: str) -> bool:
    letters = word.replace("-", "")
    return 3 <= len(letters) <= 6 and letters.isalnum() and letters[0].isalpha() and letters.upper() == letters


def _is_event_name(word: str) -> bool:
    """'INQA-Praxiswerkstatt', 'Bundesarbeitstagung', 'KI-Camp': a name whose year is the event's."""
    if not word[:1].isupper():
        return False
    parts = word.split("-")
    last = parts[-1].lower()
    if last.endswith(_EVENT_SUFFIXES) and not last.endswith(_NOT_EVENT_SUFFIXES):
        return True
    # Acronym-prefixed names: "INQA-Check", "KI-Forum" (but not "Baden-Württemberg").
    return len(parts) > 1 and parts[0].isupper() and parts[0].isalpha() and len(parts[0]) >= 2


def _year_role(text: str, start: int, end: int) -> str | None:
    """Whether a bare year at [start, end) is a time ("time"), an event-name year ("name") or neither."""
    prev, _ = _prev_word(text, start)
    nxt = _next_word(text, end)
    if prev in {"©", "(c)", "(C)"} or re.fullmatch(r"[\d/+()–—-]+", prev) or re.match(r"\d", nxt):
        return None  # copyright lines, phone numbers and codes: "0661 2024 77"
    word = prev.strip("„“”\"'‚‘’»«(")
    low = word.lower()
    if low in _AMOUNT_WORDS:
        return None  # "rund 2000", "Nr. 2019"
    friendly = False
    if prev and not re.search(r"[.,;:!?)\]–—-]$", prev):
        # The year stands right after a word: an event name, a time word or another name.
        if _is_event_name(word):
            return "name"
        friendly = (
            low in _YEAR_FRIENDLY or low.endswith(_TIME_NOUN_ENDINGS) or low.rstrip(".") in MONTHS
            or _is_acronym(word)  # "EM 2024", "IAA 2023": events known by their acronym
        )
        if word[:1].isupper() and not friendly:
            if _event_word_before(text, start):
                return "name"  # "Fachtag Inklusion 2023", "Tag der offenen Tür 2024"
            return None  # "Agenda 2030", "Raum 2024", "Hauptstraße 2010": part of a name or address
    nxt_clean = nxt.strip("\"'„“”()[],;:!?")
    if nxt_clean.lower() in _UNIT_WORDS:
        return None
    if nxt_clean[:1].isupper() and not friendly and not nxt.startswith(("(", "„", "\"")):
        return None  # "2024 Teilnehmende": an amount before a plural noun
    return "time"


# --- candidate finding ------------------------------------------------------------------------
def _range(start: int, end: int, a: Point, b: Point, wd: int | None = None) -> Candidate | None:
    if not (_valid(a) and _valid(b)):
        return None
    return Candidate(start, end, "range", (a, b), weekday=wd)


def find_candidates(text: str) -> list[Candidate]:
    """Every absolute and relative time-expression candidate in `text`, overlaps removed.

    text (str): the document text.
    RETURNS (list[Candidate]): non-overlapping candidates in text order; longer ones win.
    """
    found: list[Candidate] = []
    add = found.append
    for m in _TEXT_RANGE_FULL.finditer(text):
        c = _range(m.start(), m.end(), Point(_year(m["y1"]), _month(m["m1"]), int(m["d1"])),
                   Point(_year(m["y2"]), _month(m["m2"]), int(m["d2"])), _weekday(m["wd1"]))
        if c:
            add(c)
    for m in _TEXT_RANGE_DAYS.finditer(text):
        y, mo = _year(m["y"]), _month(m["m"])
        if int(m["d1"]) < int(m["d2"]):
            c = _range(m.start(), m.end(), Point(y, mo, int(m["d1"])), Point(y, mo, int(m["d2"])), _weekday(m["wd1"]))
            if c:
                add(c)
    for m in _NUM_RANGE_DAYS.finditer(text):
        y, mo = _year(m["y"], m["yy"]), int(m["m"])
        if int(m["d1"]) < int(m["d2"]):
            c = _range(m.start(), m.end(), Point(y, mo, int(m["d1"])), Point(y, mo, int(m["d2"])))
            if c:
                add(c)
    for m in _NUM_RANGE_FULL.finditer(text):
        c = _range(m.start(), m.end(), Point(_year(m["y1"], m["yy1"]), int(m["m1"]), int(m["d1"])),
                   Point(_year(m["y2"], m["yy2"]), int(m["m2"]), int(m["d2"])), _weekday(m["wd1"]))
        if c:
            add(c)
    for m in _TEXT_DATE.finditer(text):
        p = Point(_year(m["y"]), _month(m["m"]), int(m["d"]))
        if _valid(p):
            add(Candidate(m.start(), m.end(), "point", (p,), weekday=_weekday(m["wd"])))
    for m in _NUM_DATE.finditer(text):
        p = Point(_year(m["y"], m["yy"]), int(m["m"]), int(m["d"]))
        # Without a year "4.6." is only a date after a date word ("am 4.6."), not "Abschnitt 4.6.".
        if p.year is None and not m["wd"] and _prev_word(text, m.start())[0].lower() not in {
            "am", "vom", "bis", "zum", "ab", "seit", "den", "dem", "und", "datum:", "stand:"
        }:
            continue
        if _valid(p):
            add(Candidate(m.start(), m.end(), "point", (p,), weekday=_weekday(m["wd"])))
    for m in _ISO_DATE.finditer(text):
        p = Point(int(m["y"]), int(m["m"]), int(m["d"]))
        if _valid(p):
            add(Candidate(m.start(), m.end(), "point", (p,)))
    for m in _MONTH_RANGE.finditer(text):
        y1, y2 = _year(m["y1"]), _year(m["y2"])
        if y1 is None and y2 is None and _prev_word(text, m.start())[0].lower() not in {"von", "zwischen", "im"}:
            continue
        add(Candidate(m.start(), m.end(), "range", (Point(y1, _month(m["m1"])), Point(y2, _month(m["m2"])))))
    for m in _MONTH_YEAR.finditer(text):
        add(Candidate(m.start(), m.end(), "point", (Point(int(m["y"]), _month(m["m"])),)))
    for m in _BARE_MONTH.finditer(text):
        add(Candidate(m.start("m"), m.end("m"), "point", (Point(None, _month(m["m"])),)))
    for m in _YEAR_RANGE.finditer(text):
        y1, y2 = int(m["y1"]), int(m["y2"])
        if y1 >= y2:
            continue
        # A span of years is a period even after a noun ("Förderphase 2021–2024").
        prev = _prev_word(text, m.start())[0]
        if not re.fullmatch(r"[\d/+()–—-]+", prev) and prev.lower() not in _AMOUNT_WORDS:
            add(Candidate(m.start(), m.end(), "range", (Point(y1), Point(y2))))
    for m in _BARE_YEAR.finditer(text):
        role = _year_role(text, m.start(), m.end())
        if role:
            add(Candidate(m.start(), m.end(), "point", (Point(int(m["y"])),), name_year=role == "name"))
    found.extend(_relative_candidates(text))
    return _without_overlaps(found)


def _relative_candidates(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    for m in _DAY_ADVERB.finditer(text):
        word = m["w"].lower()
        prev = _prev_word(text, m.start())[0].lower()
        nxt = _next_word(text, m.end()).lower()
        # "von heute auf morgen", "die Welt von heute": idioms, not the publication day.
        if prev in {"von", "auf"} or (word == "heute" and nxt == "auf"):
            continue
        out.append(Candidate(m.start(), m.end(), "relative", rel=("day", _DAY_ADVERB_OFFSET[word])))
    for m in _REL_PERIOD.finditer(text):
        nxt = _next_word(text, m.end()).lower()
        if m["prep"] and nxt in {"der", "des", "seiner", "ihrer", "ihres", "seines"}:
            continue  # "im letzten Jahr der Förderung": a period of something else
        unit = m["unit"].lower().rstrip("s")
        unit = {"jahre": "year", "jahr": "year", "monat": "month", "woche": "week"}[unit]
        out.append(Candidate(m.start(), m.end(), "relative", rel=(unit, _REL_OFFSET[m["adj"].lower()])))
    for m in _PRIOR_YEAR.finditer(text):
        out.append(Candidate(m.start(), m.end(), "relative", rel=("year", -1)))
    for m in _AGO.finditer(text):
        n = int(m["n"]) if m["n"].isdigit() else NUMBER_WORDS[m["n"].lower()]
        unit = m["unit"].lower()
        plural = unit.endswith("en")
        if (n == 1) == plural:
            continue  # "vor zwei Woche" is no German; keep the grammar honest
        unit = {"t": "day", "w": "week", "m": "month", "j": "year"}[unit[0]]
        out.append(Candidate(m.start(), m.end(), "relative", rel=("ago_" + unit, n)))
    for m in _REL_WEEKDAY.finditer(text):
        if not (m["am"] or m["mod"]):
            continue
        if re.match(r"\s*,?\s*(?:den\s+|dem\s+)?\d{1,2}\.", text[m.end():]):
            continue  # a date follows ("Montag, 3. März"); the absolute patterns own it
        mod = (m["mod"] or "").lower()
        prep = (m["am"] or "").lower()
        if mod in {"vergangenen", "letzten", "vorigen"}:
            mode = "before"
        elif mod in {"kommenden", "nächsten"}:
            mode = "after"
        elif prep in {"ab", "bis"}:
            mode = "on_or_after"  # "ab Montag", "bis Freitag": announcements look ahead
        else:
            mode = "on_or_before"  # "am Montag" in a report: the last such day
        start = m.start("mod") if m["mod"] else m.start("wd")
        out.append(Candidate(start, m.end(), "relative", rel=("weekday", WEEKDAYS[m["wd"].lower()], mode)))
    return out


def find_event_days(text: str) -> list[EventDayMention]:
    """'am zweiten Tag', 'am Vormittag des zweiten Tages', 'Tag zwei': days counted from the event start.

    text (str): the document text.
    RETURNS (list[EventDayMention]): mentions in text order.
    """
    out: list[EventDayMention] = []
    for m in _EVENT_DAY.finditer(text):
        ordinal = int(m["ordn"]) if m["ordn"] else ORDINAL_STEMS[m["ordw"].lower()]
        out.append(EventDayMention(m.start(), m.end(), ordinal, m["part"]))
    for m in _EVENT_DAY_NUMBERED.finditer(text):
        n = m["n"]
        out.append(EventDayMention(m.start(), m.end(), int(n) if n.isdigit() else NUMBER_WORDS[n]))
    out.sort(key=lambda e: e.start)
    return out


def _without_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the longest candidate wherever candidates overlap (like `spacy.util.filter_spans`)."""
    chosen: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if all(c.end <= s or c.start >= e for s, e in taken):
            chosen.append(c)
            taken.append((c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


# --- year filling -------------------------------------------------------------------------------
def context_year(cands: list[Candidate], lead_chars: int = 300) -> int | None:
    """The year that completes dates written without one ("am 10. Mai"), if the text fixes it.

    "Strong" years are those of dates with a month (full dates, "Juni 2024", day ranges) and of
    event names ("Fachtag 2024"). The first rule that yields exactly one distinct year wins:
    1. the strong years of the whole document;
    2. the strong years in the first `lead_chars` characters (title, dateline);
    3. every explicit year of the document, bare ones ("seit 2019") included.
    cands (list[Candidate]): from `find_candidates`.
    lead_chars (int): how much of the text counts as title and dateline.
    RETURNS (int | None): the year, or None when the text does not decide it.
    """
    strong: set[int] = set()
    lead: set[int] = set()
    every: set[int] = set()
    for c in cands:
        if c.kind == "relative":
            continue
        for p in c.points:
            if p.year is None:
                continue
            every.add(p.year)
            if p.month is not None or c.name_year:
                strong.add(p.year)
                if c.start < lead_chars:
                    lead.add(p.year)
    for years in (strong, lead, every):
        if len(years) == 1:
            return next(iter(years))
    return None


def _published_year(p: Point, published: date, weekday: int | None) -> int:
    """Year for a yearless date from the publication date: reports look back, rarely ahead."""
    month, day = p.month or 1, p.day or 1
    if weekday is not None and p.day is not None:
        # "Dienstag, 4. Juni": the weekday names the year when exactly one nearby year fits.
        fits = [y for y in (published.year - 1, published.year, published.year + 1) if _weekday_of(y, month, day) == weekday]
        if len(fits) == 1:
            return fits[0]
    y = published.year
    try:
        if date(y, month, day) > published + timedelta(days=61):
            y -= 1
    except ValueError:  # 29 February in a common year
        y -= 1
    return y


def _weekday_of(y: int, m: int, d: int) -> int | None:
    try:
        return date(y, m, d).weekday()
    except ValueError:
        return None


def _fill_years(c: Candidate, year: int | None, published: date | None) -> tuple[tuple[Point, ...], str]:
    """Complete the points of `c`; returns the points and where the year came from."""
    pts = list(c.points)
    if all(p.year is not None for p in pts):
        return tuple(pts), "explicit"
    if len(pts) == 2:
        a, b = pts
        if b.year is not None:  # "30. Dezember bis 2. Januar 2024": the start lies a year earlier
            return (replace(a, year=b.year - (1 if _later(a, b) else 0)), b), "explicit"
        if a.year is not None:
            return (a, replace(b, year=a.year + (1 if _later(a, b) else 0))), "explicit"
    source = "context"
    if year is None and published is not None:
        year, source = _published_year(pts[0], published, c.weekday), "published"
    if year is None:
        return tuple(pts), "unknown"
    first = replace(pts[0], year=year)
    if len(pts) == 1:
        return (first,), source
    return (first, replace(pts[1], year=year + (1 if _later(pts[0], pts[1]) else 0))), source


def _later(a: Point, b: Point) -> bool:
    return ((a.month or 0), (a.day or 0)) > ((b.month or 0), (b.day or 0))


def iso(p: Point) -> str:
    """'2024-06-04', '2024-06', '2024'; an unknown year is 'XXXX' (ISO 8601-2)."""
    y = f"{p.year:04d}" if p.year is not None else "XXXX"
    if p.month is None:
        return y
    if p.day is None:
        return f"{y}-{p.month:02d}"
    return f"{y}-{p.month:02d}-{p.day:02d}"


# --- relative arithmetic ------------------------------------------------------------------------
def _add_months(d: date, n: int) -> tuple[int, int]:
    k = d.year * 12 + d.month - 1 + n
    return k // 12, k % 12 + 1


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def resolve_relative(rel: tuple[Any, ...], published: date) -> tuple[str, str]:
    """Value and granularity of a relative expression against the publication date.

    rel (tuple): ("day", offset), ("week", offset), ("month", offset), ("year", offset),
        ("ago_<unit>", n) or ("weekday", weekday, mode).
    published (date): the anchor.
    RETURNS (tuple[str, str]): ISO value and granularity.
    """
    kind = rel[0]
    if kind == "day":
        return (published + timedelta(days=rel[1])).isoformat(), "day"
    if kind == "week":
        return _iso_week(published + timedelta(weeks=rel[1])), "week"
    if kind == "month":
        y, m = _add_months(published, rel[1])
        return f"{y:04d}-{m:02d}", "month"
    if kind == "year":
        return f"{published.year + rel[1]:04d}", "year"
    if kind == "ago_day":
        return (published - timedelta(days=rel[1])).isoformat(), "day"
    if kind == "ago_week":
        return _iso_week(published - timedelta(weeks=rel[1])), "week"
    if kind == "ago_month":
        y, m = _add_months(published, -rel[1])
        return f"{y:04d}-{m:02d}", "month"
    if kind == "ago_year":
        return f"{published.year - rel[1]:04d}", "year"
    if kind == "weekday":
        wd, mode = rel[1], rel[2]
        back = (published.weekday() - wd) % 7
        if mode == "before" and back == 0:
            back = 7
        if mode in {"after", "on_or_after"}:
            ahead = (wd - published.weekday()) % 7
            if mode == "after" and ahead == 0:
                ahead = 7
            return (published + timedelta(days=ahead)).isoformat(), "day"
        return (published - timedelta(days=back)).isoformat(), "day"
    raise ValueError(f"unknown relative expression {rel!r}")


def resolve_event_day(ordinal: int, event_start: str) -> str:
    """The ISO date of the `ordinal`-th day of an event starting at `event_start`.

    ordinal (int): 1 for "am ersten Tag", 2 for "am zweiten Tag".
    event_start (str): ISO day "2024-06-04", or a range "2024-06-04/2024-06-06" (its start is used).
    RETURNS (str): e.g. "2024-06-05" for (2, "2024-06-04").
    RAISES (ValueError): when the start is not a full calendar day or the ordinal is below 1.
    """
    if ordinal < 1:
        raise ValueError(f"ordinal must be >= 1, got {ordinal}")
    start = event_start.split("/")[0]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
        raise ValueError(f"event start {event_start!r} is not a calendar day")
    return (date.fromisoformat(start) + timedelta(days=ordinal - 1)).isoformat()


def parse_published(published: str | None) -> date | None:
    """`doc._.ef_published` as a date; None when missing or not a full ISO day."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


# --- the whole document -------------------------------------------------------------------------
def find_dates(text: str, published: str | None = None) -> list[DateFact]:
    """Every time expression in `text`, normalised.

    text (str): the document text.
    published (str | None): ISO publication date; relative expressions need it.
    RETURNS (list[DateFact]): facts in text order.
    """
    pub = parse_published(published)
    cands = find_candidates(text)
    year = context_year(cands)
    facts: list[DateFact] = []
    for c in cands:
        if c.kind == "relative":
            if pub is None:
                continue  # never guess "gestern" without an anchor
            value, gran = resolve_relative(c.rel or (), pub)
            facts.append(DateFact(c.start, c.end, value, gran, True, "point", {"anchor": "published"}))
            continue
        pts, source = _fill_years(c, year, pub)
        extra: dict[str, Any] = {"year_source": source}
        if c.name_year:
            extra["event_name_year"] = True
        if c.kind == "range":
            a, b = pts
            if a == b:
                facts.append(DateFact(c.start, c.end, iso(a), a.granularity, False, "point", extra))
                continue
            if a.year is not None and b.year is not None and _later_full(a, b):
                continue  # "2024 bis 2020" or a reversed range: not a period
            facts.append(DateFact(c.start, c.end, f"{iso(a)}/{iso(b)}", b.granularity, False, "range", extra))
        else:
            facts.append(DateFact(c.start, c.end, iso(pts[0]), pts[0].granularity, False, "point", extra))
    return facts


def _later_full(a: Point, b: Point) -> bool:
    return ((a.year or 0), (a.month or 0), (a.day or 0)) > ((b.year or 0), (b.month or 0), (b.day or 0))


def resolve_event_days(mentions: list[EventDayMention], facts: list[DateFact]) -> list[tuple[EventDayMention, DateFact | None]]:
    """Resolve event days against the document's only multi-day period, when there is exactly one.

    mentions (list[EventDayMention]): from `find_event_days`.
    facts (list[DateFact]): from `find_dates`.
    RETURNS (list[tuple[EventDayMention, DateFact | None]]): the fact is None when unresolvable.
    """
    anchors = {f.value for f in facts if f.kind == "range" and f.granularity == "day" and "X" not in f.value}
    anchor = next(iter(anchors)) if len(anchors) == 1 else None
    out: list[tuple[EventDayMention, DateFact | None]] = []
    for e in mentions:
        fact = None
        if anchor is not None:
            start, end = (date.fromisoformat(s) for s in anchor.split("/"))
            value = resolve_event_day(e.ordinal, anchor)
            if date.fromisoformat(value) <= end:
                fact = DateFact(e.start, e.end, value, "day", True, "point",
                                {"anchor": "event", "ordinal": e.ordinal, "event_start": start.isoformat()})
        out.append((e, fact))
    return out
