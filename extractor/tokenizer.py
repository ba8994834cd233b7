"""Tokenizer adjustments for German press text, applied to every pipeline eventfacts loads.

spaCy's German tokenizer keeps "2024." (a year ending a sentence), "4.–6." (a day range) and "IHK-Präsident"
(organisation + role) as single tokens and splits gender forms such as "Teilnehmer:innen" at the colon. Dates, quantities and
persons all depend on these tokens, so the fixes live in the tokenizer itself (serialised with it).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.util import compile_infix_regex, compile_suffix_regex

# A final period after a number of three or more digits ends the sentence; shorter ones are
# ordinals ("am 4. Juni") and stay attached.
_SUFFIXES = [r"(?<=[0-9]{3})\."]
# "4.–6. März", "4.-6. März": split the dash between two ordinal days.
# "IHK-Hauptgeschäftsführerin", "HWK-Präsident": an acronym before a hyphen is its own token
# (the organisation), the rest is the role or event ("INQA-Praxiswerkstatt").
_INFIXES = [r"(?<=[0-9]\.)[–—-](?=[0-9])", r"(?<=[A-ZÄÖÜ]{2})-(?=[A-ZÄÖÜ][a-zäöüß])"]
# Gender-inclusive forms stay one token: "Teilnehmer:innen", "Kolleg*innen", "Bürger_innen",
# "Referent:in". One alternative: the tokenizer tries it on every word, twice.
_GENDER_FORM = re.compile(r"^[A-ZÄÖÜa-zäöüß][\w-]*[:*_/]in(?:nen)?$")


def adjust_tokenizer(nlp: Language) -> None:
    """Apply the German press-text fixes to `nlp.tokenizer` in place (idempotent)."""
    tokenizer = nlp.tokenizer
    suffixes = list(nlp.Defaults.suffixes or [])
    infixes = list(nlp.Defaults.infixes or [])
    tokenizer.suffix_search = compile_suffix_regex(_SUFFIXES + suffixes).search
    tokenizer.infix_finditer = compile_infix_regex(_INFIXES + infixes).finditer
    # token_match must stay a bound regex method: the tokenizer serialises its pattern.
    previous = nlp.Defaults.token_match
    pattern = _GENDER_FORM.pattern
    if previous is not None:
        pattern = f"(?:{pattern})|(?:{previous.__self__.pattern})"
    tokenizer.token_match = re.compile(pattern).match
