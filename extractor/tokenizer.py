"""Tokenizer adjustments for German press text, applied to every pipeline eventfacts loads.

spaCy's German tokenizer keeps "2024." (a year ending a sentence), "4.–6." (a day range) and "IHK-Präsident"
(organisation + role) as single tokens and splits gender forms such as "Teilnehmer:innen" at the colon. Dates, quantities and
persons all depend on these tokens, so the fixes live in the tokenizer itself (serialised with it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc
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


# spaCy's tokenizer peels prefixes and suffixes off a whitespace-free string one at a time, which
# is quadratic in its length: 10,000 "!" take 13 s, 200,000 take minutes and gigabytes. No word or
# URL of a press text comes near this length, so longer runs are tokenised in pieces of this size.
MAX_RUN_CHARS = 200
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN_CHARS + 1))
# A run of this many symbols ("!!!!…", "*****…", "-----" rules) is one token per MAX_RUN_CHARS
# instead of one per character: 50,000 "!" would otherwise be 50,000 tokens for the NER.
SYMBOL_RUN_CHARS = 20
_SYMBOL_RUN = re.compile(r"[^\w\s]{%d,}" % SYMBOL_RUN_CHARS)


def make_doc_bounded(nlp: Language, text: str) -> Doc:
    """`nlp.make_doc(text)`, in time linear in the length of any whitespace-free run.

    The text of the Doc is exactly `text`: pieces are tokenised separately and joined with
    `Doc.from_docs`, without inserting whitespace, so every offset stays an offset into `text`.
    """
    if _LONG_RUN.search(text) is None and _SYMBOL_RUN.search(text) is None:
        return nlp.make_doc(text)
    docs: list[Doc] = []
    for piece, symbols in _split_runs(text, _SYMBOL_RUN):
        if symbols:
            docs.append(Doc(nlp.vocab, words=[piece], spaces=[False]))
        else:
            # Within the rest, a long whitespace-free run is tokenised a piece at a time.
            docs.extend(nlp.make_doc(part) for part, _ in _split_runs(piece, _LONG_RUN))
    return Doc.from_docs(docs, ensure_whitespace=False)


def _split_runs(text: str, run: re.Pattern[str]) -> Iterator[tuple[str, bool]]:
    """`text` in order as (piece, in_run): the stretches between matches of `run` whole, each match
    cut into pieces of at most MAX_RUN_CHARS. No piece is empty; together they are `text`."""
    pos = 0
    for match in run.finditer(text):
        if match.start() > pos:
            yield text[pos : match.start()], False
        for k in range(match.start(), match.end(), MAX_RUN_CHARS):
            yield text[k : min(k + MAX_RUN_CHARS, match.end())], True
        pos = match.end()
    if pos < len(text):
        yield text[pos:], False
