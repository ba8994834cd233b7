"""Pure rules for German time expressions: find candidates in a text and normalise them to ISO 8601.

Nothing here knows about spaCy. `find_dates(text, published)` returns `DateFact`s (character
offsets + ISO value) and `EventDayMention`s ("am zweiten Tag"), which the `eventfacts_dates`
component turns into spans.

Two steps, kept apart on purpose:
1. Finding: explicit token patterns propose candidates. `dateparser.search.search_dates` is never
   used: over running text it reads function words ("die", "mit", "so") as dates.
2. Normalising: dateparser (German, day-month-year order) reads each absolute candidate string on
   its own: "4. Juni 2024", "04.06.2024", "4.6.24", "Juni 2024", "2024"; each end of a range
   separately, the shared month and year completed ("4." + "Juni 2024" -> "4. Juni 2024"). A year
   the text leaves out is completed before dateparser reads the string. A reading counts only when
   dateparser sees exactly the parts the pattern saw (`parse_point`); what it rejects ("31. Februar
   2024") yields no date at all, never an invented one. Relative expressions ("gestern", "vor zwei
   Wochen", "am Montag") are computed against the publication date with calendar arithmetic:
   dateparser's relative parser misses most German forms ("im letzten Jahr", "vergangene Woche",
   "am Montag") and knows no ISO weeks.

Decisions (documented because the text is often ambiguous):
- Spans start after the preposition, also for relative phrases: "vom 4. bis 5. Juni 2024" ->
  "4. bis 5. Juni 2024"; "am 04.06.2024" -> "04.06.2024"; "im Jahr 2023" -> "2023"; "im kommenden
  Jahr" -> "kommenden Jahr"; "in der vergangenen Woche" -> "vergangenen Woche"; "am Samstag" ->
  "Samstag". Only "vor" stays, it carries the meaning: "vor zwei Wochen". Modifiers stay:
  "vergangenen Montag".
- Weekday periods ("am Donnerstag und Freitag", "von Freitag bis Sonntag", "am Wochenende") are one
  span with a "start/end" value. Weekdays resolve like a report reads them: the last such days on or
  before publication; ahead with "kommenden", "ab"/"bis" or in a clause about the future
  ("Am Freitag findet das Fest statt"). Opening hours ("Montag bis Freitag, 8 bis 16 Uhr") are none.
- "heute", "gestern", "morgen" in direct speech (the speaker's day, not the publication's) and a
  "heute" set against the past ("1924 gegründet. Heute beschäftigt …": "nowadays") are no dates.
- A weekday next to a date belongs to the span but not to the string dateparser reads: dateparser
  ignores it anyway and fails on "Montag, den 3. März" and "Sonnabend". It only picks the year of
  a yearless date ("Mittwoch, 4. Juni").
- A year right after an event-type noun or an acronym-prefixed name ("INQA-Praxiswerkstatt 2024",
  "Bundesarbeitstagung 2017", "Konferenz „Go Global 2024“") is the event's year: emitted as a DATE
  and used as context year. A recent or future year after any other capitalised noun is part of a
  name ("Agenda 2030", "Strategie 2025"); German capitalises every noun, so a clearly older one is a
  date ("Gegründet wurde der Betrieb 1924"), except after labels and streets ("Raum 1802").
- Missing years: the years of full dates and event names, then the publication year, then a bare
  year (see `context_year`, `_published_year`); a clause about the future never lies before
  publication. Unknown years are written "XXXX" (ISO 8601-2 unspecified).
- Relative expressions are emitted only when the publication date is known.
- Durations ("zwei Tage"), clock times alone ("14 Uhr"), ordinals ("3. Platz"), "2023/24": no date.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, timedelta
from functools import lru_cache
from typing import Any

from dateparser.date import DateDataParser

# Month words, to tell a year after a month ("Mai 2024") from a year after a name.
MONTH_WORDS = frozenset(
    "januar jänner jan februar feber feb märz maerz mär mrz april apr mai juni jun juli jul august aug "
    "september sep sept oktober okt november nov dezember dez".split()
)
# Spellings the patterns accept but dateparser's German data lacks; rewritten only in the string it reads.
_SPELLINGS = {"Maerz": "März"}
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
# 1600-2099: founding years ("seit 1874") are dates; earlier four-digit numbers rarely are.
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
# "Dienstag, 4. Juni", "Montag, den 3. März", "Di., 04.06.": the weekday belongs to the span.
# "Freitag und Samstag, 13. und 14. September": a pair of weekdays before the date belongs to it too.
_WD = (r"(?:(?P<{g}>" + _WEEKDAY + r")(?:\s+(?:und|bis)\s+" + _WEEKDAY + r"|\s*[-–/]\s*" + _WEEKDAY + r")?"
       r"\s*,?\s*(?:(?:den|dem)\s+)?)?")
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
_MONTH_NAMES = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                "November", "Dezember")
# "2023-11": an ISO month (page metadata lines, tables); not "2023-2024" (a range) nor a code part.
_ISO_MONTH = re.compile(rf"(?<![\w.-])(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])(?![\w-]|\.\d)")
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
_PRIOR_YEAR = re.compile(r"(?<![\w-])Vorjahr(?:es|s)?(?![\w-])")
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
_WEEKDAY_FULL = r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)"
# "am Donnerstag und Freitag", "von Freitag bis Sonntag", "Freitag und Samstag": one period of days.
_REL_WEEKDAY_RANGE = re.compile(
    r"(?<![\w-])(?:(?P<am>[Aa]m|[Aa]n|[Vv]on|[Zz]wischen|[Ss]eit|[Aa]b|[Bb]is)\s+)?"
    r"(?:(?P<mod>[Vv]ergangenen|[Ll]etzten|[Vv]origen|[Kk]ommenden|[Nn]ächsten|[Dd]iesen)\s+)?"
    rf"(?P<wd1>{_WEEKDAY_FULL})"
    r"(?:\s+(?:und|&|bis(?:\s+(?:zum|einschließlich))?)\s+(?:am\s+)?|\s*[-–/]\s*)"
    rf"(?P<wd2>{_WEEKDAY_FULL})"
    r"(?P<part>morgen|vormittag|mittag|nachmittag|abend)?(?![\w-])"
)
# Clock hours right after weekdays: opening hours, not a date ("Freitag und Samstag von 10 bis 18 Uhr").
_OPENING_HOURS = re.compile(
    r"[\s,]*(?:jeweils\s+)?(?:von\s+)?\d{1,2}(?:[.:]\d{2})?\s*(?:Uhr\s*)?(?:bis|[-–])\s*\d{1,2}(?:[.:]\d{2})?\s*Uhr"
)
# "am Wochenende", "vergangenes Wochenende": Saturday and Sunday.
_REL_WEEKEND = re.compile(
    r"(?<![\w-])(?:(?P<am>[Aa]m|[Aa]n\s+diesem|[Üü]bers|[Ss]eit|[Aa]b|[Bb]is\s+zum)\s+)?"
    r"(?:(?P<mod>[Vv]ergangene[ns]?|[Ll]etzte[ns]?|[Vv]orige[ns]?|[Kk]ommende[ns]?|[Nn]ächste[ns]?|[Dd]ieses)\s+)?"
    r"(?P<w>Wochenende)(?![\w-])"
)
_BEFORE_MODS = ("vergangen", "letzt", "vorig")
_AFTER_MODS = ("kommend", "nächst")

_EVENT_DAY = re.compile(
    r"(?<![\w-])(?:(?P<part>Vormittag|Nachmittag|Morgen|Mittag|Abend)\s+des\s+)?"
    r"(?:(?P<ordw>[Ee]rst|[Zz]weit|[Dd]ritt|[Vv]iert|[Ff]ünft|[Ss]echst|[Ss]iebent|[Ss]iebt)(?:e|en|er|es|em)|(?P<ordn>[1-9])\.)"
    r"\s+(?:Tag|(?:Veranstaltungs|Konferenz|Tagungs|Kongress|Workshop|Messe|Seminar|Festival|Forums|Camp)tag)(?:es|s)?(?![\w-])"
)
_EVENT_DAY_NUMBERED = re.compile(r"(?<![\w-])Tag\s+(?P<n>[1-7]|eins|zwei|drei|vier|fünf)(?![\w.,:-])")

# What every match of a pattern contains, tested before the pattern scans the text: a pattern that
# starts with a lookbehind costs a full scan whether it matches or not, and most texts lack these.
_WEEKDAY_NAME = re.compile(_WEEKDAY_FULL)
_DAY_DOT_MONTH = re.compile(r"\d\.\d")  # "4.6.", "04.06.2024"
_REQUIRED: dict[re.Pattern[str], re.Pattern[str]] = {
    _NUM_RANGE_DAYS: _DAY_DOT_MONTH,
    _NUM_RANGE_FULL: _DAY_DOT_MONTH,
    _NUM_DATE: _DAY_DOT_MONTH,
    _ISO_DATE: re.compile(r"\d{4}-\d"),
    _ISO_MONTH: re.compile(r"\d{4}-[01]\d"),
    _PRIOR_YEAR: re.compile("Vorjahr"),
    _AGO: re.compile(r"[Vv]or\s"),
    _REL_WEEKDAY_RANGE: _WEEKDAY_NAME,
    _REL_WEEKDAY: _WEEKDAY_NAME,
    _REL_WEEKEND: re.compile("Wochenende"),
    # Alternatives that each start with a letter, not a class: the engine then skips ahead fast.
    _DAY_ADVERB: re.compile("Vorgestern|vorgestern|Gestern|gestern|Heute|heute|morgen|Übermorgen|übermorgen"),
    _REL_PERIOD: re.compile(r"e[nrsm]?\s+(?:Jahr|Monat|Woche)"),
    _EVENT_DAY_NUMBERED: re.compile(r"Tag\s"),
}

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
# Words before a year earlier than 1900 that make it a time: "seit 1874", "im Jahr 1874".
_OLD_YEAR_WORDS = frozenset("seit im in jahr jahre jahres anno ab bis bereits schon erst vor nach gegründet".split())
# Lowercase words ending like a participle ("1874 gegründet") that are none.
_NOT_PARTICIPLES = frozenset("mit seit nicht jetzt erst meist zuletzt bereits insgesamt gut statt den dem".split())
# Nouns whose number is a label, never a year, however old it looks: "Raum 1802", "Hauptstraße 1910".
_NUMBER_LABELS = frozenset(
    "raum zimmer hörsaal saal stand halle gebäude gleis linie bus zug postfach kennziffer aktenzeichen "
    "nummer nr. tel. telefon fax plz".split()
)
_STREET_SUFFIXES = ("straße", "strasse", "str.", "weg", "allee", "platz", "gasse", "damm", "ufer", "chaussee")
# Words of a clause that speaks of the future: "findet … statt", "wird", "soll", "plant", "nächste".
_FUTURE_VERBS = frozenset(
    "findet finden stattfinden stattfindet wird werden werde soll sollen solle plant planen plane geplant "
    "voraussichtlich künftig demnächst".split()
)
_FUTURE_ADJECTIVES = frozenset(
    "nächste nächsten nächster nächstes kommende kommenden kommender kommendes bevorstehende "
    "bevorstehenden".split()
)
# Words before "heute" that make it "nowadays": the past is contrasted with the present.
_THEN_WORDS = frozenset(
    "damals früher einst einstmals anfangs ursprünglich gegründet gründete gründeten gründung".split()
)
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
    """One end of a time expression: the string dateparser reads and the parts the pattern saw.

    text: the date as written, weekday left out, whitespace collapsed: "4. Juni 2024", "4.7.", "Juni".
    granularity: "day", "month" or "year".
    has_year: whether `text` states its year; if not, the year is completed before reading.
    day: the day number the pattern saw, checked against dateparser's reading.
    """

    text: str
    granularity: str
    has_year: bool
    day: int | None = None


@dataclass
class Candidate:
    """A stretch of text that may be a time expression, before it is read and its year filled in."""

    start: int
    end: int
    kind: str  # "point", "range", "relative"
    points: tuple[Point, ...] = ()
    weekday: int | None = None
    name_year: bool = False  # the year of an event name ("Fachtag 2024")
    rel: tuple[Any, ...] | None = None  # ("day", n) / ("week", n) / ("month", n) / ("year", n) / ("weekday", wd, mode)
    future: bool = False  # its clause speaks of the future ("findet … statt", "soll", "nächste")


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


# --- dateparser -------------------------------------------------------------------------------
_SETTINGS: dict[str, Any] = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    # Only absolute dates reach dateparser: no timestamp ("20240315") or relative readings.
    "PARSERS": ["absolute-time"],
}
# The parts a reading must have. REQUIRE_PARTS is fixed per parser instance and only a minimum;
# the one shared instance instead reports its parts, which must match the granularity exactly.
_PARTS: dict[str, frozenset[str]] = {
    "day": frozenset({"day", "month", "year"}),
    "month": frozenset({"month", "year"}),
    "year": frozenset({"year"}),
}
# Reads month and day of a yearless date; a leap year, so "29. Februar" stays possible.
_PLACEHOLDER_YEAR = 2000


@lru_cache(maxsize=1)
def _parser() -> DateDataParser:
    """The one dateparser instance, built on first use."""
    return DateDataParser(languages=["de"], settings=_SETTINGS)


def warm_up() -> None:
    """Build the dateparser instance and the tables it compiles on its first reading (about a
    second), so that they are ready before the first document."""
    _parser().get_date_data("4. Juni 2024")


@lru_cache(maxsize=16384)
def parse_point(text: str, granularity: str) -> date | None:
    """dateparser's reading of one complete date string.

    text (str): a date with its year: "4. Juni 2024", "04.06.2024", "4.6.24", "Juni 2024", "2024".
    granularity (str): "day", "month" or "year": the parts the string must state, no more, no less.
    RETURNS (date | None): the date, unstated parts set to 1 ("Juni 2024" -> 2024-06-01); None when
        dateparser cannot read it or reads other parts ("31. Februar 2024", "Juni 2024" as a day).
    """
    data = _parser().get_date_data(text)
    if data.date_obj is None or data.period != granularity or frozenset(data.parts) != _PARTS[granularity]:
        return None
    d = data.date_obj.date()
    # dateparser fills unstated parts from today; fix them so equal strings give equal dates.
    return date(d.year, 1 if granularity == "year" else d.month, d.day if granularity == "day" else 1)


def _with_year(text: str, year: int) -> str:
    """'4. Juni' -> '4. Juni 2024', '4.7.' -> '4.7.2024', '1. Okt.' -> '1. Okt. 2024'."""
    if text.endswith(".") and text[-2:-1].isdigit():
        return f"{text}{year}"
    return f"{text} {year}"


def _read(p: Point, year: int | None = None) -> date | None:
    """The date of `p`, its year completed with `year` when the text has none."""
    d = parse_point(p.text if year is None else _with_year(p.text, year), p.granularity)
    if d is None or (p.day is not None and d.day != p.day):
        return None  # unreadable, or read differently from what the pattern saw (e.g. month first)
    return d


# --- small helpers ----------------------------------------------------------------------------
def _point(text: str, granularity: str, has_year: bool, day: str | None = None) -> Point:
    """A `Point` whose text is what dateparser reads: known respellings applied, whitespace collapsed."""
    for wrong, right in _SPELLINGS.items():
        text = text.replace(wrong, right)
    return Point(" ".join(text.split()), granularity, has_year, int(day) if day else None)


def _text_day(day: str, month: str, year: str | None) -> Point:
    """'4', 'Juni', '2024' -> '4. Juni 2024'."""
    return _point(f"{day}. {month}" + (f" {year}" if year else ""), "day", bool(year), day)


def _num_day(day: str, month: str, year: str | None) -> Point:
    """'4', '6', '24' -> '4.6.24'; without a year '4.6.'."""
    return _point(f"{day}.{month}.{year or ''}", "day", bool(year), day)


def _month_point(month: str, year: str | None) -> Point:
    return _point(f"{month} {year}" if year else month, "month", bool(year))


def _year_point(year: str) -> Point:
    return _point(year, "year", True)


def _weekday(name: str | None) -> int | None:
    return WEEKDAYS[name.rstrip(".").lower()] if name else None


def _prev_word(text: str, pos: int) -> tuple[str, str]:
    """The word before `pos` and the characters between it and `pos` (same line only)."""
    m = re.search(r"(\S+)([ \t\u00a0]*)\Z", text[max(0, pos - 60):pos])
    return (m.group(1), m.group(2)) if m else ("", "")


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"[ \t\u00a0]+(\S+)", text[pos:pos + 60])
    return m.group(1) if m else ""


def _event_word_before(text: str, pos: int, n: int = 4) -> bool:
    """An event-type word among the `n` words before `pos`, within the same line and clause.

    A quoted name counts with the event noun before its opening quote: 'Konferenz „Go Global 2024“'.
    """
    line = text[max(0, pos - 80):pos].rsplit("\n", 1)[-1]
    parts = re.split(r"([.,;:!?()„“\"–—])", line)
    clause = parts[-1]
    if any(_is_event_name(w) for w in clause.split()[-n:]):
        return True
    if len(parts) >= 3 and parts[-2] in "„\"" and not re.search(r"[.,;:!?()“”]", clause):
        before = parts[-3].split()
        return bool(before) and _is_event_name(before[-1])
    return False


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


def _year_role(text: str, start: int, end: int, ref_year: int) -> str | None:
    """Whether a bare year at [start, end) is a time ("time"), an event-name year ("name") or neither.

    ref_year (int): the year the text is written in (`reference_year`). German capitalises every
        noun, so a year after a noun is a name only when it is recent or ahead ("Agenda 2030",
        "Strategie 2025"); a clearly older one is a date ("Gegründet wurde der Betrieb 1924").
    """
    prev, _ = _prev_word(text, start)
    nxt = _next_word(text, end)
    if prev in {"©", "(c)", "(C)"} or re.fullmatch(r"[\d/+()–—-]+", prev) or re.match(r"\d", nxt):
        return None  # copyright lines, phone numbers and codes: "0661 2024 77"
    word = prev.strip("„“”\"'‚‘’»«(")
    low = word.lower()
    if low in _AMOUNT_WORDS:
        return None  # "rund 2000", "Nr. 2019"
    friendly = after_noun = False
    if prev and not re.search(r"[.,;:!?)\]–—-]$", prev):
        # The year stands right after a word: an event name, a time word or another name.
        if _is_event_name(word):
            return "name"
        friendly = (
            low in _YEAR_FRIENDLY or low.endswith(_TIME_NOUN_ENDINGS) or low.rstrip(".") in MONTH_WORDS
            or _is_acronym(word)  # "EM 2024", "IAA 2023": events known by their acronym
        )
        if word[:1].isupper() and not friendly:
            if _event_word_before(text, start):
                return "name"  # "Fachtag Inklusion 2023", "Tag der offenen Tür 2024"
            if low in _NUMBER_LABELS or low.endswith(_STREET_SUFFIXES):
                return None  # "Raum 1802", "Hauptstraße 1910": a label or an address
            if int(text[start:end]) >= ref_year - 1:
                return None  # "Agenda 2030", "Raum 2024": a target or label, part of a name
            # Older: "der Betrieb 1924 von …" is a date, unless a noun follows ("1924 Mitglieder").
            after_noun = True
    nxt_clean = nxt.strip("\"'„“”()[],;:!?.")
    if nxt_clean.lower() in _UNIT_WORDS:
        return None
    if nxt_clean[:1].isupper() and not friendly and not nxt.startswith(("(", "„", "\"")):
        return None  # "2024 Teilnehmende": an amount before a plural noun
    if int(text[start:end]) < 1900 and not (
        after_noun or low in _OLD_YEAR_WORDS
        or (re.fullmatch(r"[a-zäöüß]+(?:t|en)", nxt_clean) and nxt_clean not in _NOT_PARTICIPLES)
    ):
        return None  # "stieg von 1650 auf 1800": an old year needs a time word or a verb ("1874 gegründet")
    return "time"


# --- candidate finding ------------------------------------------------------------------------
class _Scan:
    """The matches of each pattern in one text, found once: the reference year and the candidates
    read the same patterns. A pattern whose required part (`_REQUIRED`) is missing matches nothing."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[re.Pattern[str], list[re.Match[str]]] = {}
        self._present: dict[re.Pattern[str], bool] = {}

    def __call__(self, rx: re.Pattern[str]) -> list[re.Match[str]]:
        found = self._found.get(rx)
        if found is None:
            required = _REQUIRED.get(rx)
            if required is not None and required not in self._present:
                self._present[required] = required.search(self.text) is not None
            ok = required is None or self._present[required]
            found = self._found[rx] = list(rx.finditer(self.text)) if ok else []
        return found


def reference_year(text: str, published: date | None = None, *, scan: _Scan | None = None) -> int:
    """The year a text is written in, to tell a historical year from a current label.

    The publication year; else the latest year of a dated expression ("4. Juni 2024", "Mai 2024");
    else the latest year-like number; else the current year.
    scan (_Scan | None): the matches of `text` found so far, shared with `find_candidates`.
    """
    if published is not None:
        return published.year
    scan = scan or _Scan(text)
    dated = [int(m["y"]) for rx in (_TEXT_DATE, _NUM_DATE, _MONTH_YEAR, _ISO_DATE)
             for m in scan(rx) if m["y"]]
    if dated:
        return max(dated)
    bare = [int(m["y"]) for m in scan(_BARE_YEAR)]
    return max(bare) if bare else date.today().year


def find_candidates(text: str, published: date | None = None) -> list[Candidate]:
    """Every absolute and relative time-expression candidate in `text`, overlaps removed.

    Nothing is read or validated here: a candidate dateparser later rejects ("31. Februar 2024")
    still claims its stretch, so no shorter reading ("Februar 2024") slips in.
    text (str): the document text.
    published (date | None): the publication date; it tells historical years from labels.
    RETURNS (list[Candidate]): non-overlapping candidates in text order; longer ones win; each
        marked `future` when its clause speaks of the future.
    """
    scan = _Scan(text)
    ref_year = reference_year(text, published, scan=scan)
    found: list[Candidate] = []
    add = found.append
    for m in scan(_TEXT_RANGE_FULL):
        a, b = _text_day(m["d1"], m["m1"], m["y1"]), _text_day(m["d2"], m["m2"], m["y2"])
        add(Candidate(m.start(), m.end(), "range", (a, b), weekday=_weekday(m["wd1"])))
    for m in scan(_TEXT_RANGE_DAYS):
        if int(m["d1"]) < int(m["d2"]):
            a, b = _text_day(m["d1"], m["m"], m["y"]), _text_day(m["d2"], m["m"], m["y"])
            add(Candidate(m.start(), m.end(), "range", (a, b), weekday=_weekday(m["wd1"])))
    for m in scan(_NUM_RANGE_DAYS):
        if int(m["d1"]) < int(m["d2"]):
            y = m["y"] or m["yy"]
            add(Candidate(m.start(), m.end(), "range", (_num_day(m["d1"], m["m"], y), _num_day(m["d2"], m["m"], y))))
    for m in scan(_NUM_RANGE_FULL):
        a = _num_day(m["d1"], m["m1"], m["y1"] or m["yy1"])
        b = _num_day(m["d2"], m["m2"], m["y2"] or m["yy2"])
        add(Candidate(m.start(), m.end(), "range", (a, b), weekday=_weekday(m["wd1"])))
    for m in scan(_TEXT_DATE):
        add(Candidate(m.start(), m.end(), "point", (_text_day(m["d"], m["m"], m["y"]),), weekday=_weekday(m["wd"])))
    for m in scan(_NUM_DATE):
        y = m["y"] or m["yy"]
        # Without a year "4.6." is only a date after a date word ("am 4.6."), not "Abschnitt 4.6.".
        if y is None and not m["wd"] and _prev_word(text, m.start())[0].lower() not in {
            "am", "vom", "bis", "zum", "ab", "seit", "den", "dem", "und", "datum:", "stand:"
        }:
            continue
        add(Candidate(m.start(), m.end(), "point", (_num_day(m["d"], m["m"], y),), weekday=_weekday(m["wd"])))
    for m in scan(_ISO_DATE):
        add(Candidate(m.start(), m.end(), "point", (_point(m.group(), "day", True, m["d"]),)))
    for m in scan(_ISO_MONTH):
        if any(c.isdigit() for c in _prev_word(text, m.start())[0]):
            continue  # "Tel. 0661 2024-11": part of a number
        add(Candidate(m.start(), m.end(), "point", (_month_point(_MONTH_NAMES[int(m["m"]) - 1], m["y"]),)))
    for m in scan(_MONTH_RANGE):
        if m["y1"] is None and m["y2"] is None and _prev_word(text, m.start())[0].lower() not in {
            "von", "zwischen", "im"
        }:
            continue
        add(Candidate(m.start(), m.end(), "range", (_month_point(m["m1"], m["y1"]), _month_point(m["m2"], m["y2"]))))
    for m in scan(_MONTH_YEAR):
        add(Candidate(m.start(), m.end(), "point", (_month_point(m["m"], m["y"]),)))
    for m in scan(_BARE_MONTH):
        add(Candidate(m.start("m"), m.end("m"), "point", (_month_point(m["m"], None),)))
    for m in scan(_YEAR_RANGE):
        if int(m["y1"]) >= int(m["y2"]):
            continue
        # A span of years is a period even after a noun ("Förderphase 2021–2024").
        prev = _prev_word(text, m.start())[0]
        if not re.fullmatch(r"[\d/+()–—-]+", prev) and prev.lower() not in _AMOUNT_WORDS:
            add(Candidate(m.start(), m.end(), "range", (_year_point(m["y1"]), _year_point(m["y2"]))))
    for m in scan(_BARE_YEAR):
        role = _year_role(text, m.start(), m.end(), ref_year)
        if role:
            add(Candidate(m.start(), m.end(), "point", (_year_point(m["y"]),), name_year=role == "name"))
    found.extend(_relative_candidates(text, ref_year, scan))
    chosen = _without_overlaps(found)
    for c in chosen:
        c.future = _speaks_of_future(text, c.start, c.end)
    return chosen


def _relative_candidates(text: str, ref_year: int, scan: _Scan) -> list[Candidate]:
    """Relative expressions; spans start after the preposition ("im kommenden Jahr" -> "kommenden Jahr")."""
    out: list[Candidate] = []
    for m in scan(_DAY_ADVERB):
        word = m["w"].lower()
        if not _day_adverb_is_literal(text, m.start(), m.end(), ref_year):
            continue
        out.append(Candidate(m.start(), m.end(), "relative", rel=("day", _DAY_ADVERB_OFFSET[word])))
    for m in scan(_REL_PERIOD):
        nxt = _next_word(text, m.end()).lower()
        if m["prep"] and nxt in {"der", "des", "seiner", "ihrer", "ihres", "seines"}:
            continue  # "im letzten Jahr der Förderung": a period of something else
        unit = m["unit"].lower().rstrip("s")
        unit = {"jahre": "year", "jahr": "year", "monat": "month", "woche": "week"}[unit]
        out.append(Candidate(m.start("adj"), m.end(), "relative", rel=(unit, _REL_OFFSET[m["adj"].lower()])))
    for m in scan(_PRIOR_YEAR):
        out.append(Candidate(m.start(), m.end(), "relative", rel=("year", -1)))
    for m in scan(_AGO):
        n = int(m["n"]) if m["n"].isdigit() else NUMBER_WORDS[m["n"].lower()]
        unit = m["unit"].lower()
        plural = unit.endswith("en")
        if (n == 1) == plural:
            continue  # "vor zwei Woche" is no German; keep the grammar honest
        unit = {"t": "day", "w": "week", "m": "month", "j": "year"}[unit[0]]
        # "vor" stays in the span: it carries the meaning.
        out.append(Candidate(m.start(), m.end(), "relative", rel=("ago_" + unit, n)))
    schedules: list[tuple[int, int]] = []  # weekday ranges that are opening hours; no weekday in them counts
    for m in scan(_REL_WEEKDAY_RANGE):
        wd1, wd2 = WEEKDAYS[m["wd1"].lower()], WEEKDAYS[m["wd2"].lower()]
        if wd1 == wd2 or _date_follows(text, m.end()):
            continue  # "Freitag und Samstag, 13. und 14. September": the absolute patterns own it
        if not m["mod"] and (m["am"] or "").lower() not in {"am", "an"} and (
            _prev_word(text, m.start())[0].lower() in {"jeden", "jeweils", "immer"}
            or _OPENING_HOURS.match(text, m.end())
        ):
            schedules.append((m.start(), m.end()))
            continue  # "jeweils Freitag und Samstag", "Montag bis Freitag, 8 bis 16 Uhr": a schedule
        mode = _weekday_mode(m["mod"], m["am"])
        start = m.start("mod") if m["mod"] else m.start("wd1")
        out.append(Candidate(start, m.end(), "relative", rel=("weekdays", wd1, wd2, mode)))
    for m in scan(_REL_WEEKDAY):
        if not (m["am"] or m["mod"]):
            continue
        if _date_follows(text, m.end()):
            continue  # a date follows ("Montag, 3. März"); the absolute patterns own it
        if any(s <= m.start("wd") < e for s, e in schedules):
            continue
        mode = _weekday_mode(m["mod"], m["am"])
        start = m.start("mod") if m["mod"] else m.start("wd")
        out.append(Candidate(start, m.end(), "relative", rel=("weekday", WEEKDAYS[m["wd"].lower()], mode)))
    for m in scan(_REL_WEEKEND):
        if not (m["am"] or m["mod"]) or _date_follows(text, m.end()):
            continue  # "das Wochenende" in general
        mode = _weekday_mode(m["mod"], m["am"])
        start = m.start("mod") if m["mod"] else m.start("w")
        out.append(Candidate(start, m.end(), "relative", rel=("weekdays", 5, 6, mode)))
    return out


def _date_follows(text: str, pos: int) -> bool:
    """A day number follows `pos`: "Montag, 3. März", "Freitag und Samstag, 13. und 14. September"."""
    return re.match(r"\s*,?\s*(?:den\s+|dem\s+)?\d{1,2}\.", text[pos:]) is not None


def _weekday_mode(mod: str | None, prep: str | None) -> str:
    """How a weekday resolves: "vergangenen" looks back, "kommenden" ahead, "ab"/"bis" ahead too.

    A bare "am Montag" in a report is the last such day ("on_or_before"); `find_dates` turns it
    ahead when its clause speaks of the future.
    """
    mod, prep = (mod or "").lower(), (prep or "").lower()
    if mod.startswith(_BEFORE_MODS):
        return "before"
    if mod.startswith(_AFTER_MODS):
        return "after"
    if prep in {"ab", "bis", "bis zum"}:
        return "on_or_after"  # "ab Montag", "bis Freitag": announcements look ahead
    return "on_or_before"


# Clause and quote cues stand near a date: reading back at most this far keeps each date's cost
# bounded when a "sentence" or line runs for 50,000 characters (lists, tables, no full stops).
_LOOKBACK = 300


def _line_start(text: str, pos: int) -> int:
    floor = max(0, pos - _LOOKBACK)
    return max(text.rfind("\n", floor, pos) + 1, floor)


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence around `pos` starts: after a line break or after ". ", "! ", "? " that
    does not follow a digit ("am 4. Juni" does not end a sentence); at most `_LOOKBACK` back."""
    line_start = _line_start(text, pos)
    ends = [m.end() for m in re.finditer(r"(?<!\d)[.!?]\s+", text[line_start:pos])]
    return line_start + ends[-1] if ends else line_start


def _in_quote(text: str, pos: int) -> bool:
    """Whether `pos` stands inside quotation marks opened on its line („…“, "…", »…«, “…”)."""
    inside = False
    for ch in text[_line_start(text, pos):pos]:
        if ch == "„":
            inside = True
        elif ch in "“”\"»«":
            inside = not inside
    return inside


def _day_adverb_is_literal(text: str, start: int, end: int, ref_year: int) -> bool:
    """Whether "heute"/"gestern"/"morgen" at [start, end) names a day relative to publication.

    Not: idioms ("von heute auf morgen", "bis heute", "heute noch"); direct speech, whose day is the
    speaker's, not the publication's, and whose "heute" mostly means "nowadays"; a "heute" set
    against the past ("1924 gegründet. Heute beschäftigt das Unternehmen 180 Menschen").
    """
    word = text[start:end].lower()
    prev = _prev_word(text, start)[0].lower()
    nxt = _next_word(text, end).lower().strip(".,;:!?")
    if prev in {"von", "auf"} or (word == "heute" and nxt == "auf"):
        return False
    if _in_quote(text, start):
        return False
    if word != "heute":
        return True
    if prev in {"bis", "noch"} or nxt == "noch":
        return False
    # The previous sentence and this one up to "heute": a historical year or a "damals" contrast.
    window = text[_sentence_start(text, max(0, _sentence_start(text, start) - 2)):start]
    if any(int(y) < ref_year - 1 for y in re.findall(rf"(?<!\d){_YEAR}(?!\d)", window)):
        return False
    return not any(w.lower() in _THEN_WORDS for w in re.findall(r"\w+", window))


def _speaks_of_future(text: str, start: int, end: int) -> bool:
    """Whether the clause around [start, end) speaks of the future.

    Future: a future verb ("findet … statt", "wird", "soll", "plant", "geplant") or adjective
    ("nächste", "kommende") in the clause, or "ab" right before the date ("ab März"). The clause is
    cut at commas, semicolons, colons, dashes and sentence ends, so "Am Montag kündigte sie an,
    dass … im kommenden Jahr …" keeps "am Montag" in the past.
    """
    if _prev_word(text, start)[0].lower() == "ab":
        return True
    left = re.split(r"[,;:–—()]", text[_sentence_start(text, start):start])[-1]
    # On the text after the date only: its own final period ("… 2024. Danach") ends the sentence.
    after = text[end:end + 300]
    stop = re.search(r"[,;:–—()\n]|(?<!\d)[.!?](?:\s|$)", after)
    right = after[:stop.start()] if stop else after
    words = [w.lower() for w in re.findall(r"\w+", f"{left} {right}")]
    return any(w in _FUTURE_VERBS or w in _FUTURE_ADJECTIVES for w in words)


def find_event_days(text: str) -> list[EventDayMention]:
    """'am zweiten Tag', 'am Vormittag des zweiten Tages', 'Tag zwei': days counted from the event start.

    text (str): the document text.
    RETURNS (list[EventDayMention]): mentions in text order.
    """
    out: list[EventDayMention] = []
    scan = _Scan(text)
    for m in scan(_EVENT_DAY):
        ordinal = int(m["ordn"]) if m["ordn"] else ORDINAL_STEMS[m["ordw"].lower()]
        out.append(EventDayMention(m.start(), m.end(), ordinal, m["part"]))
    for m in scan(_EVENT_DAY_NUMBERED):
        n = m["n"]
        out.append(EventDayMention(m.start(), m.end(), int(n) if n.isdigit() else NUMBER_WORDS[n]))
    out.sort(key=lambda e: e.start)
    return out


def _without_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the longest candidate wherever candidates overlap (like `spacy.util.filter_spans`)."""
    chosen: list[Candidate] = []
    starts: list[int] = []  # the chosen stretches, disjoint and sorted: a bisect finds neighbours
    ends: list[int] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        i = bisect_right(starts, c.start)
        if (i > 0 and ends[i - 1] > c.start) or (i < len(starts) and starts[i] < c.end):
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


# --- year filling -------------------------------------------------------------------------------
# A candidate and the dates of its points; None for a point whose year is not known yet.
Reading = tuple[Candidate, tuple[date | None, ...]]


def context_year(readings: list[Reading], lead_chars: int = 300, published: date | None = None) -> int | None:
    """The year that completes dates written without one ("am 10. Mai"), if the text fixes it.

    "Strong" years are those of dates with a month (full dates, "Juni 2024", day ranges) and of
    event names ("Fachtag 2024"). The first rule that yields exactly one distinct year wins:
    1. the strong years of the whole document;
    2. the strong years in the first `lead_chars` characters (title, dateline);
    3. with a publication date: none here, `_complete` takes the publication year, because a bare
       year is as often historical ("gegründet 1998", "seit 1874") as it is the current one;
    4. without one: every explicit year of the document, bare ones ("seit 2019") included.
    readings (list[Reading]): candidates with the dates dateparser read for their explicit-year points.
    lead_chars (int): how much of the text counts as title and dateline.
    published (date | None): the publication date.
    RETURNS (int | None): the year, or None when the text does not decide it.
    """
    strong: set[int] = set()
    lead: set[int] = set()
    every: set[int] = set()
    for c, dates in readings:
        for p, d in zip(c.points, dates):
            if d is None:
                continue
            every.add(d.year)
            if p.granularity != "year" or c.name_year:
                strong.add(d.year)
                if c.start < lead_chars:
                    lead.add(d.year)
    for years in (strong, lead) if published is not None else (strong, lead, every):
        if len(years) == 1:
            return next(iter(years))
    return None


def _last_day(d: date, granularity: str) -> date:
    """The last day a point covers: "Juni 2024" -> 30 June 2024."""
    if granularity == "year":
        return date(d.year, 12, 31)
    if granularity == "month":
        y, m = _add_months(d, 1)
        return date(y, m, 1) - timedelta(days=1)
    return d


def _published_year(md: date, granularity: str, published: date, weekday: int | None, future: bool = False) -> int:
    """Year for a yearless date from the publication date: reports look back, announcements ahead.

    md (date): month and day as read with the placeholder year (day 1 for a month).
    future (bool): the clause speaks of the future; the date is then never before `published`
        ("Das nächste Treffen findet am 12. Dezember statt"), never moved into the previous year.
    """
    month, day = md.month, md.day
    if weekday is not None and granularity == "day":
        # "Dienstag, 4. Juni": the weekday names the year when exactly one nearby year fits.
        nearby = (published.year - 1, published.year, published.year + 1)
        fits = [y for y in nearby if _weekday_of(y, month, day) == weekday]
        if len(fits) == 1:
            return fits[0]
    y = published.year
    try:
        this_year = date(y, month, day)
    except ValueError:  # 29 February in a common year
        return y + 1 if future else y - 1
    if future:
        y = y + 1 if _last_day(this_year, granularity) < published else y
    elif (this_year - published).days > 61:  # a difference, not published + 61 days: 9999-12-31 has no later day
        y -= 1
    return min(max(y, MINYEAR), MAXYEAR)


def _weekday_of(y: int, m: int, d: int) -> int | None:
    try:
        return date(y, m, d).weekday()
    except ValueError:
        return None


def _complete(
    c: Candidate, dates: tuple[date | None, ...], year: int | None, published: date | None
) -> tuple[tuple[date, ...], str] | None:
    """Read the yearless points of `c` with their year completed.

    dates (tuple): the readings of the explicit-year points, None for the others.
    year (int | None): the context year (`context_year`).
    published (date | None): the publication date, the fallback for the year.
    RETURNS (tuple | None): the dates and where their year came from ("explicit", "context",
        "published"; "unknown" with placeholder-year dates); None when dateparser rejects a point.
    """
    pts = c.points
    a, b = dates[0], dates[-1]
    if all(p.has_year for p in pts):
        out, source = dates, "explicit"
    elif len(pts) == 2 and b is not None:
        # "30. Dezember bis 2. Januar 2024": the end's year completes the start, a year earlier
        # when the range crosses New Year.
        a = _read(pts[0], b.year)
        if a is not None and a > b:
            a = _read(pts[0], b.year - 1)
        out, source = (a, b), "explicit"
    elif len(pts) == 2 and a is not None:
        b = _read(pts[1], a.year)
        if b is not None and a > b:
            b = _read(pts[1], a.year + 1)
        out, source = (a, b), "explicit"
    elif year is None and published is None:
        # Nothing fixes the year: read month and day with a placeholder year, written "XXXX".
        out, source = tuple(_read(p, _PLACEHOLDER_YEAR) for p in pts), "unknown"
    else:
        source = "context"
        if year is None:
            first = _read(pts[0], _PLACEHOLDER_YEAR)  # month and day pick the year
            if first is None or published is None:
                return None  # "31. Februar", "30.2.": no year makes it a date
            year, source = _published_year(first, pts[0].granularity, published, c.weekday, c.future), "published"
        out = _in_year(pts, year)
        if (source == "context" and c.future and published is not None and out[-1] is not None
                and _last_day(out[-1], pts[-1].granularity) < published):
            # "Der nächste Fachtag findet am 5. März statt" after a report on the Fachtag 2023:
            # an announcement lies ahead of publication, whatever year the report is about.
            first = _read(pts[0], _PLACEHOLDER_YEAR)
            if first is not None:
                year = _published_year(first, pts[0].granularity, published, c.weekday, True)
                out, source = _in_year(pts, year), "published"
    if any(d is None for d in out):
        return None  # dateparser rejects a point: "31. April", "29. Februar" in a common year
    return tuple(d for d in out if d is not None), source


def _in_year(pts: tuple[Point, ...], year: int) -> tuple[date | None, ...]:
    """The points read in `year`; a range's end runs into the next year ("30. Dezember bis 2. Januar")."""
    a = _read(pts[0], year)
    if len(pts) == 1:
        return (a,)
    b = _read(pts[1], year)
    if a is not None and b is not None and a > b:
        b = _read(pts[1], year + 1)
    return (a, b)


def iso(d: date, granularity: str, year_known: bool = True) -> str:
    """'2024-06-04', '2024-06', '2024'; an unknown year is 'XXXX' (ISO 8601-2)."""
    y = f"{d.year:04d}" if year_known else "XXXX"
    if granularity == "year":
        return y
    if granularity == "month":
        return f"{y}-{d.month:02d}"
    return f"{y}-{d.month:02d}-{d.day:02d}"


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
        ("ago_<unit>", n), ("weekday", weekday, mode) or ("weekdays", first, last, mode). Modes:
        "on_or_before" (the last such day, publication day included), "before", "after",
        "on_or_after". A period of weekdays ("Donnerstag und Freitag", "Wochenende") looking back
        ends on the last such `last` day; looking ahead it starts on the next such `first` day.
    published (date): the anchor.
    RETURNS (tuple[str, str]): ISO value ("start/end" for a period) and granularity.
    """
    kind = rel[0]
    if kind == "weekdays":
        first, last, mode = rel[1], rel[2], rel[3]
        length = timedelta(days=(last - first) % 7)
        if mode in {"after", "on_or_after"}:
            start = date.fromisoformat(resolve_relative(("weekday", first, mode), published)[0])
            end = start + length
        else:
            end = date.fromisoformat(resolve_relative(("weekday", last, mode), published)[0])
            start = end - length
        return f"{start.isoformat()}/{end.isoformat()}", "day"
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
    readings: list[Reading] = []
    for c in find_candidates(text, pub):
        if c.kind == "relative":
            readings.append((c, ()))
            continue
        dates = tuple(_read(p) if p.has_year else None for p in c.points)
        if any(d is None for p, d in zip(c.points, dates) if p.has_year):
            continue  # dateparser rejects it ("31. Februar 2024"): no value rather than a guess
        readings.append((c, dates))
    year = context_year(readings, published=pub)
    facts: list[DateFact] = []
    for c, dates in readings:
        if c.kind == "relative":
            if pub is None:
                continue  # never guess "gestern" without an anchor
            rel = c.rel or ()
            if rel[0] in {"weekday", "weekdays"} and rel[-1] == "on_or_before" and c.future:
                rel = (*rel[:-1], "on_or_after")  # "Am Freitag findet das Fest statt": the next Friday
            try:
                value, gran = resolve_relative(rel, pub)
            except (OverflowError, ValueError):
                continue  # "morgen" after 9999-12-31: no calendar date to give
            if not re.match(r"^\d{4}(?:\D|$)", value) or value.startswith("0000"):
                continue  # a year outside 0001..9999 is no ISO date
            kind = "range" if rel[0] == "weekdays" else "point"
            facts.append(DateFact(c.start, c.end, value, gran, True, kind, {"anchor": "published"}))
            continue
        fact = _absolute_fact(c, dates, year, pub)
        if fact is not None:
            facts.append(fact)
    return facts


def _absolute_fact(
    c: Candidate, dates: tuple[date | None, ...], year: int | None, published: date | None
) -> DateFact | None:
    """The fact for an absolute candidate; None when dateparser rejects a point or the range runs backwards."""
    completed = _complete(c, dates, year, published)
    if completed is None:
        return None
    read, source = completed
    known = source != "unknown"
    extra: dict[str, Any] = {"year_source": source}
    if c.name_year:
        extra["event_name_year"] = True
    values = [iso(d, p.granularity, known) for p, d in zip(c.points, read)]
    granularity = c.points[-1].granularity
    if c.kind == "range" and values[0] != values[1]:
        if known and read[0] > read[1]:
            return None  # "2024 bis 2020" or a reversed range: not a period
        return DateFact(c.start, c.end, "/".join(values), granularity, False, "range", extra)
    return DateFact(c.start, c.end, values[0], granularity, False, "point", extra)


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
