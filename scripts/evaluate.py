"""Evaluate the pipeline against gold: `python scripts/evaluate.py GOLD.jsonl [--pred P] [--json] [--errors] [--compare B]`.

The same command as `eventfacts evaluate`; the logic lives in extractor/evaluation/ and
extractor/cli/evaluate.py, this wrapper only makes the repository importable.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import typer  # noqa: E402

from extractor.cli.evaluate import evaluate_command  # noqa: E402

if __name__ == "__main__":
    typer.run(evaluate_command)
