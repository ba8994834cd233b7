"""Regression guard on real reports: the embedded default on the real dev split (corpus/real) must
stay above the minimums in corpus/real/thresholds.csv. The texts are third-party and live outside
the repository, so this runs only where they are cached (scripts/real_texts.py status) and is
skipped, with the reason, everywhere else (CI has no texts)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from corpus import real

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = ROOT / "corpus" / "real" / "thresholds.csv"


def _rows() -> list[tuple[str, str, float]]:
    with THRESHOLDS.open(encoding="utf-8", newline="") as handle:
        return [(row["field"], row["metric"], float(row["min"])) for row in csv.DictReader(handle)]


def _dev_texts_missing() -> str | None:
    states = real.status([e for e in real.read_index() if e.split == "dev"])
    bad = [s for s in states if s.state != "ok"]
    if bad:
        return (f"{len(bad)} of {len(states)} real dev texts are not in {real.texts_dir()} as annotated "
                "(third-party texts, not in the repository; see README 'Real reports')")
    return None


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    reason = _dev_texts_missing()
    if reason:
        pytest.skip(reason)
    from extractor.evaluation.real_records import run

    return run(real.GOLD_DIR, real.texts_dir(), split="dev", model="default").to_dict()


def test_real_thresholds_file_is_well_formed() -> None:
    rows = _rows()
    assert rows and len({(f, m) for f, m, _ in rows}) == len(rows)
    assert all(0.0 < minimum <= 1.0 for _, _, minimum in rows)


@pytest.mark.parametrize("field,metric,minimum", _rows(), ids=lambda v: str(v))
def test_real_dev_thresholds_met(figures: dict[str, Any], field: str, metric: str, minimum: float) -> None:
    group = "event" if field.startswith("event_") else "fields"
    value = figures[group][field.removeprefix("event_")][metric]
    assert value >= minimum, f"real dev {field} {metric} fell to {value:.3f} (minimum {minimum:.2f})"
