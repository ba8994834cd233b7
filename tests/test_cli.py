"""The `eventfacts` command line, end to end with typer's CliRunner on files in tmp_path."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from extractor import __version__
from extractor.cli import app
from models import EventReport

runner = CliRunner()
TEXT_A = "Fachtag in Kassel\nRund 80 Teilnehmende kamen zum Fachtag der Hochschule Kassel."
TEXT_B = "Die Stadt Fulda begrüßte 12 Gäste im Rathaus."


def _records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture()
def inputs(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT_A, encoding="utf8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.jsonl").write_text(
        json.dumps({"id": "b1", "text": TEXT_B, "published": "2024-03-01"}, ensure_ascii=False) + "\n", encoding="utf8"
    )
    return tmp_path


def test_cli_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"eventfacts {__version__}"


@pytest.mark.parametrize("command", [[], ["extract"], ["schema"], ["info"]])
def test_cli_help_explains(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_cli_extract_help_names_every_option():
    out = runner.invoke(app, ["extract", "--help"]).stdout
    for option in ("--output", "--published", "--model", "--pretty", "--batch-size", "--quiet"):
        assert option in out


def test_cli_extract_txt_file(inputs):
    result = runner.invoke(app, ["extract", str(inputs / "a.txt"), "--model", "default", "-q"])
    assert result.exit_code == 0, result.output
    (rec,) = _records(result.stdout)
    assert rec["doc_id"] == "a"
    assert rec["source"] == str(inputs / "a.txt")
    assert rec["quantities"][0]["text"] == "Rund 80 Teilnehmende"
    EventReport.model_validate(rec, context={"text": TEXT_A})


def test_cli_extract_directory_recursive_and_output_file(inputs, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(inputs), "-o", str(out), "--model", "default", "-q"])
    assert result.exit_code == 0, result.output
    recs = _records(out.read_text(encoding="utf8"))
    assert [r["doc_id"] for r in recs] == ["a", "b1"]
    assert recs[1]["published"] == "2024-03-01"
    assert result.stdout == ""


def test_cli_record_published_wins_over_option(inputs):
    result = runner.invoke(app, ["extract", str(inputs / "sub" / "b.jsonl"), "--published", "2020-01-01", "--model", "default", "-q"])
    assert _records(result.stdout)[0]["published"] == "2024-03-01"


def test_cli_published_option_applies_to_txt(inputs):
    result = runner.invoke(app, ["extract", str(inputs / "a.txt"), "--published", "2024-06-10", "--model", "default", "-q"])
    assert _records(result.stdout)[0]["published"] == "2024-06-10"


def test_cli_stdin_text():
    result = runner.invoke(app, ["extract", "-", "--model", "default", "-q"], input=TEXT_B)
    (rec,) = _records(result.stdout)
    assert rec["doc_id"] == "stdin"
    assert rec["quantities"][0]["value"] == 12


def test_cli_bad_jsonl_line_reported_others_processed(tmp_path):
    path = tmp_path / "press.jsonl"
    path.write_text(
        json.dumps({"id": "ok1", "text": TEXT_B}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "nobody", "body": "x"}) + "\n"
        + json.dumps({"id": "ok2", "text": TEXT_A}) + "\n",
        encoding="utf8",
    )
    result = runner.invoke(app, ["extract", str(path), "--model", "default"])
    assert result.exit_code == 1
    assert [r["doc_id"] for r in _records(result.stdout)] == ["ok1", "ok2"]
    assert f"{path}:2: not valid JSON" in result.stderr
    assert f"{path}:3: no field 'text' (found: id, body)" in result.stderr
    assert "2 records written, 2 errors" in result.stderr


def test_cli_legacy_encoding_decoded_with_warning(tmp_path):
    path = tmp_path / "alt.txt"
    path.write_bytes("Grüße aus Köln: 30 Gäste kamen.".encode("cp1252"))
    result = runner.invoke(app, ["extract", str(path), "--model", "default", "-q"])
    assert result.exit_code == 0
    (rec,) = _records(result.stdout)
    assert rec["warnings"][0].startswith("decoded as cp1252")
    assert rec["quantities"][0]["mention"]["text"] == "30 Gäste"


def test_cli_binary_file_is_an_error_and_run_continues(tmp_path, inputs):
    bad = tmp_path / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = runner.invoke(app, ["extract", str(bad), str(inputs / "a.txt"), "--model", "default"])
    assert result.exit_code == 1
    assert [r["doc_id"] for r in _records(result.stdout)] == ["a"]
    assert str(bad) in result.stderr


def test_cli_empty_text_gives_record_with_warning(tmp_path):
    path = tmp_path / "leer.txt"
    path.write_text("  \n", encoding="utf8")
    result = runner.invoke(app, ["extract", str(path), "--model", "default", "-q"])
    assert result.exit_code == 0
    assert _records(result.stdout)[0]["warnings"] == ["[W001] empty text: nothing to extract"]


def test_cli_pretty_output_is_indented(inputs):
    result = runner.invoke(app, ["extract", str(inputs / "a.txt"), "--pretty", "--model", "default", "-q"])
    assert result.stdout.startswith('{\n  "schema_version"')


def test_cli_unknown_model_is_a_clear_error(inputs):
    result = runner.invoke(app, ["extract", str(inputs / "a.txt"), "--model", "de_core_news_xx"])
    assert result.exit_code == 2
    assert "[E001]" in result.stderr


def test_cli_bad_published_option(inputs):
    result = runner.invoke(app, ["extract", str(inputs / "a.txt"), "--published", "gestern", "--model", "default"])
    assert result.exit_code == 2
    assert "--published" in result.stderr


def test_cli_schema_is_the_model_schema():
    result = runner.invoke(app, ["schema"])
    assert json.loads(result.stdout) == EventReport.model_json_schema()


@pytest.mark.parametrize(
    "model,ner",
    [("default", "the embedded eventfacts NER (extractor/default_model)"), ("rules", "rules and lexicons only")],
)
def test_cli_info_says_what_was_loaded(model, ner):
    result = runner.invoke(app, ["info", "--model", model])
    assert result.exit_code == 0
    assert f"base pipeline: {model}" in result.stdout
    assert ner in result.stdout


@pytest.mark.parametrize("command", [["extract"], ["batch"]])
def test_cli_refuses_an_output_that_is_an_input(tmp_path, command):
    data = tmp_path / "a.jsonl"
    original = '{"id": "a", "text": "Eva Roth sprach in Kassel."}\n'
    data.write_text(original, encoding="utf-8")
    link = tmp_path / "same.jsonl"
    link.hardlink_to(data)  # another name, the same file
    args = [*command, str(data), "-o", str(link), "--model", "default"]
    if command == ["batch"]:
        args += ["--overwrite", "--workers", "0"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "is also the input" in result.stderr
    assert data.read_text(encoding="utf-8") == original


@pytest.mark.parametrize("size", ["0", "-5"])
def test_cli_extract_batch_size_must_be_positive(inputs, size):
    result = runner.invoke(app, ["extract", str(inputs / "a.txt"), "--batch-size", size, "--model", "default"])
    assert result.exit_code == 2
    assert "--batch-size" in result.stderr


def test_cli_messages_show_user_text_that_looks_like_markup(tmp_path):
    folder = tmp_path / "[dim]"
    folder.mkdir()
    data = folder / "a.jsonl"
    data.write_text('{"id": "[/x]", "text": 5}\n{"id": "[bold]b", "text": "Eva Roth kam."}\n'
                    '{"id": "[bold]b", "text": "Eva Roth kam."}\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(data), str(tmp_path / "[/x]"), "--model", "default"])
    assert result.exit_code == 1
    assert f"{data}:1: field 'text' must be a string" in result.stderr
    assert "duplicate id '[bold]b'" in result.stderr
    assert f"{tmp_path / '[/x]'}: no such file or directory" in result.stderr
