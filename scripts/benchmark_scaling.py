"""Scaling check (issue 10): is one `Extractor.extract` call linear in the length of its text?

    nice -n 10 .venv/bin/python scripts/benchmark_scaling.py --model rules
    nice -n 10 .venv/bin/python scripts/benchmark_scaling.py --model default > scaling_default.md
    .venv/bin/python scripts/benchmark_scaling.py --families ihk,dr,excl --sizes 12500,25000 --cap 30
    .venv/bin/python scripts/benchmark_scaling.py --list            # the families and their patterns

For every pattern family (repeated "(IHK ", "Dr. ", runs of "!", lines of "1 2 3 4", realistic
German report text, ...) it times one extract() call on texts of each size (default 12,500, 25,000
and 50,000 characters: n, 2n, 4n), reports seconds and the ratio time(2n)/time(n), and the peak
RSS of the process at the largest size. Prints a Markdown table on stdout (progress on stderr);
`--json FILE` also writes the raw figures.

Exit code 1 when a family is not linear enough: time(largest)/time(half of it) > --max-ratio
(2.5), the largest text takes longer than --max-seconds (5 s), or a measurement hit a cap.

Each (family, size) runs in a subprocess of its own that loads the pipeline, warms it up and
then times the call, so a quadratic family cannot hang the run: one call taking longer than
--cap seconds (default 60) is killed and reported as "> 60 s", and larger sizes of that family
are not tried. A child above --max-rss-mb (default 4000) is killed too. Fast calls are repeated
(--repeat, median) on variants of the text (the pattern rotated, another seed for the report
text), and the tokenizer's cache is flushed between calls, so each call costs about what a new
document costs; a call over 2 s is measured once. Needs the dev install (`make install`):
the realistic text comes from tests/fuzz_strategies.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = (12_500, 25_000, 50_000)
# family -> the pattern repeated up to the size (None: realistic report text)
FAMILIES: dict[str, str | None] = {
    "ihk": "(IHK ",
    "dr": "Dr. ",
    "prof": "Prof. Dr. ",
    "ev": "e.V. ",
    "excl": "!",
    "quote": '"',
    "lowquote": "„",
    "paren": "(",
    "star": "*",
    "lines": "1 2 3 4\n",
    "digits": "0123456789",
    "word": "Netzwerktreffen ",
    "token": "xyz",  # one long token; three letters so that the variants differ
    "german": None,
}
SLOW_CALL = 2.0  # seconds: a call this slow is not repeated


def family_text(family: str, size: int, variant: int = 0) -> str:
    """The text of `size` characters for one family. Variants are other texts of the same shape (the
    pattern rotated, another seed), so a repeated call meets new strings as a new document would."""
    pattern = FAMILIES[family]
    if pattern is None:
        from tests.fuzz_strategies import german_text_of_length

        return german_text_of_length(size, seed=size + variant)
    shift = variant % len(pattern)
    pattern = pattern[shift:] + pattern[:shift]
    return (pattern * (size // len(pattern) + 1))[:size]


# --- a child process with a time and a memory cap ------------------------------------------------


@dataclass
class ChildRun:
    """What a capped child did: its JSON lines, why it ended, its peak RSS."""

    lines: list[dict] = field(default_factory=list)
    ended: str = "ok"  # ok | time cap | memory cap | failed (exit N)
    peak_rss_mb: float = 0.0
    stderr_tail: str = ""


def run_capped(
    argv: list[str], *, line_cap: Callable[[int], float], max_rss_mb: float, cwd: Path | None = None
) -> ChildRun:
    """Run argv; each stdout line is JSON. `line_cap(k)` is the time allowed for line k (0-based);
    the child is killed when it overruns that or grows above max_rss_mb. Peak RSS from wait4."""
    import psutil

    result = ChildRun()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, cwd=cwd, start_new_session=True)
        assert proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        watched = psutil.Process(proc.pid)
        buffer = b""
        deadline = time.monotonic() + line_cap(0)
        while True:
            if time.monotonic() > deadline:
                result.ended = "time cap"
                break
            try:
                rss = sum(p.memory_info().rss for p in [watched, *watched.children(recursive=True)]) / 2**20
            except psutil.Error:
                rss = 0.0
            if rss > max_rss_mb:
                result.ended = "memory cap"
                break
            if not sel.select(timeout=0.1):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                result.lines.append(json.loads(line))
                deadline = time.monotonic() + line_cap(len(result.lines))
        if result.ended != "ok":
            os.killpg(proc.pid, signal.SIGKILL)
        sel.close()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        result.peak_rss_mb = usage.ru_maxrss / 1024  # KiB on Linux
        if result.ended == "ok" and proc.returncode != 0:
            result.ended = f"failed (exit {proc.returncode})"
        err.seek(0)
        result.stderr_tail = err.read().decode("utf-8", "replace")[-2000:]
    return result


# --- the child: load, warm up, time ---------------------------------------------------------------


def child(model: str, family: str, size: int, repeat: int) -> None:
    from extractor.api import Extractor

    extractor = Extractor(model)
    extractor.extract("Die IHK Kassel lud am 3. Mai 2024 zum Fachtag ein. Rund 120 Gäste kamen.")
    loaded_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _emit({"ready": True, "loaded_rss_mb": loaded_mb})
    tokenizer = extractor.nlp.tokenizer
    for variant in range(repeat):
        text = family_text(family, size, variant)
        start = time.perf_counter()
        extractor.extract(text, doc_id=f"{family}-{size}")
        seconds = time.perf_counter() - start
        _emit({"seconds": seconds})
        if seconds > SLOW_CALL:
            break
        # a new document: spaCy's tokenizer caches whole whitespace-separated chunks ("!!!…!")
        flush = getattr(tokenizer, "_flush_cache", None)
        if flush is not None:
            flush()


def _emit(data: dict) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


# --- the parent: one child per (family, size) ------------------------------------------------------


@dataclass
class Measurement:
    family: str
    size: int
    seconds: float | None  # median; None when capped or failed
    runs: list[float]
    ended: str
    peak_rss_mb: float
    loaded_rss_mb: float | None


def measure(model: str, family: str, size: int, *, cap: float, repeat: int, max_rss_mb: float, load_cap: float) -> Measurement:
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", family, str(size), "--model", model, "--repeat", str(repeat)]
    run = run_capped(argv, line_cap=lambda k: load_cap if k == 0 else cap, max_rss_mb=max_rss_mb, cwd=ROOT)
    loaded = next((line["loaded_rss_mb"] for line in run.lines if "ready" in line), None)
    runs = [line["seconds"] for line in run.lines if "seconds" in line]
    ended = run.ended
    if ended == "time cap" and loaded is None:
        ended = "load cap"
    if ended.startswith("failed"):
        last = run.stderr_tail.strip().splitlines()[-1:] or ["?"]
        ended += f": {last[0][:120]}"
    seconds = statistics.median(runs) if runs and ended == "ok" else None
    return Measurement(family, size, seconds, runs, ended, run.peak_rss_mb, loaded)


def _fmt_seconds(m: Measurement | None, cap: float) -> str:
    if m is None:
        return "–"
    if m.seconds is not None:
        return f"{m.seconds:.2f}"
    if m.ended == "skipped":
        return f"> {cap:g} (skipped)"
    if m.ended == "time cap":
        return f"> {cap:g}"
    return m.ended


def verdict(ms: list[Measurement], *, max_ratio: float, max_seconds: float) -> tuple[str, list[float | None]]:
    ratios = [b.seconds / a.seconds if a.seconds and b.seconds else None for a, b in zip(ms, ms[1:])]
    last = ms[-1]
    problems = []
    if any(m.seconds is None for m in ms):
        problems.append("capped" if any("cap" in m.ended or m.ended == "skipped" for m in ms) else "failed")
    if ratios and ratios[-1] is not None and ratios[-1] > max_ratio:
        problems.append(f"ratio > {max_ratio:g}")
    if last.seconds is not None and last.seconds > max_seconds:
        problems.append(f"> {max_seconds:g} s")
    return ("FAIL: " + ", ".join(problems)) if problems else "ok", ratios


def markdown(model: str, sizes: list[int], table: dict[str, list[Measurement]], args: argparse.Namespace) -> tuple[str, bool]:
    size_cols = [f"{s / 1000:g}k s" for s in sizes]
    ratio_cols = [f"{b / 1000:g}k/{a / 1000:g}k" for a, b in zip(sizes, sizes[1:])]
    head = ["family", "pattern", *size_cols, *ratio_cols, f"peak RSS {sizes[-1] / 1000:g}k", "verdict"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    failed = False
    for family, ms in table.items():
        result, ratios = verdict(ms, max_ratio=args.max_ratio, max_seconds=args.max_seconds)
        failed |= result != "ok"
        pattern = FAMILIES[family]
        shown = "realistic report text" if pattern is None else "`" + pattern.replace("\n", "\\n").replace("|", "\\|") + "`"
        last = ms[-1]
        rss = {"skipped": "–", "memory cap": f"> {args.max_rss_mb:,.0f} MB"}.get(last.ended, f"{last.peak_rss_mb:,.0f} MB")
        if last.ended == "time cap":
            rss = "≥ " + rss  # the peak until it was killed
        cells = [family, shown, *(_fmt_seconds(m, args.cap) for m in ms), *(f"{r:.2f}" if r else "–" for r in ratios), rss, result]
        rows.append("| " + " | ".join(cells) + " |")
    loaded = [m.loaded_rss_mb for ms in table.values() for m in ms if m.loaded_rss_mb]
    note = (
        f"\nModel `{model}`; seconds = median of up to {args.repeat} calls (one when a call takes > {SLOW_CALL:g} s); "
        f"cap {args.cap:g} s per call; RSS after loading and warm-up ≈ {statistics.median(loaded):,.0f} MB.\n"
        if loaded else f"\nModel `{model}`.\n"
    )
    return "\n".join(rows) + "\n" + note, failed


def chosen(parser: argparse.ArgumentParser, listed: str, known: dict, what: str) -> list[str]:
    """The names of a comma-separated option, each one known (else a usage error)."""
    names = [n.strip() for n in listed.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        parser.error(f"unknown {what} {', '.join(unknown)}; known: {', '.join(known)}")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="rules", help="pipeline: rules (default), default, auto, a package or directory")
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated families (see --list)")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated text sizes in characters, ascending")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds one extract() call may take before it is killed")
    parser.add_argument("--load-cap", type=float, default=180.0, help="seconds the child may take to load the pipeline")
    parser.add_argument("--repeat", type=int, default=3, help="calls per measurement when they are fast (median)")
    parser.add_argument("--max-ratio", type=float, default=2.5, help="fail above this time(largest)/time(half) ratio")
    parser.add_argument("--max-seconds", type=float, default=5.0, help="fail when the largest size takes longer")
    parser.add_argument("--max-rss-mb", type=float, default=4000.0, help="kill a child above this resident memory")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--list", action="store_true", help="list the families and exit")
    parser.add_argument("--child", nargs=2, metavar=("FAMILY", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        child(args.model, args.child[0], int(args.child[1]), args.repeat)
        return
    if args.list:
        for name, pattern in FAMILIES.items():
            print(f"{name:10} {'realistic German report text' if pattern is None else repr(pattern)}")
        return
    families = chosen(parser, args.families, FAMILIES, "families")
    sizes = sorted(int(s) for s in args.sizes.split(","))
    table: dict[str, list[Measurement]] = {}
    for family in families:
        table[family] = []
        for size in sizes:
            if table[family] and table[family][-1].seconds is None:
                table[family].append(Measurement(family, size, None, [], "skipped", 0.0, None))
                continue
            m = measure(args.model, family, size, cap=args.cap, repeat=args.repeat, max_rss_mb=args.max_rss_mb, load_cap=args.load_cap)
            table[family].append(m)
            print(f"{args.model} {family} {size}: {_fmt_seconds(m, args.cap)} s, runs {[round(r, 3) for r in m.runs]}, "
                  f"peak {m.peak_rss_mb:,.0f} MB ({m.ended})", file=sys.stderr, flush=True)
    text, failed = markdown(args.model, sizes, table, args)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"model": args.model, "sizes": sizes, "cap": args.cap,
                                         "results": [asdict(m) for ms in table.values() for m in ms]}, indent=1))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
