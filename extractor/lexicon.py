"""Schemas, loader and fast look-ups for the lexicons under `extractor/resources/de/`.

Every JSONL lexicon has one Pydantic model here (`extra="forbid"`, so a typo in a key is an
error, not a silently ignored field). `read_lexicon` validates every line and names file and
line when something is wrong. The cached helpers at the bottom build the look-up tables the
components use (surface form -> entry); they are read-only mappings because they are shared.

Source, licence and rebuild instructions of each file: `extractor/resources/de/README.md`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import spacy
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "AttendeeNoun",
    "BoilerplateEntry",
    "CommonNoun",
    "EventTypeEntry",
    "FirstName",
    "GenericNoun",
    "LexiconError",
    "OrgHead",
    "OrgSuffix",
    "PlaceEntry",
    "RoleNoun",
    "ambiguous_first_names",
    "attendee_nouns",
    "boilerplate_lines",
    "boilerplate_prefixes",
    "common_nouns",
    "common_noun_tails",
    "compound_head",
    "event_types",
    "first_names",
    "generic_nouns",
    "iter_forms",
    "lexicon_names",
    "org_heads",
    "venue_heads",
    "org_suffixes",
    "parse_line",
    "places",
    "read_lexicon",
    "role_nouns",
]


class LexiconError(Exception):
    """A lexicon file is missing, unreadable or has an invalid entry.

    path (str): The lexicon name as passed to `read_lexicon` (e.g. 'de/role_nouns.jsonl').
    line (int | None): 1-based line number of the bad entry, None for file-level errors.
    """

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


RoleKind = Literal["function", "office", "profession", "title"]
OrgKind = Literal[
    "authority", "association", "education", "research", "company", "network", "politics",
    "culture", "health", "other",
]
PlaceKind = Literal["city", "state", "country", "region"]


class RoleNoun(_Entry):
    """A person role / function / office noun ('Referatsleiter')."""

    lemma: str = Field(min_length=1, description="Masculine nominative singular ('Vorsitzender').")
    feminine: str | None = Field(default=None, description="Feminine nominative singular.")
    plural: str | None = Field(default=None, description="Masculine / generic nominative plural.")
    kind: RoleKind
    compound_head: bool = Field(default=False, description="May end a compound ('Landtagsabgeordneter').")


class OrgHead(_Entry):
    """A noun that heads organisation names ('Ministerium', 'Verband')."""

    head: str = Field(min_length=1)
    forms: list[str] = Field(default_factory=list, description="Inflected forms, incl. `head`.")
    compound_head: bool = False
    kind: OrgKind
    gender: Literal["m", "f", "n"] | None = Field(default=None, description="Grammatical gender (from german-nouns).")
    plural: str | None = Field(default=None, description="Nominative plural ('Schulen'); a name may be plural.")
    names_alone: bool = Field(default=False, description="The bare head names one body: 'Bundestag', 'Europarat'.")


class VenueHead(_Entry):
    """A noun that heads the names of venues ('Halle' in 'Reichswaldhalle Feucht', 'Hotel Lindenhof')."""

    head: str = Field(min_length=1)
    forms: list[str] = Field(min_length=1, description="Inflected forms, incl. `head`.")
    before_name: bool = Field(default=False, description="The bare head opens a name: 'Hotel Lindenhof', 'Schloss Ort'.")
    also_org: bool = Field(default=False, description="Also heads company or body names ('Autohaus X', 'Kulturzentrum X'): an organisation the rules found wins.")


class OrgSuffix(_Entry):
    """A legal form that ends company / association names ('GmbH', 'e. V.')."""

    suffix: str = Field(min_length=1)


class AttendeeNoun(_Entry):
    """A noun whose count is the number of participants ('Teilnehmer')."""

    lemma: str = Field(min_length=1)
    forms: list[str] = Field(min_length=1)


class EventTypeEntry(_Entry):
    """A kind of event ('Workshop'); compound_head lets 'Zukunftskonferenz' count as 'Konferenz'."""

    type: str = Field(min_length=1)
    forms: list[str] = Field(min_length=1)
    compound_head: bool = False
    names_alone: bool = Field(
        default=True, description="The bare noun names an event ('Neujahrsempfang'); false for 'Veranstaltung', 'Besuch'."
    )


class FirstName(_Entry):
    """A given name and its usual gender ('f', 'm', 'u' = both / unknown)."""

    name: str = Field(min_length=1)
    gender: Literal["f", "m", "u"]
    ambiguous: bool = Field(default=False, description="Also a German common noun or place name.")


class PlaceEntry(_Entry):
    """A city, German Land, country or region, with every surface form (genitive etc.)."""

    name: str = Field(min_length=1, description="Nominative German name.")
    kind: PlaceKind
    forms: list[str] = Field(min_length=1, description="Every surface form, incl. `name`.")
    population: int | None = Field(default=None, ge=0)
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code, when known.")
    ambiguous: bool = Field(default=False, description="Also a common word or first name: needs context.")


class BoilerplateEntry(_Entry):
    """Web page / press release furniture that is never an entity ('Zurück', 'Foto:')."""

    text: str = Field(min_length=1)
    match: Literal["line", "prefix"]


class GenericNoun(_Entry):
    """A capitalised noun or acronym that looks like an organisation but is generic ('KMU')."""

    text: str = Field(min_length=1)


class CommonNoun(_Entry):
    """One inflected German common noun form (a line of `common_nouns.txt.gz`)."""

    text: str = Field(min_length=1)


# File stem -> schema. The stem is the file name without '.jsonl' / '.txt' / '.gz'.
_SCHEMAS: dict[str, type[_Entry]] = {
    "role_nouns": RoleNoun,
    "person_nouns": RoleNoun,
    "org_heads": OrgHead,
    "venue_heads": VenueHead,
    "org_suffixes": OrgSuffix,
    "attendee_nouns": AttendeeNoun,
    "event_types": EventTypeEntry,
    "first_names": FirstName,
    "places": PlaceEntry,
    "boilerplate": BoilerplateEntry,
    "generic_nouns": GenericNoun,
    "common_nouns": CommonNoun,
}

# The files shipped in the package, by the name `read_lexicon` takes.
_FILES: tuple[str, ...] = (
    "de/attendee_nouns.jsonl",
    "de/boilerplate.jsonl",
    "de/common_nouns.txt.gz",
    "de/event_types.jsonl",
    "de/first_names.jsonl.gz",
    "de/generic_nouns.jsonl",
    "de/org_heads.jsonl",
    "de/org_suffixes.jsonl",
    "de/person_nouns.jsonl.gz",
    "de/places.jsonl",
    "de/role_nouns.jsonl",
    "de/venue_heads.jsonl",
)


def lexicon_names() -> tuple[str, ...]:
    """The names of all shipped lexicon files, as `read_lexicon` takes them."""
    return _FILES


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    for ext in (".gz", ".jsonl", ".txt"):
        if base.endswith(ext):
            base = base[: -len(ext)]
    return base


def _schema_for(name: str) -> type[_Entry]:
    schema = _SCHEMAS.get(_stem(name))
    if schema is None:
        raise LexiconError(
            f"[E011] Lexicon '{name}' has no schema. Known lexicons: {', '.join(sorted(_SCHEMAS))}. "
            "Add a model for it to _SCHEMAS in extractor/lexicon.py.",
            path=name,
        )
    return schema


def _read_text(name: str, path: str | Path | None) -> str:
    try:
        if path is not None:
            raw = Path(path).read_bytes()
        else:
            raw = resources.files("extractor").joinpath("resources", *name.split("/")).read_bytes()
    except (FileNotFoundError, IsADirectoryError) as err:
        raise LexiconError(
            f"[E010] Lexicon '{name}' not found ({err}). Shipped lexicons: {', '.join(_FILES)}.",
            path=name,
        ) from err
    if raw[:2] == b"\x1f\x8b":  # gzip magic: decide by content, not by name
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def _format_validation_error(name: str, lineno: int, schema: type[_Entry], err: ValidationError) -> str:
    allowed = ", ".join(schema.model_fields)
    problem = err.errors()[0]
    loc = ".".join(str(part) for part in problem["loc"])
    if problem["type"] == "extra_forbidden":
        return (
            f"[E012] Lexicon '{name}', line {lineno}: unknown key '{loc}'. Allowed keys: {allowed}. "
            f"Fix the entry or extend {schema.__name__} in extractor/lexicon.py."
        )
    if problem["type"] == "missing":
        return (
            f"[E013] Lexicon '{name}', line {lineno}: missing key '{loc}'. Allowed keys: {allowed}. "
            f"Fix the entry or change {schema.__name__} in extractor/lexicon.py."
        )
    return (
        f"[E014] Lexicon '{name}', line {lineno}: invalid value for '{loc}': {problem['msg']}. "
        f"Fix the entry or change {schema.__name__} in extractor/lexicon.py."
    )


def parse_line(name: str, lineno: int, line: str) -> _Entry:
    """Validate one line of lexicon `name` against its schema.

    name (str): Lexicon name ('de/role_nouns.jsonl'); selects the schema and goes into messages.
    lineno (int): 1-based line number, for messages.
    line (str): The line, JSON for `.jsonl` files, plain text for `.txt` files.
    RETURNS (_Entry): The validated entry.
    RAISES (LexiconError): E012 unknown key, E013 missing key, E014 bad value, E015 bad JSON.
    """
    schema = _schema_for(name)
    if ".txt" in name:
        if line != line.strip() or "\t" in line:
            raise LexiconError(
                f"[E014] Lexicon '{name}', line {lineno}: invalid value for 'text': surrounding "
                "whitespace or a tab. One word form per line.",
                path=name,
                line=lineno,
            )
        return schema(text=line)
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        raise LexiconError(
            f"[E015] Lexicon '{name}', line {lineno}: not valid JSON ({err.msg}, column {err.colno}). "
            "Each line must be one JSON object.",
            path=name,
            line=lineno,
        ) from err
    if not isinstance(data, dict):
        raise LexiconError(
            f"[E015] Lexicon '{name}', line {lineno}: expected a JSON object, got {type(data).__name__}.",
            path=name,
            line=lineno,
        )
    try:
        return schema.model_validate(data)
    except ValidationError as err:
        raise LexiconError(_format_validation_error(name, lineno, schema, err), path=name, line=lineno) from err


def read_lexicon(name: str, *, path: str | Path | None = None) -> list[Any]:
    """Read and validate a lexicon.

    name (str): Path below `extractor/resources/`, e.g. 'de/role_nouns.jsonl'.
    path (str | Path | None): Read this file instead of the packaged one (the schema still
        follows `name`). For tests and for checking edited copies.
    RETURNS (list): A fresh list of validated entries (models from this module), in file order.
        Blank lines are skipped.
    RAISES (LexiconError): When the file is missing or a line is invalid.
    """
    schema = _schema_for(name)  # an unknown lexicon is an error before any file access
    text = _read_text(name, path)
    if ".txt" in name:
        # Fast path for the 250,000-line noun list: the per-line check of parse_line, inlined.
        lines = text.splitlines()
        for lineno, line in enumerate(lines, start=1):
            if line and (line != line.strip() or "\t" in line):
                parse_line(name, lineno, line)  # raises with the message
        return [schema(text=line) for line in lines if line]
    entries: list[Any] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            entries.append(parse_line(name, lineno, line))
    return entries


@spacy.util.registry.misc("eventfacts.read_lexicon.v1")
def create_lexicon_reader(name: str) -> list[dict[str, Any]]:
    """spaCy config hook: `[initialize.components.X.lexicon] @misc = "eventfacts.read_lexicon.v1"`.

    name (str): Lexicon name, e.g. 'de/role_nouns.jsonl'.
    RETURNS (list[dict]): The entries as plain dicts (JSON-serialisable).
    """
    return [entry.model_dump() for entry in read_lexicon(name)]


def _lines(name: str) -> list[str]:
    return [line for line in _read_text(name, None).splitlines() if line]


# --- fast look-ups -----------------------------------------------------------------------
# Built once per process. Read-only views, because every caller shares them.


def _adjective_forms(word: str) -> list[str]:
    # Participle nouns decline like adjectives: der Vorsitzende, ein Vorsitzender, dem Vorsitzenden.
    if word.endswith("er"):
        stem = word[:-2]
    elif word.endswith("e"):
        stem = word[:-1]
    else:
        return [word]
    return [stem + ending for ending in ("e", "er", "en", "em")]


def _is_adjectival(lemma: str, feminine: str | None) -> bool:
    return lemma.endswith("er") and feminine is not None and feminine == lemma[:-1]


@lru_cache(maxsize=1)
def role_nouns() -> Mapping[str, RoleNoun]:
    """Every surface form of every role noun -> its entry.

    Forms: lemma, feminine, plural, feminine plural ('-innen'), genitive/dative '-s'/'-n' and for
    participle nouns ('Vorsitzender') all adjective endings.
    """
    table: dict[str, RoleNoun] = {}
    for entry in read_lexicon("de/role_nouns.jsonl"):
        forms: list[str] = [entry.lemma]
        if _is_adjectival(entry.lemma, entry.feminine):
            forms += _adjective_forms(entry.lemma)
        else:
            # Genitive '-s' is wrong for weak nouns ('des Präsidenten'), but the wrong form never
            # occurs in text, so adding it costs nothing and keeps the rule simple.
            if not entry.lemma.endswith(("s", "ß", "x", "z")):
                forms.append(entry.lemma + "s")
            if entry.plural:
                forms.append(entry.plural)
                if not entry.plural.endswith(("n", "s")):
                    forms.append(entry.plural + "n")  # dative plural: 'den Leitern', 'den Räten'
            if entry.feminine:
                forms.append(entry.feminine)
                if entry.feminine.endswith("in"):
                    forms.append(entry.feminine + "nen")
        for form in forms:
            table.setdefault(form, entry)
    return MappingProxyType(table)


def _forms_table(name: str, key: str) -> Mapping[str, Any]:
    """Every form of every entry of a lexicon -> its entry: the key field ('head', 'lemma', 'type')
    and the `forms` list; the first entry wins a form two entries share."""
    table: dict[str, Any] = {}
    for entry in read_lexicon(name):
        for form in [getattr(entry, key), *entry.forms]:
            table.setdefault(form, entry)
    return MappingProxyType(table)


@lru_cache(maxsize=1)
def org_heads() -> Mapping[str, OrgHead]:
    """Every form of every organisation head noun ('Ministeriums') -> its entry."""
    return _forms_table("de/org_heads.jsonl", "head")


@lru_cache(maxsize=1)
def venue_heads() -> Mapping[str, VenueHead]:
    """Every form of every venue head noun ('Saales') -> its entry."""
    return _forms_table("de/venue_heads.jsonl", "head")


@lru_cache(maxsize=1)
def org_suffixes() -> tuple[str, ...]:
    """Legal-form suffixes, longest first so that 'GmbH & Co. KG' wins over 'KG'."""
    suffixes = {entry.suffix for entry in read_lexicon("de/org_suffixes.jsonl")}
    return tuple(sorted(suffixes, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=1)
def attendee_nouns() -> Mapping[str, AttendeeNoun]:
    """Every form of every attendee noun ('Teilnehmer*innen') -> its entry."""
    return _forms_table("de/attendee_nouns.jsonl", "lemma")


@lru_cache(maxsize=1)
def event_types() -> Mapping[str, EventTypeEntry]:
    """Every form of every event type ('Workshops') -> its entry."""
    return _forms_table("de/event_types.jsonl", "type")


@lru_cache(maxsize=1)
def _first_name_tables() -> tuple[Mapping[str, str], frozenset[str]]:
    # Both tables below come from one file: read and parse it once.
    table: dict[str, str] = {}
    ambiguous = set()
    for line in _lines("de/first_names.jsonl.gz"):
        data = json.loads(line)  # validated by tests and the build script; keep start-up fast
        table[data["name"]] = data["gender"]
        if data.get("ambiguous"):
            ambiguous.add(data["name"])
    return MappingProxyType(table), frozenset(ambiguous)


@lru_cache(maxsize=1)
def first_names() -> Mapping[str, str]:
    """Given name -> gender ('f', 'm' or 'u')."""
    return _first_name_tables()[0]


@lru_cache(maxsize=1)
def ambiguous_first_names() -> frozenset[str]:
    """Given names that are also German common nouns or places ('Ernst', 'Rose', 'Florenz')."""
    return _first_name_tables()[1]


@lru_cache(maxsize=1)
def places() -> Mapping[str, PlaceEntry]:
    """Every surface form of every place ('Deutschlands', 'NRW') -> its entry.

    When two places share a form the first in file order wins; the build script orders
    conflicting entries so that the more prominent place comes first (see README).
    """
    table: dict[str, PlaceEntry] = {}
    for entry in read_lexicon("de/places.jsonl"):
        for form in entry.forms:
            current = table.get(form)
            if current is None or _place_rank(entry) > _place_rank(current):
                table[form] = entry
    return MappingProxyType(table)


_KIND_RANK = {"country": 3, "state": 2, "region": 1, "city": 0}


def _place_rank(entry: PlaceEntry) -> tuple[int, int]:
    # A country or Land beats a small town of the same name ('Brandenburg', 'Bayern');
    # among cities the bigger one wins.
    kind_rank = _KIND_RANK[entry.kind]
    if entry.kind == "city" and (entry.population or 0) >= 500_000:
        kind_rank = 4  # Berlin / Hamburg / Bremen: the city, not the Land
    return (kind_rank, entry.population or 0)


@lru_cache(maxsize=1)
def common_nouns() -> frozenset[str]:
    """Every inflected form of every German common noun in german-nouns (capitalised as written)."""
    return frozenset(_lines("de/common_nouns.txt.gz"))


@lru_cache(maxsize=1)
def boilerplate_lines() -> frozenset[str]:
    """Whole lines that are page furniture ('Zurück', 'Nach oben')."""
    return frozenset(e.text for e in read_lexicon("de/boilerplate.jsonl") if e.match == "line")


@lru_cache(maxsize=1)
def boilerplate_prefixes() -> tuple[str, ...]:
    """Line prefixes that start page furniture ('Foto:', 'Quelle:'), longest first."""
    found = {e.text for e in read_lexicon("de/boilerplate.jsonl") if e.match == "prefix"}
    return tuple(sorted(found, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=1)
def generic_nouns() -> frozenset[str]:
    """Capitalised generic nouns and acronyms that are never organisation names ('KMU')."""
    return frozenset(e.text for e in read_lexicon("de/generic_nouns.jsonl"))


def compound_head(
    word: str, table: Mapping[str, Any], *, min_modifier: int = 2, any_head: bool = False
) -> tuple[str, Any] | None:
    """Find the longest known form that ends the compound `word`.

    word (str): A token, e.g. 'Landtagsabgeordnete' or 'IHK-Hauptgeschäftsführer'.
    table (Mapping): A form -> entry table such as `role_nouns()`; only entries with
        `compound_head=True` may end a compound.
    min_modifier (int): Minimum length of the modifier before the head, so that 'Rat' does not
        match inside 'Ausrat' style accidents too easily.
    any_head (bool): every entry may end a compound (`venue_heads()`: 'Fuggerhalle').
    RETURNS (tuple[str, Any] | None): (head form as it stands in `word`, entry), or None. An exact
        match returns (word, entry) whatever `compound_head` says.
    """
    if word in table:
        return word, table[word]
    for start in range(min_modifier, len(word) - 2):
        tail = word[start:]
        if word[start - 1] == "-":
            candidate = tail
        else:
            candidate = tail[:1].upper() + tail[1:]
        entry = table.get(candidate)
        if entry is not None and (any_head or getattr(entry, "compound_head", False)):
            return tail, entry
    return None


@lru_cache(maxsize=16384)  # asked for many capitalised words by several components: cached per word
def common_noun_tails(word: str, min_modifier: int = 3, min_tail: int = 5) -> tuple[str, ...]:
    """The common nouns of `min_tail` letters or more that end `word` after at least `min_modifier`
    letters, longest first: 'Regionalversorger' -> ('Versorger', …); () for a name."""
    nouns = common_nouns()
    return tuple(
        tail for tail in (word[k].upper() + word[k + 1 :] for k in range(min_modifier, len(word) - min_tail + 1))
        if tail in nouns
    )


def is_compound_modifier(part: str, links: tuple[str, ...] = ("", "s", "es", "n", "en")) -> bool:
    """'Landes' (Land + es), 'Schrift', 'Jugend': a common noun of three letters or more, with or
    without a linking element, as the first part of a compound."""
    nouns = common_nouns()
    for link in links:
        stem = part[: len(part) - len(link)]
        if part.endswith(link) and len(stem) >= 3 and stem[:1].upper() + stem[1:] in nouns:
            return True
    return False


def iter_forms(entries: Iterable[Any]) -> list[str]:
    """All `forms` of the given entries, flattened (for building matchers)."""
    found: list[str] = []
    for entry in entries:
        found.extend(getattr(entry, "forms", []))
    return found
