"""Bounded work per part: hostile repetitions cost linear time and bounded memory (issue 10).

Timing belongs in scripts/benchmark_scaling.py; these tests pin the mechanisms that make the
work linear (pieces, windows, skipped runs, groups) and that the facts stay right with them.
"""

from __future__ import annotations

import pytest

from extractor import api
from extractor.api import Extractor, split_parts
from extractor.components import event as event_component
from extractor.components import persons as persons_component
from extractor.tokenizer import MAX_RUN_CHARS, make_doc_bounded


def test_bounded_doc_of_ordinary_text_is_the_tokenizers_doc(nlp_default) -> None:
    text = "Am 4. Juni 2024 trafen sich 25 Netzwerker*innen in Fulda. Dr. Anna Schmidt (IHK Kassel) sprach."
    assert [t.text for t in make_doc_bounded(nlp_default, text)] == [t.text for t in nlp_default.make_doc(text)]


def test_bounded_doc_keeps_every_character_of_a_long_run(nlp_default) -> None:
    run = "!" * (5 * MAX_RUN_CHARS + 17)
    text = f"Der Fachtag war ein Erfolg{run} Rund 80 Gäste kamen nach Kassel.\n\n„{'*' * 900}“"
    doc = make_doc_bounded(nlp_default, text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    # The words after the run are ordinary tokens at their offsets.
    gaeste = next(t for t in doc if t.text == "Gäste")
    assert gaeste.idx == text.index("Gäste")
    assert max(len(t.text) for t in doc) <= MAX_RUN_CHARS


def test_bounded_extract_finds_facts_after_a_punctuation_run() -> None:
    text = "Fachtag in Kassel\n" + "!" * 3000 + "\nRund 80 Gäste kamen zum Fachtag nach Kassel."
    report = Extractor("rules").extract(text, published="2024-06-05")
    assert [(q.value, q.unit) for q in report.quantities] == [(80, "Gäste")]
    assert report.event is not None and report.event.participants == 80


def test_bounded_titles_run_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = persons_component._titles_at

    def counting(doc, i):  # noqa: ANN001, ANN202 - same signature as the real one
        calls.append(i)
        return real(doc, i)

    monkeypatch.setattr(persons_component, "_titles_at", counting)
    text = "Dr. " * 2000 + "Prof. Dr. Anna Schmidt eröffnete den Fachtag."
    report = Extractor("rules").extract(text)
    assert [p.name for p in report.persons] == ["Anna Schmidt"]
    # One call per run of titles, not one per title in it (which made "Dr. Dr. …" quadratic).
    assert len(calls) < 10


def test_bounded_host_checks_read_a_window_around_each_mention(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int]] = []
    real = event_component.is_host

    def recording(before: str, after: str, *, in_lead: bool) -> bool:
        seen.append((len(before), len(after)))
        return real(before, after, in_lead=in_lead)

    monkeypatch.setattr(event_component, "is_host", recording)
    text = "Die IHK Kassel lud zum Fachtag ein, " + "(IHK " * 2000 + "und 80 Gäste kamen."
    report = Extractor("rules").extract(text)
    assert len(seen) > 100
    window = event_component._SENTENCE_WINDOW
    assert max(b for b, _ in seen) <= window and max(a for _, a in seen) <= window
    # The host named at the start of the sentence is still found.
    assert report.event is not None and report.event.organisers[:1] == ["IHK Kassel"]


def test_bounded_parts_of_dense_tokens_are_cut_further() -> None:
    text = "1 2 3 4\n" * 20_000  # 160,000 characters, 4 tokens in 8 characters
    parts = split_parts(text)
    assert "".join(part for _, part in parts) == text
    assert all(text[offset : offset + len(part)] == part for offset, part in parts)
    # By characters alone it would be 4 parts of ~25,000 tokens each.
    assert len(parts) > 4
    assert all(len(part.split()) <= api.MAX_PART_TOKENS for _, part in parts)


def test_bounded_prose_parts_are_cut_by_characters_only() -> None:
    sentence = "Die Teilnehmenden diskutierten am Nachmittag in vier Arbeitsgruppen über Fachkräfte. "
    text = sentence * 1200  # ~103,000 characters of prose
    assert [offset for offset, _ in split_parts(text)] == [offset for offset, _ in api.split_text(text)]


@pytest.mark.parametrize(("limit", "measure"), [("MAX_CHARS_IN_FLIGHT", 400), ("MAX_TOKENS_IN_FLIGHT", 60)])
def test_bounded_text_in_flight(monkeypatch: pytest.MonkeyPatch, limit: str, measure: int) -> None:
    monkeypatch.setattr(api, limit, measure)
    extractor = Extractor("rules")
    groups: list[int] = []
    real_pipe = extractor.nlp.pipe

    def recording(jobs, **kwargs):  # noqa: ANN001, ANN003, ANN202
        jobs = list(jobs)
        if kwargs.get("as_tuples"):  # spaCy's pipe calls itself again on the bare Docs
            size = len if limit == "MAX_TOKENS_IN_FLIGHT" else (lambda doc: len(doc.text))
            groups.append(sum(size(doc) for doc, _ in jobs))
        return real_pipe(jobs, **kwargs)

    monkeypatch.setattr(extractor.nlp, "pipe", recording)
    texts = [f"Am {day}. Juni 2024 kamen {day + 20} Gäste nach Fulda." for day in range(1, 29)]
    reports = list(extractor.pipe(texts, batch_size=32))
    assert [r.quantities[0].value for r in reports] == [day + 20 for day in range(1, 29)]
    assert len(groups) > 1 and max(groups) <= measure
