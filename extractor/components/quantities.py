"""The `eventfacts_quantities` component: counted amounts such as "rund 25 Netzwerker*innen".

A quantity is a number (digits, German number words, optionally a scale word) plus the counted
noun after it: "neun Bundesländern", "2,5 Millionen Euro", "mehr als 100 Teilnehmende",
"12 %". On a blank German pipeline there are no POS tags, so the counted noun is the first
capitalised token after the number, with only inflected lowercase adjectives allowed in between
(German nouns are capitalised, attributive adjectives end in -e/-en/-er/-es/-em).

Numbers that are not counts are left alone: years, dates, ordinals, times, phone numbers,
postcodes, house numbers, paragraph and page references and numbers inside names
("INQA-Praxiswerkstatt 2024", "Halle 3").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import extensions
from ..doc_tokens import DocTokens, doc_tokens
from ..numbers import (
    INDEFINITE_ARTICLES,
    SINGULAR_SCALES,
    parse_digits,
    parse_number_word,
    scale_of,
    to_plain,
)
from ..lexicon import places
from .base import RuleComponent

LABEL = "QUANTITY"
# The counted noun stands at most this many (adjective) tokens after the number:
# "drei weitere spannende Workshops".
MAX_GAP = 4

# Approximators and bounds before the number, lowercased token sequences, longest first.
QUALIFIERS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(q.split())
            for q in (
                "mehr als", "weniger als", "deutlich mehr als", "weit mehr als", "knapp über",
                "gut über", "weit über", "bis zu", "über", "rund", "ca.", "ca", "circa", "zirka",
                "etwa", "knapp", "fast", "gut", "mindestens", "mind.", "annähernd", "ungefähr",
                "nahezu", "beinahe", "höchstens", "maximal", "max.",
            )
        ),
        key=len,
        reverse=True,
    )
)
# "Prozent" is normalised to "%" so that "12 Prozent" and "12 %" compare equal.
PERCENT_WORDS = frozenset({"prozent", "%"})
# Currency symbols and codes; "Euro", "Dollar", "Franken" are capitalised nouns and need no list.
CURRENCY_SYMBOLS = frozenset({"€", "$", "£", "EUR", "USD", "CHF", "GBP"})
# Currency nouns that stay unchanged in the plural: "2000 Euro".
CURRENCY_NOUNS = frozenset({"euro", "dollar", "franken", "pfund", "cent", "yen"})
# Endings of plural nouns, and of singular nouns that share them ("Referentin", "Aktion").
PLURAL_ENDINGS = ("e", "n", "er", "el", "s")
SINGULAR_ENDINGS = ("in", "ion", "um", "ismus")
# Lowercase units of measurement that the capitalised-noun rule would miss: "5 km", "100 m²".
MEASURE_UNITS = frozenset(
    {"km", "km²", "m", "m²", "m³", "qm", "ha", "kg", "t", "l", "cm", "mm", "min", "kWh", "kW"}
)
MONTHS = frozenset(
    "januar jänner februar märz april mai juni juli august september oktober november dezember "
    "jan feb mär mrz apr jun jul aug sep sept okt nov dez".split()
)
# Nouns after a number that show it is a time, a date, a frequency, a fraction or a reference,
# not a count: "14 Uhr", "4 Juni", "drei Mal", "zwei Drittel", "5 Abs."; compared lowercased,
# without a final period.
NOT_COUNTED = MONTHS | frozenset(
    "uhr mal drittel viertel fünftel sechstel achtel zehntel hälfte abs absatz nr s art satz ziff "
    "lit bd jg rn rdnr".split()
)
# Words right before a number that make it a reference or an identifier: "§ 5", "Tel. 0661",
# "Seite 12", "Nr. 3", "Halle 3", "Version 2"; compared lowercased, without a final period.
REFERENCE_WORDS = frozenset(
    "§ §§ art abs absatz nr nummer no s seite seiten tel telefon fax mobil kapitel version v ziff "
    "ziffer paragraf paragraph raum zimmer halle gleis linie platz rang haus postfach plz bus "
    "tram folge teil band heft jg jahrgang ausgabe kw".split()
)
# Endings of street names: "Hauptstraße 12", "Am Markt 3", "Lindenweg 7".
STREET_ENDINGS = (
    "straße", "strasse", "str", "weg", "platz", "allee", "gasse", "ring", "damm", "ufer",
    "chaussee", "markt", "graben", "steig", "pfad",
)
# Words before a year-like number that make it a year: "im Jahr 2023", "seit 2010", "Ende 2024".
YEAR_CONTEXT = MONTHS | frozenset(
    "jahr jahre jahres jahrgang im seit ab bis von vor nach anno sommer winter frühjahr frühling "
    "herbst anfang ende mitte stand zwischen und".split()
)
# Tokens after which a new sentence (or a new line of a list) starts.
BOUNDARIES = frozenset({".", "!", "?", ":", ";", "„", '"', "“", "”", "»", "«", "(", "–", "—", "-", "•", "|", "*"})
# Lowercase words ending like adjectives that are not adjectives: they end the search for a noun.
NON_ADJECTIVES = frozenset(
    "der die das den dem des ein eine einer eines einem einen keine keiner keinem keinen diese "
    "dieser diesem diesen jene jener jedem jeden jeder jede alle allen aller beide beiden seine "
    "seiner seinem seinen ihre ihrer ihrem ihren unsere unserer unserem unseren deren denen "
    "aber oder wieder immer über unter hinter später außer per sowie gegen neben zwischen wegen "
    "ohne eben gerne heute gestern morgen oben unten innen außen vorne hinten daher bisher "
    "sicher haben waren werden wurden sollen können müssen wollen dürfen sie wir ihr".split()
)
# Adverbs that may grade an adjective between number and noun: "drei sehr gute Vorträge".
INTENSIFIERS = frozenset("sehr besonders überaus äußerst hoch ganz echt wirklich teils".split())
# Between two adjectives: "25 junge und erfahrene Fachkräfte", "drei kurze, knackige Vorträge".
ADJECTIVE_CONNECTORS = frozenset({",", "und", "oder", "sowie", "bzw."})
# Between the two halves of a paired gender form: "Vertreterinnen und Vertreter".
PAIR_CONNECTORS = frozenset({"und", "oder", "bzw.", "&", "/"})
# Separators of gender forms the tokenizer may split off: "Teilnehmer:innen", "Kolleg*innen".
GENDER_MARKS = frozenset({":", "*", "_", "/", "(", "/-"})
GENDER_ENDINGS = frozenset({"innen", "in", "-innen", "-in"})

_ADJECTIVE = re.compile(r"^[a-zäöüß][a-zäöüß-]*(?:e|en|er|es|em)$")
# Uninflected adjectives used as adverbs before an inflected one: "ehrenamtlich tätige Helfer",
# "regional ansässige Betriebe". Finite verbs rarely end like this.
_ADVERBIAL = re.compile(r"^[a-zäöüß]+(?:lich|ig|isch|bar|haft|sam|iv|al|ell|los|voll|reich|weit|fach)$")
# Abbreviated statute names: "EStG", "BetrVG", "MarkenG", "GG", "BGB", "StGB", "SGB", "ZPO", "VwGO".
_STATUTE = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z]{0,6}(?:G|GB|O)$")
_THREE_DIGITS = re.compile(r"^\d{3}$")
_GROUP_HEAD = re.compile(r"^[1-9]\d{0,2}$")
_SPACE_SEPARATORS = frozenset({"\u00a0", "\u202f", "\u2009"})


@dataclass(frozen=True)
class QuantityMatch:
    """A quantity found in a Doc: token range of the whole phrase plus the parsed parts."""

    start: int
    end: int
    value: int | float
    unit: str
    unit_start: int
    unit_end: int
    qualifier: str | None


@Language.factory(
    "eventfacts_quantities",
    assigns=["doc.spans"],
    default_config={"spans_key": extensions.QUANTITIES},
)
def make_quantities(nlp: Language, name: str, spans_key: str) -> QuantityTagger:
    """Create an `eventfacts_quantities` component (see QuantityTagger)."""
    return QuantityTagger(nlp, name, spans_key=spans_key)


class QuantityTagger(RuleComponent):
    """Write counted amounts to `doc.spans[spans_key]` with label QUANTITY.

    Each span carries `span._.ef_quantity = {"value", "unit", "qualifier", "unit_start",
    "unit_end"}` (unit offsets are character offsets of the counted noun). Numbers covered by
    `doc.spans["eventfacts_dates"]` are skipped, so run the dates component first.
    """

    def __init__(self, nlp: Language, name: str = "eventfacts_quantities", *, spans_key: str = extensions.QUANTITIES) -> None:
        """Initialise the component.

        nlp (Language): The pipeline.
        name (str): The component name.
        spans_key (str): The span group the quantities are written to.
        """
        super().__init__(nlp, name, spans_key=spans_key)

    @property
    def spans_key(self) -> str:
        """The span group key, from the (serialised) settings."""
        return str(self.cfg["spans_key"])

    def __call__(self, doc: Doc) -> Doc:
        """Find the quantities in `doc` and overwrite its span group.

        doc (Doc): The document, possibly with DATE spans already set.
        RETURNS (Doc): The same document.
        """
        blocked: set[int] = set()
        if extensions.DATES in doc.spans:
            for date in doc.spans[extensions.DATES]:
                blocked.update(range(date.start, date.end))
        spans: list[Span] = []
        for match in find_quantities(doc, blocked=blocked):
            span = Span(doc, match.start, match.end, label=LABEL)
            span._.ef_quantity = {
                "value": match.value,
                "unit": match.unit,
                "qualifier": match.qualifier,
                "unit_start": match.unit_start,
                "unit_end": match.unit_end,
            }
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


def find_quantities(doc: Doc, *, blocked: set[int] | frozenset[int] = frozenset()) -> list[QuantityMatch]:
    """Find every counted amount in a Doc, left to right, without overlaps.

    doc (Doc): A tokenised German document; no tags needed.
    blocked (set[int]): Token indices that belong to other facts (dates) and must not be used.
    RETURNS (list[QuantityMatch]): The quantities in text order.
    """
    found: list[QuantityMatch] = []
    toks = doc_tokens(doc)
    i = 0
    floor = 0  # a qualifier must not reach into the previous quantity
    while i < len(doc):
        match = _duration_adjective(doc, toks, i, blocked) or _match_at(doc, toks, i, blocked, floor)
        if match is None:
            i += 1
            continue
        found.append(match)
        i = floor = match.end
    return found


def _match_at(doc: Doc, toks: DocTokens, i: int, blocked: set[int] | frozenset[int], floor: int) -> QuantityMatch | None:
    """The quantity whose number starts at token i, or None."""
    if i in blocked:
        return None
    core = _number_core(toks, i)
    if core is None:
        return None
    value, core_end, plain = core
    if any(k in blocked for k in range(i, core_end)):
        return None
    # A number right before another number is part of a code: "0661 12345", "CHF 2 5".
    if core_end < len(toks) and any(c.isdigit() for c in toks.text[core_end]):
        return None

    # A currency symbol before the number is the unit: "€ 2.500", "EUR 3.000".
    prefix_currency = i > floor and toks.text[i - 1] in CURRENCY_SYMBOLS
    head = i - 1 if prefix_currency else i
    qualifier_start = _qualifier_start(toks, head, blocked, floor)
    if qualifier_start is None and _is_identifier(doc, head):
        return None

    if prefix_currency:
        tok = doc[i - 1]
        unit: tuple[str, int, int, str] | None = (tok.text, i - 1, i, "symbol")
        end = core_end
    else:
        unit = _unit_after(doc, core_end, blocked)
        if unit is None:
            return None
        end = unit[2]
    unit_text, unit_first, unit_last, unit_kind = unit

    if plain is not None:
        # "2024 fand ...", "im Jahr 2023", "seit 2010 arbeiten Unternehmen": a year, unless its
        # counted noun follows at once and nothing before it speaks of time ("2000 Besucher").
        if _is_year(plain) and not prefix_currency and (
            unit_first != core_end
            or _prev_lower(doc, head) in YEAR_CONTEXT
            or (unit_kind == "noun" and not _looks_plural(unit_text))
        ):
            return None
        # An unseparated five-digit number before a name is a postcode: "36037 Fulda".
        if len(plain) == 5 and unit_kind == "noun":
            return None

    start = qualifier_start if qualifier_start is not None else head
    if any(k in blocked for k in range(start, end)):
        return None
    return QuantityMatch(
        start=start,
        end=end,
        value=to_plain(value),
        unit=unit_text,
        unit_start=toks.idx[unit_first],
        unit_end=toks.idx[unit_last - 1] + len(toks.text[unit_last - 1]),
        qualifier=toks.span_text(qualifier_start, head) if qualifier_start is not None else None,
    )


# "50-jährige", "60jährigen", "zweitägige", "sechzigjährigen": a measure inside an adjective.
_DURATION = re.compile(r"^(?P<num>\d+|[a-zäöüß]+?)[-‑]?(?P<unit>jährig|tägig|wöchig|monatig|stündig|minütig)(?:e|en|er|es|em)?$", re.I)
_DURATION_UNITS = {"jährig": "Jahre", "tägig": "Tage", "wöchig": "Wochen", "monatig": "Monate", "stündig": "Stunden", "minütig": "Minuten"}


def _duration_adjective(doc: Doc, toks: DocTokens, i: int, blocked: set[int] | frozenset[int]) -> QuantityMatch | None:
    """'das 50-jährige Bestehen' -> 50 Jahre, 'eine zweitägige Tagung' -> 2 Tage, also '100 jährige'.

    The unit is the measure the adjective names; the text is the adjective as written."""
    if i in blocked:
        return None
    text = toks.text[i]
    end = i + 1
    m = _DURATION.match(text)
    if m is None and i + 1 < len(doc) and text.isdigit() and i + 1 not in blocked:
        m = _DURATION.match(text + toks.text[i + 1]) if toks.text[i + 1][:1].islower() else None
        end = i + 2
    if m is None:
        return None
    num = m.group("num")
    value = parse_digits(num) if num.isdigit() else parse_number_word(num)
    if value is None or value <= 0:
        return None
    unit = _DURATION_UNITS[m.group("unit").lower()]
    start_char = toks.idx[i]
    return QuantityMatch(start=i, end=end, value=to_plain(value), unit=unit, unit_start=start_char,
                         unit_end=toks.idx[end - 1] + len(toks.text[end - 1]), qualifier=None)


def _number_core(toks: DocTokens, i: int) -> tuple[Decimal, int, str | None] | None:
    """Parse the number starting at token i: digits or a number word, plus a scale word.

    RETURNS (tuple | None): (value, end token index, the digit string when the number is a
        plain unseparated integer such as "2024" or "36037", else None), or None.
    """
    text, lower = toks.text, toks.lower
    end = i + 1
    plain: str | None = None
    value = parse_digits(text[i])
    if value is not None:
        digits, end = _join_digit_groups(toks, i)
        if digits != text[i]:
            value = parse_digits(digits)
            if value is None:  # pragma: no cover - groups are three digits by construction
                return None
        elif text[i].isdigit():
            plain = text[i]
    else:
        value = parse_number_word(text[i])
        if value is None:
            # "eine Million Euro", "ein Dutzend Gäste": the article counts one scale unit.
            if lower[i] in INDEFINITE_ARTICLES and end < len(text) and lower[end] in SINGULAR_SCALES:
                return Decimal(scale_of(text[end]) or 1), end + 1, None
            return None
    if end < len(text) and not _newline_after_at(toks, end - 1):
        factor = scale_of(text[end])
        if factor is not None:
            return value * factor, end + 1, None
    return value, end, plain


def _join_digit_groups(toks: DocTokens, i: int) -> tuple[str, int]:
    """Join thousands groups split by the tokenizer: "10 000", "1\u00a0000"."""
    words, whitespace = toks.text, toks.whitespace
    text = words[i]
    end = i + 1
    if _GROUP_HEAD.match(text) is None:
        return text, end
    while end < len(words):
        if whitespace[end - 1] == " " and _THREE_DIGITS.match(words[end]):
            text += " " + words[end]
            end += 1
        elif (
            words[end] in _SPACE_SEPARATORS
            and not whitespace[end - 1]
            and not whitespace[end]
            and end + 1 < len(words)
            and _THREE_DIGITS.match(words[end + 1])
        ):
            text += " " + words[end + 1]
            end += 2
        else:
            break
    return text, end


def _qualifier_start(toks: DocTokens, head: int, blocked: set[int] | frozenset[int], floor: int) -> int | None:
    """Start token of a qualifier ending right before `head` ("mehr als", "rund"), or None."""
    for qualifier in QUALIFIERS:
        start = head - len(qualifier)
        if start < floor or tuple(toks.lower[start:head]) != qualifier:
            continue
        if any(k in blocked for k in range(start, head)):
            continue
        if not any(_newline_after_at(toks, k) for k in range(start, head)):
            return start
    return None


def _is_identifier(doc: Doc, head: int) -> bool:
    """True when the word before the number makes it a reference, code or part of a name.

    "§ 5", "Tel. 0661 12345", "Seite 12", "Hauptstraße 12", "INQA-Praxiswerkstatt 2024",
    "Agenda 2030", "Halle 3". A capitalised word counts only mid-sentence: at the start of a
    sentence it may be a determiner ("Die 25 Gäste", "Alle 30 Plätze").
    """
    if head == 0:
        return False
    prev = doc[head - 1]
    if _newline_after(prev):
        return False
    norm = prev.lower_.rstrip(".")
    if norm in REFERENCE_WORDS or norm.endswith(STREET_ENDINGS):
        return True
    # "Art. 3": the tokenizer may split the abbreviation's period off.
    if prev.text == "." and head >= 2 and doc[head - 2].lower_ in REFERENCE_WORDS:
        return True
    # A number right after a number: phone numbers, postcodes after house numbers.
    if any(c.isdigit() for c in prev.text):
        return True
    # Scores and ratios: "mit 6 : 1 Stimmen", "2/3".
    if prev.text in {":", "/"} and head >= 2 and any(c.isdigit() for c in doc[head - 2].text):
        return True
    # German capitalises every noun, so a capitalised word before a number ("in diesem Jahr
    # 12.500 Euro", "Angestellten 420 Hektar") says nothing by itself; names with numbers are
    # acronyms or hyphenated names ("INQA-Praxiswerkstatt 2024", "IAA 2023") or identifier nouns
    # ("Halle 3", "Agenda 2030": REFERENCE_WORDS, NAME_NUMBER_NOUNS).
    if prev.text.isupper() and len(prev.text) > 1 and prev.text.isalpha():
        return not _starts_sentence(doc, head - 1)
    if "-" in prev.text[1:] and prev.text[:1].isupper():
        return not _starts_sentence(doc, head - 1)
    if norm in NAME_NUMBER_NOUNS:
        return True
    return False


# Nouns that take a number as part of a name or label: "Agenda 2030", "Industrie 4.0", "Stand C14".
NAME_NUMBER_NOUNS = frozenset(
    "agenda industrie stand stufe phase level saal gebäude block sektion modell typ generation runde "
    "spieltag etappe klasse gruppe team station bahnsteig terminal tor tür route strecke kanal programm "
    "vision strategie plan pakt horizont".split()
)


def _starts_sentence(doc: Doc, k: int) -> bool:
    """True when token k opens a sentence, a quote or a line."""
    if k == 0:
        return True
    before = doc[k - 1]
    return before.is_space or before.text in BOUNDARIES or _newline_after(before)


def _unit_after(doc: Doc, j: int, blocked: set[int] | frozenset[int]) -> tuple[str, int, int, str] | None:
    """The counted noun after the number, which ends at token j.

    RETURNS (tuple | None): (unit text, first token, end token, kind) where kind is "noun" or
        "symbol" ("%", "€", "km"), or None when no counted noun follows or the noun shows the
        number is a time, date or reference ("14 Uhr", "4 Juni").
    """
    if j >= len(doc) or _newline_after(doc[j - 1]) or j in blocked:
        return None
    first = doc[j]
    if first.lower_ in PERCENT_WORDS:
        return "%", j, j + 1, "symbol"
    if first.text in CURRENCY_SYMBOLS or first.text in MEASURE_UNITS:
        return first.text, j, j + 1, "symbol"
    k = j
    after_adjective = False
    while k < len(doc) and k - j <= MAX_GAP:
        tok = doc[k]
        if k in blocked or tok.is_space:
            return None
        if _is_noun(tok):
            if tok.lower_.rstrip(".") in NOT_COUNTED or _is_reference_noun(doc, k):
                return None
            if _capitalised_adjective(doc, k):
                k += 1  # "7 Thüringer Sportplaketten", "45 Goldene Meisterbriefe": the noun follows
                if _is_noun(doc[k]) and k not in blocked:
                    end = _extend_noun(doc, k)
                    return doc[k - 1:end].text, k - 1, end, "noun"
                return None
            end = _extend_noun(doc, k)
            if any(m in blocked for m in range(k, end)):
                return None
            return doc[k:end].text, k, end, "noun"
        if _newline_after(tok):
            return None
        if _is_adjective(tok):
            after_adjective = True
        elif _ADVERBIAL.match(tok.text) and k + 1 < len(doc) and _is_adjective(doc[k + 1]):
            after_adjective = False
        elif tok.lower_ in ADJECTIVE_CONNECTORS and after_adjective and k + 1 < len(doc) and _is_adjective(doc[k + 1]):
            after_adjective = False
        else:
            return None
        k += 1
    return None


def _capitalised_adjective(doc: Doc, k: int) -> bool:
    """'Thüringer', 'Goldene', 'Persönliche' before a capitalised noun: an adjective (of a place, or
    capitalised in a name), not the counted noun."""
    if k + 1 >= len(doc) or not _is_noun(doc[k + 1]):
        return False
    text = doc[k].text
    if text.endswith("er") and (text[:-2] in places() or text[:-2] + "en" in places()):
        return True
    return text.endswith(("e", "en")) and text.lower().endswith(("ige", "igen", "liche", "lichen", "ische", "ischen", "ene", "enen", "ale", "alen"))


def _is_noun(tok: Token) -> bool:
    """German nouns (and names, acronyms) are capitalised: "Gäste", "KMU", "IT-Fachleute".

    Not nouns: model codes ("B737") and the first half of a truncated compound ("Gold-").
    """
    text = tok.text
    return text[:1].isupper() and text[:1].isalpha() and not text.endswith("-") and not any(c.isdigit() for c in text)


def _is_reference_noun(doc: Doc, k: int) -> bool:
    """True when the capitalised token at k is a law or file reference, not a counted noun.

    "§ 33 Abs. 1 bis 3 EStG" (a statute), "- 3 AZR 455/15 -" (a file number), "8 U 101/12":
    one-letter tokens, statute abbreviations and short abbreviations followed by a number.
    """
    text = doc[k].text
    if len(text) == 1 or _STATUTE.match(text):
        return True
    follower = doc[k + 1].text if k + 1 < len(doc) else ""
    if not any(c.isdigit() for c in follower):
        return False
    # Register letters and abbreviations before a number: "AZR 455/15", "StR 718/53", "Rn. 82".
    return text.endswith(".") or len(text) <= 3 or (text.isupper() and text.isalpha())


def _is_adjective(tok: Token) -> bool:
    """Inflected attributive adjectives and participles: "engagierte", "weiteren", "neuer"."""
    return (_ADJECTIVE.match(tok.text) is not None and tok.lower_ not in NON_ADJECTIVES) or tok.lower_ in INTENSIFIERS


def _extend_noun(doc: Doc, k: int) -> int:
    """End token of the counted noun at k, joining split gender forms and paired forms.

    "Teilnehmer", ":", "innen" → one unit; "Vertreterinnen und Vertreter" → one unit.
    """
    end = k + 1
    if (
        end + 1 < len(doc)
        and not doc[k].whitespace_
        and doc[end].text in GENDER_MARKS
        and not doc[end].whitespace_
        and doc[end + 1].lower_ in GENDER_ENDINGS
    ):
        closes = doc[end].text == "("
        end += 2
        if closes and end < len(doc) and doc[end].text == ")" and not doc[end - 1].whitespace_:
            end += 1
    if (
        end + 1 < len(doc)
        and not _newline_after(doc[end - 1])
        and doc[end].lower_ in PAIR_CONNECTORS
        and _is_noun(doc[end + 1])
        and _is_gender_pair(doc[k].text, doc[end + 1].text)
    ):
        end += 2
    return end


def _is_gender_pair(first: str, second: str) -> bool:
    """True for "Vertreterinnen"/"Vertreter", "Kollegen"/"Kolleginnen", "Ärztinnen"/"Ärzte"."""
    for feminine, other in ((first, second), (second, first)):
        if feminine.endswith("innen") and not other.endswith("innen"):
            stem = feminine[: -len("innen")]
            if len(stem) >= 3 and other.startswith(stem):
                return True
    return False


def _is_year(plain: str) -> bool:
    """A four-digit integer between 1000 and 2100 written without separator reads as a year."""
    return len(plain) == 4 and 1000 <= int(plain) <= 2100


def _looks_plural(noun: str) -> bool:
    """True for nouns that can follow a count above one: "Besucher", "Gäste", "Euro".

    After a year-like number a singular noun shows a year: "1937 Generaldirektor",
    "für 2010 Aufschwung"; German plurals end in -e, -(e)n, -er, -el or -s, or are a currency.
    """
    last = noun.split()[-1].lower()
    if last in CURRENCY_NOUNS or last.endswith("innen"):
        return True
    # Singular feminine and Latinate nouns end in -n too: "Geschäftsführerin", "Aktion".
    return last.endswith(PLURAL_ENDINGS) and not last.endswith(SINGULAR_ENDINGS)


def _prev_lower(doc: Doc, i: int) -> str:
    """The lowercased token before i, or ''."""
    return doc[i - 1].lower_ if i > 0 else ""


def _newline_after(tok: Token) -> bool:
    """True when a line break follows the token (line breaks end phrases in press text)."""
    return _newline_after_at(doc_tokens(tok.doc), tok.i)


def _newline_after_at(toks: DocTokens, k: int) -> bool:
    """`_newline_after(doc[k])` on the token lists."""
    if "\n" in toks.whitespace[k]:
        return True
    # A whitespace token ("\n\n") holding the line break; `Token.is_space` is `str.isspace`.
    return k + 1 < len(toks) and "\n" in toks.text[k + 1] and toks.text[k + 1].isspace()
