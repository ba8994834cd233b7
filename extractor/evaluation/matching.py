"""Tolerant equality of facts, as a reader would judge it (record-level scoring of real reports).

Each `*_key` function maps a written value to a comparison key; two values match when their keys are
equal, or where a `*_match` function says so. All of it is plain string work on German text:

- persons: titles and honorifics dropped ("Prof. Dr. Eva Roth" = "Eva Roth"); a name with only an
  initial or no first name matches the full name with the same surname ("E. Roth", "Roth").
- organisations: case endings stripped word by word ("des Bundesministeriums" = "Bundesministerium",
  "Beruflichen Schulen" = "Berufliche Schulen"), legal forms and spacing inside them ignored
  ("e. V." = "e.V." = none), "&" = "und".
- places: a seat or river qualifier may be missing ("Frankfurt" = "Frankfurt am Main" = "Frankfurt
  (Oder)"); no stemming, as "Kemptener" is no place.
- roles: equal head noun and modifiers ("stellvertretender Leiter der Abteilung X" = "stellvertretender
  Leiter"; "IHK-Präsident" = "Präsident"), gender and case endings of the modifiers ignored.
- dates: equal ISO values; a day without a year may be written "--08-01" or "XXXX-08-01".
- quantities: equal value and a counted noun in common, up to its case ending ("Teilnehmende" =
  "Teilnehmenden"; "7000 Mitglieder" = "7000 Mitglieder, Mitarbeiter und Gäste"; "€" = "Euro",
  "%" = "Prozent").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TITLE_WORDS = {
    "dr", "prof", "professor", "professorin", "dipl", "ing", "dipl.-ing", "med", "rer", "nat", "phil", "jur",
    "h.c", "mult", "habil", "pd", "frau", "herr", "herrn", "mag", "msc", "ma", "ba", "mba", "llm", "dres",
}
_LEGAL_FORMS = {
    "ev", "e.v", "gmbh", "ggmbh", "mbh", "ag", "kg", "eg", "se", "ohg", "gbr", "kgaa", "co", "co.kg", "&co",
    "ug", "haftungsbeschränkt", "aör", "kdör", "ggmbh.", "e.g", "ek", "e.k", "inc", "ltd", "gemeinnützige",
}
_JOIN_WORDS = {"und": "und", "&": "und", "+": "und"}
# Case and plural endings of nouns and adjectives, longest first.
_ENDINGS = ("ern", "en", "em", "er", "es", "e", "s", "n")
SEAT_START = {"am", "an", "a.", "im", "in", "i.", "ob", "o.", "o.d.", "bei", "b.", "vor", "v.d.", "auf", "a.d."}
# Words that say what kind of place follows, not which: "Stadtbezirk Hannover-Misburg" = "Hannover-Misburg".
PLACE_KIND_PREFIX = {"stadt", "gemeinde", "markt", "stadtbezirk", "bezirk", "ortsteil", "freistaat", "land", "hansestadt"}


_QUOTES = re.compile(r"[„“”\"»«‚‘’']")
_SPACED_INITIALS = re.compile(r"\b(\w)\.\s+(\w)\.")
_WORD_BREAK = re.compile(r"[\s,/()]+")
_TITLE_PREFIX = re.compile(r"(dr|prof|dipl)\..*")


# fold and stem are pure and see the same names over and over (entity resolution calls them per
# pair of organisations): cached, as the index's resolution of an archive calls them ~10^5 times.
@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Unicode-normalised, case-folded, with typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00ad", "").replace("–", "-").replace("—", "-").replace("‑", "-")
    text = _QUOTES.sub("", text)
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A German word without its case or plural ending (only where at least four letters remain).

    Two rounds, so that both forms reach one stem: "Vereins" -> "Verein" -> "Verei" = "Verein" -> "Verei"."""
    for _ in range(2):
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                word = word[: -len(ending)]
                break
    return word


def _words(text: str) -> list[str]:
    # "e. V." -> "e.v.", so that the legal form is one word however it is spaced
    text = _SPACED_INITIALS.sub(r"\1.\2.", fold(text))
    return [w for w in _WORD_BREAK.split(text) if w]


# --- persons -----------------------------------------------------------------------------------


def person_key(name: str) -> tuple[str, ...]:
    """The name's words without titles and honorifics."""
    words = [w.strip(".") for w in _words(name)]
    kept = [w for w in words if w and w not in _TITLE_WORDS and not _TITLE_PREFIX.fullmatch(w)]
    return tuple(kept)


def person_match(gold: str, pred: str) -> bool:
    g, p = person_key(gold), person_key(pred)
    if not g or not p:
        return False
    if g == p:
        return True
    if g[-1] != p[-1]:
        return False
    # Same surname: the shorter form may lack the first name or give only its initial.
    short, long_ = (g, p) if len(g) <= len(p) else (p, g)
    if len(short) == 1:
        return True

    def compatible(a: str, b: str) -> bool:
        return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))

    return all(compatible(short[i], long_[i]) for i in range(len(short) - 1))


# --- organisations -----------------------------------------------------------------------------


_ARTICLES = {"der", "die", "das", "des", "dem", "den"}


def org_key(name: str) -> tuple[str, ...]:
    """Stemmed words, a leading article and legal forms dropped, "&" read as "und"."""
    words = []
    for position, word in enumerate(_words(name)):
        if position == 0 and word in _ARTICLES:
            continue
        bare = word.rstrip(".")
        if bare in _LEGAL_FORMS or word in _LEGAL_FORMS:
            continue
        words.append(_JOIN_WORDS.get(word, stem(bare)))
    return tuple(words)


def org_match(gold_name: str, gold_acronym: str | None, pred_name: str, pred_acronym: str | None) -> bool:
    """The predicted organisation is the gold one: same long form, or the same acronym."""
    g, p = org_key(gold_name), org_key(pred_name)
    if g and g == p:
        return True
    acronyms = {fold(a) for a in (gold_acronym,) if a}
    if acronyms and (fold(pred_name) in acronyms or (pred_acronym and fold(pred_acronym) in acronyms)):
        return True
    return False


def org_ref_match(gold_ref: str, pred_ref: str, known_orgs: list[tuple[str, str | None]]) -> bool:
    """An affiliation's organisation: the gold one by its long form or its acronym, either way round.

    known_orgs: the (name, acronym) pairs of the gold and the predicted organisations."""
    g, p = org_key(gold_ref), org_key(pred_ref)
    if g == p:
        return True
    for name, acronym in known_orgs:
        forms = {org_key(name)} | ({org_key(acronym)} if acronym else set())
        if g in forms and p in forms:
            return True
    return False


# --- places ------------------------------------------------------------------------------------


def place_key(name: str) -> tuple[str, ...]:
    # no stemming: "Kemptener" (an adjective) must stay apart from "Kempten"
    return tuple(w.strip(".") for w in _words(name))


def place_match(gold: str, pred: str) -> bool:
    g, p = place_key(gold), place_key(pred)
    if not g or not p:
        return False
    if g == p:
        return True
    if len(g) > 1 and g[0] in PLACE_KIND_PREFIX and g[1:] == p or len(p) > 1 and p[0] in PLACE_KIND_PREFIX and p[1:] == g:
        return True
    # "Rothenburg o. d. Tauber" = "Rothenburg ob der Tauber": abbreviated seat words
    if seat_words(g) == seat_words(p):
        return True
    short, long_ = (g, p) if len(g) < len(p) else (p, g)
    # "Frankfurt" vs "Frankfurt am Main" / "Frankfurt (Oder)": the rest is a seat qualifier
    if long_[: len(short)] == short:
        rest = _words(gold if long_ == g else pred)[len(short):]
        return bool(rest) and (rest[0] in SEAT_START or len(long_) == len(short) + 1 and "(" in (gold + pred))
    return False


_SEAT_ABBREVIATIONS = {"o": "ob", "d": "der", "a": "an", "i": "im", "b": "bei", "v": "vor", "st": "sankt"}


def seat_words(key: tuple[str, ...]) -> tuple[str, ...]:
    """Abbreviated words spelled out: ("rothenburg", "o.d", "tauber") -> ("rothenburg", "ob", "der", "tauber")."""
    words: list[str] = []
    for w in key:
        parts = [p for p in w.split(".") if p]
        if parts and all(p in _SEAT_ABBREVIATIONS for p in parts):
            words.extend(_SEAT_ABBREVIATIONS[p] for p in parts)
        else:
            words.append(w)
    return tuple(words)


# --- roles -------------------------------------------------------------------------------------

_COMPLEMENT_START = {"der", "des", "dem", "den", "die", "von", "vom", "für", "im", "in", "am", "an", "bei", "beim",
                     "zur", "zum", "aus", "of", "und", "sowie", "a.d.", "a.", "i.r.", "(a.d.)"}


_OFFICE_MODIFIERS = {stem(w) for w in (
    "stellvertretende", "stellv.", "erste", "zweite", "dritte", "vierte", "geschäftsführende", "kommissarische",
    "amtierende", "ehemalige", "designierte", "ständige", "technische", "kaufmännische", "leitende", "ehrenamtliche",
    "hauptamtliche", "parlamentarische", "beamtete", "vize",
)}


_ORDINAL_WORDS = {"1": "erst", "2": "zweit", "3": "dritt", "4": "viert"}


def role_key(role: str) -> tuple[str, ...]:
    """(modifier stems …, head stem): the last word before the complement is the head noun."""
    words: list[str] = []
    for original in role.split():
        word = fold(original).replace("*", "").strip(",")
        if word in _COMPLEMENT_START and words:
            break
        if word:
            words.append(word.rstrip(".") if re.fullmatch(r"\d+\.", word) else word)
    if not words:
        return ()
    *modifiers, head = words
    # "IHK-Präsident" = "Präsident": the part before the hyphen names the body, not the role
    head = head.rsplit("-", 1)[-1]
    # Only modifiers that make another office count ("stellvertretender", "2."); "langjähriger",
    # "nordrhein-westfälische" describe the holder. Gender stays as written, case endings go.
    office = [_ORDINAL_WORDS.get(w, stem(w)) for w in modifiers if stem(w) in _OFFICE_MODIFIERS or w in _ORDINAL_WORDS]
    return (*office, stem(head))


def role_match(gold: str, pred: str) -> bool:
    """Same key, or the same office modifiers with one head a compound of the other
    ("Kammerpräsidentin" = "Präsidentin der Kammer", "Landtagspräsident" = "Präsident")."""
    g, p = role_key(gold), role_key(pred)
    if g == p:
        return True
    if not g or not p or g[:-1] != p[:-1]:
        return False
    short, long_ = sorted((g[-1], p[-1]), key=len)
    return len(short) >= 5 and long_.endswith(short)


# --- quantities --------------------------------------------------------------------------------

_UNIT_ALIASES = {"€": "euro", "eur": "euro", "%": "prozent", "mio": "million", "mrd": "milliard"}


def unit_key(unit: str) -> str:
    words = _words(unit)
    if not words:
        return ""
    last = words[-1].strip(".")
    last = last.split("-")[-1] if "-" in last and not last.endswith("-") else last
    return _UNIT_ALIASES.get(last, stem(last.replace("*innen", "").replace(":innen", "").replace("_innen", "")))


def _unit_words(unit: str) -> set[str]:
    return {unit_key(w) for w in re.split(r"[\s,/]+", unit) if w and w.lower() not in {"und", "sowie", "oder"}}


def quantity_match(gold_value: float, gold_unit: str, pred_value: float, pred_unit: str) -> bool:
    """Equal values, and a counted noun in common: "7000 Mitglieder" = "7000 Mitglieder, Mitarbeiter
    und Gäste", "7 Thüringer Sportplaketten" = "7 Sportplaketten"."""
    try:
        same_value = abs(float(gold_value) - float(pred_value)) <= 1e-6 * max(1.0, abs(float(gold_value)))
    except (TypeError, ValueError):
        return False
    if not same_value:
        return False
    return unit_key(gold_unit) == unit_key(pred_unit) or bool(_unit_words(gold_unit) & _unit_words(pred_unit))


# --- event name --------------------------------------------------------------------------------


_EVENT_COMPLEMENT = {"der", "des", "zum", "zur", "zu", "im", "in", "am", "an", "für", "von", "vom", "anlässlich", "mit"}


def _event_core(key: tuple[str, ...]) -> tuple[str, ...]:
    """The name before its complement: 'neujahrsempfang des handwerk' -> ('neujahrsempfang',)."""
    for k, word in enumerate(key):
        if k > 0 and word in _EVENT_COMPLEMENT:
            return key[:k]
    return key


def event_name_match(gold: str, pred: str) -> bool:
    """Equal up to case endings and quotes; or the same phrase before the complement ("Empfang" =
    "Empfang zum Tag der Deutschen Einheit", as a role matches by its head); or one inside the
    other covering most of its words."""
    g, p = org_key(gold), org_key(pred)
    if not g or not p:
        return False
    if g == p or _event_core(g) == _event_core(p):
        return True
    short, long_ = (g, p) if len(g) <= len(p) else (p, g)
    n = len(short)
    contained = any(long_[i : i + n] == short for i in range(len(long_) - n + 1))
    return contained and n * 2 >= len(long_)


# --- dates -------------------------------------------------------------------------------------


def date_key(value: str) -> str:
    """An ISO value with an unknown year written one way: "--08-01" (ISO 8601:2000) = "XXXX-08-01"."""
    return "/".join(re.sub(r"^(?:--|XXXX-)", "XXXX-", part) for part in value.split("/"))
