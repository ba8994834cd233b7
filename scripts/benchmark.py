"""Speed and memory of the full pipeline on the annotated corpus texts (a benchmark, not a test).

    python scripts/benchmark.py [--model default] [--repeat 5]

Reports words/s and documents/s of `Extractor.pipe` on one process, the same texts through
`spacy.blank("de")` alone as the floor, and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.api import Extractor  # noqa: E402


def _texts(repeat: int) -> list[str]:
    texts = []
    for split in ("train", "dev", "test"):
        for line in (ROOT / "corpus" / "annotated" / f"{split}.jsonl").open(encoding="utf8"):
            texts.append(json.loads(line)["text"])
    return texts * repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help="pipeline to measure (default: the embedded default)")
    parser.add_argument("--repeat", type=int, default=5, help="how often the corpus texts are repeated")
    args = parser.parse_args()

    texts = _texts(args.repeat)
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    extractor = Extractor(args.model)
    load_s = time.perf_counter() - t0
    extractor.extract(texts[0])  # warm-up: lazy lexicons, dateparser's German data

    t0 = time.perf_counter()
    n = sum(1 for _ in extractor.pipe(texts, batch_size=64))
    pipe_s = time.perf_counter() - t0

    blank = spacy.blank("de")
    t0 = time.perf_counter()
    for _ in blank.pipe(texts, batch_size=64):
        pass
    blank_s = time.perf_counter() - t0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "model": extractor.info.base,
        "documents": n,
        "words": words,
        "load_seconds": round(load_s, 2),
        "pipeline_words_per_s": round(words / pipe_s),
        "pipeline_docs_per_s": round(n / pipe_s, 1),
        "blank_words_per_s": round(words / blank_s),
        "ratio_to_blank": round(blank_s / pipe_s, 3),
        "peak_rss_mb": round(peak_mb),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
