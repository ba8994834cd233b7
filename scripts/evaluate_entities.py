"""Score entity resolution against the cluster gold: B-cubed precision and recall per kind.

    python scripts/evaluate_entities.py                       # corpus + real dev split
    python scripts/evaluate_entities.py --split test          # corpus + real test split
    python scripts/evaluate_entities.py --set real --split all --errors
    python scripts/evaluate_entities.py --set real --pred real-pred.jsonl   # the pipeline's records

The gold records' names go to `resolve` (`extractor/index/entities/`) and its entity ids are compared
with `corpus/entities/{corpus,real}.json`. `--split` chooses the real reports (corpus/real/index.jsonl);
the corpus is scored whole. With `--pred`, the mentions of predicted records (EventReport JSONL) are
resolved instead, and scored where they match a gold mention of the same report.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import typer  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from extractor.evaluation.real_records import RealGoldError, load_gold_dir  # noqa: E402
from extractor.index.entities import mentions_from_report, resolve  # noqa: E402
from extractor.index.entities.scoring import (  # noqa: E402
    ClusterGoldError,
    align_predicted,
    bcubed,
    gold_mentions_corpus,
    gold_mentions_real,
    load_clusters,
)
from models import EventReport  # noqa: E402
from models.entities import EntityMention  # noqa: E402

ENTITIES = ROOT / "corpus" / "entities"


def _real_ids(split: str) -> Optional[set[str]]:
    from corpus import real

    if split == "all":
        return None
    return {e.id for e in real.read_index(ROOT / "corpus" / "real" / "index.jsonl") if e.split == split}


def _gold(set_name: str, split: str) -> tuple[list[EntityMention], dict[str, str]]:
    if set_name == "corpus":
        mentions = gold_mentions_corpus(sorted((ROOT / "corpus" / "annotated").glob("*.jsonl")))
        return mentions, load_clusters(ENTITIES / "corpus.json", mentions)
    mentions = gold_mentions_real(load_gold_dir(ROOT / "corpus" / "real" / "gold"))
    clusters = load_clusters(ENTITIES / "real.json", mentions)
    ids = _real_ids(split)
    if ids is not None:
        mentions = [m for m in mentions if m.doc_id in ids]
        clusters = {m.mention_key: clusters[m.mention_key] for m in mentions}
    return mentions, clusters


def _predicted(path: Path, docs: set[str]) -> list[EntityMention]:
    found: list[EntityMention] = []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                report = EventReport.model_validate_json(line)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                raise ClusterGoldError([f"{path}:{number}: not an EventReport ({where + ': ' if where else ''}{first['msg']})"]) from None
            if report.doc_id in docs:
                found += mentions_from_report(report)
    return found


def _errors(mentions: list[EntityMention], gold: dict[str, str], assigned: dict[str, str], reasons: dict[str, str],
            names: dict[str, str]) -> list[str]:
    """Wrong joins (a predicted entity over several gold ones) and missed joins (a gold entity split)."""
    lines = []
    for label, outer, inner in (("joined wrongly", assigned, gold), ("not joined", gold, assigned)):
        groups: dict[str, dict[str, list[str]]] = {}
        for m in mentions:
            groups.setdefault(outer[m.mention_key], {}).setdefault(inner[m.mention_key], []).append(m.mention_key)
        for parts in groups.values():
            if len(parts) > 1:
                lines.append(f"{label}:")
                for keys in sorted(parts.values()):
                    for k in keys:
                        lines.append(f"  {k:24} {names[k]!r:40} {reasons[k]}")
    return lines


def main(
    set_name: str = typer.Option("both", "--set", help="corpus, real or both."),
    split: str = typer.Option("dev", help="Real reports of this split: dev, test or all."),
    pred: Optional[Path] = typer.Option(None, help="Predicted records (EventReport JSONL) to resolve instead of the gold names."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    errors: bool = typer.Option(False, "--errors", help="List the wrong and the missed joins with their reasons."),
) -> None:
    if set_name not in ("corpus", "real", "both") or split not in ("dev", "test", "all"):
        typer.echo("error: --set is corpus, real or both; --split is dev, test or all", err=True)
        raise typer.Exit(2)
    results = {}
    for name in (("corpus", "real") if set_name == "both" else (set_name,)):
        try:
            mentions, gold = _gold(name, split)
            if pred is not None:
                predicted = _predicted(pred, {m.doc_id for m in mentions})
                aligned = align_predicted(mentions, predicted)
                by_key = {m.mention_key: m for m in mentions}
                scored = [by_key[g] for g in aligned.values()]
                gold = {g: gold[g] for g in aligned.values()}
                resolved = {a.mention_key: a for a in resolve(predicted)}
                assigned = {g: resolved[p].entity_id for p, g in aligned.items()}
                reasons = {g: resolved[p].reason for p, g in aligned.items()}
                names = {g: f"{by_key[g].name} <- {next(m.name for m in predicted if m.mention_key == p)}" for p, g in aligned.items()}
                coverage = {"gold_mentions": len(mentions), "predicted_mentions": len(predicted), "matched": len(aligned)}
            else:
                scored = mentions
                resolved = {a.mention_key: a for a in resolve(mentions)}
                assigned = {k: a.entity_id for k, a in resolved.items()}
                reasons = {k: a.reason for k, a in resolved.items()}
                names = {m.mention_key: m.name for m in mentions}
                coverage = {"gold_mentions": len(mentions)}
        except (ClusterGoldError, RealGoldError, OSError, EOFError, UnicodeDecodeError) as exc:
            for problem in getattr(exc, "problems", None) or [str(exc)]:
                typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(2) from None
        kinds = {m.mention_key: m.kind for m in scored}
        scores = bcubed(gold, assigned, kinds)
        results[name] = {"split": split if name == "real" else "all", **coverage,
                         "scores": {k: s.to_dict() for k, s in scores.items()}}
        if errors:
            results[name]["errors"] = _errors(scored, gold, assigned, reasons, names)
    if as_json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    for name, result in results.items():
        source = "predicted records" if pred else "gold names"
        typer.echo(f"{name} ({'split ' + result['split'] if name == 'real' else 'all reports'}; {source})")
        typer.echo(f"  {'kind':7} {'mentions':>8} {'B3 P':>7} {'B3 R':>7} {'B3 F1':>7} {'gold≥2':>7} "
                   f"{'pred≥2':>7} {'pair P':>7} {'pair R':>7}")
        for kind, s in result["scores"].items():
            typer.echo(f"  {kind:7} {s['mentions']:8d} {s['bcubed_precision']:7.3f} {s['bcubed_recall']:7.3f} "
                       f"{s['bcubed_f1']:7.3f} {s['gold_clusters']:7d} {s['predicted_clusters']:7d} "
                       f"{s['pair_precision']:7.3f} {s['pair_recall']:7.3f}")
        if pred:
            typer.echo(f"  {result['matched']} of {result['predicted_mentions']} predicted mentions match one of "
                       f"{result['gold_mentions']} gold mentions; only those are scored")
        for line in result.get("errors", []):
            typer.echo("  " + line)


if __name__ == "__main__":
    typer.run(main)
