"""A long fuzz session (issue 10): hostile inputs through the library, the readers and the CLI.

    nice -n 10 .venv/bin/python scripts/fuzz.py --minutes 10 --seed 1
    nice -n 10 .venv/bin/python scripts/fuzz.py --minutes 30 --model default --max-chars 50000 --out fuzz-findings
    .venv/bin/python scripts/fuzz.py --minutes 2 --no-cli          # library and readers only

Every round draws inputs of all classes (odd Unicode, control and bidi characters, lone
surrogates, repeated "Dr. " / "(IHK ", punctuation runs, huge numbers, deep nesting and broken
lines in JSONL, long lines, invented German reports; sizes up to --max-chars) from the generators
in tests/fuzz_strategies.py and checks the same properties as tests/test_fuzz.py:

- library: `Extractor.extract` per document under a --timeout, and `Extractor.pipe` over the round;
  no exception, no component failure ([E002]/[E003] warning), offsets and JSON Schema hold,
  ids in == ids out;
- readers: `corpus.iter_documents` on a JSONL file and a folder of .txt files gives one item per
  line/file;
- CLI (every --cli-every rounds): `eventfacts extract DIR -o OUT` and `eventfacts batch DIR -o OUT
  --workers 0` in a subprocess: no traceback, exit code 0/1 as documents failed, every line valid
  UTF-8 JSON of the schema with exact offsets, every document once (output or errors file).

Failures are counted by kind (exception type and where, or the property broken); the first input
of each kind is shrunk (for text inputs) and written to --out/KIND/ as a repro. A summary table
ends the session. Exit code 1 when anything failed. Needs the dev install (`make install`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus import ReadError, iter_documents  # noqa: E402
from extractor.api import Extractor  # noqa: E402
from extractor.errors import ExtractionError  # noqa: E402
from models import EventReport, InputRecord, stable_id  # noqa: E402
from tests.fuzz_strategies import (  # noqa: E402
    LINE_KINDS,
    PIECE_KINDS,
    as_input_text,
    chance,
    check_items_against_lines,
    check_report,
    german_report,
    hostile_text,
    jsonl_bytes,
    jsonl_line,
)

_CANDIDATE_DATES = ("2024-05-03", "0001-01-01", "9999-12-31", "2024-02-29", None, None, None)


class FuzzTimeout(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` in the pipeline swallows it."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise FuzzTimeout()


def where(exc: BaseException) -> str:
    """The innermost frame of this repository in the traceback: 'extractor/x.py:12 fn'."""
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if f.filename.startswith(str(ROOT)) and "/scripts/fuzz.py" not in f.filename]
    frame = (inside or frames or [None])[-1]
    if frame is None:
        return "?"
    return f"{os.path.relpath(frame.filename, ROOT)}:{frame.lineno} {frame.name}"


def kind_of(exc: BaseException, stage: str) -> str:
    component = re.search(r"component '([^']+)' failed on this document \(([^)]*)\)", str(exc))
    if component:  # ExtractionError: name the component and its reason, not the line in api.py
        return f"{stage}: {type(exc).__name__} in {component.group(1)} ({component.group(2)[:60]})"
    if isinstance(exc, AssertionError):
        reason = str(exc).splitlines()[0][:60] if str(exc) else "assertion"
        return f"{stage}: property broken ({where(exc).split(' ')[-1]}: {reason})"
    return f"{stage}: {type(exc).__name__} @ {where(exc)}"


def slug(kind: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", kind).strip("-")[:80]


def draw_size(rng: random.Random, max_chars: int) -> int:
    """Mostly short texts, some long ones: log-uniform between 20 and max_chars."""
    return int(min(max_chars, 20 * (max_chars / 20) ** rng.random()))


def draw_text(rng: random.Random, max_chars: int) -> str:
    size = draw_size(rng, max_chars)
    if chance(rng, 25):
        text = german_report(rng, (3, 12))
        while len(text) < size:
            text += "\n\n" + german_report(rng, (3, 12))
        return text[:size]
    kinds = PIECE_KINDS if chance(rng, 70) else (rng.choice(PIECE_KINDS),)
    text = ""
    while len(text) < size:
        text += hostile_text(rng, size, kinds, max_repeat=max(4, size // 8))
    return text[:size]


class Session:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.out = Path(args.out)
        self.counts: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.repros: dict[str, str] = {}
        self.slowest: tuple[float, int, str] = (0.0, 0, "")
        self.extractor = Extractor(args.model)
        signal.signal(signal.SIGALRM, _alarm)

    # --- bookkeeping --------------------------------------------------------------------------

    def fail(self, kind: str, save: Callable[[Path], None]) -> None:
        self.failures[kind] += 1
        if kind in self.repros:
            return
        folder = self.out / slug(kind)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        save(folder)
        self.repros[kind] = str(folder)
        print(f"new failure: {kind} -> {folder}", file=sys.stderr, flush=True)

    def timed(self, seconds: float, fn: Callable[[], Any]) -> Any:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    # --- library ------------------------------------------------------------------------------

    def library_failure(self, text: str, published: str | None) -> str | None:
        """The failure kind of one extract() call, or None."""
        try:
            start = time.perf_counter()
            report = self.timed(self.args.timeout, lambda: self.extractor.extract(text, doc_id="fuzz", published=published))
            seconds = time.perf_counter() - start
            if seconds > self.slowest[0]:
                self.slowest = (seconds, len(text), text[:40])
            check_report(report, as_input_text(text), doc_id="fuzz")
            failed = [w for w in report.warnings if w.startswith(("[E002]", "[E003]"))]
            if failed:
                return kind_of(ExtractionError(failed[0]), "library (pipe warning)")
            return None
        except FuzzTimeout:
            self.extractor = Extractor(self.args.model)  # interrupted mid-document: start clean
            return f"library: timeout (> {self.args.timeout:g} s)"
        except Exception as exc:  # noqa: BLE001 - every escape is a finding
            return kind_of(exc, "library")

    def round_library(self, texts: list[str]) -> None:
        passed = []
        for text in texts:
            published = self.rng.choice(_CANDIDATE_DATES)
            self.counts["library documents"] += 1
            self.counts["library characters"] += len(text)
            kind = self.library_failure(text, published)
            if kind is not None:
                self.fail(kind, lambda folder, t=text, p=published, k=kind: self.save_text_repro(folder, t, p, k))
            else:
                passed.append(text)
        # pipe(): the texts that passed alone, in one stream of mixed input forms: ids in == ids out
        records: list[Any] = []
        for index, text in enumerate(passed):
            form = self.rng.choice(("str", "dict", "record"))
            records.append(text if form == "str" else {"id": f"p{index}", "text": text} if form == "dict" else InputRecord(id=f"p{index}", text=text))
        ids_in = [stable_id(as_input_text(r)) if isinstance(r, str) else f"p{i}" for i, r in enumerate(records)]
        self.counts["pipe streams"] += 1
        try:
            reports = self.timed(self.args.timeout * max(len(passed), 1), lambda: list(self.extractor.pipe(records, batch_size=self.rng.randint(1, 8))))
            assert [rep.doc_id for rep in reports] == ids_in, f"{len(ids_in)} inputs, ids out differ from ids in"
        except FuzzTimeout:
            self.extractor = Extractor(self.args.model)
        except Exception as exc:  # noqa: BLE001
            kind = kind_of(exc, "pipe")
            self.fail(kind, lambda folder: (folder / "records.json").write_text(
                json.dumps([r if isinstance(r, (str, dict)) else r.model_dump() for r in records], ensure_ascii=True, indent=1)))

    def save_text_repro(self, folder: Path, text: str, published: str | None, kind: str) -> None:
        (folder / "original.json").write_text(json.dumps({"text": text, "published": published}, ensure_ascii=True))
        small = text
        if "timeout" not in kind and len(text) > 1:
            small = shrink(text, lambda t: self.library_failure(t, published) == kind, budget=self.args.shrink_seconds)
        (folder / "repro.json").write_text(json.dumps({"text": small, "published": published, "kind": kind}, ensure_ascii=True, indent=1))
        code = f"from extractor import load\nload({self.args.model!r}).extract({small!r}, published={published!r})\n"
        (folder / "repro.py").write_text(code)

    # --- readers ------------------------------------------------------------------------------

    def round_readers(self, workdir: Path) -> None:
        lines = [jsonl_line(self.rng, i, self.rng.choice(LINE_KINDS), self.args.max_chars // 20) for i in range(self.rng.randint(1, 30))]
        path = workdir / "eingang.jsonl"
        path.write_bytes(jsonl_bytes(lines))
        self.counts["reader lines"] += len(lines)
        try:
            check_items_against_lines(list(iter_documents([str(path)])), lines)
        except Exception as exc:  # noqa: BLE001
            self.fail(kind_of(exc, "readers (jsonl)"), lambda folder: shutil.copy(path, folder / "eingang.jsonl"))
        folder = workdir / "ordner"
        names = self.write_text_files(folder)
        self.counts["reader files"] += len(names)
        try:
            items = list(iter_documents([str(folder)]))
            assert len(items) == len(names), f"{len(names)} files, {len(items)} items"
            ids = [i.id for i in items if isinstance(i, InputRecord)]
            assert len(ids) == len(set(ids)), f"duplicate ids {ids}"
        except Exception as exc:  # noqa: BLE001
            self.fail(kind_of(exc, "readers (folder)"), lambda dest: shutil.copytree(folder, dest / "ordner"))

    def write_text_files(self, folder: Path) -> list[str]:
        names: set[str] = set()
        for _ in range(self.rng.randint(1, 6)):
            sub = self.rng.choice(("", "2023", "2024", "2024/mai", "ümlaut ordner"))
            stem = self.rng.choice(("bericht", "Bericht", "fachtag 2024", "名字", "\u202ebericht", "[dim]", "a.b", "e\u0301"))
            name = os.path.join(sub, stem + self.rng.choice((".txt", ".TXT")))
            if name.lower() in {n.lower() for n in names}:
                continue
            names.add(name)
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            text = draw_text(self.rng, self.args.max_chars // 10)
            encoding = self.rng.choice(("utf-8", "utf-8-sig", "utf-16", "cp1252"))
            target.write_bytes(text.encode(encoding, "surrogatepass" if encoding.startswith("utf-8") else "replace"))
        return sorted(names)

    # --- CLI ----------------------------------------------------------------------------------

    def round_cli(self, workdir: Path) -> None:
        folder = workdir / "cli"
        self.write_text_files(folder / "texte")
        lines = [jsonl_line(self.rng, i, self.rng.choice(LINE_KINDS), 2000) for i in range(self.rng.randint(1, 12))]
        (folder / "zeilen.jsonl").write_bytes(jsonl_bytes(lines))
        items = list(iter_documents([str(folder)]))
        records = [i for i in items if isinstance(i, InputRecord)]
        texts = {r.id: r.text for r in records}
        for command in ("extract", "batch"):
            self.counts[f"cli {command} runs"] += 1
            self.counts[f"cli {command} documents"] += len(items)
            out = workdir / f"{command}.jsonl"
            for stale in (out, workdir / f"{command}.errors.jsonl"):
                stale.unlink(missing_ok=True)
            argv = [sys.executable, "-m", "extractor.cli", command, str(folder), "-o", str(out), "--model", self.args.model]
            argv += ["--workers", "0", "--overwrite"] if command == "batch" else []
            try:
                proc = subprocess.run(argv, capture_output=True, timeout=self.args.cli_timeout, cwd=ROOT)
                self.check_cli(command, proc, out, items, records, texts)
            except Exception as exc:  # noqa: BLE001
                self.fail(kind_of(exc, f"cli {command}"), lambda dest, a=argv: (
                    shutil.copytree(folder, dest / "cli"), (dest / "command.txt").write_text(" ".join(a[2:]) + "\n")))

    def check_cli(self, command: str, proc: subprocess.CompletedProcess, out: Path, items: list, records: list, texts: dict) -> None:
        stderr = proc.stderr.decode("utf-8", "replace")
        assert "Traceback" not in stderr, "traceback on stderr: " + stderr.strip().splitlines()[-1][:80]
        assert proc.returncode in (0, 1), f"exit code {proc.returncode}"
        raw = out.read_bytes() if out.exists() else b""
        data = raw.decode("utf-8")  # raises on invalid UTF-8
        reports = [json.loads(line) for line in data.split("\n") if line.strip()]  # JSON Lines end at "\n" only, not at U+2028
        once = {doc_id for doc_id, n in Counter(r.id for r in records).items() if n == 1}
        ids = []
        for rec in reports:
            report = EventReport.model_validate(rec)
            if report.doc_id in once:
                check_report(report, texts[report.doc_id])
            ids.append(report.doc_id)
        failed_docs = sum(any(w.startswith(("[E002]", "[E003]")) for w in r.get("warnings", [])) for r in reports)
        failures = sum(isinstance(i, ReadError) for i in items) + failed_docs
        if command == "extract":
            assert sorted(ids) == sorted(r.id for r in records), "extract: ids out != ids in"
        else:
            errors_file = out.with_name(out.name.removesuffix(".jsonl") + ".errors.jsonl")
            errors = [json.loads(line) for line in errors_file.read_text(encoding="utf-8").splitlines()] if errors_file.exists() else []
            assert len(ids) == len(set(ids)), "batch: a record written twice"
            lost = {r.id for r in records} - set(ids) - {e.get("doc_id") for e in errors}
            assert not lost, f"batch: {len(lost)} documents neither written nor in the errors file"
            failures = sum(e.get("stage") in ("read", "extract", "timeout") for e in errors)
        expected_code = 1 if failures else 0
        assert proc.returncode == expected_code, f"exit code {proc.returncode}, expected {expected_code}"

    # --- the session --------------------------------------------------------------------------

    def run(self) -> int:
        end = time.monotonic() + self.args.minutes * 60
        rounds = 0
        with tempfile.TemporaryDirectory(prefix="eventfacts-fuzz-") as tmp:
            while time.monotonic() < end:
                rounds += 1
                workdir = Path(tmp) / f"r{rounds}"
                workdir.mkdir()
                texts = [draw_text(self.rng, self.args.max_chars) for _ in range(self.rng.randint(2, 8))]
                self.round_library(texts)
                self.round_readers(workdir)
                if self.args.cli_every and rounds % self.args.cli_every == 0:
                    self.round_cli(workdir)
                shutil.rmtree(workdir, ignore_errors=True)
                if rounds % 10 == 0:
                    tried = sum(n for name, n in self.counts.items() if name != "library characters")
                    print(f"round {rounds}: {tried} inputs, {sum(self.failures.values())} failures", file=sys.stderr, flush=True)
        self.summary(rounds)
        return 1 if self.failures else 0

    def summary(self, rounds: int) -> None:
        print(f"\nFuzz session: {self.args.minutes:g} min, seed {self.args.seed}, model {self.args.model}, {rounds} rounds, max {self.args.max_chars:,} characters\n")
        print("| inputs | count |\n|---|---:|")
        for name, count in sorted(self.counts.items()):
            print(f"| {name} | {count:,} |")
        seconds, size, head = self.slowest
        print(f"\nSlowest extract(): {seconds:.2f} s on {size:,} characters ({head!r}…)\n")
        if not self.failures:
            print("No failures.")
            return
        print("| failure kind | count | repro |\n|---|---:|---|")
        for kind, count in self.failures.most_common():
            print(f"| {kind.replace('|', '/')} | {count} | {self.repros.get(kind, '')} |")


def shrink(text: str, still_fails: Callable[[str], bool], budget: float) -> str:
    """Delta debugging on characters: drop chunks while the failure stays, within `budget` seconds."""
    end = time.monotonic() + budget
    chunk = max(1, len(text) // 2)
    while chunk >= 1 and time.monotonic() < end:
        i, changed = 0, False
        while i < len(text) and time.monotonic() < end:
            candidate = text[:i] + text[i + chunk :]
            if candidate and still_fails(candidate):
                text, changed = candidate, True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the session")
    parser.add_argument("--seed", type=int, default=0, help="random seed (the same seed draws the same inputs)")
    parser.add_argument("--model", default="rules", help="pipeline for the library and the CLI (rules, default, ...)")
    parser.add_argument("--max-chars", type=int, default=20_000, help="largest text drawn (sizes are log-uniform)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds one extract() may take before it counts as a timeout")
    parser.add_argument("--cli-every", type=int, default=5, help="run the CLI every N rounds (0: never)")
    parser.add_argument("--no-cli", dest="cli_every", action="store_const", const=0, help="library and readers only")
    parser.add_argument("--cli-timeout", type=float, default=300.0, help="seconds one CLI run may take")
    parser.add_argument("--shrink-seconds", type=float, default=60.0, help="time spent shrinking each new failure")
    parser.add_argument("--out", default="fuzz-findings", help="folder for the repros (one subfolder per failure kind)")
    sys.exit(Session(parser.parse_args()).run())


if __name__ == "__main__":
    main()
