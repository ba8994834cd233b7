"""Scoring entity resolution against the cluster gold of `corpus/entities/` (see its README).

- `gold_mentions_*` build the mentions of the gold records (our corpus, the real-report gold);
- `load_clusters` reads a cluster file and checks every mention against those records;
- `bcubed` scores predicted entity ids against the gold clusters, per kind and overall, with the
  pairwise link precision and recall beside (stricter: B-cubed counts each mention with itself);
- `align_predicted` maps the mentions of predicted records onto gold mentions of the same report
  (the reader's tolerance of `matching`), so pipeline output can be scored too.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.evaluation import matching
from extractor.index.entities import mentions_from_report
from models import EventReport
from models.entities import EntityMention

KINDS = ("person", "org", "place")


class ClusterGoldError(ValueError):
    """A cluster file that does not fit its records; `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))
        self.problems = problems


# --- the gold records' mentions ------------------------------------------------------------------


def gold_mentions_corpus(paths: Iterable[Path]) -> list[EntityMention]:
    """The mentions of our annotated corpus (the `facts` of each gold line)."""
    from extractor.evaluation.records import read_jsonl

    found: list[EntityMention] = []
    for path in paths:
        for number, line in read_jsonl(path):
            try:
                found += mentions_from_report(EventReport.model_validate(line["facts"]))
            except (KeyError, ValueError) as exc:
                raise ClusterGoldError([f"{path}:{number}: not a gold line ({exc})"]) from exc
    return found


def gold_mentions_real(records: Iterable[dict[str, Any]]) -> list[EntityMention]:
    """The mentions of real-report gold objects (`load_gold_dir`): places there are plain strings."""
    found: list[EntityMention] = []
    for r in records:
        doc, published = r["id"], r.get("published")
        found += [EntityMention(mention_key=f"{doc}:person:{n}", doc_id=doc, kind="person", name=p["name"],
                                roles=list(p.get("roles") or []), organisation=p.get("organisation"), published=published)
                  for n, p in enumerate(r["persons"])]
        found += [EntityMention(mention_key=f"{doc}:org:{n}", doc_id=doc, kind="org", name=o["name"],
                                acronym=o.get("acronym"), published=published) for n, o in enumerate(r["organisations"])]
        found += [EntityMention(mention_key=f"{doc}:place:{n}", doc_id=doc, kind="place", name=name, published=published)
                  for n, name in enumerate(r["locations"])]
    return found


# --- the cluster file ----------------------------------------------------------------------------


def load_clusters(path: Path, mentions: list[EntityMention]) -> dict[str, str]:
    """mention_key -> gold cluster id for every mention (a singleton's id is its own key).

    RAISES (ClusterGoldError): naming each entry that is malformed, unknown, misnamed or repeated."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClusterGoldError([f"{path}: not readable JSON ({exc})"]) from exc
    by_key = {m.mention_key: m for m in mentions}
    problems: list[str] = []
    gold = {m.mention_key: m.mention_key for m in mentions}
    owner: dict[str, int] = {}
    entries = data.get("clusters") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ClusterGoldError([f"{path}: no list 'clusters'"])
    for section in ("clusters", "apart"):
        for number, entry in enumerate(data.get(section) or []):
            where = f"{path.name}: {section}[{number}]"
            if not isinstance(entry, dict) or entry.get("kind") not in KINDS or not isinstance(entry.get("mentions"), list):
                problems.append(f"{where}: not {{kind, mentions}}")
                continue
            for item in entry["mentions"]:
                key, _, name = str(item).partition("=")
                m = by_key.get(key)
                if m is None:
                    problems.append(f"{where}: no mention {key!r} in the records")
                elif m.name != name:
                    problems.append(f"{where}: {key} is {m.name!r} in the records, not {name!r}")
                elif m.kind != entry["kind"]:
                    problems.append(f"{where}: {key} is a {m.kind}, not a {entry['kind']}")
                elif section == "clusters":
                    if key in owner:
                        problems.append(f"{where}: {key} is in clusters[{owner[key]}] already")
                    owner[key] = number
                    gold[key] = f"cluster:{number}"
            docs = [by_key[k].doc_id for k in (str(i).partition("=")[0] for i in entry["mentions"]) if k in by_key]
            if section == "clusters" and len(set(docs)) < len(docs):
                problems.append(f"{where}: two mentions of one report (a record lists different entities)")
    if problems:
        raise ClusterGoldError(problems)
    return gold


# --- scores --------------------------------------------------------------------------------------


@dataclass
class Score:
    mentions: int = 0
    precision: float = 0.0
    recall: float = 0.0
    gold_clusters: int = 0  # with two or more mentions
    predicted_clusters: int = 0
    pairs_gold: int = 0
    pairs_predicted: int = 0
    pairs_correct: int = 0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        pair_p = self.pairs_correct / self.pairs_predicted if self.pairs_predicted else 1.0
        pair_r = self.pairs_correct / self.pairs_gold if self.pairs_gold else 1.0
        return {"mentions": self.mentions, "bcubed_precision": round(self.precision, 4),
                "bcubed_recall": round(self.recall, 4), "bcubed_f1": round(self.f1, 4),
                "gold_clusters": self.gold_clusters, "predicted_clusters": self.predicted_clusters,
                "pair_precision": round(pair_p, 4), "pair_recall": round(pair_r, 4),
                "pairs_gold": self.pairs_gold, "pairs_predicted": self.pairs_predicted, "pairs_correct": self.pairs_correct}


def _pairs(groups: Iterable[set[str]]) -> int:
    return sum(len(g) * (len(g) - 1) // 2 for g in groups)


def bcubed(gold: dict[str, str], predicted: dict[str, str], kinds: dict[str, str]) -> dict[str, Score]:
    """B-cubed precision and recall per kind and 'all' (mean over mentions) for the mentions of `gold`.

    gold / predicted: mention_key -> cluster id; kinds: mention_key -> kind."""
    scores: dict[str, Score] = {}
    for kind in (*KINDS, "all"):
        keys = [k for k in gold if kind == "all" or kinds[k] == kind]
        if not keys:
            continue
        g_groups: dict[str, set[str]] = defaultdict(set)
        p_groups: dict[str, set[str]] = defaultdict(set)
        for k in keys:
            g_groups[kinds[k] + "\x1f" + gold[k]].add(k)
            p_groups[kinds[k] + "\x1f" + predicted[k]].add(k)
        p_sum = r_sum = 0.0
        for k in keys:
            g, p = g_groups[kinds[k] + "\x1f" + gold[k]], p_groups[kinds[k] + "\x1f" + predicted[k]]
            both = len(g & p)
            p_sum += both / len(p)
            r_sum += both / len(g)
        overlap = Counter((gold[k], predicted[k]) for k in keys)
        correct = sum(n * (n - 1) // 2 for n in overlap.values())
        scores[kind] = Score(len(keys), p_sum / len(keys), r_sum / len(keys),
                             sum(len(g) > 1 for g in g_groups.values()), sum(len(p) > 1 for p in p_groups.values()),
                             _pairs(g_groups.values()), _pairs(p_groups.values()), correct)
    return scores


# --- predicted records ---------------------------------------------------------------------------


def _same(kind: str, gold: EntityMention, pred: EntityMention) -> bool:
    if kind == "person":
        return matching.person_match(gold.name, pred.name)
    if kind == "org":
        return matching.org_match(gold.name, gold.acronym, pred.name, pred.acronym)
    return matching.place_match(gold.name, pred.name)


def align_predicted(gold: list[EntityMention], predicted: list[EntityMention]) -> dict[str, str]:
    """predicted mention_key -> the gold mention_key it matches (same report and kind, exact name
    first, then tolerant), one to one. Predicted mentions without a match are left out."""
    from extractor.evaluation.real_records import pair_up

    by_doc_kind: dict[tuple[str, str], list[EntityMention]] = defaultdict(list)
    for m in gold:
        by_doc_kind[(m.doc_id, m.kind)].append(m)
    pred_by: dict[tuple[str, str], list[EntityMention]] = defaultdict(list)
    for m in predicted:
        pred_by[(m.doc_id, m.kind)].append(m)
    mapping: dict[str, str] = {}
    for (doc, kind), preds in pred_by.items():
        golds = by_doc_kind.get((doc, kind), [])
        for gi, pi in pair_up(golds, preds, lambda g, p: matching.fold(g.name) == matching.fold(p.name),
                              lambda g, p, kind=kind: _same(kind, g, p)):
            mapping[preds[pi].mention_key] = golds[gi].mention_key
    return mapping
