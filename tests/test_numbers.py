"""Tests for the pure German number parsers in `extractor.numbers`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.numbers import parse_digits, parse_number, parse_number_word, scale_of, to_plain


@pytest.mark.parametrize(
    "text,expected",
    [
        ("25", 25),
        ("1.500", 1500),
        ("100.000", 100000),
        ("1.000.000", 1000000),
        ("3000", 3000),
        ("2,5", 2.5),
        ("0,5", 0.5),
        ("2.500,50", 2500.5),
        ("1 000", 1000),
        ("1\u00a0000", 1000),
        ("1\u202f500", 1500),
        ("1'500", 1500),
        ("2,5 Millionen", 2500000),
        ("1,5 Mrd.", 1500000000),
        ("1,2 Mio.", 1200000),
        ("5 Tsd.", 5000),
        ("zwei Dutzend", 24),
        ("drei Milliarden", 3000000000),
        ("neun", 9),
        ("zwölf", 12),
        ("Zwölf", 12),
        ("elf", 11),
        ("sechzehn", 16),
        ("dreiundzwanzig", 23),
        ("dreißig", 30),
        ("hundert", 100),
        ("zweihundertfünfzig", 250),
        ("eintausendzweihundert", 1200),
        ("zweieinhalb", 2.5),
        ("eineinhalb", 1.5),
        ("anderthalb", 1.5),
        ("eine Million", 1000000),
        ("einer Million", 1000000),
        ("ein Dutzend", 12),
    ],
)
def test_numbers_parse_number_reads_german_numbers(text: str, expected: int | float) -> None:
    value = parse_number(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "text",
    [
        "ein",  # article, not a count
        "eine",
        "eins",
        "einen",
        "null",
        "Millionen",  # vague: "Millionen Menschen"
        "Hunderte",
        "Dutzende",
        "zweiten",  # ordinal
        "fünften",
        "4.",  # ordinal in digits
        "12.05.2024",  # date
        "14:30",  # time
        "14.30",
        "4.0",  # version
        "1.5",  # English decimal point is not German
        "0661",  # leading zero: a code
        "und",
        "einhalb",
        "eine Milliarden",  # article with a plural scale
        "2,5 Leute",  # no scale word
        "25 Millionen Euro",  # a phrase, not a number
        "",
    ],
)
def test_numbers_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text,expected",
    [("1.500", Decimal("1500")), ("2,5", Decimal("2.5")), ("12.345.678", Decimal("12345678")), ("4.", None), ("1.50", None)],
)
def test_numbers_parse_digits_uses_german_separators(text: str, expected: Decimal | None) -> None:
    assert parse_digits(text) == expected


@pytest.mark.parametrize(
    "word,expected",
    [("Neun", Decimal(9)), ("einundzwanzig", Decimal(21)), ("ein", None), ("Hundertschaft", None), ("acht", Decimal(8))],
)
def test_numbers_parse_number_word_uses_closed_vocabulary(word: str, expected: Decimal | None) -> None:
    assert parse_number_word(word) == expected


@pytest.mark.parametrize(
    "word,expected",
    [("Millionen", 1000000), ("Mio.", 1000000), ("Mrd.", 1000000000), ("Dutzend", 12), ("Tausend", 1000), ("Euro", None)],
)
def test_numbers_scale_of_knows_scale_words(word: str, expected: int | None) -> None:
    assert scale_of(word) == expected


@pytest.mark.parametrize(
    "value,expected", [(Decimal("2500000.0"), 2500000), (Decimal("2.5"), 2.5), (Decimal("0"), 0)]
)
def test_numbers_to_plain_prefers_int(value: Decimal, expected: int | float) -> None:
    result = to_plain(value)
    assert result == expected
    assert type(result) is type(expected)
