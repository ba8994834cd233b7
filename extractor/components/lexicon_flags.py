"""`eventfacts_lexicon_flags`: lexicon knowledge as lexeme flags for the statistical NER's tok2vec.

German capitalises every noun, so a capital letter alone says little; "capitalised but not a known
common noun" is the strongest single cue for a name, beside "known first name" and "known place".
The NER's embedding (`eventfacts.LexiconHashEmbed.v1`, extractor/ner_embed.py) reads these flags as
one extra token attribute. They are properties of the word type, so they are set once per lexeme
through `Vocab.add_flag` (the getter runs for every new word the vocabulary meets), not per token.

The component itself does nothing per document: constructing it registers the flags on the
pipeline's vocabulary when the pipeline loads. The embedding also registers them on first use, so a
NER sourced into a pipeline without this component still sees them.
"""

from __future__ import annotations

from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.base import RuleComponent
from extractor.german import is_capitalised
from extractor.lexicon import common_nouns, compound_head, first_names, org_heads, org_suffixes, places, role_nouns

# Fixed bit positions: a trained model refers to them by name ("FLAG40"), so they must never move.
# spaCy's own lexeme flags use the bits below 19.
NAME_CANDIDATE = 40  # capitalised, has lower-case letters, not a known common noun form
FIRST_NAME = 41  # a known given name
PLACE = 42  # a surface form of a known place
COMMON_NOUN = 43  # capitalised and a known common noun form
ORG_WORD = 44  # an organisation head noun or compound ending in one ("Handwerkskammer"), or a legal form
ROLE_WORD = 45  # a role noun or compound ending in one ("Landtagsabgeordnete")
# Ends in a known common noun ("Werkstatttreffen"). Kept apart from NAME_CANDIDATE: many surnames end
# in a noun too ("Hofmann", "Grünberg"), so the model, not this module, weighs the two.
NOUN_COMPOUND = 46

FLAGS = (NAME_CANDIDATE, FIRST_NAME, PLACE, COMMON_NOUN, ORG_WORD, ROLE_WORD, NOUN_COMPOUND)
FLAG_ATTRS = tuple(f"FLAG{flag}" for flag in FLAGS)
_MIN_MODIFIER = 3
_MIN_HEAD = 4


def _ends_in_noun(word: str, nouns: frozenset[str]) -> bool:
    for start in range(_MIN_MODIFIER, len(word) - _MIN_HEAD + 1):
        tail = word[start:]
        head = tail if word[start - 1] == "-" else tail[:1].upper() + tail[1:]
        if head in nouns:
            return True
    return False


def name_candidate_getter() -> Callable[[str], bool]:
    """getter(word): capitalised and not a known common noun form, or an acronym ("BOSNET")."""
    nouns = common_nouns()
    return lambda w: (is_capitalised(w) and w not in nouns) or (len(w) > 1 and w.isalpha() and w.isupper())


def flag_getters() -> dict[int, Callable[[str], bool]]:
    """Bit -> getter(word) for every lexicon flag."""
    nouns = common_nouns()
    names = first_names()
    place_forms = places()
    heads = org_heads()
    suffixes = frozenset(org_suffixes())
    roles = role_nouns()
    return {
        NAME_CANDIDATE: name_candidate_getter(),
        FIRST_NAME: lambda w: w in names,
        PLACE: lambda w: w in place_forms,
        COMMON_NOUN: lambda w: is_capitalised(w) and w in nouns,
        ORG_WORD: lambda w: w in suffixes or w.rstrip(".") in suffixes or (is_capitalised(w) and compound_head(w, heads) is not None),
        ROLE_WORD: lambda w: is_capitalised(w) and compound_head(w, roles) is not None,
        NOUN_COMPOUND: lambda w: is_capitalised(w) and w not in nouns and _ends_in_noun(w, nouns),
    }


def register_flags(vocab) -> None:
    """Register the lexicon flags on `vocab` (idempotent; existing lexemes are updated too)."""
    if NAME_CANDIDATE in (vocab.lex_attr_getters or {}):
        return
    for bit, getter in flag_getters().items():
        vocab.add_flag(getter, flag_id=bit)


class LexiconFlags(RuleComponent):
    """Registers the lexicon flags on construction; a document passes through unchanged."""

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(nlp, name)
        register_flags(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("eventfacts_lexicon_flags", default_config={})
def make_lexicon_flags(nlp: Language, name: str) -> LexiconFlags:
    return LexiconFlags(nlp, name)
