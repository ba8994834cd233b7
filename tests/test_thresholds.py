"""Regression guard: the embedded default pipeline on corpus/annotated/test.jsonl must stay above
the minimums in corpus/thresholds.csv (field,metric,min; see extractor.evaluation.metric_value)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from extractor.evaluation import metric_value, run_evaluation

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus" / "annotated" / "test.jsonl"
THRESHOLDS = ROOT / "corpus" / "thresholds.csv"


def _rows() -> list[tuple[str, str, float]]:
    with THRESHOLDS.open(encoding="utf-8", newline="") as handle:
        return [(row["field"], row["metric"], float(row["min"])) for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    # The embedded default, not 'auto': the minimums describe the pipeline every clone has.
    return run_evaluation(GOLD, model="default").to_dict()


def test_thresholds_file_is_well_formed() -> None:
    rows = _rows()
    assert rows, "corpus/thresholds.csv has no rows"
    assert len({(f, m) for f, m, _ in rows}) == len(rows)
    assert all(0.0 < minimum <= 1.0 for _, _, minimum in rows)


@pytest.mark.parametrize("field,metric,minimum", _rows(), ids=lambda v: str(v))
def test_thresholds_met(figures: dict[str, Any], field: str, metric: str, minimum: float) -> None:
    value = metric_value(figures, field, metric)
    assert value >= minimum, f"{field} {metric} fell to {value:.3f} (minimum {minimum:.2f})"
