#!/usr/bin/env python3
"""Put several `eventfacts evaluate --records … --json` outputs side by side as one Markdown table.

    python scripts/real_table.py "dev before=before_dev.json" "dev after=after_dev.json" …

Fields give F1, event slots accuracy (as the real-report targets are stated).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FIELDS = ("persons", "roles", "affiliations", "organisations", "acronyms", "locations", "quantities", "dates")
SLOTS = ("name", "location", "start", "end", "participants")


def table(columns: list[tuple[str, dict]]) -> str:
    lines = ["| field | " + " | ".join(label for label, _ in columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for name in FIELDS:
        lines.append(f"| {name} (F1) | " + " | ".join(f"{r['fields'][name]['f1']:.2f}" for _, r in columns) + " |")
    for slot in SLOTS:
        lines.append(f"| event {slot} (accuracy) | " + " | ".join(f"{r['event'][slot]['accuracy']:.2f}" for _, r in columns) + " |")
    lines.append("| documents | " + " | ".join(str(r["documents"]) for _, r in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv or any("=" not in a for a in argv):
        print(__doc__, file=sys.stderr)
        return 2
    columns = [(label, json.loads(Path(path).read_text(encoding="utf-8"))) for label, path in (a.split("=", 1) for a in argv)]
    print(table(columns))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
