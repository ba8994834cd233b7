"""Benchmark of the search index (issue 12 targets) on a generated archive of 100,000 reports.

    python scripts/benchmark_index.py                    # 100,000 reports, writes build/bench-index/
    python scripts/benchmark_index.py --reports 20000 --json

1. Base records: `eventfacts extract` over our own corpus texts (corpus/annotated, corpus/samples),
   once (cached in the output folder).
2. A generated archive: copies of the base records with other persons, organisations, places and
   dates (a seeded random choice from pools, skewed so that some recur in thousands of reports,
   as ministries and big cities do), and their texts with the same names replaced.
3. Measures: indexing records/s from JSONL (facts only, one process; with entity resolution),
   the database size against the JSONL size, the same with the texts in the full-text index,
   search with a text query and two filters (p50/p95 over many queries, median of 3 rounds),
   entity lookup (Index.entity) p50/p95.

Targets: >= 5,000 records/s; database <= 2x the JSONL; search p95 < 50 ms; entity lookup p95 < 10 ms.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.index import Index, index_files  # noqa: E402

RESOURCES = ROOT / "extractor" / "resources" / "de"
SURNAME_STEMS = ("Berg Wald Stein Hof Brück Lind Kirch Feld Bach Haus Linden Roth Schön Hart Eck Kühn Wein Rosen "
                 "Sommer Winter Busch Graf Fuchs Wolf Adler Falk Kessel Mühl Thal Hage").split()
SURNAME_ENDS = "mann er hofer meier bauer ner ert inger rich ke hagen feld huber ler wald".split()
QUERY_WORDS = ("Ausbildung Digitalisierung Pflege Fachkräfte Weiterbildung Handwerk Integration Klima Netzwerk "
               "Inklusion Forschung Gesundheit Schule Energie Mobilität Ehrenamt").split()


def base_records(out: Path) -> Path:
    """Records of our own corpus texts, extracted once with the embedded default pipeline."""
    facts = out / "base_facts.jsonl"
    if not facts.exists():
        inputs = [str(ROOT / "corpus" / "annotated"), str(ROOT / "corpus" / "samples")]
        subprocess.run([sys.executable, "-m", "extractor.cli", "extract", *inputs, "-o", str(facts),
                        "--model", "default", "-q"], check=True, cwd=ROOT)
    return facts


def base_texts() -> dict[str, str]:
    texts = {}
    for path in sorted((ROOT / "corpus" / "annotated").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts[row["id"]] = row["text"]
    for path in sorted((ROOT / "corpus" / "samples").glob("*.txt")):
        texts[path.stem] = path.read_text(encoding="utf-8")
    return texts


class Varier:
    """Seeded choices of names, places and date shifts, skewed so some values recur very often."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        with gzip.open(RESOURCES / "first_names.jsonl.gz", "rt", encoding="utf-8") as handle:
            firsts = [json.loads(line)["name"] for line in handle]
        self.rng.shuffle(firsts)
        surnames = [s + e for s in SURNAME_STEMS for e in SURNAME_ENDS]
        self.persons = [f"{self.rng.choice(firsts[:3000])} {self.rng.choice(surnames)}" for _ in range(40_000)]
        places = [json.loads(line) for line in (RESOURCES / "places.jsonl").read_text(encoding="utf-8").splitlines()]
        cities = sorted((p for p in places if p.get("kind") == "city" and p.get("country") == "DE"),
                        key=lambda p: -(p.get("population") or 0))
        self.cities = [p["name"] for p in cities[:1200]]

    def skewed(self, pool: list[str]) -> str:
        # rank ~ u^3: the first entries are drawn far more often (a long tail, as in real archives).
        return pool[int(len(pool) * self.rng.random() ** 3)]

    def shift(self, value: str | None, days: int) -> str | None:
        if not value:
            return value
        import datetime as dt

        def move(match: re.Match[str]) -> str:
            day = dt.date.fromisoformat(match.group(0)) + dt.timedelta(days=days)
            return day.isoformat()

        return re.sub(r"\d{4}-\d{2}-\d{2}", move, value)


def vary(base: dict[str, Any], text: str, copy: int, varier: Varier) -> tuple[dict[str, Any], str]:
    rng = varier.rng
    rec = json.loads(json.dumps(base))
    rec["doc_id"] = f"{base['doc_id']}-{copy:06d}"
    renames: dict[str, str] = {}
    for person in rec["persons"]:
        new = varier.skewed(varier.persons)
        renames[person["name"]] = new
        person["name"] = new
    for org in rec["organisations"]:
        if rng.random() < 0.5:  # half keep their name: ministries and chambers recur everywhere
            new = f"{org['name']} {varier.skewed(varier.cities)}" if " " in org["name"] else org["name"]
            renames[org["name"]] = new
            org["name"] = new
    for place in rec["locations"]:
        new = varier.skewed(varier.cities)
        renames[place["name"]] = new
        place["name"] = new
    for person in rec["persons"]:
        if person.get("organisation") in renames:
            person["organisation"] = renames[person["organisation"]]
    days = rng.randrange(-3000, 300)
    rec["published"] = varier.shift(rec["published"], days)
    for date in rec["dates"]:
        date["value"] = varier.shift(date["value"], days)
    if rec["event"]:
        event = rec["event"]
        event["start"], event["end"] = varier.shift(event["start"], days), varier.shift(event["end"], days)
        event["location"] = renames.get(event["location"], event["location"])
        event["organisers"] = [renames.get(o, o) for o in event["organisers"]]
    for old, new in sorted(renames.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(old, new)
    return rec, text


def generate(out: Path, reports: int, seed: int) -> tuple[Path, Path]:
    facts_path, texts_path = out / f"facts_{reports}.jsonl", out / f"texts_{reports}.jsonl"
    if facts_path.exists() and texts_path.exists():
        return facts_path, texts_path
    bases = [json.loads(line) for line in base_records(out).read_text(encoding="utf-8").splitlines()]
    texts = base_texts()
    varier = Varier(seed)
    with facts_path.open("w", encoding="utf-8") as facts, texts_path.open("w", encoding="utf-8") as text_out:
        for n in range(reports):
            base = bases[n % len(bases)]
            rec, text = vary(base, texts.get(base["doc_id"], ""), n, varier)
            facts.write(json.dumps(rec, ensure_ascii=False) + "\n")
            text_out.write(json.dumps({"id": rec["doc_id"], "text": text}, ensure_ascii=False) + "\n")
    return facts_path, texts_path


def db_size(db: Path) -> int:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db.stat().st_size + sum(p.stat().st_size for p in db.parent.glob(db.name + "-*"))


def build(db: Path, facts: Path, texts: Path | None) -> dict[str, float]:
    for old in db.parent.glob(db.name + "*"):
        old.unlink()
    cpu = time.process_time()
    stats = index_files(db, [str(facts)], texts=[str(texts)] if texts else ())
    cpu = time.process_time() - cpu
    ingest = stats.seconds - stats.resolve_seconds
    return {"seconds": stats.seconds, "cpu_seconds": cpu, "records": stats.records,
            "records_per_second": stats.records / stats.seconds,
            "ingest_seconds": ingest, "ingest_records_per_second": stats.records / ingest,
            "resolve_seconds": stats.resolve_seconds, "resolved_mentions": stats.resolved_mentions,
            "mentions_per_second": stats.resolved_mentions / stats.resolve_seconds if stats.resolve_seconds else 0,
            "errors": len(stats.errors), "size": db_size(db)}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def search_queries(index: Index, rng: random.Random, count: int) -> list[dict[str, Any]]:
    """A text query and two filters each, with values that exist in the index."""
    conn = index.conn
    places = [r[0] for r in conn.execute("SELECT name FROM places GROUP BY name ORDER BY COUNT(*) DESC LIMIT 300")]
    orgs = [r[0] for r in conn.execute("SELECT name FROM organisations GROUP BY name ORDER BY COUNT(*) DESC LIMIT 300")]
    types = [r[0] for r in conn.execute("SELECT DISTINCT event_type FROM reports WHERE event_type IS NOT NULL")]
    persons = [r[0] for r in conn.execute("SELECT name FROM persons GROUP BY name ORDER BY COUNT(*) DESC LIMIT 300")]
    filters = [
        lambda: {"place": rng.choice(places), "date_from": str(rng.randrange(2016, 2025))},
        lambda: {"org": rng.choice(orgs), "type": rng.choice(types)},
        lambda: {"person": rng.choice(persons), "date_to": str(rng.randrange(2018, 2026))},
        lambda: {"type": rng.choice(types), "date_from": f"{rng.randrange(2016, 2025)}-06"},
        lambda: {"org": rng.choice(orgs), "role": rng.choice(["leiter", "präsident", "geschäftsführer", "referent"])},
    ]
    return [{"query": rng.choice(QUERY_WORDS), **rng.choice(filters)()} for _ in range(count)]


def time_calls(calls: list[Any], rounds: int = 3) -> dict[str, float]:
    p50s, p95s = [], []
    for _ in range(rounds):
        samples = []
        for call in calls:
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
        p50, p95 = percentiles(samples)
        p50s.append(p50)
        p95s.append(p95)
    return {"p50_ms": statistics.median(p50s), "p95_ms": statistics.median(p95s), "calls": len(calls), "rounds": rounds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-index")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--skip-texts", action="store_true", help="Do not build the index with texts.")
    parser.add_argument("--reuse", action="store_true",
                        help="Measure the queries on the databases a previous run built (no indexing figures).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    facts, texts = generate(args.out, args.reports, args.seed)
    result: dict[str, Any] = {"load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
                              "reports": args.reports, "jsonl_bytes": facts.stat().st_size,
                              "texts_jsonl_bytes": texts.stat().st_size}
    db = args.out / ("facts.sqlite" if args.skip_texts else "texts.sqlite")
    if not args.reuse:
        result["facts_only"] = build(args.out / "facts.sqlite", facts, None)
        result["facts_only"]["size_vs_jsonl"] = result["facts_only"]["size"] / result["jsonl_bytes"]
        if not args.skip_texts:
            result["with_texts"] = build(db, facts, texts)
    rng = random.Random(args.seed)
    with Index(db) as index:
        queries = search_queries(index, rng, args.queries)
        for q in queries[:20]:  # warm the page cache
            index.search(**q)
        result["search"] = time_calls([lambda q=q: index.search(**q) for q in queries])
        result["search"]["hits_median"] = statistics.median(len(index.search(**q)) for q in queries[:100])
        ids = [r[0] for r in index.conn.execute("SELECT entity_id FROM entities")]
        sample = [rng.choice(ids) for _ in range(args.queries)]
        result["entity_lookup"] = time_calls([lambda e=e: index.entity(e) for e in sample])
        result["entities_top"] = time_calls([lambda: index.entities(top=20)] * 20)
        result["entities"] = len(ids)
    result["db"] = str(db)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"load average before: {result['load_before']}")
    print(f"{args.reports:,} reports; JSONL {result['jsonl_bytes'] / 1e6:.1f} MB; {result['entities']:,} entities")
    fo = result.get("facts_only")
    if fo:
        # CPU time is what one core spends; wall time also counts the other jobs of a shared machine.
        print(f"index (facts): {fo['seconds']:.1f} s (CPU {fo['cpu_seconds']:.1f} s = "
              f"{fo['records'] / fo['cpu_seconds']:,.0f} records/s of CPU) = {fo['records_per_second']:,.0f} "
              f"records/s end to end; ingest {fo['ingest_seconds']:.1f} s = {fo['ingest_records_per_second']:,.0f} records/s; "
              f"entity resolution {fo['resolve_seconds']:.1f} s for {fo['resolved_mentions']:,} entries "
              f"({fo['mentions_per_second']:,.0f}/s); DB {fo['size'] / 1e6:.1f} MB = {fo['size_vs_jsonl']:.2f}x the JSONL")
    if "with_texts" in result:
        wt = result["with_texts"]
        print(f"index (facts + texts, {result['texts_jsonl_bytes'] / 1e6:.1f} MB of texts): {wt['seconds']:.1f} s = "
              f"{wt['records_per_second']:,.0f} records/s; DB {wt['size'] / 1e6:.1f} MB")
    for name in ("search", "entity_lookup", "entities_top"):
        r = result[name]
        print(f"{name}: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms ({r['calls']} calls x {r['rounds']} rounds)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
