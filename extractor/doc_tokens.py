"""Per-Doc lists of token strings, built once and shared by the rule components.

`doc[i]` and `for tok in doc` create a new Token object on every access, and the rule components
read each token's text many times: plain lists, indexed like the Doc, are far cheaper. Only what
the tokenizer fixes is cached (text, lowercase form, trailing whitespace, character offset), so
the lists stay valid for the life of the Doc. Sentence starts are not cached: the layout
component moves them; `sent_starts` reads them fresh.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary, ref

from spacy.attrs import IDX, LOWER, ORTH, SENT_START, SPACY
from spacy.tokens import Doc


class DocTokens:
    """Token attributes of one Doc as lists: `text[i]` is `doc[i].text`, and so on."""

    __slots__ = ("text", "lower", "whitespace", "idx", "doc_text")

    def __init__(self, doc: Doc) -> None:
        # One array read instead of a Token object per token and attribute.
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, LOWER, SPACY, IDX]).tolist() if len(doc) else []
        self.text: list[str] = [strings[row[0]] for row in rows]
        self.lower: list[str] = [strings[row[1]] for row in rows]
        self.whitespace: list[str] = [" " if row[2] else "" for row in rows]
        self.idx: list[int] = [row[3] for row in rows]
        # `doc.text`, which spaCy joins from Token objects on every access.
        self.doc_text: str = "".join([t + w for t, w in zip(self.text, self.whitespace)])

    def __len__(self) -> int:
        return len(self.text)

    def char_offsets(self, start: int, end: int) -> list[int]:
        """`[doc[start:end].start_char, doc[start:end].end_char]` of a non-empty token range."""
        return [self.idx[start], self.idx[end - 1] + len(self.text[end - 1])]

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text` without building the Span: the tokens with the whitespace between."""
        if end <= start:
            return ""
        text, whitespace = self.text, self.whitespace
        return "".join([text[k] + whitespace[k] for k in range(start, end - 1)] + [text[end - 1]])


# Entries disappear with their Doc. A component works through one Doc at a time, so the last
# Doc asked for is also kept at hand: helpers called per token then skip the dictionary.
_CACHE: WeakKeyDictionary[Doc, DocTokens] = WeakKeyDictionary()
_last: tuple[ref[Doc], DocTokens] | None = None


def doc_tokens(doc: Doc) -> DocTokens:
    """The token lists of `doc`, built on first use."""
    global _last
    last = _last  # read once: another thread may replace it meanwhile
    if last is not None and last[0]() is doc and len(last[1].text) == len(doc):
        return last[1]
    cached = _CACHE.get(doc)
    if cached is None or len(cached.text) != len(doc):  # rebuilt after a retokenisation
        cached = _CACHE[doc] = DocTokens(doc)
    _last = (ref(doc), cached)
    return cached


def sent_starts(doc: Doc) -> list[bool]:
    """`[tok.is_sent_start for tok in doc]` as plain booleans (None, 'unknown', counts as False)."""
    return (doc.to_array(SENT_START).astype("int64") == 1).tolist()
