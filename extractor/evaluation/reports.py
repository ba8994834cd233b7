"""Comparing evaluation outputs and rendering them as Markdown (strings only, no printing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extractor.evaluation.spans import SCHEMES

# --- comparison and rendering (strings only) ---------------------------------------------------


@dataclass(frozen=True)
class Delta:
    """Change of one F1 between a baseline and the current run."""

    name: str
    baseline: float | None
    current: float | None

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


def _f1_table(result: dict[str, Any]) -> dict[str, float]:
    rows: dict[str, float] = {}
    for label, schemes in result.get("spans", {}).get("labels", {}).items():
        rows[f"spans:{label} (strict)"] = schemes["strict"]["f1"]
    for avg in ("micro", "macro"):
        if avg in result.get("spans", {}):
            rows[f"spans:{avg} (strict)"] = result["spans"][avg]["strict"]["f1"]
    for name, figures in result.get("fields", {}).items():
        rows[name] = figures["f1"]
    return rows


def compare_results(current: dict[str, Any], baseline: dict[str, Any]) -> list[Delta]:
    """F1 changes per span label (strict), span averages and record field, between two `--json` outputs."""
    now, before = _f1_table(current), _f1_table(baseline)
    names = list(now) + [n for n in before if n not in now]
    return [Delta(n, before.get(n), now.get(n)) for n in names]


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def render_markdown(result: dict[str, Any]) -> str:
    """Markdown tables of an `Evaluation.to_dict()` result."""
    out = [f"# Evaluation: {result['documents']} documents "
           f"({result['record_documents']} with record-level gold)", "", "## Spans (SemEval-2013 9.1)", ""]
    out.append("| label | " + " | ".join(f"{s} P | {s} R | {s} F1" for s in SCHEMES) + " | support |")
    out.append("|---|" + "---:|" * (3 * len(SCHEMES) + 1))
    spans = result["spans"]
    rows = [(label, spans["labels"][label]) for label in spans["labels"]]
    rows += [("**micro**", spans["micro"]), ("**macro**", spans["macro"])]
    for name, schemes in rows:
        cells = [f"{schemes[s]['precision']:.3f} | {schemes[s]['recall']:.3f} | {schemes[s]['f1']:.3f}" for s in SCHEMES]
        support = schemes["strict"].get("possible", "")
        out.append(f"| {name} | " + " | ".join(cells) + f" | {support} |")
    out += ["", "## Record fields", "", "| field | P | R | F1 | tp | fp | fn |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, f in result["fields"].items():
        out.append(f"| {name} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | {f['tp']} | {f['fp']} | {f['fn']} |")
    return "\n".join(out) + "\n"


def render_errors(errors: list[dict[str, Any]]) -> str:
    """Markdown list of errors grouped by field (span labels first)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for e in errors:
        groups.setdefault(e["field"], []).append(e)
    out = ["## Errors", ""]
    for name in sorted(groups, key=lambda n: (not n.startswith("span:"), n)):
        out += [f"### {name} ({len(groups[name])})", ""]
        for e in groups[name]:
            where = f" — “{e['sentence']}”" if e.get("sentence") else ""
            out.append(f"- {e['kind']} `{e['doc_id']}`: {e['value']}{where}")
        out.append("")
    return "\n".join(out)


def render_comparison(deltas: list[Delta]) -> str:
    """Markdown table of F1 changes, signed (+0.012 / -0.034)."""
    out = ["## Change against baseline (F1)", "", "| field | baseline | now | change |", "|---|---:|---:|---:|"]
    for d in deltas:
        change = "–" if d.delta is None else f"{d.delta:+.3f}"
        out.append(f"| {d.name} | {_pct(d.baseline)} | {_pct(d.current)} | {change} |")
    return "\n".join(out) + "\n"

