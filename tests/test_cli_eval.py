"""End to end: `corpus check`, `corpus import`, `evaluate` in a local Typer app registered like the lead's,
plus the two scripts."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from extractor.cli.corpus import corpus_app
from extractor.cli.evaluate import evaluate_command

ROOT = Path(__file__).resolve().parents[1]

app = typer.Typer()


@app.callback()
def _root() -> None:
    """Test app."""


app.add_typer(corpus_app, name="corpus")
app.command("evaluate")(evaluate_command)
runner = CliRunner()

TEXT = "Workshop in Trier\nAnna Roth von der IHK Trier begrüßte 30 Gäste. Danach sprach Roth in Trier."


def _m(needle: str, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return {"start": start, "end": start + len(needle), "text": needle}


def _facts(with_location: bool = True) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "doc_id": "c1",
        "persons": [{"name": "Anna Roth", "mentions": [_m("Anna Roth"), _m("Roth", 1)]}],
        "organisations": [{"name": "IHK Trier", "mentions": [_m("IHK Trier")]}],
        "quantities": [{"value": 30, "unit": "Gäste", "text": "30 Gäste", "mention": _m("30 Gäste")}],
        "locations": [],
    }
    if with_location:
        facts["locations"] = [{"name": "Trier", "mentions": [_m("Trier"), _m("Trier", 2)]}]
    return facts


def _gold_line() -> dict[str, Any]:
    facts = _facts()
    spans = [{**m, "label": "PER"} for m in facts["persons"][0]["mentions"]]
    spans += [{**_m("IHK Trier"), "label": "ORG"}, {**_m("30 Gäste"), "label": "QUANTITY"}]
    spans += [{**m, "label": "LOC"} for m in facts["locations"][0]["mentions"]]
    spans.sort(key=lambda s: s["start"])
    return {"id": "c1", "text": TEXT, "meta": {"published": "2024-03-02"}, "spans": spans, "relations": [], "facts": facts}


@pytest.fixture()
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(_gold_line(), ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def pred_file(tmp_path: Path) -> Path:
    path = tmp_path / "pred.jsonl"
    reports = [_facts(with_location=False), {"doc_id": "unknown"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports), encoding="utf-8")
    return path


def test_cli_eval_check_clean_file(gold_file: Path) -> None:
    result = runner.invoke(app, ["corpus", "check", str(gold_file)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "1 file(s), 1 line(s), 0 problem(s)"


def test_cli_eval_check_reports_file_line(tmp_path: Path, gold_file: Path) -> None:
    bad = _gold_line()
    bad["spans"][0]["label"] = "PERSON"
    path = tmp_path / "bad.jsonl"
    path.write_text(gold_file.read_text(encoding="utf-8") + json.dumps(bad, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["corpus", "check", str(gold_file), str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"{path}:2: [c1] id already used on line 1"
    assert lines[1].startswith(f"{path}:2: [c1] spans[0] PERSON 12..17: label 'PERSON' is not one of")
    assert lines[2] == f"{path}:2: [c1] facts: LOC mention 'Trier' 12..17 has no LOC span"
    assert lines[3:] == ["2 file(s), 3 line(s), 3 problem(s)"]


def test_cli_eval_import_doccano(tmp_path: Path) -> None:
    source = tmp_path / "doccano.jsonl"
    source.write_text(json.dumps({"id": 5, "text": "Eva Blau kam nach Ulm.", "label": [[0, 8, "PER"], [18, 21, "LOC"]]}) + "\n",
                      encoding="utf-8")
    out = tmp_path / "gold.jsonl"
    result = runner.invoke(app, ["corpus", "import", "--from", "doccano", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["spans"] == [{"start": 0, "end": 8, "label": "PER", "text": "Eva Blau"},
                             {"start": 18, "end": 21, "label": "LOC", "text": "Ulm"}]
    assert line["meta"]["facts"] is False
    assert result.stderr.strip() == f"1 document(s) written to {out}, 0 problem(s)"


def test_cli_eval_import_flags_unknown_labels(tmp_path: Path) -> None:
    source = tmp_path / "doccano.jsonl"
    source.write_text(json.dumps({"id": 5, "text": "Eva Blau kam.", "label": [[0, 8, "KUNDE"]]}) + "\n", encoding="utf-8")
    out = tmp_path / "gold.jsonl"
    result = runner.invoke(app, ["corpus", "import", "--from", "doccano", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"{out}:1: [5] spans[0] KUNDE 0..8: label 'KUNDE' is not one of")


def test_cli_eval_evaluate_pred_json(gold_file: Path, pred_file: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(gold_file), "--pred", str(pred_file), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["fields"]["persons"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert figures["fields"]["locations"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}
    assert figures["spans"]["labels"]["LOC"]["strict"]["missed"] == 2
    assert figures["spans"]["micro"]["strict"]["recall"] == pytest.approx(4 / 6)
    assert figures["warnings"] == ["prediction 'unknown' has no gold document; ignored"]
    assert "prediction 'unknown' has no gold document; ignored" in result.stderr


def test_cli_eval_evaluate_errors_and_compare(tmp_path: Path, gold_file: Path, pred_file: Path) -> None:
    first = runner.invoke(app, ["evaluate", str(gold_file), "--pred", str(pred_file), "--json"])
    baseline = json.loads(first.stdout)
    baseline["fields"]["persons"]["f1"] = 0.75
    baseline["fields"]["locations"]["f1"] = 0.5
    base_path = tmp_path / "baseline.json"
    base_path.write_text(json.dumps(baseline), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(gold_file), "--pred", str(pred_file), "--errors", "--compare", str(base_path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "| persons | 1.000 | 1.000 | 1.000 | 1 | 0 | 0 |" in out
    assert "| persons | 0.750 | 1.000 | +0.250 |" in out
    assert "| locations | 0.500 | 0.000 | -0.500 |" in out
    assert "- missed `c1`: Trier — “Workshop in Trier”" in out
    assert "- missed `c1`: 'Trier' 87..92 — “Danach sprach Roth in Trier.”" in out


def test_cli_eval_evaluate_runs_pipeline(gold_file: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(gold_file), "--model", "default"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Evaluation: 1 documents (1 with record-level gold)")
    assert "| persons |" in result.stdout


def test_cli_eval_evaluate_bad_gold(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path), "--pred", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{path}:1: a gold line needs 'id', 'text' and 'spans'"


@pytest.mark.parametrize(
    "content,message",
    [
        (b'{"id": "c1", "text": "Eva kam."}\n', "a line is not an EventReport record (3 problems, e.g. doc_id: field required); "
                                                 "give the output of eventfacts extract or batch"),
        (b'{"doc_id": "c1"}\n{kaputt\n', "a line is not JSON (Expecting property name enclosed in double quotes at column 2)"),
        (b"\x89PNG\r\n\x00\x00", "not UTF-8 text"),
    ],
)
def test_cli_eval_evaluate_pred_that_holds_no_records(tmp_path: Path, gold_file: Path, content: bytes, message: str) -> None:
    pred = tmp_path / "vorhersage.jsonl"
    pred.write_bytes(content)
    result = runner.invoke(app, ["evaluate", str(gold_file), "--pred", str(pred)])
    assert result.exit_code == 2
    assert result.stderr == f"error: --pred {pred}: {message}\n"


@pytest.mark.parametrize(
    "content,message",
    [
        (b"[1, 2]", "not a JSON evaluation output (the object --json prints), but an array"),
        (b"\x89PNG\x00", "not a JSON evaluation output: 'utf-8' codec can't decode byte 0x89 in position 0: invalid start byte"),
    ],
)
def test_cli_eval_compare_that_is_no_evaluation(tmp_path: Path, gold_file: Path, pred_file: Path, content: bytes, message: str) -> None:
    baseline = tmp_path / "alt.json"
    baseline.write_bytes(content)
    result = runner.invoke(app, ["evaluate", str(gold_file), "--pred", str(pred_file), "--compare", str(baseline)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"error: {baseline}: {message}"


def test_cli_eval_import_problems_are_one_line(tmp_path: Path) -> None:
    source = tmp_path / "doccano.jsonl"
    source.write_text(json.dumps({"id": 5, "text": "Eva Blau kam.", "label": [[0, 8, "PER"]]}) + "\n", encoding="utf-8")
    missing = tmp_path / "fehlt" / "gold.jsonl"
    result = runner.invoke(app, ["corpus", "import", "--from", "doccano", str(source), "-o", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot create the output {missing}: the directory {missing.parent} does not exist\n"
    binary = tmp_path / "bild.jsonl"
    binary.write_bytes(b"\x89PNG\x00\x01")
    result = runner.invoke(app, ["corpus", "import", "--from", "doccano", str(binary), "-o", str(tmp_path / "gold.jsonl")])
    assert result.exit_code == 2
    assert result.stderr == f"error: {binary}: not UTF-8 text (invalid start byte at byte 0)\n"


def test_cli_eval_script_wrapper(gold_file: Path, pred_file: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "evaluate.py"), str(gold_file), "--pred", str(pred_file), "--json"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["fields"]["organisations"]["f1"] == 1.0


@pytest.fixture(scope="module")
def evaluate_ner():
    """scripts/evaluate_ner.py loaded as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("evaluate_ner", ROOT / "scripts" / "evaluate_ner.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_eval_ner_script_json(evaluate_ner, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = evaluate_ner
    path = tmp_path / "mini.conll"
    path.write_text("Die\tO\nKonferenz\tO\nfand\tO\nin\tO\nBerlin\tB-LOC\nstatt\tO\n.\tO\n\n"
                    "Sie\tO\nlas\tO\nFaust\tB-MISC\n.\tO\n", encoding="utf-8")
    assert module.main([str(path), "--model", "default", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["per_label"]["LOC"] == {"f1": 1.0, "precision": 1.0, "recall": 1.0, "support": 1}
    assert figures["per_label"]["MISC"]["support"] == 1
    assert figures["recall"] == pytest.approx(0.5)


def test_cli_eval_ner_script_ner_only(evaluate_ner, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --ner-only scores doc.ents of the statistical NER; the rules pipeline has none and is refused.
    module = evaluate_ner
    path = tmp_path / "mini.conll"
    path.write_text("Die\tO\nDelegation\tO\nreiste\tO\nnach\tO\nBerlin\tB-LOC\n.\tO\n", encoding="utf-8")
    nlp, _ = module.load_pipeline("default")
    doc = nlp.make_doc("Die Delegation reiste nach Berlin .")
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "ner":
            break
    assert module.ner_tags(doc) == ["O", "O", "O", "O", "B-LOC", "O"]
    assert list(module.run(nlp, [[t.text for t in doc]], 8, ner_only=True)) == [module.ner_tags(doc)]
    assert module.main([str(path), "--model", "default", "--json", "--ner-only"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["per_label"]["LOC"] == {"f1": 1.0, "precision": 1.0, "recall": 1.0, "support": 1}
    with pytest.raises(SystemExit):
        module.main([str(path), "--model", "rules", "--ner-only"])
