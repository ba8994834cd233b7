"""Peak memory of `eventfacts extract FILE -o OUT` on hostile single input files (issue 10: < 1 GB each).

    nice -n 10 .venv/bin/python scripts/benchmark_memory.py --model rules
    nice -n 10 .venv/bin/python scripts/benchmark_memory.py --model default --inputs lines,german --cap 300
    .venv/bin/python scripts/benchmark_memory.py --list

Writes each input into a temporary folder, runs the CLI on it in a subprocess and reports its wall
time, exit code and peak RSS (ru_maxrss from wait4). A run longer than --cap seconds (default 600)
or above --max-rss-mb (default 4000) is killed and reported with the peak reached until then.
Prints a Markdown table; exit code 1 when an input needs more than --limit-mb (default 1000) or
was killed. Uses the capped runner of scripts/benchmark_scaling.py.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmark_scaling import ROOT, chosen, run_capped

# name -> (file name, what it holds, writer of the content)
INPUTS: dict[str, tuple[str, str, Callable[[], bytes]]] = {
    "lines": ("zahlen.txt", '800 KB of "1 2 3 4" lines', lambda: ("1 2 3 4\n" * 100_000).encode()),
    "excl": ("ausrufe.txt", '200 KB of "!"', lambda: b"!" * 200_000),
    "german": ("archiv.txt", "2 MB of realistic report text", lambda: _german(2_000_000).encode()),
    "jsonl": ("meldungen.jsonl", "JSONL of 10,000 small records", lambda: _records(10_000)),
}


def _german(size: int) -> str:
    from tests.fuzz_strategies import german_text_of_length

    return german_text_of_length(size, seed=7)


def _records(count: int) -> bytes:
    from tests.fuzz_strategies import german_sentence

    rng = random.Random(11)
    lines = (json.dumps({"id": f"m{i}", "text": german_sentence(rng) + " " + german_sentence(rng)}, ensure_ascii=False) for i in range(count))
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="rules", help="pipeline: rules (default), default, auto, ...")
    parser.add_argument("--inputs", default=",".join(INPUTS), help="comma-separated inputs (see --list)")
    parser.add_argument("--cap", type=float, default=600.0, help="seconds one run may take before it is killed")
    parser.add_argument("--max-rss-mb", type=float, default=4000.0, help="kill a run above this resident memory")
    parser.add_argument("--limit-mb", type=float, default=1000.0, help="fail above this peak RSS")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--list", action="store_true", help="list the inputs and exit")
    args = parser.parse_args()
    if args.list:
        for name, (file_name, what, _) in INPUTS.items():
            print(f"{name:8} {file_name:16} {what}")
        return
    names = chosen(parser, args.inputs, INPUTS, "inputs")

    rows = ["| input | file size | seconds | exit | peak RSS | verdict |", "|---|---:|---:|---:|---:|---|"]
    results, failed = [], False
    with tempfile.TemporaryDirectory(prefix="eventfacts-memory-") as tmp:
        for name in names:
            file_name, what, content = INPUTS[name]
            path = Path(tmp) / file_name
            path.write_bytes(content())
            out = Path(tmp) / f"{name}.out.jsonl"
            argv = [sys.executable, "-m", "extractor.cli", "extract", str(path), "-o", str(out), "--model", args.model, "-q"]
            start = time.monotonic()
            run = run_capped(argv, line_cap=lambda _k: args.cap, max_rss_mb=args.max_rss_mb, cwd=ROOT)
            seconds = time.monotonic() - start
            ok = run.ended == "ok" and run.peak_rss_mb <= args.limit_mb
            failed |= not ok
            exit_text = "ok" if run.ended == "ok" else run.ended
            prefix = "≥ " if run.ended in ("time cap", "memory cap") else ""
            if run.ended != "ok":
                verdict = f"FAIL: {run.ended}"
            else:
                verdict = "ok" if ok else f"FAIL: > {args.limit_mb:,.0f} MB"
            rows.append(f"| {what} | {path.stat().st_size / 1e6:.2f} MB | {prefix}{seconds:.1f} | {exit_text} | {prefix}{run.peak_rss_mb:,.0f} MB | {verdict} |")
            results.append({"input": name, "bytes": path.stat().st_size, "seconds": seconds, "ended": run.ended, "peak_rss_mb": run.peak_rss_mb})
            print(f"{args.model} {name}: {seconds:.1f} s, peak {run.peak_rss_mb:,.0f} MB ({run.ended}) {run.stderr_tail.strip()[-200:]}", file=sys.stderr, flush=True)
            out.unlink(missing_ok=True)
    print("\n".join(rows))
    print(f"\nModel `{args.model}`; `eventfacts extract FILE -o OUT -q`; cap {args.cap:g} s, killed above {args.max_rss_mb:,.0f} MB; target < {args.limit_mb:,.0f} MB.")
    if args.json:
        args.json.write_text(json.dumps({"model": args.model, "results": results}, indent=1))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
