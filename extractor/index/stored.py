"""A record read back from the index's rows: proof that a committed report is whole, and the
way to get the facts of a hit without the JSONL file."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from models import EventReport


def offsets(stored: str) -> list[dict[str, Any]]:
    """The mentions of an entry from their stored JSON ([[start, end, text], ...])."""
    return [{"start": start, "end": end, "text": text} for start, end, text in json.loads(stored)]


def load_record(conn: sqlite3.Connection, doc_id: str) -> EventReport | None:
    """The EventReport stored for `doc_id` (equal to the one indexed), or None."""
    row = conn.execute("SELECT * FROM reports WHERE doc_id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    rid = row["id"]
    roles: dict[int, list[str]] = {}
    for n, role in conn.execute("SELECT ro.n, rn.role FROM roles ro JOIN role_names rn ON rn.id = ro.role_id "
                                "WHERE ro.report_id = ? ORDER BY ro.n, ro.i", (rid,)):
        roles.setdefault(n, []).append(role)

    def rows(sql: str) -> list[sqlite3.Row]:
        return conn.execute(sql, (rid,)).fetchall()

    data: dict[str, Any] = {
        "schema_version": row["record_version"], "doc_id": row["doc_id"], "source": row["source"],
        "title": row["title"], "published": row["published"], "language": row["language"],
        "persons": [{"name": p["name"], "roles": roles.get(p["n"], []), "organisation": p["organisation"],
                     "titles": json.loads(p["titles"]) if p["titles"] else [],
                     "mentions": offsets(p["mentions"])}
                    for p in rows("SELECT * FROM persons WHERE report_id = ? ORDER BY n")],
        "organisations": [{"name": o["name"], "acronym": o["acronym"], "mentions": offsets(o["mentions"])}
                          for o in rows("SELECT * FROM organisations WHERE report_id = ? ORDER BY n")],
        "locations": [{"name": p["name"], "kind": p["kind"], "mentions": offsets(p["mentions"])}
                      for p in rows("SELECT * FROM places WHERE report_id = ? ORDER BY n")],
        "quantities": [{"value": q["value"], "unit": q["unit"], "text": q["text"], "qualifier": q["qualifier"],
                        "mention": {"start": q["start"], "end": q["end"], "text": q["text"] if q["mention_text"] is None else q["mention_text"]}}
                       for q in rows("SELECT * FROM quantities WHERE report_id = ? ORDER BY n")],
        "dates": [{"text": d["text"], "value": d["value"], "granularity": d["granularity"],
                   "relative": bool(d["relative"]), "mention": {"start": d["start"], "end": d["end"], "text": d["text"] if d["mention_text"] is None else d["mention_text"]}}
                  for d in rows("SELECT * FROM dates WHERE report_id = ? ORDER BY n")],
        "event": None,
        "warnings": json.loads(row["warnings"]) if row["warnings"] else [],
    }
    if row["has_event"]:
        data["event"] = {
            "name": row["event_name"], "type": row["event_type"], "topic": row["event_topic"],
            "location": row["event_location"], "start": row["event_start"], "end": row["event_end"],
            "participants": row["event_participants"],
            "organisers": [o[0] for o in rows("SELECT name FROM organisers WHERE report_id = ? ORDER BY n")],
        }
    return EventReport.model_validate(data)
