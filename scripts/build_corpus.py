"""Build corpus/annotated/{train,dev,test}.jsonl from corpus/source/*.json.

Usage: python scripts/build_corpus.py [--source DIR] [--out DIR]
The logic lives in corpus/build_gold.py; this wrapper only parses arguments and reports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.build_gold import GoldBuildError, build_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "corpus" / "source")
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "annotated")
    args = parser.parse_args(argv)
    try:
        counts = build_corpus(args.source, args.out)
    except GoldBuildError as exc:
        print(exc, file=sys.stderr)
        print("Nothing written. Fix the reports named above and run again.", file=sys.stderr)
        return 1
    summary = ", ".join(f"{split}: {n}" for split, n in counts.items())
    print(f"Wrote {args.out}/{{train,dev,test}}.jsonl ({summary})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
