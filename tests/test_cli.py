"""The `eventfacts` command line, end to end with typer's CliRunner on files in tmp_path."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

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
    # Checked before the model loads (an unknown model would otherwise be the first error).
    result = runner.invoke(app, ["extract", str(inputs / "a.txt"), "--published", "gestern", "--model", "gibt_es_nicht"])
    assert result.exit_code == 2
    assert result.stderr == ("error: --published: published = 'gestern' is not an ISO date; give it as YYYY-MM-DD, "
                             "e.g. 2024-05-03\n")


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


# ---------------------------------------------------------------------------------------------
# Outputs that cannot be written, Ctrl-C and closed pipes (real processes where signals and
# file descriptors matter)

REPO = Path(__file__).resolve().parent.parent
CITIES = ["Fulda", "Kassel", "Gera", "Cottbus", "Lüneburg"]


def _archive(path: Path, n: int, sentences: int = 1) -> Path:
    rows = [{"id": f"b{k:03d}", "text": " ".join(
        f"Rund {k + j + 20} Gäste kamen am Dienstag zum Fachtag der Handwerkskammer in {CITIES[(k + j) % 5]}."
        for j in range(sentences))} for k in range(n)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf8")
    return path


def _eventfacts(*args: str, prefix: Sequence[str] = (), **options) -> subprocess.Popen:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    options.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.Popen([*prefix, sys.executable, "-m", "extractor.cli", *args], cwd=REPO, env=env, **options)


def _complete_lines(path: Path) -> int:
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n"), "a torn last line was left behind"
    for line in data.splitlines():
        json.loads(line)
    return data.count(b"\n")


def _without_root_powers() -> list[str]:
    """A command prefix under which file permissions hold (root otherwise writes read-only files)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.parametrize(
    "where,message",
    [
        ("fehlt/out.jsonl", "cannot create the output {out}: the directory {tmp}/fehlt does not exist"),
        ("ordner", "the output {out} is a directory; give a file name, e.g. {out}/facts.jsonl"),
    ],
)
def test_cli_extract_unwritable_output_is_named_before_the_model_loads(inputs, tmp_path, where, message):
    (tmp_path / "ordner").mkdir()
    out = tmp_path / where
    # The model does not exist: had it been loaded first, the message would be [E001].
    result = runner.invoke(app, ["extract", str(inputs / "a.txt"), "-o", str(out), "--model", "gibt_es_nicht"])
    assert result.exit_code == 2
    assert result.stderr == "error: " + message.format(out=out, tmp=tmp_path) + "\n"


@pytest.mark.parametrize("command", ["extract", "batch"])
@pytest.mark.parametrize(
    "target,message",
    [
        ("nur-lesen/out.jsonl", "cannot create the output {out}: the directory {tmp}/nur-lesen is not writable"),
        ("fest.jsonl", "cannot write the output {out}: permission denied"),
    ],
)
def test_cli_read_only_output_is_named_before_the_model_loads(tmp_path, command, target, message):
    prefix = _without_root_powers()
    source = _archive(tmp_path / "in.jsonl", 1)
    (tmp_path / "nur-lesen").mkdir(mode=0o555)
    (tmp_path / "fest.jsonl").write_text("", encoding="utf8")
    (tmp_path / "fest.jsonl").chmod(0o444)
    out = tmp_path / target
    proc = _eventfacts(command, str(source), "-o", str(out), "--model", "gibt_es_nicht", prefix=prefix,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert stderr == "error: " + message.format(out=out, tmp=tmp_path) + "\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_cli_extract_output_on_a_full_device(inputs):
    result = runner.invoke(app, ["extract", str(inputs / "a.txt"), "-o", "/dev/full", "--model", "rules", "-q"])
    assert result.exit_code == 2
    assert result.stderr == "error: cannot write the output /dev/full: No space left on device\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize(
    "args,message",
    [
        (["extract", "{source}", "--model", "rules", "-q"], "error: cannot write to standard output: No space left on device\n"),
        (["schema"], "error: cannot write the output: No space left on device\n"),
    ],
)
def test_cli_stdout_on_a_full_device(tmp_path, args, message):
    source = _archive(tmp_path / "in.jsonl", 3)
    with open("/dev/full", "wb") as full:
        proc = _eventfacts(*[a.format(source=source) for a in args], stdout=full, stderr=subprocess.PIPE, text=True)
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert stderr == message  # one line: no traceback, no "Exception ignored" at shutdown


def test_cli_extract_write_failure_leaves_no_torn_line(tmp_path):
    # The file may grow to 2,500 bytes only: a record is cut in the middle, as on a full disk.
    source = _archive(tmp_path / "in.jsonl", 10)
    out = tmp_path / "out.jsonl"

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2500, 2500))

    proc = _eventfacts("extract", str(source), "-o", str(out), "--model", "rules", "-q",
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=small_files)
    _, stderr = proc.communicate(timeout=120)
    written = _complete_lines(out)
    assert 1 <= written < 10 and out.stat().st_size < 2500
    assert proc.returncode == 2
    assert stderr == f"error: cannot write the output {out}: File too large (stopped after {written} complete records)\n"


def test_cli_extract_ctrl_c_says_what_was_written_and_how_to_go_on(tmp_path, monkeypatch):
    from extractor.api import Extractor

    real_pipe = Extractor.pipe

    def pipe_until_ctrl_c(self, records, **options):  # noqa: ANN001, ANN202 - Ctrl-C after the third record
        for n, report in enumerate(real_pipe(self, records, **options), start=1):
            yield report
            if n == 3:
                raise KeyboardInterrupt

    monkeypatch.setattr(Extractor, "pipe", pipe_until_ctrl_c)
    source = _archive(tmp_path / "in.jsonl", 10)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(source), "-o", str(out), "--model", "rules", "--published", "2024-05-03", "-q"])
    assert result.exit_code == 130
    assert _complete_lines(out) == 3
    assert result.stderr.splitlines() == [
        f"interrupted: 3 records written to {out}, 0 errors, 7 documents left",
        f"to go on without redoing them, run: eventfacts batch {source} -o {out} --resume --model rules --published 2024-05-03",
    ]
    # The hint works: batch --resume adds the other documents, each once.
    monkeypatch.setattr(Extractor, "pipe", real_pipe)
    resumed = runner.invoke(app, ["batch", str(source), "-o", str(out), "--resume", "--model", "rules",
                                  "--published", "2024-05-03", "--workers", "0", "-q"])
    assert resumed.exit_code == 0, resumed.output
    assert sorted(r["doc_id"] for r in _records(out.read_text(encoding="utf8"))) == [f"b{k:03d}" for k in range(10)]


def test_cli_extract_sigint_exits_130_with_the_summary(tmp_path):
    # A real SIGINT, while extract waits for the fourth document on standard input.
    out = tmp_path / "out.jsonl"
    lines = _archive(tmp_path / "in.jsonl", 3).read_bytes()
    proc = _eventfacts("extract", "-", "-o", str(out), "--model", "rules", "--batch-size", "1", "-q",
                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        proc.stdin.write(lines)
        proc.stdin.flush()
        give_up = time.monotonic() + 120
        while not (out.exists() and out.read_bytes().count(b"\n") == 3):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < give_up, "no records within 120 s"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        stderr = proc.stderr.read().decode()
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert _complete_lines(out) == 3
    assert stderr.splitlines() == [
        f"interrupted: 3 records written to {out}, 0 errors, the rest of the input left",
        f"to go on without redoing them, run: eventfacts batch - -o {out} --resume --model rules",
    ]


def test_cli_extract_into_a_closed_pipe_exits_quietly(tmp_path):
    # `eventfacts extract archiv.jsonl | head -1`; the records are more than a pipe holds (64 KB), so
    # extract is still writing when the reader goes.
    source = _archive(tmp_path / "in.jsonl", 300)
    proc = _eventfacts("extract", str(source), "--model", "rules", "--batch-size", "1", "-q",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.wait(timeout=120)
    assert json.loads(first)["doc_id"] == "b000"
    assert proc.returncode == 141  # 128 + SIGPIPE, as a shell reports for any program ended by a closed pipe
    assert stderr == b""


@pytest.mark.parametrize(
    "args,closed,message",
    [
        (["extract", "{source}"], 1, "error: standard output is closed; give an output file with -o\n"),
        (["extract", "-"], 0, "error: standard input is closed; '-' has nothing to read\n"),
        (["batch", "-", "-o", "{out}"], 0, "error: standard input is closed; '-' has nothing to read\n"),
    ],
)
def test_cli_closed_standard_streams_are_usage_errors(tmp_path, args, closed, message):
    # `eventfacts extract bericht.txt >&-` and `eventfacts extract - <&-`; checked before the model loads.
    source = _archive(tmp_path / "in.jsonl", 1)
    command = [a.format(source=source, out=tmp_path / "out.jsonl") for a in args] + ["--model", "gibt_es_nicht"]
    options = {"stdout": subprocess.PIPE} if closed == 0 else {"stdin": subprocess.DEVNULL}
    proc = _eventfacts(*command, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(closed), **options)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert stderr == message
