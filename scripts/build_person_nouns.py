#!/usr/bin/env python3
"""Build extractor/resources/de/person_nouns.jsonl.gz: nouns for people by what they do, from Wiktionary.

A masculine noun whose feminine "-in" form is also a German Wiktionary noun names a person by a
job, office or activity ("Kommandant"/"Kommandantin", "Physiker"/"Physikerin", "Kassier"/"Kassierin").
Those pairs become role nouns beside the hand-written `role_nouns.jsonl` (which wins where both list a
lemma). Left out: demonyms ("Berliner", "Italiener"), attendee nouns, nouns for people by
relation or circumstance rather than function (EXCLUDED), and frequent surnames (Faker's German,
Austrian and Swiss surname lists): "Fischer", "Müller", "Schneider" are far more often names than
jobs in a report, and a role noun cannot be a surname to the person rules.

Source: german-nouns (German Wiktionary, CC BY-SA 4.0); the derived file keeps that licence.
Needs at build time only: `pip install german-nouns faker` (both in the `lexicons` extra). Run:

    python scripts/build_person_nouns.py
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "extractor" / "resources" / "de" / "person_nouns.jsonl.gz"

# People by relation, origin, age or circumstance: not a role a report gives a person.
EXCLUDED = set("""
Freund Nachbar Kollege Mitbürger Bürger Einwohner Besucher Teilnehmer Zuschauer Gast Kunde Patient Schüler
Student Enkel Urenkel Cousin Neffe Nachfolger Vorgänger Gegner Partner Ehepartner Lebenspartner Fan Anhänger
Mensch Zeitgenosse Landsmann Gatte Verlobte Bräutigam Witwer Single Erbe Bewohner Anwohner Insasse Flüchtling
Migrant Ausländer Inländer Fremde Christ Jude Moslem Muslim Katholik Protestant Heide Atheist Laie Kranke
Deutsche Europäer Afrikaner Asiate Amerikaner Araber Türke Russe Pole Franzose Brite Engländer Schotte Ire
Grieche Spanier Portugiese Italiener Niederländer Belgier Schweizer Österreicher Däne Schwede Norweger Finne
Ungar Tscheche Slowake Kroate Serbe Rumäne Bulgare Ukrainer Chinese Japaner Inder Kurde Syrer Iraner
Sieger Verlierer Gewinner Held Liebling Star Genosse Kamerad Gefährte Begleiter Bekannte Verwandte Fremdling
Nutzer Benutzer User Leser Hörer Käufer Verbraucher Konsument Kandidat Bewerber Interessent Absolvent
Einsteiger Anfänger Neuling Bauherr Eigentümer Mieter Vermieter Pächter Halter Fahrer Beifahrer Fußgänger
Radfahrer Autofahrer Wähler Spender Empfänger Sender Bote Täter Opfer Zeuge Verdächtige Angeklagte
Herr Graf Freiherr Baron Prinz Fürst
""".split())
# German lemmas whose "-in" form is no feminine person noun ("Termin" from "Term", "Kamin").
MIN_LEMMA = 4


def _feminine(lemma: str) -> list[str]:
    """Candidate feminine forms: "Physiker" -> "Physikerin", "Kollege" -> "Kollegin", "Arzt" -> "Ärztin"."""
    out = [lemma + "in"]
    if lemma.endswith("e"):
        out.append(lemma[:-1] + "in")
    for plain, umlaut in (("a", "ä"), ("o", "ö"), ("u", "ü")):
        i = lemma.rfind(plain)
        if i >= 0:
            out.append(lemma[:i] + umlaut + lemma[i + 1:] + "in")
    return out


def _surnames() -> set[str]:
    import importlib

    names: set[str] = set()
    for locale in ("de_DE", "de_AT", "de_CH"):
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        names.update(getattr(provider, "last_names", ()))
    if not names:
        raise SystemExit("faker's German surname lists are needed: pip install faker")
    return names


def build() -> list[dict]:
    import german_nouns

    path = Path(german_nouns.__path__[0]) / "nouns.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["pos"] == "Substantiv"]
    genus = {}
    plural = {}
    for r in rows:
        genus.setdefault(r["lemma"], r["genus"])
        plural.setdefault(r["lemma"], r.get("nominativ plural") or r.get("nominativ plural 1") or "")
    places = set()
    with (ROOT / "extractor" / "resources" / "de" / "places.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            places.update(json.loads(line).get("forms") or [])
    attendees = set()
    with (ROOT / "extractor" / "resources" / "de" / "attendee_nouns.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            attendees.add(json.loads(line)["lemma"])
    surnames = _surnames()
    entries = []
    for lemma, g in genus.items():
        if lemma in surnames:
            continue
        if g != "m" or len(lemma) < MIN_LEMMA or not lemma[:1].isupper() or " " in lemma or "-" in lemma:
            continue
        if lemma in EXCLUDED or lemma in attendees or any(lemma.endswith(x) for x in EXCLUDED if len(x) > 5):
            continue
        if lemma.endswith("er") and (lemma[:-2] in places or lemma[:-3] in places or lemma[:-2] + "en" in places):
            continue  # demonym: "Berliner", "Bremer", "Italiener"
        fem = next((f for f in _feminine(lemma) if genus.get(f) == "f"), None)
        if fem is None:
            continue
        entries.append({"lemma": lemma, "feminine": fem, "plural": plural.get(lemma) or lemma, "kind": "profession"})
    entries.sort(key=lambda e: e["lemma"])
    return entries


def main() -> int:
    entries = build()
    text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{OUT.name}: {len(entries)} person nouns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
