"""`eventfacts batch`: exactly-once output, resume after SIGKILL, broken inputs, engines.

Most cases run the engine "inline" (in this process, the pipeline loaded once per session);
one case kills a real `--workers 1` run in a subprocess, one compares Dask with processes.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import spacy
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractor.batch import worker as batch_worker
from extractor.batch import (
    BatchConfig,
    BatchError,
    DocumentTimeout,
    check_loopback,
    count_documents,
    deadline,
    errors_path_for,
    expand_inputs,
    repair_output,
    run_batch,
)
from extractor.cli import app as cli_app
from extractor.errors import E002
from models import EventReport

REPO = Path(__file__).resolve().parent.parent
CITIES = ["Fulda", "Kassel", "Gera", "Cottbus", "Lüneburg", "Rosenheim", "Bruchsal", "Oldenburg"]
EVENTS = ["Fachtag", "Workshop", "Netzwerktreffen", "Konferenz", "Praxiswerkstatt"]
TOPICS = ["Pflege", "Inklusion", "Ausbildung", "Energie", "Ehrenamt", "Digitalisierung"]


def report_text(n: int, sentences: int = 4) -> str:
    """A German event report written for these tests; n varies names, places and numbers."""
    city, event, topic = CITIES[n % len(CITIES)], EVENTS[n % len(EVENTS)], TOPICS[n % len(TOPICS)]
    lines = [
        f"{event} {topic} in {city}",
        f"{city}, {n % 27 + 1}. März 2024. Rund {40 + n} Teilnehmende kamen am Dienstag zum {event} "
        f"„{topic} gemeinsam gestalten“ in die Stadthalle {city}.",
    ]
    for k in range(sentences):
        lines.append(
            f"Die Kreisverwaltung hatte gemeinsam mit der Handwerkskammer eingeladen; in {k + 3} Arbeitsgruppen "
            f"sprachen Fachleute aus {k + 5} Landkreisen über {topic} und neue Förderprogramme für Betriebe."
        )
    return "\n".join(lines)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf8").splitlines()]


def run_inline(inputs: list[Path | str], out: Path, **options: Any) -> tuple[Any, list[dict], list[dict]]:
    config = BatchConfig(model=options.pop("model", "default"), engine="inline", **options)
    summary = run_batch([str(p) for p in inputs], out, config)
    errors_file = errors_path_for(out)
    return summary, read_jsonl(out), read_jsonl(errors_file) if errors_file.exists() else []


# ---------------------------------------------------------------------------------------------
# Kill and resume


def test_batch_kill_and_resume_writes_every_document_once(tmp_path: Path) -> None:
    ids = [f"bericht-{n:02d}" for n in range(40)]
    source = write_jsonl(tmp_path / "archiv.jsonl", [{"id": i, "text": report_text(n, 20)} for n, i in enumerate(ids)])
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "extractor.cli", "batch", str(source), "-o", str(out),
               "--workers", "1", "--batch-size", "1", "--model", "default", "--quiet"]
    first = subprocess.Popen(command, cwd=REPO, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        give_up = time.monotonic() + 90
        while not (out.exists() and out.read_bytes().count(b"\n") >= 1):
            assert first.poll() is None, "the first run ended before it wrote a record"
            assert time.monotonic() < give_up, "no record within 90 s"
            time.sleep(0.01)
    finally:
        # The whole process group: the batch process and its worker, as the OOM killer or a
        # lost terminal would.
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    written_before = out.read_bytes().count(b"\n")
    assert 1 <= written_before < len(ids), "the kill came too late to test anything"

    second = subprocess.run([*command, "--resume"], cwd=REPO, capture_output=True, text=True, timeout=150)
    assert second.returncode == 0, second.stderr
    records = read_jsonl(out)  # every line parses
    assert sorted(r["doc_id"] for r in records) == ids
    assert {r["source"] for r in records} == {str(source)}
    assert errors_path_for(out).read_text(encoding="utf8") == ""


@pytest.mark.parametrize(
    "tail,cut",
    [
        (b'{"schema_version":"1.0","doc_id":"b","sou', 41),  # died inside a write
        (b'{"schema_version":"1.0","doc_id":"b"', 36),
        (b"\x00\x00\x00\x00\n", 5),  # a power cut left a line of zeros
    ],
)
def test_batch_resume_repairs_torn_last_line(tmp_path: Path, tail: bytes, cut: int) -> None:
    out = tmp_path / "out.jsonl"
    good = b'{"schema_version":"1.0","doc_id":"a","source":"x"}\n'
    out.write_bytes(good + tail)
    assert repair_output(out) == ({"a"}, cut)
    assert out.read_bytes() == good


def test_batch_resume_after_torn_line_writes_each_id_once(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{n}", "text": report_text(n)} for n in range(3)])
    out = tmp_path / "out.jsonl"
    run_inline([source], out)
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(lines[0] + lines[1][:25])  # d0 complete, the next record torn
    summary, records, _ = run_inline([source], out, resume=True)
    assert (summary.already_done, summary.records, summary.repaired_bytes) == (1, 2, 25)
    assert sorted(r["doc_id"] for r in records) == ["d0", "d1", "d2"]


def test_batch_damaged_middle_line_is_not_repaired(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"doc_id":"a"}\nKAPUTT\n{"doc_id":"c"}\n')
    with pytest.raises(BatchError, match=r"out.jsonl:2: not a JSON record; the file is damaged"):
        repair_output(out)


def test_batch_resume_retries_documents_only_in_errors_file(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{n}", "text": report_text(n)} for n in range(3)])
    out = tmp_path / "out.jsonl"
    run_inline([source], out)
    kept = [line for line in out.read_text(encoding="utf8").splitlines() if '"doc_id":"d1"' not in line]
    out.write_text("\n".join(kept) + "\n", encoding="utf8")
    errors_path_for(out).write_text(
        json.dumps({"doc_id": "d1", "source": str(source), "stage": "timeout", "message": "zu langsam"}) + "\n",
        encoding="utf8",
    )
    summary, records, errors = run_inline([source], out, resume=True)
    assert (summary.already_done, summary.retried, summary.records, summary.errors) == (2, 1, 1, 0)
    assert sorted(r["doc_id"] for r in records) == ["d0", "d1", "d2"]
    assert errors == []  # rewritten: d1 succeeded this time


def test_batch_existing_output_needs_resume_or_overwrite(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d0", "text": report_text(0)}])
    out = tmp_path / "out.jsonl"
    out.write_text('{"doc_id":"alt"}\n', encoding="utf8")
    with pytest.raises(BatchError, match="already holds records; use --resume"):
        run_inline([source], out)
    summary, records, _ = run_inline([source], out, overwrite=True)
    assert [r["doc_id"] for r in records] == ["d0"]


def test_batch_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    import fcntl

    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d0", "text": report_text(0)}])
    out = tmp_path / "out.jsonl"
    holder = open(tmp_path / ".out.jsonl.lock", "ab")  # a first run still writing
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        with pytest.raises(BatchError, match="another eventfacts batch is writing"):
            run_inline([source], out)
        with pytest.raises(BatchError, match="another eventfacts batch is writing"):
            run_inline([source], out, resume=True)
    finally:
        holder.close()
    summary, records, _ = run_inline([source], out, overwrite=True)
    assert [r["doc_id"] for r in records] == ["d0"]


@pytest.mark.parametrize(
    "where,message",
    [
        ("missing/out.jsonl", "cannot create the output {out}: the directory {tmp}/missing does not exist"),
        ("ordner", "the output {out} is a directory; give a file name, e.g. {out}/facts.jsonl"),
        ("out.jsonl/", "the output {out} is a directory; give a file name, e.g. {out}/facts.jsonl"),
    ],
)
def test_batch_unwritable_output_is_named_before_anything_starts(tmp_path: Path, where: str, message: str) -> None:
    # The model does not exist either: the output is checked first, the model second, nothing is written.
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d0", "text": report_text(0)}])
    (tmp_path / "ordner").mkdir()
    (tmp_path / "out.jsonl").mkdir()
    out = tmp_path / where
    result = CliRunner().invoke(cli_app, ["batch", str(source), "-o", str(out), "--model", "gibt_es_nicht", "--workers", "2"])
    assert result.exit_code == 2
    assert result.stderr == "error: " + message.format(out=Path(out), tmp=tmp_path) + "\n"


def test_batch_errors_file_that_is_a_directory_is_named(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d0", "text": report_text(0)}])
    (tmp_path / "out.errors.jsonl").mkdir()
    with pytest.raises(BatchError) as caught:
        run_inline([source], tmp_path / "out.jsonl")
    assert str(caught.value) == f"the output {tmp_path / 'out.errors.jsonl'} is a directory; give a file name, e.g. {tmp_path / 'out.errors.jsonl' / 'facts.jsonl'}"
    assert not (tmp_path / "out.jsonl").exists()


def test_batch_same_stem_in_different_folders_loses_no_document(tmp_path: Path) -> None:
    root = tmp_path / "archiv"
    for folder, name, body in (("2023", "bericht.txt", report_text(1)), ("2024", "bericht.txt", report_text(2)),
                               ("2024", "bericht.html", f"<html><body><article><p>{report_text(3)}</p></article></body></html>")):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / name).write_text(body, encoding="utf-8")
    summary, records, errors = run_inline([root], tmp_path / "out.jsonl")
    assert sorted(r["doc_id"] for r in records) == ["2023/bericht.txt", "2024/bericht.html", "2024/bericht.txt"]
    assert errors == []


# ---------------------------------------------------------------------------------------------
# Broken inputs


def _warc_with_image(path: Path) -> None:
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        html = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = f"<html><body><article><h1>Fachtag in Fulda</h1><p>{report_text(3)}</p></article></body></html>"
        writer.write_record(writer.create_warc_record("https://example.de/fachtag", "response", payload=BytesIO(body.encode()),
                                                      http_headers=html, warc_headers_dict={"WARC-Date": "2024-03-15T10:00:00Z"}))
        png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://example.de/logo.png", "response", payload=BytesIO(b"\x89PNG\x00\x00"),
                                                      http_headers=png, warc_headers_dict={"WARC-Date": "2024-03-15T10:00:01Z"}))


def _make_input(kind: str, root: Path) -> Path:
    if kind == "binary":
        path = root / "bild.txt"
        path.write_bytes(bytes(range(256)) * 8)
    elif kind == "latin1":
        path = root / "bericht.txt"
        path.write_bytes("Der Fachtag in Gießen begann um 9 Uhr.".encode("cp1252"))
    elif kind == "truncated_gzip":
        path = root / "archiv.jsonl.gz"
        rows = "".join(json.dumps({"id": f"g{n}", "text": report_text(n)}, ensure_ascii=False) + "\n" for n in range(40))
        data = gzip.compress(rows.encode("utf8"))
        path.write_bytes(data[: len(data) // 2])
    elif kind == "bad_json":
        path = root / "zeilen.jsonl"
        path.write_text(json.dumps({"id": "ok", "text": report_text(1)}) + "\n{\"id\": \"kaputt\" \"text\": \"x\"}\n", encoding="utf8")
    elif kind == "scripts_html":
        path = root / "nur-skripte.html"
        path.write_text("<html><head><script>var a=1;</script></head><body><script>b()</script></body></html>", encoding="utf8")
    elif kind == "warc_image":
        path = root / "crawl.warc.gz"
        _warc_with_image(path)
    return path


@pytest.mark.parametrize(
    "kind,expected_records,expected_problems",
    [
        ("binary", [], [("bild", "read", "binary file, not text (contains NUL bytes)")]),
        ("latin1", [("bericht", ["decoded as cp1252: the file is not valid UTF-8 (byte 0xdf at offset 18)"])], []),
        ("scripts_html", [], [("nur-skripte", "read", "no main text (the page holds no article text trafilatura could find)")]),
        ("warc_image", [("https://example.de/fachtag@2024-03-15T10:00:00Z", [])],
         [("https://example.de/logo.png@2024-03-15T10:00:01Z", "skip", "skipped: not HTML (image/png) (https://example.de/logo.png)")]),
        ("bad_json", [("ok", [])], [(None, "read", "not valid JSON (Expecting ',' delimiter at column 17)")]),
    ],
)
def test_batch_broken_inputs_are_listed_and_the_run_goes_on(
    tmp_path: Path, kind: str, expected_records: list, expected_problems: list
) -> None:
    broken = _make_input(kind, tmp_path)
    healthy = write_jsonl(tmp_path / "gesund.jsonl", [{"id": "gesund", "text": report_text(7)}])
    summary, records, problems = run_inline([broken, healthy], tmp_path / "out.jsonl")
    assert sorted((r["doc_id"], r["warnings"]) for r in records) == sorted([*expected_records, ("gesund", [])])
    assert [(p["doc_id"], p["stage"], p["message"]) for p in problems] == expected_problems
    assert summary.errors == sum(stage == "read" for _, stage, _ in expected_problems)
    assert summary.skipped == sum(stage == "skip" for _, stage, _ in expected_problems)


def test_batch_truncated_gzip_keeps_the_lines_before(tmp_path: Path) -> None:
    broken = _make_input("truncated_gzip", tmp_path)
    summary, records, problems = run_inline([broken], tmp_path / "out.jsonl")
    ids = [r["doc_id"] for r in records]
    assert ids == [f"g{n}" for n in range(len(ids))] and 0 < len(ids) < 40
    assert [(p["stage"], p["source"], p["message"]) for p in problems] == [
        ("read", f"{broken}:{len(ids) + 1}",
         "gzip file is truncated (compressed data ends early); this and later lines are lost")
    ]


def test_batch_duplicate_ids_keep_the_first_and_are_reported(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", [{"id": "fachtag", "text": report_text(1)}, {"id": "andere", "text": report_text(2)}])
    second = write_jsonl(tmp_path / "b.jsonl", [{"id": "fachtag", "text": report_text(5), "source": "zweite-quelle"}])
    summary, records, problems = run_inline([first, second], tmp_path / "out.jsonl")
    assert sorted((r["doc_id"], r["source"]) for r in records) == [("andere", str(first)), ("fachtag", str(first))]
    assert problems == [{
        "doc_id": "fachtag", "source": "zweite-quelle", "stage": "duplicate",
        "message": "doc_id occurs again in the input; only its first document is processed, this one is left out",
    }]
    assert (summary.documents, summary.records, summary.duplicates, summary.errors) == (3, 2, 1, 0)


# ---------------------------------------------------------------------------------------------
# Extractor failures and timeouts (fake pipelines registered in the worker cache)


class _FakeExtractor:
    """Behaves like Extractor.pipe; a text's keyword decides what goes wrong."""

    nlp = spacy.blank("de")  # the worker opens a memory zone on it around each batch

    def __init__(self) -> None:
        self.calls: list[list[str]] = []  # the doc_ids handed to each pipe() call

    def pipe(self, records: Any, batch_size: int = 1, on_error: str = "record") -> Any:
        records = list(records)
        self.calls.append([r.id for r in records])
        for record in records:
            if "langsam" in record.text:
                time.sleep(10)
            if "kaputt" in record.text:
                raise RuntimeError("Komponente gestolpert")
            warnings = [E002.format(doc_id=record.id, reason="zu viele Klammern")] if "klammer" in record.text else []
            yield EventReport(doc_id=record.id, source=record.source, warnings=warnings)


@pytest.mark.parametrize(
    "text,stage,message",
    [
        ("Das geht langsam voran.", "timeout", "extraction took longer than 0.3 s; document abandoned"),
        ("Das ist kaputt.", "extract", "RuntimeError: Komponente gestolpert"),
        ("Eine klammer zu viel.", "extract", "[E002] Document 'x': the extractor failed (zu viele Klammern). The document was skipped."),
    ],
)
def test_batch_failing_document_goes_to_errors_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, stage: str, message: str
) -> None:
    monkeypatch.setitem(batch_worker._EXTRACTORS, "fake", _FakeExtractor())
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "x", "text": text}, {"id": "y", "text": "Alles gut."}])
    started = time.monotonic()
    summary, records, problems = run_inline([source], tmp_path / "out.jsonl", model="fake", timeout=0.3)
    assert time.monotonic() - started < 5
    assert [r["doc_id"] for r in records] == ["y"]
    assert problems == [{"doc_id": "x", "source": str(source), "stage": stage, "message": message}]
    assert (summary.records, summary.errors) == (1, 1)


def test_batch_small_documents_are_extracted_in_one_stream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeExtractor()
    monkeypatch.setitem(batch_worker._EXTRACTORS, "fake", fake)
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"k{n}", "text": f"Kurz {n}: 12 Gäste in Gera."} for n in range(10)])
    summary, records, problems = run_inline([source], tmp_path / "out.jsonl", model="fake")
    assert fake.calls == [[f"k{n}" for n in range(10)]]  # one task, one pipe() call
    assert [r["doc_id"] for r in records] == [f"k{n}" for n in range(10)] and problems == []


@pytest.mark.parametrize(
    "bad,stage,message",
    [
        ("Das ist kaputt.", "extract", "RuntimeError: Komponente gestolpert"),
        ("Das geht langsam voran.", "timeout", "extraction took longer than 0.5 s; document abandoned"),
    ],
)
def test_batch_failure_inside_a_group_costs_only_its_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str, stage: str, message: str
) -> None:
    fake = _FakeExtractor()
    monkeypatch.setitem(batch_worker._EXTRACTORS, "fake", fake)
    texts = ["Eins kam.", "Zwei kamen.", bad, "Vier kamen.", "Fünf kamen."]
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"g{n}", "text": t} for n, t in enumerate(texts)])
    started = time.monotonic()
    summary, records, problems = run_inline([source], tmp_path / "out.jsonl", model="fake", timeout=0.5)
    # Tried together (the records before the bad one are kept), then the rest one by one, each with
    # its own deadline: the slow document is abandoned within its timeout plus the group's budget.
    assert time.monotonic() - started < 0.5 + batch_worker.GROUP_SECONDS + 1.5
    assert fake.calls == [["g0", "g1", "g2", "g3", "g4"], ["g2"], ["g3"], ["g4"]]
    assert [r["doc_id"] for r in records] == ["g0", "g1", "g3", "g4"]
    assert problems == [{"doc_id": "g2", "source": str(source), "stage": stage, "message": message}]


def test_batch_records_extracted_together_equal_those_extracted_alone() -> None:
    from models.inputs import InputRecord

    items = [InputRecord(id=f"r{n}", text=report_text(n, sentences=1 + n % 3), source="x") for n in range(6)]
    together = batch_worker.process_batch(items, "default", None)
    alone = [batch_worker.process_batch([item], "default", None)[0] for item in items]
    assert [o["kind"] for o in together] == ["record"] * 6
    assert together == alone


def test_batch_tasks_hold_small_documents_together_and_large_ones_alone() -> None:
    from extractor.batch.tasks import TaskPacker
    from models.inputs import InputRecord

    def doc(name: str, chars: int) -> InputRecord:
        return InputRecord(id=name, text="x" * chars)

    packer = TaskPacker(max_docs=3, max_chars=100)
    tasks = []
    for item in [doc("a", 10), doc("b", 10), doc("c", 10), doc("d", 10), doc("gross", 150), doc("e", 60), doc("f", 50), doc("g", 5)]:
        tasks += packer.add(item)
    tasks += packer.flush()
    assert [[item.id for item in task] for task in tasks] == [["a", "b", "c"], ["d"], ["gross"], ["e"], ["f", "g"]]


def test_batch_deadline_interrupts_a_worker_thread() -> None:
    # Dask runs tasks in worker threads, where SIGALRM cannot be used.
    outcome: list[str] = []

    def busy() -> None:
        try:
            with deadline(0.2):
                while True:
                    sum(range(100))
        except DocumentTimeout:
            outcome.append("timeout")

    thread = threading.Thread(target=busy)
    thread.start()
    thread.join(5)
    assert outcome == ["timeout"]


def test_batch_deadline_does_not_fire_after_the_block() -> None:
    outcome: list[str] = []

    def quick() -> None:
        with deadline(0.05):
            pass
        time.sleep(0.2)
        outcome.append("fertig")

    thread = threading.Thread(target=quick)
    thread.start()
    thread.join(5)
    assert outcome == ["fertig"]


# ---------------------------------------------------------------------------------------------
# Engines


def test_batch_dask_gives_the_same_records_as_one_worker(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{n}", "text": report_text(n)} for n in range(10)])
    html = tmp_path / "seite.html"
    html.write_text(f"<html><body><article><h1>Workshop in Gera</h1><p>{report_text(11)}</p></article></body></html>", encoding="utf8")
    one = tmp_path / "eins.jsonl"
    dask_out = tmp_path / "dask.jsonl"
    run_batch([str(source), str(html)], one, BatchConfig(model="default", workers=1, batch_size=3))
    summary = run_batch([str(source), str(html)], dask_out, BatchConfig(model="default", workers=2, batch_size=3, engine="dask"))
    assert summary.records == 11
    assert sorted(one.read_text(encoding="utf8").splitlines()) == sorted(dask_out.read_text(encoding="utf8").splitlines())


@pytest.mark.parametrize(
    "address,allowed",
    [
        ("tcp://127.0.0.1:8786", True),
        ("tcp://localhost:8786", True),
        ("tcp://[::1]:8786", True),
        ("127.0.0.1:8786", True),
        ("tcp://10.1.2.3:8786", False),
        ("tcp://8.8.8.8:8786", False),
        ("http://127.0.0.1:8787", False),
    ],
)
def test_batch_scheduler_must_be_loopback(address: str, allowed: bool) -> None:
    if allowed:
        check_loopback(address)
    else:
        with pytest.raises(BatchError):
            check_loopback(address)


def test_batch_count_documents_only_for_plain_files(tmp_path: Path) -> None:
    jsonl = write_jsonl(tmp_path / "a.jsonl", [{"id": str(n), "text": "x"} for n in range(5)])
    txt = tmp_path / "b.txt"
    txt.write_text("Text", encoding="utf8")
    gz = tmp_path / "c.jsonl.gz"
    gz.write_bytes(gzip.compress(b'{"text": "x"}\n'))
    assert count_documents([str(jsonl), str(txt)]) == 6
    assert count_documents([str(jsonl), str(gz)]) is None
    assert count_documents([str(tmp_path)]) is None
    assert count_documents([str(tmp_path / "*.jsonl")]) == 5


def test_batch_expand_inputs_globs_and_keeps_unmatched(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c.jsonl"):
        (tmp_path / name).write_text("x", encoding="utf8")
    assert expand_inputs([str(tmp_path / "*.txt"), str(tmp_path / "*.warc")]) == [
        str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "*.warc")
    ]


# ---------------------------------------------------------------------------------------------
# Command line


@pytest.mark.parametrize("allow_errors,exit_code", [(False, 1), (True, 0)])
def test_batch_cli_exit_code_and_summary(tmp_path: Path, allow_errors: bool, exit_code: int) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "d0", "text": report_text(0)}) + "\nkein json\n", encoding="utf8")
    out = tmp_path / "out.jsonl"
    args = ["batch", str(source), "-o", str(out), "--workers", "0", "--model", "default"]
    result = CliRunner().invoke(cli_app, args + (["--allow-errors"] if allow_errors else []))
    assert result.exit_code == exit_code, result.output
    assert f"read: {source}:2: not valid JSON (Expecting value at column 1)" in result.stderr
    assert "2 documents (0 already done), 1 records, 1 errors, 0 duplicates, 0 skipped" in result.stderr
    assert [r["doc_id"] for r in read_jsonl(out)] == ["d0"]


def test_batch_cli_refuses_existing_output(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d0", "text": report_text(0)}])
    out = tmp_path / "out.jsonl"
    out.write_text('{"doc_id":"alt"}\n', encoding="utf8")
    result = CliRunner().invoke(cli_app, ["batch", str(source), "-o", str(out), "--workers", "0", "--model", "default"])
    assert result.exit_code == 2
    assert "already holds records; use --resume to continue that run or --overwrite to start afresh" in result.stderr
    assert out.read_text(encoding="utf8") == '{"doc_id":"alt"}\n'


def test_batch_full_disk_stops_with_complete_lines_and_resumes(tmp_path: Path) -> None:
    import resource

    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{n}", "text": report_text(n)} for n in range(8)])
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "extractor.cli", "batch", str(source), "-o", str(out), "--workers", "0", "--model", "rules", "-q"]

    def small_files() -> None:  # the file may grow to 6,000 bytes only, as on a disk that fills up
        resource.setrlimit(resource.RLIMIT_FSIZE, (6000, 6000))

    full = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=150, preexec_fn=small_files,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    data = out.read_bytes()
    written = data.count(b"\n")
    assert data.endswith(b"\n") and 1 <= written < 8
    assert full.returncode == 2
    assert full.stderr == f"error: cannot write the output {out}: File too large (stopped after {written} complete records)\n"
    resumed = subprocess.run([*command, "--resume"], cwd=REPO, capture_output=True, text=True, timeout=150)
    assert resumed.returncode == 0, resumed.stderr
    assert sorted(r["doc_id"] for r in read_jsonl(out)) == [f"d{n}" for n in range(8)]


def test_batch_unknown_model_is_refused_before_workers_start(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{n}", "text": report_text(n)} for n in range(3)])
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    result = CliRunner().invoke(cli_app, ["batch", str(source), "-o", str(out), "--model", "gibt_es_nicht", "--workers", "2"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: [E001] Cannot load spaCy pipeline 'gibt_es_nicht': no installed package or directory of that name. "
        "Give an installed package name (e.g. de_core_news_lg, installed with `python -m spacy download de_core_news_lg`), "
        "a directory saved with nlp.to_disk(), or 'auto' / 'default' for the embedded pipeline.\n"
    )
    assert not out.exists() and not errors_path_for(out).exists()
    assert time.monotonic() - started < 5  # no worker was started


def test_batch_model_directory_without_config_is_refused(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d0", "text": report_text(0)}])
    folder = tmp_path / "mein_modell"
    folder.mkdir()
    with pytest.raises(BatchError, match=r"^\[E001\] Cannot load spaCy pipeline '.*mein_modell': a directory without config.cfg"):
        run_batch([str(source)], tmp_path / "out.jsonl", BatchConfig(model=str(folder), workers=2))


def test_batch_model_the_workers_cannot_load_is_one_error_not_a_traceback_per_worker(tmp_path: Path) -> None:
    # Passes the cheap check in the parent (a directory with config.cfg), fails in every worker.
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{n}", "text": report_text(n)} for n in range(3)])
    folder = tmp_path / "kaputtes_modell"
    folder.mkdir()
    (folder / "config.cfg").write_text("[nlp]\nlang = \"de\"\npipeline = [\"gibtsnicht\"]\n", encoding="utf8")
    out = tmp_path / "out.jsonl"
    result = subprocess.run([sys.executable, "-m", "extractor.cli", "batch", str(source), "-o", str(out),
                             "--model", str(folder), "--workers", "1"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: [E001] Cannot load spaCy pipeline '{folder}': ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert out.read_text(encoding="utf8") == ""


def test_batch_more_workers_than_cpus_warns_once_and_runs(tmp_path: Path) -> None:
    from extractor.cli.batch import usable_cpus

    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{n}", "text": report_text(n)} for n in range(2)])
    out = tmp_path / "out.jsonl"
    many = usable_cpus() + 1
    result = CliRunner().invoke(cli_app, ["batch", str(source), "-o", str(out), "--model", "rules", "--workers", str(many)])
    assert result.exit_code == 0, result.output
    warning = (f"warning: --workers {many} is more than the {usable_cpus()} CPUs of this machine: "
               "the extra workers only share them, and each loads its own pipeline\n")
    assert result.stderr.startswith(warning) and result.stderr.count("warning:") == 1
    assert sorted(r["doc_id"] for r in read_jsonl(out)) == ["d0", "d1"]


def test_batch_worker_vocabulary_does_not_grow_with_the_archive() -> None:
    # Each batch runs in a spaCy memory zone: the new words of one batch leave no strings behind,
    # and the records are complete (they are JSON lines made inside the zone).
    from models.inputs import InputRecord

    def batch(n: int) -> list[InputRecord]:
        tag = "abcdefgh"
        return [InputRecord(id=f"z{n}-{i}", text=f"Frau Zorbakowski{tag[n]}{tag[i]} eröffnete in Fulda den Fachtag "
                                                 f"Quellwerk{tag[n]}{tag[i]} mit 40 Gästen.") for i in range(4)]

    extractor = batch_worker.worker_extractor("rules")
    batch_worker.process_batch(batch(0), "rules", None)  # loads lexicons and first-use tables
    strings = len(extractor.nlp.vocab.strings)
    out = batch_worker.process_batch(batch(1), "rules", None) + batch_worker.process_batch(batch(2), "rules", None)
    assert len(extractor.nlp.vocab.strings) == strings
    records = [json.loads(o["line"]) for o in out]
    assert [r["doc_id"] for r in records] == [f"z{n}-{i}" for n in (1, 2) for i in range(4)]
    assert records[0]["persons"][0]["name"] == "Zorbakowskiba"
    assert records[5]["locations"][0]["name"] == "Fulda"


def test_batch_deadline_is_not_swallowed_by_a_rule_component() -> None:
    """A rule component catches its own failures; the deadline must still end the document."""
    import time

    import spacy

    from extractor.components.base import RuleComponent

    class Slow(RuleComponent):
        def __call__(self, doc):  # noqa: ANN001, ANN204
            end = time.monotonic() + 5
            while time.monotonic() < end:
                pass
            return doc

    nlp = spacy.blank("de")
    component = Slow(nlp, "slow")
    started = time.monotonic()
    with pytest.raises(DocumentTimeout):
        with deadline(0.3):
            list(component.pipe([nlp("Eva Roth sprach.")]))
    assert time.monotonic() - started < 2


def test_batch_component_failure_is_a_warning_without_traceback(capsys) -> None:
    import spacy

    from extractor.components.base import RuleComponent

    class Broken(RuleComponent):
        def __call__(self, doc):  # noqa: ANN001, ANN204
            raise IndexError("string index out of range")

    nlp = spacy.blank("de")
    docs = list(Broken(nlp, "broken").pipe([nlp("Eva Roth sprach.")]))
    assert docs[0]._.ef_warnings and "broken" in docs[0]._.ef_warnings[0]
    assert "Traceback" not in capsys.readouterr().err
