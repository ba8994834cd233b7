"""`eventfacts_event`: the frame of the main event (name, type, topic, place, dates, attendees, hosts).

Reads what the earlier components found. The headline and lead carry most of the frame, so
they are searched first: the event type is the first event noun there ("Praxiswerkstatt",
"Zukunftskonferenz" -> Konferenz), the name is that noun when a name prefix or a year marks it as
one ("INQA-Praxiswerkstatt 2024"), the topic is a quoted motto, the place the first location after
"in"/"nach" or the dateline. Participants are a quantity counting attendees; organisers are the
organisations that "luden ein", "richteten aus", or on whose "Einladung" people came.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import extensions as ext
from extractor.components.base import RuleComponent
from extractor.doc_tokens import doc_tokens, sent_starts
from extractor.german import ARTICLES, is_capitalised, nominative_adjective, noun_gender
from extractor.lexicon import (
    attendee_nouns,
    compound_head,
    event_types,
    first_names,
    generic_nouns,
    places,
    role_nouns,
    venue_heads,
)

_QUOTES = re.compile(r"[„“\"»«]([^„“\"»«\n]{3,120})[“”\"«»]")
_MOTTO = re.compile(r"(?:Motto|Thema|Titel|Leitthema|Überschrift)\s*:?\s*[„“\"»«]([^„“\"»«\n]{3,120})[“”\"«»]")
# Cues that an organisation hosted the event, read in its sentence before / after the mention.
_HOST_BEFORE = re.compile(
    r"(?:(?:[Ee]ingeladen|[Gg]eladen)\s+(?:hatte|hatten|hat|haben)(?:\s+\S+){0,2}?|"
    r"(?:[Aa]usgerichtet|[Vv]eranstaltet|[Oo]rganisiert|[Ii]nitiiert|[Dd]urchgeführt)(?:\s+\S+){0,6}?\s+(?:von|vom)|"
    r"(?:Veranstalter(?:in)?|Gastgeber(?:in)?|Ausrichter(?:in)?|Organisator(?:in)?)\s*(?:war|ist|waren|sind|:)?|"
    r"auf Einladung|Einladung|"
    r"\bwir als|"
    r"zu (?:dem|der|denen)(?:\s+\S+){0,2}?|"
    r"\b(?:Fachtag|Fachtagung|Tagung|Konferenz|Kongress|Workshop|Netzwerktreffen|Mitgliederversammlung|"
    r"Jahreshauptversammlung|Praxiswerkstatt|Messe|Festakt|Jahresfeier|Empfang|Preisverleihung|Symposium|Forum|Seminar|"
    r"Treffen|Veranstaltung|Meisterfeier|Jubiläumsfeier|Sommerfest|Aktionstag)\w*\s+(?:der|des|unseres|unserer))"
    r"\s*(?:der|des|die|das|dem|den|von|vom)?\s*[„“\"]?$"
)
_HOST_AFTER = re.compile(
    r"^[\s“”\"»«]*(?:\([^)]*\)\s*)?(?:,\s*)?(?:lud|luden|lädt|laden|richtete|richteten|richtet|veranstaltete|"
    r"veranstalteten|veranstaltet|organisierte|organisierten|organisiert|hatte|hatten|hat|haben|begrüßte|begrüßten|"
    r"ehrte|ehrten|zeichnete|feierte|eröffnete|startete)\b"
)
# "hat die Stadt Meißen … gefeiert": the subject after an auxiliary in the lead sentence.
_LEAD_SUBJECT = re.compile(
    r"\b(?:hat|hatte|haben|hatten)\s+(?:die|der|das)\s+(?:[A-ZÄÖÜ]\w+\s+(?:der|des)\s+)?$"
)
_HOSTING_VERB = re.compile(r"\b(?:eingeladen|ausgerichtet|veranstaltet|organisiert|lud|luden)\b")
_CO_HOST = re.compile(r"\b(?:gemeinsam mit|zusammen mit|in Kooperation mit|in Zusammenarbeit mit|und)\s+(?:der|dem|den|des)?\s*$")


def event_name_around(doc: Doc, i: int) -> Span | None:
    """The event's name around the event noun doc[i], when something marks it as a name.

    Markers: a name prefix ("INQA-Praxiswerkstatt"), a proper adjective ("Westfälischer Archivtag",
    "5. Mitteldeutsche Wasserstoffkonferenz"), a proper tail ("Fachtag Demenz", "Baumesse Ostsee"),
    a year ("Bundesarbeitstagung 2017"), a hyphenated compound ("Wasserstoff-Konferenz"), or a
    quoted name right after the noun ("Ausbildungsmesse „Zukunft Beruf“"); a quoted phrase that
    reads as a motto ("Ausbildung inklusiv") is the topic instead.
    """
    tok = doc[i]
    start, end = i, i + 1
    if start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
        start -= 2  # "INQA-Praxiswerkstatt": the tokenizer split off the acronym
    while start > 0 and _is_proper_adjective(doc[start - 1].text):
        start -= 1
    if start < i and start > 0 and _ORDINAL.match(doc[start - 1].text):
        start -= 1  # "5. Mitteldeutsche Wasserstoffkonferenz"
    around = _quoted_around(doc, i)
    if around is not None:
        return around  # „Green Supplier Award“: the noun stands inside a quoted name
    quoted = _quoted_after(doc, end)
    if quoted is not None and _reads_as_name(quoted):
        return quoted
    while end < len(doc) and end - i <= 2 and _is_name_tail(doc[end]):
        end += 1
    if end < len(doc) and _YEAR.match(doc[end].text):
        end += 1
    # A prefix alone ("IHK-Workshop", "Wasserstoff-Konferenz") describes; it needs a year,
    # a tail or a proper adjective to name.
    adjective = any(_is_proper_adjective(t.text) for t in doc[start:i])
    if adjective or end > i + 1:
        return Span(doc, start, end, label="EVENT")
    return None


def event_name_text(span: Span) -> str:
    """Nominative of a name: 'der Akademischen Jahresfeier' -> 'Akademische Jahresfeier', 'des Festakts' -> 'Festakt'."""
    heads = [t for t in span if _event_type(t.text) is not None]
    gender = noun_gender(heads[0].text) if heads else None
    words = []
    for tok in span:
        text = tok.text
        if gender and heads and tok.i < heads[0].i and _is_proper_adjective(text) and text.endswith(("en", "em", "es", "er", "e")):
            text = nominative_adjective(text, gender) if not text.endswith(("er",)) or text[:-2] not in places() else text
        if heads and tok.i == heads[-1].i and tok.i == span.end - 1:
            text = _singular_nominative(text)
        words.append(text + tok.whitespace_)
    return "".join(words).strip()


def _singular_nominative(text: str) -> str:
    """A genitive event noun back to its nominative ('Festakts' -> 'Festakt'); plurals stay as written."""
    entry = _event_type(text)
    if entry is None:
        return text
    base = entry.forms[0]
    for ending in ("es", "s"):
        if text.endswith(base.lower()[1:] + ending) or text.endswith(base + ending):
            return text[: -len(ending)]
    return text


def _is_proper_adjective(text: str) -> bool:
    """'Westfälischer', 'Heilbronner', 'Mitteldeutsche', 'Akademische': capitalised adjectives."""
    if not is_capitalised(text):
        return False
    if text.endswith(("ische", "ischer", "ischen", "isches", "deutsche", "deutscher", "deutschen")):
        return True
    return text.endswith("er") and text[:-2] in places()  # "Heilbronner" from Heilbronn


def _is_name_tail(tok) -> bool:  # noqa: ANN001 - Token
    """'Demenz' in 'Fachtag Demenz': a capitalised singular noun or name, not a verb-led clause."""
    text = tok.text
    if tok.is_sent_start or not is_capitalised(text) or text in generic_nouns() or is_attendee_noun(text):
        return False
    if text in first_names() or text.endswith(("innen", "ungen")):
        return False
    return True


def _quoted_around(doc: Doc, i: int) -> Span | None:
    left = next((k for k in range(i, max(-1, i - 5), -1) if doc[k].text in {"„", "»"} or (doc[k].text == '"' and k < i)), None)
    if left is None:
        return None
    for j in range(i + 1, min(i + 5, len(doc))):
        if doc[j].text in {"“", "”", '"', "«"}:
            span = Span(doc, left + 1, j, label="EVENT")
            return span if _reads_as_name(span) else None
    return None


def _quoted_after(doc: Doc, i: int) -> Span | None:
    if i >= len(doc) or doc[i].text not in {"„", "“", '"', "»"}:
        return None
    for j in range(i + 1, min(i + 10, len(doc))):
        if doc[j].text in {"“", "”", '"', "«"}:
            return Span(doc, i + 1, j, label="EVENT") if j > i + 1 else None
    return None


def _reads_as_name(span: Span) -> bool:
    """'Zukunft Beruf', 'Go Global 2024' read as names; 'Ausbildung inklusiv' reads as a motto."""
    words = [t for t in span if t.is_alpha or t.like_num]
    return 0 < len(words) <= 4 and all(t.text[:1].isupper() or t.like_num for t in words)


# Words of a quoted sentence, not of a title: pronouns, auxiliaries, modal verbs.
_SENTENCE_WORDS = frozenset(
    "ich wir uns du ihr er es man ist sind war waren hat haben hatte wird werden kann können muss "
    "müssen soll sollen will wollen tun tut gibt".split()
)


def _reads_as_title(span: Span) -> bool:
    """A motto or title ('Gemeinsam stark für die Region'), not a quoted sentence ('Wir tun es')."""
    words = [t for t in span if t.is_alpha]
    return 0 < len(words) <= 10 and not any(t.lower_ in _SENTENCE_WORDS for t in words)


def _staff_of_host(doc: Doc, organisers: list[str]) -> None:
    """People holding a staff function ("Referatsleiter", "Hauptgeschäftsführer") whom the text
    ties to no organisation work for the host, when the report names exactly one host.

    Not for "Unsere Geschäftsführerin" (the publisher's staff, who may be a guest of the host) nor
    for a role with its own unit ("Leiter der Abteilung X": the unit belongs to someone else).
    """
    if len(organisers) != 1:
        return
    staff: set[str] = set()
    for sp in doc.spans.get(ext.ROLES, []):
        info = sp._.ef_role
        possessive = sp.start > 0 and doc[sp.start - 1].lower_.startswith("unser")
        if info.get("kind") == "function" and not info.get("complement") and not possessive:
            staff.add(info["role"])
    for person in doc._.ef_persons or []:
        if person["organisation"] is None and person["roles"] and all(r in staff for r in person["roles"]):
            person["organisation"] = organisers[0]


def is_host(before: str, after: str, *, in_lead: bool) -> bool:
    """Does the sentence around an organisation mention make it the host?

    before (str): sentence text up to the mention; after (str): from the mention to the sentence end.
    in_lead (bool): whether the mention stands in the headline or the first body sentences, where
        "Mit einem Festakt hat die Stadt Meißen … gefeiert" names the host.
    """
    if _HOST_BEFORE.search(before):
        return True
    before = re.split(r"\s[–—]\s", before)[-1]  # after a dateline "Soest, 25. November 2024 – "
    opening = before.strip().rstrip("„“\"»«‚").strip()
    sentence_start = opening in {"", "Die", "Der", "Das"}
    if sentence_start and _HOST_AFTER.match(after) and (_HOSTING_VERB.search(after) or in_lead):
        return True
    return bool(_LEAD_SUBJECT.search(before)) and (in_lead or bool(_HOSTING_VERB.search(after)))


def _sentence_bounds(doc: Doc, char: int) -> tuple[int, int]:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or not doc.has_annotation("SENT_START"):
        return max(0, char - 200), min(len(doc_tokens(doc).doc_text), char + 200)
    sent = span.sent
    return sent.start_char, sent.end_char


# Cues for hosts and attendance stand near their mention; a "sentence" of 50,000 characters (a
# list, a table, text without full stops) is read only this far on either side, so each mention
# costs a bounded amount and a part stays linear.
_SENTENCE_WINDOW = 300


def _sentence_finder(doc: Doc) -> Callable[[int], tuple[int, int]]:
    """`_sentence_bounds` for many offsets in one Doc, clipped to `_SENTENCE_WINDOW` characters
    on either side of the offset. Sentence bounds per token are computed once (linear); an offset
    at a token start (as all callers pass) takes the quick path, any other the slow."""
    if not doc.has_annotation("SENT_START") or doc.user_hooks or doc.user_span_hooks:
        return lambda char: _clip(char, *_sentence_bounds(doc, char))
    toks = doc_tokens(doc)
    token_at = {start: i for i, start in enumerate(toks.idx)}
    starts = sent_starts(doc)
    n = len(starts)
    # As `Span.sent`: a sentence runs from a token marked as start to the next one.
    first = [0] * n
    for i in range(1, n):
        first[i] = i if starts[i] else first[i - 1]
    last = [n - 1] * n
    for i in range(n - 2, -1, -1):
        last[i] = i if starts[i + 1] else last[i + 1]

    def bounds(char: int) -> tuple[int, int]:
        i = token_at.get(char)
        if i is None:
            return _clip(char, *_sentence_bounds(doc, char))
        end = last[i]
        return _clip(char, toks.idx[first[i]], toks.idx[end] + len(toks.text[end]))

    return bounds


def _clip(char: int, start: int, end: int) -> tuple[int, int]:
    return max(start, char - _SENTENCE_WINDOW), min(end, char + _SENTENCE_WINDOW)


def _lead_sentences_end(doc: Doc, n: int = 3) -> int:
    """Character offset where the headline and the first body sentences end."""
    if not doc.has_annotation("SENT_START"):
        return _LEAD_CHARS
    for k, sent in enumerate(doc.sents):
        if k == n:
            return sent.start_char
    return len(doc_tokens(doc).doc_text)


# Verbs and phrases that say people attended: "nahmen teil", "kamen", "folgten der Einladung".
_ATTENDING = re.compile(
    r"\b(?:teil(?:genommen|nahmen|nehmenden)?|nahmen|nahm|kamen|kam|besuchten|besucht|folgten|begrüßte|begrüßten|"
    r"begrüßt|trafen|versammelten|diskutierten|informierten|erschienen|zählte|zählten|lockte|lockten|einfanden|"
    r"eingefunden|erlebten|verfolgten|lauschten|feierten|mitmarschierten|marschierten)\b"
)
# "Tag" names an event only inside a compound ("Fachtag", "Archivtag"); alone, and in the
# compounds below, it is a day or a parliament.
_ONLY_IN_COMPOUNDS = frozenset({"Tag", "Tage", "Tagen", "Tages", "Tags"})
_DAY_WORDS = re.compile(
    r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag|Feiertag|Werktag|Wochentag|"
    r"Geburtstag|Alltag|Vortag|Folgetag|Mittag|Stichtag|Arbeitstag|Landtag|Bundestag|Kreistag|Reichstag|Ehrentag)"
    r"(?:e|en|es|s)?$"
)
_ORDINAL = re.compile(r"^\d{1,2}\.$")
_MEMBERS = re.compile(r"[Mm]itglied(?:er|ern)?$")
# Attending proper, without "zählte" (which also counts a membership).
_CAME = re.compile(
    r"\b(?:teil(?:genommen|nahmen|nehmenden)?|nahmen|nahm|kamen|kam|besuchten|folgten|begrüßte|begrüßten|"
    r"trafen|versammelten|erschienen|anwesend|anwesenden|einfanden|eingefunden|erlebten|verfolgten|lauschten|"
    r"feierten|mitmarschierten|marschierten)\b"
)
_ISO_MONTH_STAMP = re.compile(r"^\d{4}-\d{2}$")
# A sentence about people honoured, elected or sent off rather than about the audience.
_HONOURED = re.compile(
    r"\b(?:geehrt|ehrte|ehrten|ausgezeichnet|zeichnete|zeichneten|ernannt|ernannte|verabschiedet|"
    r"verabschiedete|überreicht|überreichte|erhielten|erhielt|freigesprochen|losgesprochen|gewürdigt|würdigte)\b"
)
_UPPER_BOUNDS = frozenset({"bis zu", "maximal", "höchstens"})
_YEAR = re.compile(r"^(19|20)\d\d$")
_LEAD_CHARS = 600


@lru_cache(maxsize=16384)  # asked for every token of the lead: cached per word form
def _event_type(text: str):  # noqa: ANN201 - EventTypeEntry | None
    if text in _ONLY_IN_COMPOUNDS or _DAY_WORDS.search(text):
        return None
    table = event_types()
    if text in table:
        return table[text]
    if "-" in text:
        tail = text.rsplit("-", 1)[1]
        if tail in table:
            return table[tail]
    hit = compound_head(text, table)
    return hit[1] if hit and getattr(hit[1], "compound_head", False) else None


def is_attendee_noun(unit: str) -> bool:
    """'Teilnehmende', 'Netzwerker*innen', 'Vertreterinnen und Vertreter', 'Gäste' count attendees."""
    table = attendee_nouns()
    first = unit.split()[0]
    if first in table or unit in table:
        return True
    hit = compound_head(first, table)
    return hit is not None


def is_people_noun(unit: str) -> bool:
    """'Archivarinnen und Archivare', 'Ärztinnen', 'Fachkräfte': a plural noun for people."""
    first = unit.split()[0]
    if " und " in unit or re.search(r"(?:innen|[*:_/]innen|Innen)$", first):
        return True
    return compound_head(first, role_nouns()) is not None


class EventFramer(RuleComponent):
    """Writes `doc._.ef_event` and EVENT / TOPIC spans; resolves 'am zweiten Tag' against the start."""

    preload = (attendee_nouns, event_types, first_names, generic_nouns, places, role_nouns)

    def __call__(self, doc: Doc) -> Doc:
        title = next((sp for sp in doc.spans.get(ext.LAYOUT, []) if sp.label_ == "TITLE"), None)
        lead_end = max(title.end_char if title is not None else 0, 0) + _LEAD_CHARS
        spans: list[Span] = []

        etype, name_span, marked = self._type_and_name(doc, title, lead_end)
        noun_span = name_span  # the event noun phrase, whose year dates the event if nothing else does
        topic_span = self._topic(doc, title, lead_end)
        if topic_span is not None and name_span is not None and topic_span.start_char == name_span.start_char:
            topic_span = None  # a quoted name is not also the motto
        motto = topic_span is not None and topic_span.start_char <= lead_end and _is_declared_motto(doc, topic_span)
        if topic_span is not None and (not marked or motto) and _reads_as_title(topic_span):
            # ANNOTATION.md: a title or motto names the event before its event noun phrase does;
            # a motto declared as such in the lead ("unter dem Motto „…“") even before a marked one
            name_span = Span(doc, topic_span.start, topic_span.end, label="EVENT")
        if name_span is not None:
            spans.append(name_span)
        if topic_span is not None:
            spans.append(topic_span)
        start, end = self._when(doc, lead_end, noun_span)
        frame = {
            "name": event_name_text(name_span) if name_span is not None else None,
            "type": etype,
            "topic": topic_span.text if topic_span is not None else None,
            "location": self._where(doc, lead_end),
            "start": start,
            "end": end,
            "participants": self._participants(doc),
            "organisers": self._organisers(doc),
        }
        doc._.ef_event = frame
        _staff_of_host(doc, frame["organisers"])
        doc.spans[self.cfg["spans_key"]] = spans
        self._resolve_event_days(doc, start)
        return doc

    def _type_and_name(self, doc: Doc, title: Span | None, lead_end: int) -> tuple[str | None, Span | None, bool]:
        """The first event noun in the headline or lead gives the type; a marked one also the name.

        Without a marked name, the first event noun that names on its own ("Neujahrsempfang",
        "Stadtratssitzung", not "Veranstaltung") is the name, as a reader would write it down.
        RETURNS: (type, name span, whether the name is marked as one rather than a bare noun)."""
        first = None
        bare: Span | None = None
        toks = doc_tokens(doc)
        for i, text in enumerate(toks.text):
            if toks.idx[i] > lead_end and first is not None:
                break
            entry = _event_type(text)
            if entry is None or not text[:1].isupper():
                continue
            name = event_name_around(doc, i)
            if name is not None:
                return entry.type, name, True
            if first is None:
                first = entry.type
            if bare is None and (entry.names_alone or text not in entry.forms):
                start = i - 1 if i > 0 and _ORDINAL.match(toks.text[i - 1]) else i
                bare = Span(doc, start, i + 1, label="EVENT")
        return first, bare, False

    def _topic(self, doc: Doc, title: Span | None, lead_end: int) -> Span | None:
        text = doc_tokens(doc).doc_text
        m = _MOTTO.search(text)
        if m is None and title is not None:
            m = _QUOTES.search(text, title.start_char, title.end_char)
        if m is None:
            return None
        span = doc.char_span(m.start(1), m.end(1), label="TOPIC", alignment_mode="contract")
        orgs = {(sp.start, sp.end) for sp in doc.spans.get(ext.ORGS, [])}
        if span is None or (span.start, span.end) in orgs:
            return None
        return span

    def _where(self, doc: Doc, lead_end: int) -> str | None:
        """Where it happened: of the places after "in", "im", "nach" (an article may stand between)
        in the headline and lead, a venue that names its town ("Stadthalle Kempten"), else the
        first town, else a venue, else the first place of any kind; then the dateline."""
        clusters = doc._.ef_locations or []
        by_start: dict[int, tuple[str, str | None]] = {}
        for c in clusters:
            for s, _ in c["mentions"]:
                by_start[s] = (c["name"], c.get("kind"))
        candidates: list[tuple[str, str | None]] = []
        for s in sorted(by_start):
            if s > lead_end:
                break
            span = doc.char_span(s, s + 1, alignment_mode="expand")
            if span is not None and _word_before(doc, span.start) in {"in", "nach", "im", "ins"}:
                candidates.append(by_start[s])
        towns = [name for name, kind in candidates if kind == "city"]
        venues = [name for name, kind in candidates if kind == "venue"]
        for venue in venues:
            if any(town in venue.split() for town in {n for n, k in by_start.values() if k == "city"}) or \
                    any(w in places() for w in venue.split()[1:]):
                return venue
        if towns:
            return towns[0]
        if venues:
            return venues[0]
        dateline = next((x for x in doc.spans.get(ext.LAYOUT, []) if x.label_ == "DATELINE"), None)
        if dateline is not None:
            for sp in doc.spans.get(ext.LOCATIONS, []):
                if sp.start == dateline.start:
                    return by_start.get(sp.start_char, (None, None))[0]
        happened = self._town_where_it_happened(doc, by_start)
        if happened is not None:
            return happened
        if candidates:
            return candidates[0][0]
        seat = _seat_of_host_venue(doc, lead_end)
        if seat is not None:
            return seat
        # No "in …": the first town or venue the headline and lead name at all
        lead = [by_start[s] for s in sorted(by_start) if s <= lead_end]
        return next((name for name, kind in lead if kind in {"city", "venue"}), None)

    @staticmethod
    def _town_where_it_happened(doc: Doc, by_start: dict[int, tuple[str, str | None]]) -> str | None:
        """Past the lead: the town or venue after "in" in the sentence that says the event took
        place ("Am Samstag fand in Hannover die Bezirkskonferenz statt")."""
        if not doc.has_annotation("SENT_START"):
            return None
        text = doc_tokens(doc).doc_text
        took_place: dict[int, bool] = {}  # sentence start -> does it say the event took place
        for s in sorted(by_start):
            name, kind = by_start[s]
            span = doc.char_span(s, s + 1, alignment_mode="expand")
            if kind not in {"city", "venue"} or span is None or _word_before(doc, span.start) not in {"in", "im"}:
                continue
            sent = span.sent
            if sent.start_char not in took_place:
                took_place[sent.start_char] = bool(_TOOK_PLACE.search(text, sent.start_char, sent.end_char))
            if took_place[sent.start_char]:
                return name
        return None

    def _when(self, doc: Doc, lead_end: int, name_span: Span | None) -> tuple[str | None, str | None]:
        dates = list(doc.spans.get(ext.DATES, []))
        release = [(sp.start_char, sp.end_char) for sp in doc.spans.get(ext.LAYOUT, []) if sp.label_ == "DATELINE_DATE"]
        stamped: tuple[str, str] | None = None
        for sp in dates:
            info = sp._.ef_date or {}
            if sp.start_char > lead_end + 600 or (sp.start_char, sp.end_char) in release:
                continue
            if info.get("relative") and info.get("granularity") != "day":
                continue
            if _ISO_MONTH_STAMP.match(sp.text):
                continue  # "2023-11": a page's date stamp, not when the event took place
            value = info.get("value") or ""
            if info.get("granularity") not in {"day", "month"} or "X" in value:
                continue
            start, _, end = value.partition("/")
            if is_release_stamp(doc.text, sp.start_char, sp.end_char):
                # "16.11.2016" on a line of its own: when the page was made. The event's own date
                # comes later; a same-day release has none, then the stamp is the best there is.
                stamped = stamped or (start, end or start)
                continue
            return start, end or start
        if stamped is not None:
            return stamped
        if name_span is not None and _YEAR.match(name_span[-1].text):
            return name_span[-1].text, name_span[-1].text
        return None, None

    def _participants(self, doc: Doc) -> int | None:
        """The attendee count. Candidates are quantities of attendees ("Teilnehmende", "Gäste") and of
        people in a sentence that says they came ("180 Archivarinnen und Archivare trafen sich");
        a sentence of attending ("nahmen teil", "kamen") counts most, then an attendee noun."""
        best: tuple[int, int] | None = None
        value = None
        text = doc_tokens(doc).doc_text
        sentence_bounds = _sentence_finder(doc)
        for k, sp in enumerate(doc.spans.get(ext.QUANTITIES, [])):
            info = sp._.ef_quantity or {}
            unit = str(info.get("unit", ""))
            if not isinstance(info.get("value"), (int, float)):
                continue
            start, end = sentence_bounds(sp.start_char)
            attending = bool(_ATTENDING.search(text[start:end]))
            attendee = is_attendee_noun(unit)
            if not attendee and not (attending and is_people_noun(unit)):
                continue
            if _MEMBERS.search(unit.split()[0]) and not _CAME.search(text[start:end]):
                continue  # "Der Verein zählt 177 Mitglieder": a membership, not an attendance
            if str(info.get("qualifier") or "").lower() in _UPPER_BOUNDS:
                continue  # "bis zu drei Delegierte": what the statutes allow, not who came
            if _HONOURED.search(text[start:end]) and not _CAME.search(text[start:end]):
                continue  # "acht Auszubildende wurden geehrt": the honoured, not the audience
            score = 2 * attending + attendee
            if (score, -k) > (best or (-1, 0)):
                best, value = (score, -k), int(info["value"])
        return value

    def _organisers(self, doc: Doc) -> list[str]:
        """Organisations the text names as hosts, in text order; partners "gemeinsam mit" them too."""
        mentions = sorted(
            (start, end, c["name"]) for c in doc._.ef_orgs or [] for start, end in c["mentions"]
        )
        lead_limit = _lead_sentences_end(doc)
        text = doc_tokens(doc).doc_text
        sentence_bounds = _sentence_finder(doc)
        names: list[str] = []
        host_sentences: set[int] = set()
        for start, end, name in mentions:
            sent_start, sent_end = sentence_bounds(start)
            before = text[sent_start:start]
            after = text[end:sent_end]
            if is_host(before, after, in_lead=start < lead_limit):
                host_sentences.add(sent_start)
                if name not in names:
                    names.append(name)
        for start, end, name in mentions:
            sent_start, _ = sentence_bounds(start)
            if sent_start in host_sentences and _CO_HOST.search(text[sent_start:start]) and name not in names:
                names.append(name)
        return names

    def _resolve_event_days(self, doc: Doc, start: str | None) -> None:
        pending = doc.spans.get("eventfacts_event_days")
        if not pending or start is None or len(start) != 10:
            return
        from extractor.dates_rules import resolve_event_day

        resolved = list(doc.spans.get(ext.DATES, []))
        for sp in pending:
            ordinal = (sp._.ef_date or {}).get("ordinal")
            if not ordinal:
                continue
            new = Span(doc, sp.start, sp.end, label="DATE")
            new._.ef_date = {"value": resolve_event_day(int(ordinal), start), "granularity": "day", "relative": True}
            resolved.append(new)
        doc.spans[ext.DATES] = sorted(resolved, key=lambda s: s.start)


# A sentence that says where the event took place.
_TOOK_PLACE = re.compile(r"\b(?:fand|finden|findet|stattgefunden)\b[^.!?]*\bstatt\b|\bstattgefunden\b|\btagte\b|"
                         r"\bversammelten sich\b|\btrafen sich\b|\bkamen\b[^.!?]*\bzusammen\b")
# A municipality's own name follows these words: "Gemeinde Hallerndorf" is the town Hallerndorf.
_MUNICIPALITY_WORDS = frozenset({"Stadt", "Gemeinde", "Markt", "Marktgemeinde", "Hansestadt", "Ortsgemeinde"})


_DECLARED_MOTTO = re.compile(r"(?:Motto|Titel|Leitthema|Überschrift)\s*:?\s*$")


def _is_declared_motto(doc: Doc, topic: Span) -> bool:
    """The quoted words follow "Motto", "Titel" … (not "Thema": a topic is no name)."""
    text = doc_tokens(doc).doc_text
    return bool(_DECLARED_MOTTO.search(text[max(0, topic.start_char - 30) : topic.start_char - 1]))


def _word_before(doc: Doc, i: int) -> str:
    """The word before doc[i], over one article: "in" for "in der Stadthalle"; "" at the start."""
    k = i - 1
    if k > 0 and doc[k].lower_ in ARTICLES:
        k -= 1
    return doc[k].lower_ if k >= 0 else ""


def _is_room(text: str) -> bool:
    """'Aula', 'Sitzungssaal', 'Rathaussaal': a hall or room (a venue head, or a compound ending in one)."""
    return text in venue_heads() or compound_head(text, venue_heads(), any_head=True) is not None


def _seat_of_host_venue(doc: Doc, lead_end: int) -> str | None:
    """The town at the end of an organisation's name in the lead, where the text says the event
    was held in or at it ("In der Handwerkskammer Lübeck wurden …")."""
    for sp in doc.spans.get(ext.ORGS, []):
        if sp.start_char > lead_end:
            break
        k = sp.start - 1
        if k < 1:
            continue
        room_of = doc[k].lower_ in {"der", "des"} and is_capitalised(doc[k - 1].text) and _is_room(doc[k - 1].text)
        if not room_of and _word_before(doc, sp.start) not in {"in", "im"}:
            continue  # "im Sitzungssaal der Gemeinde X" is held there; else "in (der) X"
        if sp[0].text in _MUNICIPALITY_WORDS and len(sp) > 1:
            return sp[1:].text  # "Gemeinde Hallerndorf", "Stadt Sulzbach-Rosenberg": the town itself
        entry = places().get(sp[-1].text)
        if entry is not None and entry.kind == "city" and not entry.ambiguous:
            return entry.name
    return None


# A page's release stamp around a date: a clock time after it ("08. März 2019, 22:23 Uhr"), a
# label before it ("Veröffentlicht am: 21. Juli 2025", "Stand: …"), a dash after a date that opens
# its line ("29. November 2024 – Seit …") or brackets ("[07.11.2021]").
_STAMP_AFTER = re.compile(r"^\s*(?:,\s*)?(?:um\s+)?\d{1,2}[:.]\d{2}(?:\s*Uhr)?|^\s*[\]\)]|^\s+[–—-]\s")
_STAMP_BEFORE = re.compile(
    r"(?:Veröffentlicht|veröffentlicht|Stand|Datum|Erstellt|erstellt|Aktualisiert|aktualisiert|Erschienen|erschienen|"
    r"Pressemitteilung|Meldung)(?:\s+(?:am|vom))?\s*:?\s*(?:[A-Z][a-z]+,\s*)?$|[\[\(]\s*$"
)
_WEEKDAY_WORDS = frozenset("Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonnabend Sonntag".split())


def is_release_stamp(text: str, start: int, end: int) -> bool:
    """Is the date at text[start:end] the page's release stamp rather than a date of the report?

    Besides the cues above: a date alone on its line, or with at most two other words there
    ("Dienstag, 20.09.2011", "12. April 2024 Rathaus", "Jörg Matthies / 26.08.2010")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:start], text[end:line_end]
    if _STAMP_AFTER.match(after) or _STAMP_BEFORE.search(before):
        return True
    if before.strip() == "" and after[:3].strip() in {"–", "—", "-", "|"}:
        return True
    words = [w for w in re.findall(r"[^\W\d_]+", before + " " + after) if w not in _WEEKDAY_WORDS]
    return len(words) <= 2 and not after.rstrip().endswith((".", "!", "?"))


@Language.factory("eventfacts_event", assigns=["doc._.ef_event", "doc.spans"], default_config={"spans_key": ext.EVENT})
def make_event(nlp: Language, name: str, spans_key: str) -> EventFramer:
    return EventFramer(nlp, name, spans_key=spans_key)
