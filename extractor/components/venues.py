"""Named venues and districts, for `eventfacts_locations`.

Venues (kind `venue`): a compound of a venue noun with a proper modifier ("Reichswaldhalle",
"Fuggerhalle", not "Turnhalle"), a hyphenated one ("Osnabrück-Halle"), or a venue noun followed by
a place or a proper name ("Stadthalle Kempten", "Hotel Lindenhof", "Schloss Neutrauchburg",
"Congress Center Leipzig"), or "Haus der/des" + noun ("Haus der Technik", "Haus des Gastes").
Districts (kind `district`): "Landkreis X", "Kreis X", and one-word districts whose modifier is no
common noun ("Wartburgkreis", "Rhein-Sieg-Kreis"; not "Arbeitskreis", "Freundeskreis").
Both are written as in the text, a genitive "-es"/"-s" of the head dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.de.stop_words import STOP_WORDS
from spacy.tokens import Doc

from extractor.doc_tokens import doc_tokens
from extractor.german import is_capitalised
from extractor.lexicon import common_noun_tails, common_nouns, compound_head, first_names, places, venue_heads

_DISTRICT_WORDS = {"Landkreis": "Landkreis", "Landkreises": "Landkreis", "Kreis": "Kreis", "Kreises": "Kreis"}
_KREIS_COMPOUND = re.compile(r"^([A-ZÄÖÜ][\w-]+?)-?[Kk]reis(?:es)?$")
_HAUS_OF = {"der", "des"}

Found = tuple[int, int, str, str]  # start token, end token, name, kind


@lru_cache(maxsize=16384)
def _noun_like(word: str) -> bool:
    """A common noun, or a word that ends in one ("Jubiläumsmeisterbriefe"): not a name."""
    return word in common_nouns() or bool(common_noun_tails(word))


def _proper(text: str) -> bool:
    """A capitalised word that is no common noun: a name ('Lindenhof', 'Neutrauchburg', 'Leipzig')."""
    if not is_capitalised(text) or not text.replace("-", "").isalpha() or len(text) < 3 or text.lower() in STOP_WORDS:
        return False
    return text in places() or not _noun_like(text)


def _named_modifier(modifier: str) -> bool:
    """The first part of a venue compound names it: a place, a person, a name ('Fugger-', 'Europa-',
    'Helikonien-'); not a common noun with or without its linking sound ('Feuerwehr-', 'Schützen-',
    'Fertigungs-', 'Schul-')."""
    if not modifier or not modifier[:1].isupper():
        return False
    if modifier in places() or modifier.split("-")[0] in first_names():
        return True
    stems = {modifier, modifier + "e", modifier + "en", modifier + "n"}
    for link in ("s", "es", "n", "en", "e"):
        if modifier.endswith(link):
            stems |= {modifier[: -len(link)], modifier[: -len(link)] + "e"}
    return not any(s in common_nouns() for s in stems) and not any(_noun_like(p) for p in modifier.split("-") if p)


@lru_cache(maxsize=16384)  # asked for every capitalised token: cached per word form
def _head_of(text: str):  # noqa: ANN202 - (head form, VenueHead) | None
    return compound_head(text, venue_heads(), min_modifier=3, any_head=True)


def _nominative(words: list[str]) -> str:
    """'Kurhauses' -> 'Kurhaus', 'Schlosses Broock' -> 'Schloss Broock': the head's genitive goes."""
    head = words[0]
    hit = _head_of(head)
    if hit is not None:
        form = hit[0]
        for ending in ("es", "s"):
            if form.endswith(ending) and form[: -len(ending)][:1].upper() + form[1: -len(ending)] in venue_heads():
                head = head[: -len(ending)]
                break
    return " ".join([head, *words[1:]])


def find_venues(doc: Doc, blocked: set[int], orgs: set[int] = frozenset()) -> list[Found]:
    """Named venues outside `blocked`; heads that also name bodies ("Autohaus", "Zentrum") only
    where no organisation (`orgs`, token indices) was found on them."""
    toks = doc_tokens(doc)
    words = toks.text
    out: list[Found] = []
    i = 0
    while i < len(words):
        if i in blocked or not is_capitalised(words[i]):
            i += 1
            continue
        hit = _head_of(words[i])
        if hit is None:
            i += 1
            continue
        form, entry = hit
        if entry.also_org and i in orgs:
            i += 1
            continue
        modifier = words[i][: len(words[i]) - len(form)].rstrip("-")
        end = i + 1
        # what follows: a place or proper names ("Stadthalle Kempten", "Hotel Lindenhof")
        while end < len(words) and end - i <= 2 and end not in blocked and _proper(words[end]) and words[end] not in first_names():
            end += 1
        if words[i] in ("Haus", "Hauses") and end == i + 1 and i + 2 < len(words) and words[i + 1] in _HAUS_OF \
                and is_capitalised(words[i + 2]) and i + 2 not in blocked:
            end = i + 3  # "Haus der Technik", "Haus des Gastes"
        # "Fuggerhalle", "Reichswaldhalle" are names; "Turnhalle", "Feuerwehrhaus" are words
        named_compound = _named_modifier(modifier) and _nominative([words[i]]) not in common_nouns()
        hyphenated = "-" in words[i] and _named_modifier(modifier)
        start = i
        if i > 0 and i - 1 not in blocked and not doc[i - 1].is_sent_start and _proper(words[i - 1]) \
                and words[i - 1] not in first_names() and words[i - 1] not in places():
            start = i - 1  # a brand before the head: "Maritim Hotel", "Congress Center Leipzig"
        if (end > i + 1 and (modifier or entry.before_name)) or named_compound or hyphenated or start < i:
            out.append((start, end, " ".join([*words[start:i], _nominative(words[i:end])]), "venue"))
        i = max(end, i + 1)
    return out


def find_districts(doc: Doc) -> list[Found]:
    words = doc_tokens(doc).text
    out: list[Found] = []
    for i, text in enumerate(words):
        if text in _DISTRICT_WORDS and i + 1 < len(words) and is_capitalised(words[i + 1]) and words[i + 1] not in common_nouns():
            out.append((i, i + 2, f"{_DISTRICT_WORDS[text]} {words[i + 1]}", "district"))
            continue
        m = _KREIS_COMPOUND.match(text)
        if m is None or text in _DISTRICT_WORDS or text in ("Landkreis", "Stadtkreis"):
            continue
        modifier = m.group(1).rstrip("-")
        parts = [p for p in modifier.split("-") if p]
        if text in common_nouns() or text[:-2] in common_nouns():
            continue  # "Arbeitskreis", "Freundeskreis", "Landeskreis"
        if parts and not any(p in common_nouns() and p not in places() for p in parts):
            out.append((i, i + 1, text[:-2] if text.endswith("kreises") or text.endswith("Kreises") else text, "district"))
    return out
