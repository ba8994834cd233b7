"""Small invented archive for the index tests: German report texts written for these tests, and
records with offsets computed from them (so every mention satisfies the offset contract)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from models import EventReport


def _mentions(text: str, forms: list[str]) -> list[dict[str, Any]]:
    """Every occurrence of the forms (longest first, no overlaps), in text order; a form 're:…' is a
    regular expression (to skip a name inside another entity's name)."""
    taken: list[tuple[int, int]] = []
    for form in sorted(forms, key=len, reverse=True):
        pattern = form[3:] if form.startswith("re:") else re.escape(form)
        for match in re.finditer(pattern, text):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                taken.append((match.start(), match.end()))
    return [{"start": s, "end": e, "text": text[s:e]} for s, e in sorted(taken)]


def _phrase(text: str, phrase: str) -> dict[str, Any]:
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), "text": phrase}


def record(doc_id: str, text: str, *, published: str | None = None, persons=(), orgs=(), places=(),
           quantities=(), dates=(), event: dict[str, Any] | None = None) -> EventReport:
    """persons: (name, roles, organisation, titles, forms); orgs: (name, acronym, forms);
    places: (name, kind, forms); quantities: (phrase, value, unit, qualifier); dates: (phrase, value, granularity)."""
    data = {
        "doc_id": doc_id,
        "source": f"archiv/{doc_id}.txt",
        "title": text.split("\n", 1)[0],
        "published": published,
        "persons": [{"name": n, "roles": list(r), "organisation": o, "titles": list(t), "mentions": _mentions(text, f)}
                    for n, r, o, t, f in persons],
        "organisations": [{"name": n, "acronym": a, "mentions": _mentions(text, f)} for n, a, f in orgs],
        "locations": [{"name": n, "kind": k, "mentions": _mentions(text, f)} for n, k, f in places],
        "quantities": [{"value": v, "unit": u, "text": p, "qualifier": q, "mention": _phrase(text, p)}
                       for p, v, u, q in quantities],
        "dates": [{"text": p, "value": v, "granularity": g, "relative": False, "mention": _phrase(text, p)}
                  for p, v, g in dates],
        "event": event,
        "warnings": [],
    }
    return EventReport.model_validate(data, context={"text": text})


BMAS = "Bundesministerium für Arbeit und Soziales"

TEXTS = {
    "r1-fachtag-fulda": (
        "Fachtag Berufsausbildung in Fulda: Betriebe suchen Nachwuchs\n"
        "Fulda, 13. Mai 2024. Rund 120 Teilnehmende kamen am 10. Mai 2024 zum Fachtag des "
        "Bundesministeriums für Arbeit und Soziales (BMAS) in die Orangerie. Staatssekretärin "
        "Dr. Anna Beispiel vom BMAS sprach über Ausbildungsplätze im ländlichen Raum. Beispiel "
        "versprach 2,5 Millionen Euro für neue Lehrwerkstätten."
    ),
    "r2-workshop-berlin": (
        "Werkstattgespräch zur Digitalisierung der Verwaltung\n"
        "Berlin, 2. September 2024. Zu einem Workshop des Bundesministeriums für Arbeit und Soziales "
        "trafen sich am 30. August 2024 in Berlin 25 Fachleute aus neun Bundesländern. "
        "Abteilungsleiterin Anna Beispiel stellte die Pläne für die Weiterbildung vor."
    ),
    "r3-pflegekonferenz": (
        "BMAS lädt zur Pflegekonferenz nach Frankfurt am Main\n"
        "Am 30. Januar 2025 diskutierten in Frankfurt am Main 300 Gäste über die Pflegeausbildung. "
        "Das BMAS hatte eingeladen. Thomas Müller, Geschäftsführer der Handwerkskammer Kassel, "
        "forderte mehr Ausbildungsbetriebe."
    ),
    "r4-sommerfest": (
        "Sommerfest im Stadion: Eintracht feiert mit Fans\n"
        "Frankfurt, 1. Juli 2025. Beim Sommerfest der Eintracht Frankfurt Fußball AG begrüßte "
        "Pressesprecher Thomas Müller am 28. Juni 2025 über 5000 Besucherinnen und Besucher in Frankfurt."
    ),
    "r5-netzwerktreffen": (
        "Netzwerktreffen der Handwerkskammer Kassel\n"
        "Kassel, 20. November 2023. Hauptgeschäftsführer Thomas Müller von der Handwerkskammer Kassel "
        "(HWK) begrüßte 40 Mitglieder. Die HWK will die Ausbildung im Handwerk stärken."
    ),
}


def archive() -> list[EventReport]:
    """Five reports: BMAS in long form, inflected and bare acronym; one Anna Beispiel with two
    roles over time; two different Thomas Müller; Frankfurt and Frankfurt am Main."""
    t = TEXTS
    return [
        record("r1-fachtag-fulda", t["r1-fachtag-fulda"], published="2024-05-13",
               persons=[("Anna Beispiel", ["Staatssekretärin"], BMAS, ["Dr."], ["Anna Beispiel", "Beispiel"])],
               orgs=[(BMAS, "BMAS", ["Bundesministeriums für Arbeit und Soziales", "BMAS"])],
               places=[("Fulda", "city", ["Fulda"])],
               quantities=[("Rund 120 Teilnehmende", 120, "Teilnehmende", "Rund"),
                           ("2,5 Millionen Euro", 2500000.0, "Euro", None)],
               dates=[("13. Mai 2024", "2024-05-13", "day"), ("10. Mai 2024", "2024-05-10", "day")],
               event={"name": "Fachtag Berufsausbildung", "type": "Fachtag", "topic": None, "location": "Fulda",
                      "start": "2024-05-10", "end": "2024-05-10", "participants": 120, "organisers": [BMAS]}),
        record("r2-workshop-berlin", t["r2-workshop-berlin"], published="2024-09-02",
               persons=[("Anna Beispiel", ["Abteilungsleiterin"], None, [], ["Anna Beispiel"])],
               orgs=[(BMAS, None, ["Bundesministeriums für Arbeit und Soziales"])],
               places=[("Berlin", "city", ["Berlin"])],
               quantities=[("25 Fachleute", 25, "Fachleute", None), ("neun Bundesländern", 9, "Bundesländern", None)],
               dates=[("30. August 2024", "2024-08-30", "day")],
               event={"name": None, "type": "Workshop", "topic": "Digitalisierung der Verwaltung", "location": "Berlin",
                      "start": "2024-08-30", "end": None, "participants": 25, "organisers": [BMAS]}),
        record("r3-pflegekonferenz", t["r3-pflegekonferenz"], published="2025-02-01",
               persons=[("Thomas Müller", ["Geschäftsführer"], "Handwerkskammer Kassel", [], ["Thomas Müller"])],
               orgs=[("BMAS", None, ["BMAS"]), ("Handwerkskammer Kassel", None, ["Handwerkskammer Kassel"])],
               places=[("Frankfurt am Main", "city", ["Frankfurt am Main"])],
               quantities=[("300 Gäste", 300, "Gäste", None)],
               dates=[("30. Januar 2025", "2025-01-30", "day")],
               event={"name": "Pflegekonferenz", "type": "Konferenz", "topic": None, "location": "Frankfurt am Main",
                      "start": "2025-01", "end": None, "participants": 300, "organisers": ["BMAS"]}),
        record("r4-sommerfest", t["r4-sommerfest"], published="2025-07-01",
               persons=[("Thomas Müller", ["Pressesprecher"], "Eintracht Frankfurt Fußball AG", [], ["Thomas Müller"])],
               orgs=[("Eintracht Frankfurt Fußball AG", None, ["Eintracht Frankfurt Fußball AG"])],
               places=[("Frankfurt", "city", ["re:Frankfurt(?! Fußball)"])],
               quantities=[("über 5000 Besucherinnen und Besucher", 5000, "Besucherinnen und Besucher", "über")],
               dates=[("28. Juni 2025", "2025-06-28", "day")],
               event={"name": "Sommerfest", "type": "Sommerfest", "topic": None, "location": "Frankfurt",
                      "start": "2025-06-28", "end": None, "participants": 5000, "organisers": []}),
        record("r5-netzwerktreffen", t["r5-netzwerktreffen"], published="2023-11-20",
               persons=[("Thomas Müller", ["Hauptgeschäftsführer"], "Handwerkskammer Kassel", [], ["Thomas Müller"])],
               orgs=[("Handwerkskammer Kassel", "HWK", ["Handwerkskammer Kassel", "HWK"])],
               places=[("Kassel", "city", ["re:(?<!kammer )Kassel"])],
               quantities=[("40 Mitglieder", 40, "Mitglieder", None)],
               dates=[("20. November 2023", "2023-11-20", "day")],
               event={"name": None, "type": "Netzwerktreffen", "topic": None, "location": "Kassel",
                      "start": None, "end": None, "participants": 40, "organisers": ["Handwerkskammer Kassel"]}),
    ]


def write_jsonl(path: Path, reports: list[EventReport], extra_lines: dict[int, str] | None = None) -> Path:
    """Records as JSON Lines; `extra_lines` inserts raw lines before the given 0-based record index."""
    lines = []
    for n, report in enumerate(reports):
        if extra_lines and n in extra_lines:
            lines.append(extra_lines[n])
        lines.append(report.model_dump_json())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_texts(folder: Path) -> Path:
    """The source texts as .txt files named by doc_id (as `eventfacts batch` reads them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in TEXTS.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return folder


def record_dicts(reports: list[EventReport]) -> list[dict[str, Any]]:
    return [json.loads(r.model_dump_json()) for r in reports]
