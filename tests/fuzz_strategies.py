"""Inputs for fuzzing eventfacts: invented German event reports, hostile text pieces, hostile JSONL lines.

One set of generators serves three users: the property tests (tests/test_fuzz.py, through the
hypothesis strategies at the bottom, so that a failure shrinks to a small repro), the long fuzz
session (scripts/fuzz.py) and the scaling benchmark (scripts/benchmark_scaling.py), which drive the
same generators with a seeded `random.Random`. A generator takes any `rng` with `choice(seq)` and
`randint(a, b)`. Every sentence here is invented.
"""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from hypothesis import strategies as st

from corpus import ReadError
from corpus.sniffing import binary_reason
from models import EventReport, InputRecord


class Rng(Protocol):
    def choice(self, seq: Any) -> Any: ...
    def randint(self, a: int, b: int) -> int: ...


def chance(rng: Rng, percent: int) -> bool:
    """True with `percent` % probability; shrinks (under hypothesis) towards False."""
    return rng.randint(0, 99) >= 100 - percent


# --- invented German event reports -----------------------------------------------------------

FIRST_NAMES = ("Anna", "Jonas", "Katrin", "Mehmet", "Sophie", "Lukas", "Zeynep", "Jörg", "Ülkü", "Marie-Luise")
LAST_NAMES = ("Beispiel", "Muster", "Albers", "Schwarz", "Yilmaz", "Krüger", "Weiß", "Nguyen", "Oßwald", "von der Heide")
TITLES = ("", "", "Dr. ", "Prof. Dr. ", "Prof. ")
ROLES = (
    "Geschäftsführerin", "Bürgermeister", "Vorsitzende", "Leiter der Abteilung Ausbildung",
    "Staatssekretärin", "Projektleiterin", "Präsident", "Referentin für Fachkräftesicherung",
)
# All feminine, so "die {org}" and "der {org}" are good German in every template.
ORGS = (
    ("Industrie- und Handelskammer Kassel", "IHK"), ("Handwerkskammer Erfurt", "HWK"),
    ("Agentur für Arbeit Fulda", None), ("Volkshochschule Leipzig", "VHS"), ("Hochschule Fulda", None),
    ("Landesvereinigung Kulturelle Bildung Hessen e.V.", "LKB"), ("Sparkasse Rostock", None),
    ("Bürgerstiftung Halle", None),
)
CITIES = ("Kassel", "Erfurt", "Fulda", "Leipzig", "Rostock", "Bonn", "Gießen", "Halle (Saale)", "Frankfurt am Main", "Köln")
STATES = ("Hessen", "Thüringen", "Sachsen", "Bayern", "Nordrhein-Westfalen")
# event noun, grammatical gender
EVENT_TYPES = (
    ("Fachtag", "m"), ("Workshop", "m"), ("Kongress", "m"), ("Netzwerktreffen", "n"), ("Forum", "n"),
    ("Konferenz", "f"), ("Preisverleihung", "f"), ("Jubiläumsfeier", "f"), ("Zukunftswerkstatt", "f"), ("Ausbildungsmesse", "f"),
)
# zum, den, am, beim, der (nominative) by gender
ARTICLES = {
    "m": ("zum", "den", "am", "beim", "der"),
    "n": ("zum", "das", "am", "beim", "das"),
    "f": ("zur", "die", "an der", "bei der", "die"),
}
TOPICS = ("Ausbildung gemeinsam gestalten", "Fachkräfte sichern", "Digital in die Zukunft", "Vielfalt im Betrieb", "Wege in den Beruf")
VENUES = ("in die Stadthalle", "ins Rathaus", "ins Kongresszentrum", "in die Alte Brauerei", "in die Aula der Hochschule")
UNITS = ("Teilnehmende", "Gäste", "Unternehmen", "Schülerinnen und Schüler", "Netzwerker*innen", "Aussteller", "Fachkräfte")
AMOUNTS = ("25", "120", "rund 80", "mehr als 300", "zwölf", "knapp 1.500", "über 40", "drei", "2.000")
DATES = (
    "am 12. Mai 2024", "gestern", "am Freitag", "vom 4. bis 5. Juni 2025", "nächste Woche", "im März",
    "am 3.10.2023", "Anfang September", "morgen", "am vergangenen Donnerstag", "im letzten Jahr",
)
QUOTES = ("Wir brauchen jede Fachkraft", "Das war ein starkes Signal", "Ausbildung lohnt sich", "Gemeinsam geht mehr")
DATELINE = "{city}, {date_abs} – Die {org} lud {date} {zum} {etype} „{topic}“ ein."
SENTENCES = (
    "{amount} {unit} kamen {venue} nach {city}.",
    "{title}{first} {last}, {role} der {org}, begrüßte die Gäste.",
    "„{quote}“, sagte {last} zum Auftakt.",
    "Die {acr_org} ({acr}) und die {org2} organisierten {den} {etype} gemeinsam.",
    "{am} {etype} nahmen {amount} {unit} aus {count} Bundesländern teil.",
    "{der} nächste {etype} findet {date} in {city} statt.",
    "{first} {last} überreichte den Preis an {title}{first2} {last2} aus {state}.",
    "Im Anschluss diskutierten {amount} {unit} in drei Workshops über das Thema „{topic}“.",
    "Die Förderung beträgt 2,5 Millionen Euro, teilte {title}{last} mit.",
    "Zum Abschluss dankte {first} {last} den {amount} Ehrenamtlichen der {org}.",
)
HEADLINES = ("{etype} in {city}: {topic}", "{amount} {unit} {beim} {etype} der {acr_or_org}", "„{topic}“ – {etype} in {city}")


def german_sentence(rng: Rng, template: str | None = None) -> str:
    """One invented German event sentence from a template."""
    org, acr = rng.choice(ORGS)
    org2, _ = rng.choice(ORGS)
    acr_org, acr_of = rng.choice([o for o in ORGS if o[1]])
    etype, gender = rng.choice(EVENT_TYPES)
    zum, den, am, beim, der = ARTICLES[gender]
    fields = {
        "city": rng.choice(CITIES), "state": rng.choice(STATES), "date": rng.choice(DATES),
        "date_abs": f"{rng.randint(1, 28)}. {rng.choice(('Mai', 'Juni', 'Oktober', 'März'))} {rng.randint(2019, 2026)}",
        "org": org, "org2": org2, "acr_org": acr_org, "acr": acr_of, "acr_or_org": acr or org, "etype": etype,
        "topic": rng.choice(TOPICS), "venue": rng.choice(VENUES), "amount": rng.choice(AMOUNTS),
        "unit": rng.choice(UNITS), "count": rng.choice(("neun", "16", "fünf", "3")),
        "title": rng.choice(TITLES), "first": rng.choice(FIRST_NAMES), "last": rng.choice(LAST_NAMES),
        "first2": rng.choice(FIRST_NAMES), "last2": rng.choice(LAST_NAMES), "role": rng.choice(ROLES),
        "quote": rng.choice(QUOTES), "zum": zum, "den": den, "am": am, "beim": beim, "der": der,
    }
    sentence = (template or rng.choice(SENTENCES)).format(**fields)
    return sentence[:1].upper() + sentence[1:]


def german_report(rng: Rng, sentences: tuple[int, int] = (3, 8)) -> str:
    """A headline and paragraphs of invented event sentences, as a press report is laid out."""
    headline = german_sentence(rng, rng.choice(HEADLINES))
    body = [german_sentence(rng, DATELINE)]
    body += [german_sentence(rng) for _ in range(rng.randint(*sentences) - 1)]
    paragraphs, current = [], []
    for sentence in body:
        current.append(sentence)
        if chance(rng, 35):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return headline + "\n\n" + "\n\n".join(paragraphs)


def german_text_of_length(n: int, seed: int = 0) -> str:
    """Varied realistic report text of exactly n characters (reports joined by blank lines)."""
    rng = random.Random(seed)
    reports: list[str] = []
    size = 0
    while size < n:
        reports.append(german_report(rng, (6, 14)))
        size += len(reports[-1]) + 2
    return "\n\n".join(reports)[:n]


# --- hostile pieces ----------------------------------------------------------------------------

ODD_UNICODE = (
    "e\u0301", "a\u0308\u0308\u0308", "\u0301", "🎉", "👩\u200d🔬", "🇩🇪", "\u202eIHK\u202c", "\u200f", "\u2066Köln\u2069",
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u00a0", "\u2028", "\u2029", "\x85", "İ", "ẞ", "ß", "ﬁ", "ＩＨＫ",
    "مؤتمر", "כנס", "会议", "\U0001d400", "\ufffd", "\u0345", "ǅ", "Ⅻ", "½", "²", "٣", "\u00ad", "ﷺ",
)
CONTROL = tuple(chr(c) for c in range(0x20) if c not in (0x0A,)) + ("\x7f", "\x1b[31m", "\r\n", "\x9b")
SURROGATES = ("\ud800", "\udfff", "\ud83d", "\udc00\ud800")
REPEATED_TOKENS = ("Dr. ", "(IHK ", "Prof. Dr. ", "e.V. ", "IHK ", "Frau ", "der ", "12. Mai ", "1.000 ", "„Fachtag“ ")
PUNCTUATION = '!"„“()*-–—.,;:?/\\[]{}<>#%&@_~|^`\'…«»'
NUMBERS = ("9" * 40, "1.000.000.000.000", "3,5", "1e400", "-0", "0,0000001", "٣٤", "10^9", "2.147.483.648", "1" * 300)

PIECE_KINDS = ("sentence", "unicode", "control", "surrogate", "repeat", "punct_run", "number", "long_line", "nfd_sentence")


def hostile_piece(rng: Rng, kind: str, max_repeat: int = 40) -> str:
    """One piece of the given class (PIECE_KINDS)."""
    if kind == "sentence":
        return german_sentence(rng)
    if kind == "nfd_sentence":
        return unicodedata.normalize(rng.choice(("NFD", "NFKD", "NFKC")), german_sentence(rng))
    if kind == "unicode":
        return "".join(rng.choice(ODD_UNICODE) for _ in range(rng.randint(1, 4)))
    if kind == "control":
        return "".join(rng.choice(CONTROL) for _ in range(rng.randint(1, 3)))
    if kind == "surrogate":
        return rng.choice(SURROGATES)
    if kind == "repeat":
        return rng.choice(REPEATED_TOKENS) * rng.randint(2, max_repeat)
    if kind == "punct_run":
        return rng.choice(PUNCTUATION) * rng.randint(2, max_repeat)
    if kind == "number":
        return rng.choice(NUMBERS)
    if kind == "long_line":
        return " ".join(rng.choice(("Fachtag", "IHK", "und", "Kassel", "2024", "Dr.")) for _ in range(rng.randint(10, max_repeat * 3)))
    raise ValueError(f"unknown piece kind {kind!r}")


def hostile_text(rng: Rng, max_chars: int = 600, kinds: tuple[str, ...] = PIECE_KINDS, max_repeat: int = 40) -> str:
    """German sentences mixed with hostile pieces, joined by random separators, cut to max_chars."""
    parts = []
    for _ in range(rng.randint(1, 8)):
        parts.append(hostile_piece(rng, rng.choice(kinds), max_repeat))
        parts.append(rng.choice(("", " ", " ", "\n", "\n\n", "\r\n", "\t")))
    text = "".join(parts)
    if chance(rng, 15):
        text = unicodedata.normalize(rng.choice(("NFC", "NFD")), text)
    return text[:max_chars]


# --- hostile JSONL lines -----------------------------------------------------------------------


@dataclass(frozen=True)
class JsonlLine:
    """One line of a JSONL file and what the reader must make of it.

    expect: 'record' (an InputRecord with id `doc_id`), 'error' (a ReadError for this line),
        'either' (one item for this line, record or error), 'nothing' (a blank line).
    """

    line: str
    expect: str
    doc_id: str | None = None


LINE_KINDS = (
    "good", "good", "good", "int_id", "no_id", "huge_int", "big_int", "deep_text", "deep_line", "not_json",
    "no_text", "text_not_string", "bad_published", "surrogate_escape", "nul_escape", "bom", "crlf", "blank", "not_object",
)


def jsonl_line(rng: Rng, index: int, kind: str, max_chars: int = 300) -> JsonlLine:
    """A line of the given kind (LINE_KINDS) for record number `index` (ids are unique per index).

    A text that is mostly control characters is binary by the input rule (corpus.sniffing), so
    its line is an error whatever its kind."""
    line = _jsonl_line(rng, index, kind, max_chars)
    if line.expect == "record":
        try:
            text = json.loads(line.line.lstrip("\ufeff")).get("text")
        except (ValueError, AttributeError):
            return line
        if isinstance(text, str) and binary_reason(text) is not None:
            return JsonlLine(line.line, "error", line.doc_id)
    return line


def _jsonl_line(rng: Rng, index: int, kind: str, max_chars: int) -> JsonlLine:
    doc_id = f"r{index}"
    text = hostile_text(rng, max_chars)
    record: dict[str, Any] = {"id": doc_id, "text": text}
    if chance(rng, 30):
        record["published"] = rng.choice(("2024-05-03", "0001-01-01", "9999-12-31", "2024-02-29", None, ""))
    if chance(rng, 20):
        record["source"] = hostile_piece(rng, "unicode")
    dumped = json.dumps(record, ensure_ascii=rng.choice((True, False)))
    if kind == "good":
        return JsonlLine(dumped, "record", doc_id)
    if kind == "int_id":
        return JsonlLine(json.dumps({"id": 10_000_000 + index, "text": text}), "record", str(10_000_000 + index))
    if kind == "no_id":
        return JsonlLine(json.dumps({"text": text}), "either")  # a stable id from the text
    if kind == "huge_int":  # more digits than Python's int/str conversion allows (4300)
        field = rng.choice(("id", "text", "extra"))
        return JsonlLine('{"id": "%s", "text": "x", "%s": %s}' % (doc_id, field, "7" * rng.randint(4301, 6000)), "error")
    if kind == "big_int":  # allowed, but long
        return JsonlLine('{"id": %s, "text": "Fachtag in Kassel."}' % ("1" + "0" * rng.randint(20, 4000)), "either")
    if kind == "deep_text":
        depth = rng.choice((3, 50, 5_000, 100_000))
        return JsonlLine('{"id": "%s", "text": %s%s}' % (doc_id, "[" * depth, "]" * depth), "error", doc_id)
    if kind == "deep_line":
        depth = rng.choice((2, 1_000, 100_000))
        return JsonlLine(rng.choice(("[", "{\"a\":")) * depth, "error")
    if kind == "not_json":
        return JsonlLine(dumped[: rng.randint(0, max(len(dumped) - 2, 0))] or "{", "error")
    if kind == "no_text":
        return JsonlLine(json.dumps({"id": doc_id, "titel": text}), "error")
    if kind == "text_not_string":
        return JsonlLine(json.dumps({"id": doc_id, "text": rng.choice((5, None, True, [text], {"t": text}))}), "error")
    if kind == "bad_published":
        bad = rng.choice(("2024-13-45", "20240503", "2024-W01-1", "gestern", "2024-05-03garbage", 20240503))
        return JsonlLine(json.dumps({"id": doc_id, "text": text, "published": bad}), "error")
    if kind == "surrogate_escape":  # JSON may carry lone surrogates, UTF-8 cannot
        field = rng.choice(("text", "id", "source"))
        values = {"id": doc_id, "text": text, "source": "quelle"}
        values[field] += "\ud800"
        expected = doc_id + "\ufffd" if field == "id" else doc_id
        return JsonlLine(json.dumps(values), "record", expected)
    if kind == "nul_escape":
        return JsonlLine(json.dumps({"id": doc_id, "text": text + "\x00" + text}), "record", doc_id)
    if kind == "bom":
        return JsonlLine("\ufeff" + dumped, "record", doc_id)
    if kind == "crlf":
        return JsonlLine(dumped + "\r", "record", doc_id)
    if kind == "blank":
        return JsonlLine(rng.choice(("", " ", "\t", "  \r")), "nothing")
    if kind == "not_object":
        return JsonlLine(json.dumps(rng.choice(([1, 2], "text", 3, None))), "error")
    raise ValueError(f"unknown line kind {kind!r}")


def jsonl_bytes(lines: list[JsonlLine]) -> bytes:
    """The file: lone surrogates left raw by ensure_ascii=False become invalid UTF-8 bytes, as in the wild."""
    return "".join(item.line + "\n" for item in lines).encode("utf-8", "surrogatepass")


# --- checks shared by the tests and the fuzz script --------------------------------------------


@lru_cache(maxsize=1)
def schema_validator() -> Any:
    import jsonschema

    schema = EventReport.model_json_schema()
    return jsonschema.Draft202012Validator(schema)


def as_input_text(text: str) -> str:
    """The text the library offsets into: lone surrogates become U+FFFD at the input boundary."""
    return InputRecord(text=text).text


def check_report(report: EventReport, text: str, doc_id: str | None = None) -> None:
    """The record contract: offsets into `text`, valid against the model and the JSON Schema, writable as UTF-8."""
    assert isinstance(report, EventReport)
    if doc_id is not None:
        assert report.doc_id == doc_id
    for mention in report.iter_mentions():
        assert 0 <= mention.start <= mention.end <= len(text), mention
        assert text[mention.start : mention.end] == mention.text, mention
    data = report.model_dump(mode="json")
    errors = sorted(schema_validator().iter_errors(data), key=str)
    assert not errors, errors[0].message
    EventReport.model_validate(data, context={"text": text})
    json.dumps(data, ensure_ascii=False).encode("utf-8")  # raises on a lone surrogate


def check_items_against_lines(items: list[Any], lines: list[JsonlLine]) -> None:
    """One item per non-blank line, in order: a record with the expected id, or this line's error."""
    expected = [(number, line) for number, line in enumerate(lines, start=1) if line.expect != "nothing"]
    assert len(items) == len(expected), [str(i) if isinstance(i, ReadError) else i.id for i in items]  # type: ignore[union-attr]
    for item, (number, line) in zip(items, expected):
        if isinstance(item, ReadError):
            assert line.expect in ("error", "either"), (number, line.line[:80], str(item))
            assert item.line == number
        else:
            assert isinstance(item, InputRecord)
            assert line.expect in ("record", "either"), (number, line.line[:80], item)
            if line.doc_id is not None:
                assert item.id == line.doc_id


# --- hypothesis strategies ----------------------------------------------------------------------


class _Draws:
    """The `Rng` interface over hypothesis draws, so the generators above shrink."""

    def __init__(self, draw: Any) -> None:
        self._draw = draw

    def choice(self, seq: Any) -> Any:
        return self._draw(st.sampled_from(seq))

    def randint(self, a: int, b: int) -> int:
        return self._draw(st.integers(a, b))


@st.composite
def hostile_texts(draw: Any, max_chars: int = 600, kinds: tuple[str, ...] = PIECE_KINDS) -> str:
    return hostile_text(_Draws(draw), max_chars, kinds)


@st.composite
def german_reports(draw: Any) -> str:
    rng = _Draws(draw)
    text = german_report(rng)
    form = rng.choice(("NFC", "NFC", "NFD"))
    return unicodedata.normalize(form, text)


@st.composite
def jsonl_files(draw: Any, max_lines: int = 8, max_chars: int = 300) -> list[JsonlLine]:
    rng = _Draws(draw)
    return [jsonl_line(rng, i, rng.choice(LINE_KINDS), max_chars) for i in range(rng.randint(1, max_lines))]
