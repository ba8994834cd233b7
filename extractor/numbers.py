"""Pure parsers for German numbers: digits with German separators, number words and scale words.

Nothing here knows about spaCy. The quantity component decides *where* a number stands; these
functions only say *which* number a piece of text is, or None when it is not a plain count
(ordinals "4.", dates "12.05.2024", times "14:30", versions "4.0", articles "ein").
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from text_to_num import text2num

# "1.500", "100.000", "2.500,50": German groups thousands with a period and marks decimals with a
# comma; Swiss texts use an apostrophe, typeset texts a (narrow) no-break space.
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:(?P<sep>[.'’\u00a0\u202f\u2009 ])\d{3})(?:(?P=sep)\d{3})*(?:,\d+)?$")
# "25", "3000", "2,5", "0,5": no grouping. A leading zero ("0661", "05") marks a code, not a count.
_PLAIN = re.compile(r"^(?:0|[1-9]\d*)(?:,\d+)?$")

# The building blocks of German cardinal words, so that text2num only ever sees candidates.
# text2num alone would accept "Millionen" (vague: "Millionen Menschen") and the article "ein".
_NUMBER_WORD = re.compile(
    r"^(?:ein|eins|zwei|drei|vier|fünf|sechs|sech|sieben|sieb|acht|neun|zehn|elf|zwölf|"
    r"zwanzig|dreißig|dreissig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|und)+$"
)
# Words that text2num reads as 1 but that are articles or the bare counting form, never a count.
_NOT_COUNTS = frozenset({"ein", "eins", "null"})
# "anderthalb", "eineinhalb", "zweieinhalb": a number word plus one half.
_HALF_SUFFIX = "einhalb"

# Scale words after a number: "2,5 Millionen", "1,5 Mrd.", "zwei Dutzend", "5 Tsd.".
SCALES: dict[str, int] = {
    "dutzend": 12,
    "tausend": 1_000,
    "tsd.": 1_000,
    "tsd": 1_000,
    "million": 1_000_000,
    "millionen": 1_000_000,
    "mio.": 1_000_000,
    "mio": 1_000_000,
    "milliarde": 1_000_000_000,
    "milliarden": 1_000_000_000,
    "mrd.": 1_000_000_000,
    "mrd": 1_000_000_000,
    "billion": 1_000_000_000_000,
    "billionen": 1_000_000_000_000,
}
# Scale words that an indefinite article can count: "eine Million Euro", "ein Dutzend Gäste".
SINGULAR_SCALES = frozenset({"dutzend", "million", "milliarde", "billion"})
INDEFINITE_ARTICLES = frozenset({"ein", "eine", "einer", "eines", "einem", "einen"})


# The quantity component asks about every token: both readers are cached per word form
# (a Decimal is immutable, so sharing the result is safe).
@lru_cache(maxsize=16384)
def parse_digits(text: str) -> Decimal | None:
    """Read a number written in digits with German separators.

    text (str): One token, e.g. "1.500", "2,5", "100 000", "3000".
    RETURNS (Decimal | None): The number, or None for anything else: ordinals ("4."), dates
        ("12.05.2024"), times ("14:30"), versions ("4.0") and codes with a leading zero ("0661").
    """
    text = text.strip()
    if _GROUPED.match(text) is None and _PLAIN.match(text) is None:
        return None
    digits = re.sub(r"[.'’\u00a0\u202f\u2009 ]", "", text).replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        return None


@lru_cache(maxsize=16384)
def parse_number_word(word: str) -> Decimal | None:
    """Read one German cardinal number word.

    word (str): E.g. "neun", "Zwölf", "dreiundzwanzig", "zweihundertfünfzig", "zweieinhalb".
    RETURNS (Decimal | None): The number, or None for articles ("ein", "eine"), ordinals
        ("zweiten"), vague plurals ("Hunderte") and every other word.
    """
    lower = word.lower()
    if lower == "anderthalb":
        return Decimal("1.5")
    if lower.endswith(_HALF_SUFFIX) and len(lower) > len(_HALF_SUFFIX):
        # "eineinhalb" = 1.5: here the leading "ein" is a number, not an article.
        head = lower[: -len(_HALF_SUFFIX)]
        whole = Decimal(1) if head == "ein" else parse_number_word(head)
        return None if whole is None else whole + Decimal("0.5")
    if lower in _NOT_COUNTS or _NUMBER_WORD.match(lower) is None:
        return None
    try:
        return Decimal(text2num(lower, "de"))
    except ValueError:
        return None


def parse_numeral(text: str) -> Decimal | None:
    """Read one token that is a number on its own, in digits or in words.

    text (str): E.g. "1.500", "2,5", "neun", "dreiundzwanzig".
    RETURNS (Decimal | None): The number, or None.
    """
    value = parse_digits(text)
    return value if value is not None else parse_number_word(text)


def scale_of(word: str) -> int | None:
    """The factor of a scale word: "Millionen" → 1000000, "Mrd." → 10**9, "Dutzend" → 12."""
    return SCALES.get(word.lower())


def to_plain(value: Decimal) -> int | float:
    """An int when the value is whole (2500000), else a float (2.5)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_number(text: str) -> int | float | None:
    """Read a German number phrase: a numeral, optionally followed by a scale word.

    text (str): E.g. "1.500", "2,5 Millionen", "1,5 Mrd.", "dreiundzwanzig", "eine Million",
        "ein Dutzend", "zwei Dutzend".
    RETURNS (int | float | None): The value, or None when the text is not a number phrase
        (including the bare article "ein" and a bare scale word "Millionen").
    """
    text = text.strip()
    whole = parse_numeral(text)
    if whole is not None:
        return to_plain(whole)
    parts = text.split()
    if len(parts) != 2:
        return None
    first, second = parts
    factor = scale_of(second)
    if factor is None:
        return None
    if first.lower() in INDEFINITE_ARTICLES:
        return factor if second.lower() in SINGULAR_SCALES else None
    base = parse_numeral(first)
    if base is None:
        return None
    return to_plain(base * factor)
