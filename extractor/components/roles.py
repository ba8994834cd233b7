"""`eventfacts_roles`: role nouns ("Referatsleiter", "stellvertretende Leiterin des Amtes für …").

German inflects role nouns by case and gender ("des Oberbürgermeisters", "der Geschäftsführerin",
"dem Vorsitzenden") and builds compounds freely ("IHK-Hauptgeschäftsführer"). The lexicon lists
base lemmas; `RoleLexicon.normalise` maps an inflected compound back to nominative singular.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extractor import extensions as ext
from extractor.components.base import RuleComponent
from extractor.doc_tokens import doc_tokens
from extractor.german import ACADEMIC_TITLES, HONORIFICS, ROLE_MODIFIERS, is_acronym, is_capitalised
from extractor.lexicon import common_nouns, first_names, generic_nouns, places, read_lexicon

# Heads that need their genitive complement to say what the role is: "Leiter der Abteilung X".
# Specific roles ("Geschäftsführerin der XY GmbH") take an affiliation instead.
GENERIC_HEADS = frozenset(
    "Leiter Chef Direktor Präsident Vizepräsident Vorsitzender Sprecher Mitglied Beauftragter "
    "Koordinator Referent Vorstand Dezernent Manager".split()
)
_CONNECTORS = frozenset({"und", "sowie", "für", "der", "des", "von", "vom", "im", "zur", "zum", "&"})
# Shorter heads only count as whole words: "Rat" must not fire in "Vorrat" or "Apparat".
_MIN_COMPOUND_HEAD = 5


@dataclass(frozen=True)
class RoleMatch:
    role: str  # nominative singular of the head noun as the text genders it
    lemma: str  # lexicon lemma (masculine base form)
    gender: str  # "m", "f" or "u"
    participle: bool = False  # adjectival noun: "Vorsitzender"/"Vorsitzende"


_ORDINAL = re.compile(r"^[1-9]\.$")
_GENDER_INCLUSIVE = re.compile(r"^(.+?)([*:_/])in(?:nen)?$")
_FEMININE_DETERMINERS = frozenset("die eine unsere ihre seine diese".split())
_FEM_OBLIQUE = frozenset("der einer unserer ihrer seiner dieser".split())


class RoleLexicon:
    """Recognises role nouns, inflected or compounded, from `de/role_nouns.jsonl`."""

    def __init__(self, entries: Sequence[dict]) -> None:
        # form (lowercase) -> (lemma, gender, may end a compound, is a participle noun)
        self._forms: dict[str, tuple[str, str, bool, bool]] = {}
        self.kinds: dict[str, str] = {}
        self._plurals: dict[str, str] = {}
        for e in entries:
            lemma, fem = e["lemma"], e.get("feminine")
            head = bool(e.get("compound_head"))
            # "Vorsitzender"/"Vorsitzende": participle nouns decline like adjectives.
            participle = bool(fem) and lemma.endswith("er") and fem == lemma[:-1]
            self._forms[lemma.lower()] = (lemma, "m", head, participle)
            if e.get("plural") and not participle:
                # "die Ärzte" -> Arzt: irregular plurals come from the lexicon.
                self._plurals[e["plural"].lower()] = lemma
            if fem:
                self._forms.setdefault(fem.lower(), (lemma, "f", head, participle))
            self.kinds[lemma] = e.get("kind", "function")
        # Every capitalised token is looked up, each under several stems: cache per stem.
        self._lookup = lru_cache(maxsize=16384)(self._lookup)  # type: ignore[method-assign]
        self._compound_plural = lru_cache(maxsize=16384)(self._compound_plural)  # type: ignore[method-assign]

    def normalise(self, text: str, prev: str | None = None) -> RoleMatch | None:
        """Map 'Referatsleiters' -> Referatsleiter, 'Bürgermeisterinnen' -> Bürgermeisterin.

        text (str): one token.
        prev (str | None): the word before, to gender participle nouns ("der Vorsitzenden").
        RETURNS (RoleMatch | None): the nominative singular, or None if no role noun.
        """
        if not text[:1].isupper() or not any(c.islower() for c in text):
            return None
        inclusive = _GENDER_INCLUSIVE.match(text)
        if inclusive is not None:
            # "Referent*innen", "Geschäftsführer:in": both genders; the singular keeps the mark.
            base, mark = inclusive.group(1), inclusive.group(2)
            found = self.normalise(base, prev)
            if found is None:
                return None
            return RoleMatch(role=f"{found.role}{mark}in", lemma=found.lemma, gender="u")
        if text.lower() in self._plurals:
            lemma = self._plurals[text.lower()]
            return RoleMatch(role=lemma, lemma=lemma, gender="m")
        for stem, adjectival in _stems(text):
            found = self._lookup(stem)
            if found is None or (adjectival and not found[2]):
                continue
            lemma, gender, participle = found
            if not participle:
                return RoleMatch(role=stem, lemma=lemma, gender=gender)
            base = stem[:-1] if stem.endswith("r") else stem  # "Vorsitzende"
            gender = _participle_gender(text, (prev or "").lower())
            return RoleMatch(role=base if gender == "f" else base + "r", lemma=lemma, gender=gender, participle=True)
        return self._compound_plural(text)

    def _compound_plural(self, text: str) -> RoleMatch | None:
        """'Kreistagsmitglieder' -> Kreistagsmitglied, 'Ehrengästen' -> Ehrengast: a compound whose
        head is the (dative) plural of a role that may end compounds."""
        low = text.lower()
        for cut in (0, *range(2, len(low) - 3)):
            tail = low[cut:]
            lemma = self._plurals.get(tail) or (self._plurals.get(tail[:-1]) if tail.endswith("n") else None)
            if lemma is None or not self._forms.get(lemma.lower(), ("", "", False, False))[2]:
                continue
            prefix = text[:cut]
            head = lemma if not prefix or prefix.endswith("-") else lemma[:1].lower() + lemma[1:]
            return RoleMatch(role=prefix + head, lemma=lemma, gender="m")
        return None

    def _lookup(self, stem: str) -> tuple[str, str, bool] | None:
        """Entry the stem is or ends with: (lemma, gender, participle)."""
        low = stem.lower()
        if low in self._forms:
            lemma, gender, _, participle = self._forms[low]
            return lemma, gender, participle
        # Longest known head that ends the compound: "IHK-Hauptgeschäftsführer" -> "geschäftsführer".
        for cut in range(1, len(low) - 2):
            entry = self._forms.get(low[cut:])
            if entry is None or not entry[2]:
                continue
            if len(low) - cut < _MIN_COMPOUND_HEAD and stem[cut - 1] != "-":
                continue
            lemma, gender, _, participle = entry
            return lemma, gender, participle
        return None


def _participle_gender(text: str, prev: str) -> str:
    """Gender of an adjectival noun from its ending and determiner ('der Vorsitzenden' -> f)."""
    if text.endswith("r"):
        return "m"
    if text.endswith("e"):
        return "f" if prev in _FEMININE_DETERMINERS else "m"
    return "f" if prev in _FEM_OBLIQUE else "m"


@lru_cache(maxsize=16384)
def _stems(text: str) -> tuple[tuple[str, bool], ...]:
    """Candidate nominative stems of an inflected noun, most literal first.

    RETURNS (tuple[tuple[str, bool], ...]): (stem, only valid for adjectival nouns like "Vorsitzender").
    """
    out = [(text, False)]
    if text.endswith("innen"):
        out.append((text[:-3], False))  # plural feminine -> singular
    for ending in ("s", "es", "n", "en", "ns"):
        if text.endswith(ending) and len(text) > len(ending) + 3:
            out.append((text[: -len(ending)], False))
    if text.endswith(("en", "em")) and len(text) > 5:  # "Vorsitzenden" -> "Vorsitzender"
        out.append((text[:-1] + "r", True))
    return tuple(out)


def _modifier_form(token: Token, gender: str) -> str | None:
    """'stellvertretenden' -> 'stellvertretender' (m) / 'stellvertretende' (f); None if no modifier.

    The written capital stays: 'Parlamentarischen Staatssekretär' -> 'Parlamentarischer …'.
    """
    low = token.text.lower()
    for stem in ROLE_MODIFIERS:
        if low.startswith(stem) and low[len(stem):] in {"er", "e", "en", "em", "es", ""}:
            form = stem + ("e" if gender == "f" else "er")
            return form[0].upper() + form[1:] if token.text[0].isupper() else form
    return None


def _complement_end(doc: Doc, i: int, org_starts: set[int]) -> int:
    """End token index of a complement starting at doc[i] ('der Abteilung X, Y und Z').

    The complement names a unit or a field ('des Amtes für Wirtschaftsförderung', 'für Forschung',
    'im Arbeitgeber-Service'); it stops before an organisation, which is an affiliation instead.
    """
    if i >= len(doc) or doc[i].lower_ not in {"der", "des", "für", "im"} or i in org_starts or i + 1 in org_starts:
        return i
    j = i + 1
    end = i
    while j < len(doc):
        tok = doc[j]
        if tok.is_sent_start and j > i + 1:
            break
        if j in org_starts or (j + 1 in org_starts and tok.lower_ in {"der", "des", "im", "vom", "von"}):
            break
        if tok.text in ACADEMIC_TITLES or tok.text in HONORIFICS or tok.text in first_names():
            break  # "Vizepräsidentin für Forschung Prof. Dr. Hanna …": the name begins
        if is_capitalised(tok.text) or tok.text.endswith("-") or tok.text.isupper():
            end = j + 1
        elif tok.lower_ in _CONNECTORS:
            pass
        elif tok.text == "," and _enumeration_follows(doc, j + 1):
            pass
        else:
            break
        j += 1
    return end


def _names_a_unit(doc: Doc, i: int, org_starts: set[int]) -> bool:
    """'Chefarzt der Kardiologie', 'Vorsitzende des Fördervereins': a genitive common noun that is
    no organisation names the unit the role belongs to (an organisation would be an affiliation)."""
    if i + 1 >= len(doc) or doc[i].lower_ not in {"der", "des"} or (i + 1) in org_starts:
        return False
    nxt = doc[i + 1]
    # Generic plurals ("der Betriebe", "der Unternehmen") name no unit: "Geschäftsführerinnen der Betriebe".
    return is_capitalised(nxt.text) and nxt.text in common_nouns() and nxt.text not in places() and nxt.text not in generic_nouns()


def _is_field_noun(doc: Doc, i: int) -> bool:
    """A capitalised common noun right after a role that is neither a name nor followed by one:
    'Abteilungsleiterin Pflege im BMG', not 'Abteilungsleiterin Anna Müller'."""
    tok = doc[i]
    if tok.is_sent_start or not is_capitalised(tok.text) or tok.text not in common_nouns():
        return False
    if tok.text in first_names() or tok.text in places() or tok.text in ACADEMIC_TITLES or tok.text in HONORIFICS:
        return False
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    # A following name or title means the noun was a surname: "Referent Fuchs", "Leiterin Rose Maier".
    if nxt is not None and (nxt.text in first_names() or nxt.text in HONORIFICS or nxt.text in ACADEMIC_TITLES or is_capitalised(nxt.text)):
        return False
    # The role must be followed by more than a verb: "im"/"der"/","/"." close the field phrase.
    return nxt is None or nxt.lower_ in {"im", "in", "der", "des", "beim", "bei", "vom", ",", ".", "und"}


def _enumeration_follows(doc: Doc, j: int) -> bool:
    """After a comma: 'Qualifizierung, Aus- und Weiterbildung sowie …' continues the complement."""
    for k in range(j, min(j + 6, len(doc))):
        if doc[k].lower_ in {"und", "sowie"}:
            return True
        if not (is_capitalised(doc[k].text) or doc[k].text.endswith("-")):
            return False
    return False


@lru_cache(maxsize=1)  # read by the tagger and by feminine_role: both lexicons parsed once
def role_entries() -> tuple[dict, ...]:
    """The hand-written role nouns, then the Wiktionary person nouns they do not list
    ('Kommandant', 'Physikerin'); the hand-written entry wins for a lemma in both."""
    hand = [e.model_dump() for e in read_lexicon("de/role_nouns.jsonl")]
    known = {e["lemma"] for e in hand} | {e["feminine"] for e in hand if e.get("feminine")}
    generated = [e.model_dump() for e in read_lexicon("de/person_nouns.jsonl.gz")]
    return tuple(hand + [e for e in generated if e["lemma"] not in known])


@lru_cache(maxsize=1)
def _feminine_forms() -> dict[str, str]:
    return {e["lemma"]: e["feminine"] for e in role_entries() if e.get("feminine")}


def feminine_role(lemma: str) -> str | None:
    """'Beisitzer' -> 'Beisitzerin', 'Vorsitzender' -> 'Vorsitzende'; None if the lexicon has none."""
    return _feminine_forms().get(lemma)


class RoleTagger(RuleComponent):
    """Marks role phrases in `doc.spans[spans_key]` with `span._.ef_role`."""

    preload = (common_nouns, first_names, generic_nouns, places)

    def __init__(self, nlp: Language, name: str, *, spans_key: str) -> None:
        super().__init__(nlp, name, spans_key=spans_key)
        self.lexicon = RoleLexicon(role_entries())

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        org_starts = {s.start for s in doc.spans.get(ext.ORGS, [])}
        covered = -1  # end of the last role's complement: nouns inside it are not roles
        words = doc_tokens(doc).text
        for i, text in enumerate(words):
            if i < covered:
                continue
            prev = words[i - 1] if i > 0 else None
            match = self.lexicon.normalise(text, prev)
            if match is None:
                continue
            tok = doc[i]
            start = tok.i
            role = match.role
            if start > 0:
                mod = _modifier_form(doc[start - 1], match.gender)
                if mod is not None:
                    start -= 1
                    role = f"{mod} {role}"
            if start > 0 and _ORDINAL.match(doc[start - 1].text) and (
                    not doc[start - 1].is_sent_start or _numbered_office(doc[start - 1].text, match.lemma)):
                start -= 1  # "1. Vorsitzender", "2. Schriftführerin": the ordinal names the office
                role = f"{doc[start].text} {role}"
            end = tok.i + 1
            complement = None
            if match.lemma in GENERIC_HEADS or _names_a_unit(doc, end, org_starts):
                c_end = _complement_end(doc, end, org_starts)
                if c_end > end + 1:
                    complement = doc[end:c_end].text
                    end = c_end
            # "IHK-Hauptgeschäftsführerin": the tokenizer splits the acronym off; it names the
            # organisation (an affiliation), the rest is the role.
            org_prefix = None
            if start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ and is_acronym(doc[start - 2].text):
                org_prefix = doc[start - 2].text
            covered = end
            if complement is None and end < len(doc) and _is_field_noun(doc, end):
                # "Abteilungsleiterin Pflege im BMG", "Sachgebietsleiterin Stadtplanung": the field.
                complement = doc[end].text
                end += 1
            span = Span(doc, start, end, label="ROLE")
            span._.ef_role = {
                "role": role if complement is None else f"{role} {complement}",
                "lemma": match.lemma,
                "gender": match.gender,
                "complement": complement,
                "head": tok.i,
                "kind": self.lexicon.kinds.get(match.lemma, "function"),
                "org_prefix": org_prefix,
                "participle": match.participle,
            }
            spans.append(span)
        spans += self._truncated_conjuncts(doc, spans)
        spans.sort(key=lambda sp: sp.start)
        doc.spans[self.cfg["spans_key"]] = spans
        return doc

    def _truncated_conjuncts(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """'Protokoll- und Schriftführerin': the truncated first conjunct is a role of its own,
        'Protokollführerin' (its first word and the second's head)."""
        out = []
        taken = {i for sp in spans for i in range(sp.start, sp.end)}
        for sp in spans:
            k = sp.start
            if k < 2 or doc[k - 1].lower_ not in {"und", "sowie", "oder"} or k - 2 in taken:
                continue
            truncated = doc[k - 2].text
            if not (truncated.endswith("-") and len(truncated) > 3 and truncated[0].isupper()):
                continue
            info = sp._.ef_role
            written, normal = doc[info["head"]].text, info["role"]
            if info.get("complement") is not None or " " in normal:
                continue
            # Cut the second conjunct into a noun (with its linking element) and a noun: "Schrift|führerin",
            # "Bundes|vorsitzende", "Jugend|leiter"; the longest such head is the shared one.
            rest = None
            for cut in range(3, len(written) - 3):
                first, tail = written[:cut], normal[cut:]
                stem = first[:-2] if first.endswith("es") else first[:-1] if first.endswith("s") else first
                if normal.startswith(first) and (first in common_nouns() or stem in common_nouns()) \
                        and tail[:1].islower() and tail.capitalize() in common_nouns():
                    rest = tail
                    break
            if rest is None:
                continue
            value = truncated[:-1] + rest
            match = self.lexicon.normalise(value, None)
            role = Span(doc, k - 2, k - 1, label="ROLE")
            role._.ef_role = {
                **info, "role": match.role if match else value, "lemma": match.lemma if match else value,
                "complement": None, "head": k - 2, "org_prefix": None,
            }
            out.append(role)
        return out


# Offices that come numbered ("1. Vorsitzender", "2. Kassiererin"): at the start of a line the
# number is the office's, not a list's; other roles there are list items ("1. Referentin …").
_NUMBERED_OFFICES = frozenset({
    "Vorsitzender", "Bürgermeister", "Beigeordneter", "Schriftführer", "Kassierer", "Rechner",
    "Kassenwart", "Kommandant", "Beisitzer", "Jugendwart", "Sprecher", "Landesvorsitzender",
    "Kreisvorsitzender", "Ortsvorsitzender", "Vorstand", "Kassenprüfer", "Schatzmeister",
})


def _numbered_office(ordinal: str, lemma: str) -> bool:
    return ordinal in {"1.", "2.", "3."} and lemma in _NUMBERED_OFFICES


@Language.factory(
    "eventfacts_roles",
    assigns=["doc.spans"],
    default_config={"spans_key": ext.ROLES},
)
def make_roles(nlp: Language, name: str, spans_key: str) -> RoleTagger:
    return RoleTagger(nlp, name, spans_key=spans_key)


__all__ = ["RoleLexicon", "RoleMatch", "RoleTagger", "make_roles"]
