"""Small closed sets of German function words and name parts, used by several components."""

from __future__ import annotations

from functools import lru_cache

ARTICLES = frozenset(
    "der die das des dem den ein eine einer eines einem einen".split()
)
# Possessives and demonstratives that may stand before a role noun: "Unsere Geschäftsführerin".
DETERMINERS = ARTICLES | frozenset(
    "unser unsere unserer unseres unserem unseren ihr ihre ihrer ihres ihrem ihren sein seine seiner "
    "seines seinem seinen dieser diese dieses diesem diesen jener jene".split()
)
PREPOSITIONS = frozenset(
    "in im ins an am ans auf aus bei beim mit nach von vom zu zum zur für über unter vor hinter "
    "neben zwischen durch gegen ohne um bis seit während wegen trotz statt dank laut gemäß".split()
)
# Prepositions that mark a place: "in Berlin", "aus Fulda", "nach Kassel".
PLACE_PREPOSITIONS = frozenset("in im aus nach bei von vom über durch ganz".split())
HONORIFICS = frozenset("Frau Herr Herrn".split())
ACADEMIC_TITLES = frozenset(
    "Dr. Prof. Dipl.-Ing. Dipl.-Kfm. Dipl.-Kffr. Dr.-Ing. Dr.h.c. Dr. h.c. M.A. B.A. MdB MdL "
    "Professor Professorin PD apl.".split()
)
# Name particles between first name and surname: "Ursula von der Leyen", "Ludwig van Beethoven".
NAME_PARTICLES = frozenset("von van de del della der den zu vom zur ten ter di da".split())
# Adjectives that modify a role: "stellvertretender Leiter", "kommissarische Leiterin".
# Modifiers that change what the role is ("ehemaliger Bürgermeister" is no longer mayor); "neuer"
# and "langjähriger" only describe the person's history ("neuer Ehrensenator" -> "Ehrensenator").
ROLE_MODIFIERS = (
    "stellvertretend", "kommissarisch", "geschäftsführend", "amtierend", "leitend", "ehemalig",
    "designiert", "scheidend", "erst", "zweit",
    "dritt", "ehrenamtlich", "hauptamtlich", "parlamentarisch", "wissenschaftlich", "technisch",
    "kaufmännisch",
)
ADJECTIVE_ENDINGS = ("er", "e", "en", "em", "es", "")
# Words that look like names at the start of a line but are page furniture or sentence openers.
CONJUNCTIONS = frozenset("und oder sowie sowohl als auch aber doch denn sondern bzw.".split())
GERMAN_FUNCTION_WORDS = frozenset(
    "der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an "
    "werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum "
    "war haben nur oder aber vor zur bis mehr durch man sein wurde sei wir unsere uns".split()
)


# Prepositions fused with an article: "im Norden", "zum Zöllner".
FUSED_ARTICLES = frozenset("im am ans ins zum zur beim vom".split())


def has_determiner(words: list[str], i: int) -> bool:
    """Whether the noun at `i` has a determiner or an attributive adjective before it.

    German singular common nouns rarely stand bare, names usually do: "der Zöllner", "im Norden",
    "ein tolles Ergebnis" are common nouns; "Zöllner will …", "mit Facebook", "Konkurrent Microsoft"
    read as names. The word lists cannot tell "Zöllner" the surname from "Zöllner" the customs officer.
    """
    if i == 0:
        return False
    prev = words[i - 1]
    low = prev.lower()
    if low in DETERMINERS or low in FUSED_ARTICLES:
        return True
    adjective = prev.islower() and len(prev) > 3 and prev.endswith(("e", "en", "er", "es", "em"))
    return adjective and low not in GERMAN_FUNCTION_WORDS and low not in PREPOSITIONS and low not in CONJUNCTIONS


# The word-shape tests below run on every token by several components: cached per word form.
@lru_cache(maxsize=16384)
def is_capitalised(text: str) -> bool:
    """True for 'Berlin', 'Müller-Lüdenscheidt', not for 'und', '25' or 'BMAS'."""
    return len(text) > 1 and text[0].isupper() and any(c.islower() for c in text)


@lru_cache(maxsize=16384)
def is_acronym(text: str) -> bool:
    """True for 'BMAS', 'IHK', 'HWK', 'DGB', 'BiBB'-like all-caps tokens of 2-7 letters."""
    letters = text.replace("-", "").replace("&", "")
    if not (2 <= len(letters) <= 7) or not letters.isalpha():
        return False
    uppers = sum(c.isupper() for c in letters)
    return text[0].isupper() and uppers >= 2 and uppers >= len(letters) - 1

# Grammatical gender from the last part of a compound noun, for the heads of organisation names.
# German gender follows the head; these suffixes decide it reliably for institution nouns.
_GENDER_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ung", "f"), ("heit", "f"), ("keit", "f"), ("schaft", "f"), ("kammer", "f"), ("stiftung", "f"),
    ("initiative", "f"), ("agentur", "f"), ("universität", "f"), ("schule", "f"), ("akademie", "f"),
    ("behörde", "f"), ("bank", "f"), ("kasse", "f"), ("partei", "f"), ("innung", "f"), ("stelle", "f"),
    ("klinik", "f"), ("allianz", "f"), ("union", "f"), ("kommission", "f"), ("organisation", "f"),
    ("anstalt", "f"), ("hilfe", "f"), ("tafel", "f"), ("kirche", "f"), ("fraktion", "f"), ("gilde", "f"),
    ("liga", "f"), ("bibliothek", "f"), ("galerie", "f"), ("diakonie", "f"), ("caritas", "f"),
    ("ium", "n"), ("amt", "n"), ("institut", "n"), ("zentrum", "n"), ("werk", "n"), ("bündnis", "n"),
    ("forum", "n"), ("netzwerk", "n"), ("haus", "n"), ("büro", "n"), ("klinikum", "n"), ("museum", "n"),
    ("theater", "n"), ("kolleg", "n"), ("gericht", "n"), ("kreuz", "n"), ("komitee", "n"), ("team", "n"),
    ("feier", "f"), ("konferenz", "f"), ("messe", "f"), ("werkstatt", "f"), ("börse", "f"), ("gala", "f"),
    ("treffen", "n"), ("fest", "n"), ("symposium", "n"), ("seminar", "n"), ("webinar", "n"), ("jubiläum", "n"),
    ("tag", "m"), ("kongress", "m"), ("workshop", "m"), ("festakt", "m"), ("empfang", "m"), ("gipfel", "m"),
    ("preis", "m"), ("award", "m"), ("abend", "m"), ("wettbewerb", "m"),
    ("dienst", "m"), ("hof", "m"), ("markt", "m"), ("betrieb", "m"), ("handel", "m"), ("bau", "m"),
    ("verband", "m"), ("verein", "m"), ("bund", "m"), ("rat", "m"), ("kreis", "m"), ("senat", "m"),
    ("konzern", "m"), ("verbund", "m"), ("cluster", "m"), ("club", "m"), ("klub", "m"),
    ("landtag", "m"), ("bundestag", "m"), ("kreistag", "m"), ("ausschuss", "m"), ("beirat", "m"), ("verlag", "m"),
)
# Strong endings (no article in a name); "p" is the plural: "Berufliche Schulen".
_ADJECTIVE_NOMINATIVE = {"m": "er", "f": "e", "n": "es", "p": "e"}


def noun_gender(word: str) -> str | None:
    """'Ministerium' -> 'n', 'Handwerkskammer' -> 'f', 'Gewerkschaftsbund' -> 'm'; None if unknown."""
    low = word.lower()
    for suffix, gender in _GENDER_SUFFIXES:
        if low.endswith(suffix):
            return gender
    return None


def nominative_adjective(word: str, gender: str) -> str:
    """'Hessischen' before a neuter head -> 'Hessisches'; 'Deutschen' before a masculine -> 'Deutscher'."""
    for ending in ("en", "em", "er", "es", "e"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + _ADJECTIVE_NOMINATIVE[gender]
    return word


def is_inflected_adjective(text: str) -> bool:
    """'bisheriger', 'langjährige', 'wirtschaftliche': a lower-case word with an adjective ending."""
    return text.islower() and text.endswith(("e", "en", "er", "es", "em")) and len(text) > 3
