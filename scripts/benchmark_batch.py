"""Benchmark `eventfacts batch`: 1 and 2 process workers and the Dask engine against spaCy's floor.

Builds an archive of at least 5,000 documents from the annotated corpus (ids made unique),
runs it through `run_batch` with each engine, and prints a Markdown table of words/s,
documents/s, start-up time (pipeline loading), peak memory of the largest worker process
(sampled with psutil) and the ratio to `spacy.blank("de")` alone on the same texts.

With --tiny the archive is N one-sentence documents written for this benchmark (the case where
per-task overhead dominates), and `eventfacts extract` on the same file is timed beside the
process engine; --repeat N runs every engine N times and reports the median wall time.

Usage: python scripts/benchmark_batch.py [--docs 5000] [--model default] [--keep DIR]
       python scripts/benchmark_batch.py --tiny --docs 20000 [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from extractor.batch import BatchConfig, run_batch  # noqa: E402


@dataclass
class Row:
    name: str
    workers: int
    documents: int
    words: int
    seconds: float
    startup: float
    peak_worker_mb: float | None

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds

    @property
    def steady_words_per_second(self) -> float:
        # Without the start-up (pipeline loading in the workers, cluster start).
        return self.words / max(self.seconds - self.startup, 1e-9)


def build_archive(path: Path, n_docs: int) -> tuple[int, list[str]]:
    """Copies of the annotated reports with unique ids, until n_docs documents."""
    sources = []
    for name in sorted((REPO / "corpus" / "annotated").glob("*.jsonl")):
        for line in name.read_text(encoding="utf8").splitlines():
            if line.strip():
                row = json.loads(line)
                sources.append({"id": row["id"], "text": row["text"], "published": row.get("published")})
    texts: list[str] = []
    with open(path, "w", encoding="utf8") as handle:
        for k in range(n_docs):
            row = sources[k % len(sources)]
            record = {"id": f"{row['id']}-{k:05d}", "text": row["text"], "published": row["published"]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            texts.append(row["text"])
    return sum(len(t.split()) for t in texts), texts


TINY_CITIES = ["Fulda", "Kassel", "Gera", "Cottbus", "Lüneburg", "Rosenheim", "Bruchsal", "Oldenburg"]
TINY_EVENTS = ["Fachtag", "Workshop", "Netzwerktreffen", "Empfang", "Festakt"]


def build_tiny_archive(path: Path, n_docs: int) -> tuple[int, list[str]]:
    """n_docs documents of one invented sentence each (about 70 characters)."""
    texts = []
    with open(path, "w", encoding="utf8") as handle:
        for k in range(n_docs):
            text = (f"Rund {k % 90 + 10} Gäste kamen am Dienstag zum {TINY_EVENTS[k % len(TINY_EVENTS)]} "
                    f"in {TINY_CITIES[k % len(TINY_CITIES)]}.")
            handle.write(json.dumps({"id": f"kurz-{k:06d}", "text": text}, ensure_ascii=False) + "\n")
            texts.append(text)
    return sum(len(t.split()) for t in texts), texts


class PeakMemory:
    """Largest resident set of any descendant process, sampled every 0.2 s (psutil)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        me = psutil.Process()
        while not self._stop.wait(0.2):
            for child in me.children(recursive=True):
                try:
                    self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    pass


def run_engine(name: str, archive: Path, out: Path, config: BatchConfig) -> Row:
    with PeakMemory() as memory:
        summary = run_batch([str(archive)], out, config)
    if summary.errors:
        print(f"warning: {name}: {summary.errors} errors", file=sys.stderr)
    peak = memory.peak / 2**20 if memory.peak else None
    return Row(name, config.n_workers(), summary.records, summary.words, summary.seconds, summary.startup_seconds, peak)


def run_extract(archive: Path, out: Path, model: str, words: int, documents: int) -> Row:
    """`eventfacts extract` on the archive, in a process of its own (model loading included)."""
    with PeakMemory() as memory:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(archive), "-o", str(out), "--model", model, "-q"],
                       cwd=REPO, check=True)
        seconds = time.perf_counter() - started
    return Row("eventfacts extract (one process)", 1, documents, words, seconds, 0.0, memory.peak / 2**20 or None)


def median_row(rows: list[Row]) -> Row:
    """The run with the median wall time."""
    return sorted(rows, key=lambda row: row.seconds)[len(rows) // 2]


def blank_floor(texts: list[str], words: int) -> Row:
    import spacy

    nlp = spacy.blank("de")
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=64):
        pass
    return Row('spacy.blank("de") alone', 1, len(texts), words, time.perf_counter() - started, 0.0, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=5000, help="Documents in the archive (at least 5,000 for the report).")
    parser.add_argument("--model", default="default", help="Pipeline for the workers.")
    parser.add_argument("--batch-size", type=int, default=BatchConfig.batch_size, help="At most this many documents per task.")
    parser.add_argument("--tiny", action="store_true", help="One-sentence documents; also time `eventfacts extract`.")
    parser.add_argument("--dask", action="store_true", help="With --tiny: time the Dask engine too.")
    parser.add_argument("--repeat", type=int, default=1, help="Runs per engine; the median is reported.")
    parser.add_argument("--engines", default=None,
                        help="Comma-separated subset of extract, w1, w2, dask (default: extract,w1,w2 with --tiny, else w1,w2,dask).")
    parser.add_argument("--keep", type=Path, default=None, help="Keep archive and outputs in this directory.")
    args = parser.parse_args()
    chosen = (args.engines or ("extract,w1,w2" + (",dask" if args.dask else "") if args.tiny else "w1,w2,dask")).split(",")
    known: dict[str, tuple[str, BatchConfig | None]] = {
        "extract": ("eventfacts extract (one process)", None),
        "w1": ("processes, --workers 1", BatchConfig(model=args.model, workers=1, batch_size=args.batch_size, overwrite=True)),
        "w2": ("processes, --workers 2", BatchConfig(model=args.model, workers=2, batch_size=args.batch_size, overwrite=True)),
        "dask": ("dask LocalCluster, 2 workers",
                 BatchConfig(model=args.model, workers=2, batch_size=args.batch_size, engine="dask", overwrite=True)),
    }
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(unknown)}; choose from {', '.join(known)}")
    engines = [known[name] for name in chosen]

    workdir = Path(args.keep or tempfile.mkdtemp(prefix="eventfacts-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    archive = workdir / "archive.jsonl"
    words, texts = (build_tiny_archive if args.tiny else build_archive)(archive, args.docs)
    print(f"archive: {args.docs} documents, {words:,} words, {archive.stat().st_size / 2**20:.1f} MB; "
          f"{os.cpu_count()} CPUs", file=sys.stderr)

    floor = blank_floor(texts, words)
    rows = []
    for name, config in engines:
        runs = []
        for attempt in range(args.repeat):
            print(f"running {name} ({attempt + 1}/{args.repeat}) …", file=sys.stderr)
            out = workdir / f"out-{len(rows)}.jsonl"
            if config is None:
                runs.append(run_extract(archive, out, args.model, words, args.docs))
            else:
                runs.append(run_engine(name, archive, out, config))
            print(f"  {runs[-1].seconds:,.1f} s", file=sys.stderr)
        rows.append(median_row(runs))

    main_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print("| engine | workers | documents | wall s | start-up s | words/s | documents/s | words/s after start-up | "
          "peak RSS per worker | vs. blank(\"de\") |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        peak = f"{row.peak_worker_mb:,.0f} MB" if row.peak_worker_mb else "–"
        print(f"| {row.name} | {row.workers} | {row.documents:,} | {row.seconds:,.1f} | {row.startup:,.1f} | "
              f"{row.words_per_second:,.0f} | {row.documents / row.seconds:,.1f} | {row.steady_words_per_second:,.0f} | "
              f"{peak} | {row.steady_words_per_second / floor.words_per_second:.3f} |")
    print(f"| {floor.name} | 1 | {floor.documents:,} | {floor.seconds:,.1f} | – | {floor.words_per_second:,.0f} | "
          f"{floor.documents / floor.seconds:,.1f} | {floor.words_per_second:,.0f} | – | 1.000 |")
    print()
    print(f"{words:,} words in {args.docs:,} documents; batch size {args.batch_size}; median of {args.repeat} run(s); "
          f"the calling process peaked at "
          f"{main_peak_mb:,.0f} MB (it reads, dispatches and writes); ratios use words/s after start-up.")


if __name__ == "__main__":
    main()
