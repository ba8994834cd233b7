#!/usr/bin/env python3
"""The real-report texts: where they are, whether they match the index, and how to get them.

    python scripts/real_texts.py status            # missing texts and texts whose hash differs
    python scripts/real_texts.py fetch             # download missing texts (needs network access)
    python scripts/real_texts.py split             # dev/test by publisher domain, written into the index
    python scripts/real_texts.py export -o /tmp/dev.jsonl --split dev   # input for any pipeline version
    python scripts/real_texts.py add r042 excerpt.json --url … --publisher … --kind … [--published …]
    python scripts/real_texts.py restore r042 excerpt.json   # a text looked up again, kept if its hash matches

The texts are third-party and never enter the repository; they live in `$EVENTFACTS_REAL_TEXTS`
(default `~/.cache/eventfacts/real/`). `add` is the annotator's tool: it takes an excerpt (a JSON
string literal, quotes included, exactly as a search result returned it, or plain UTF-8 text), cuts
it at its last complete sentence, stores it in the cache and appends its hash to the index.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import real  # noqa: E402

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)


def _entries(index: Path, split: Optional[str]) -> list[real.IndexEntry]:
    entries = real.read_index(index)
    return [entry for entry in entries if split is None or entry.split == split]


def _read_excerpt(path: Path) -> str:
    """An excerpt file: a JSON string literal (as the search returned it) or plain UTF-8 text."""
    raw = path.read_text(encoding="utf-8").strip()
    if raw.startswith('"'):
        try:
            return json.loads(raw)
        except ValueError as exc:
            typer.echo(f"error: {path} starts with a quote but is no JSON string: {exc}", err=True)
            raise typer.Exit(2) from exc
    return raw


@app.command()
def status(
    index: Path = typer.Option(real.INDEX_PATH, help="The index of the real-report set."),
    texts: Optional[Path] = typer.Option(None, help="Text cache (default $EVENTFACTS_REAL_TEXTS or ~/.cache/eventfacts/real)."),
    split: Optional[str] = typer.Option(None, help="Only this split (dev or test)."),
) -> None:
    """List missing texts and texts whose sha256 differs from the index; exit 1 if any."""
    results = real.status(_entries(index, split), texts)
    bad = [item for item in results if item.state != "ok"]
    for item in bad:
        typer.echo(f"{item.id}\t{item.state}\t{item.detail}")
    typer.echo(f"{len(results)} indexed, {len(results) - len(bad)} ok, "
               f"{sum(i.state == 'missing' for i in bad)} missing, {sum(i.state == 'changed' for i in bad)} changed "
               f"(cache: {texts or real.texts_dir()})", err=True)
    if bad:
        raise typer.Exit(1)


@app.command()
def fetch(
    index: Path = typer.Option(real.INDEX_PATH, help="The index of the real-report set."),
    texts: Optional[Path] = typer.Option(None, help="Text cache to fill."),
    overwrite: bool = typer.Option(False, help="Download texts that are already cached, too."),
    split: Optional[str] = typer.Option(None, help="Only this split (dev or test)."),
    allow_private: bool = typer.Option(False, help="Also fetch from loopback and private addresses (a local mirror)."),
) -> None:
    """Download the texts of the indexed URLs with trafilatura (network access needed).

    A page that changed since it was annotated is stored anyway and reported as changed."""
    results = real.fetch(_entries(index, split), texts, overwrite=overwrite, allow_private=allow_private)
    for item in results:
        if item.state != "ok" or item.detail != "already cached":
            typer.echo(f"{item.id}\t{item.state}\t{item.detail}")
    failed = sum(item.state != "ok" for item in results)
    typer.echo(f"{len(results)} indexed, {failed} not as annotated", err=True)
    if failed:
        raise typer.Exit(1)


@app.command()
def split(
    index: Path = typer.Option(real.INDEX_PATH, help="The index of the real-report set."),
    test_share: float = typer.Option(real.TEST_SHARE, help="Share of publisher domains in test (lower it only)."),
) -> None:
    """Write each report's split into the index: dev or test by a hash of its publisher's domain."""
    entries = real.assign_splits(index, test_share)
    by_split = {name: [e for e in entries if e.split == name] for name in real.SPLITS}
    for name, chosen in by_split.items():
        typer.echo(f"{name}: {len(chosen)} reports from {len({real.publisher_domain(e.url) for e in chosen})} publishers")


@app.command()
def export(
    output: Path = typer.Option(..., "-o", "--output", help="JSONL to write: one {id, text, published} per report."),
    index: Path = typer.Option(real.INDEX_PATH, help="The index of the real-report set."),
    texts: Optional[Path] = typer.Option(None, help="Text cache (default $EVENTFACTS_REAL_TEXTS or ~/.cache/eventfacts/real)."),
    split: Optional[str] = typer.Option(None, help="Only this split (dev or test)."),
) -> None:
    """Write the cached texts of the index as extractor input, with `published` from the gold, so that
    any version of the pipeline can be run on them (`eventfacts extract FILE -o pred.jsonl`) and
    scored with `eventfacts evaluate --records corpus/real/gold --pred pred.jsonl`. Keep the file
    outside the repository: it holds the third-party texts."""
    entries = _entries(index, split)
    found = real.load_texts(entries, texts)
    with output.open("w", encoding="utf-8") as handle:
        for entry in entries:
            if entry.id not in found:
                typer.echo(f"{entry.id}\tmissing", err=True)
                continue
            gold = real.GOLD_DIR / f"{entry.id}.json"
            published = json.loads(gold.read_text(encoding="utf-8")).get("published") if gold.exists() else entry.published
            handle.write(json.dumps({"id": entry.id, "text": found[entry.id], "published": published}, ensure_ascii=False) + "\n")
    typer.echo(f"{len(found)} of {len(entries)} reports written to {output}", err=True)


@app.command()
def add(
    report_id: str = typer.Argument(..., help="New id, r001 … r999."),
    excerpt: Path = typer.Argument(..., exists=True, dir_okay=False, help="The excerpt: a JSON string literal or plain text."),
    url: str = typer.Option(..., help="The page's URL as the search returned it."),
    publisher: str = typer.Option(..., help="Who published it (organisation or newspaper name)."),
    kind: str = typer.Option(..., help=f"Publisher kind: {', '.join(real.PUBLISHER_KINDS)}."),
    title: Optional[str] = typer.Option(None, help="The report's headline."),
    published: Optional[str] = typer.Option(None, help="Publication date shown with the report (ISO), if any."),
    query: Optional[str] = typer.Option(None, help="The search query that found it (to look it up again)."),
    index: Path = typer.Option(real.INDEX_PATH, help="The index to append to."),
) -> None:
    """Store one excerpt in the cache and append it to the index; prints its length and hash."""
    raw = _read_excerpt(excerpt)
    try:
        entry = real.add_report(report_id, raw, url=url, title=title, publisher=publisher, publisher_kind=kind,
                                published=published, query=query, index_path=index)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{entry.id}: {entry.chars} chars, sha256 {entry.sha256}, cached in {real.texts_dir() / (entry.id + '.txt')}")


@app.command()
def restore(
    report_id: str = typer.Argument(..., help="The report's id in the index."),
    excerpt: Path = typer.Argument(..., exists=True, dir_okay=False, help="The excerpt looked up again by its URL: a JSON string literal or plain text."),
    index: Path = typer.Option(real.INDEX_PATH, help="The index of the real-report set."),
    texts: Optional[Path] = typer.Option(None, help="Text cache (default $EVENTFACTS_REAL_TEXTS or ~/.cache/eventfacts/real)."),
) -> None:
    """Rebuild one cached text on a new machine: stored only if it has the indexed sha256 (exit 1 if not)."""
    entries = {entry.id: entry for entry in real.read_index(index)}
    if report_id not in entries:
        typer.echo(f"error: {report_id} is not in {index}", err=True)
        raise typer.Exit(2)
    raw = _read_excerpt(excerpt)
    result = real.restore(entries[report_id], raw, texts)
    typer.echo(f"{result.id}\t{result.state}\t{result.detail}")
    if result.state != "ok":
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
