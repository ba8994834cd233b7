"""Hostile input at the reading boundary (issue 10): compressed or binary files under any name,
control characters, content judged the same way on every path in (file, directory, pipe, stdin),
size limits that hold before anything is read, and messages a terminal can show."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import time
from pathlib import Path

import pytest

from corpus import ReadError, iter_documents, sniffing
from corpus.errors import printable
from models.inputs import InputRecord
from tests.helpers import fed_path

BERICHT = "Am Freitag kamen 40 Gäste zum Fachtag in Fulda. Landrätin Eva Roth eröffnete die Tagung.\n"
JSONL = "".join(
    json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n"
    for doc_id, text in (("pm-1", BERICHT), ("pm-2", "Das Netzwerktreffen in Kassel zählte 25 Gründerinnen."))
)
PAGE = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Fachtag in Fulda</title></head><body>'
    '<nav><a href="/">Startseite</a></nav><article><h1>Fachtag in Fulda</h1>'
    "<p>Am Freitag kamen 40 Gäste zum Fachtag in die Orangerie Fulda. Landrätin Eva Roth eröffnete die Tagung "
    "und sprach über Ausbildung in kleinen Betrieben.</p>"
    "<p>Die Industrie- und Handelskammer Fulda hatte gemeinsam mit der Hochschule eingeladen.</p>"
    "</article><footer>Impressum</footer></body></html>"
)
PAGE_TEXT = (
    "Fachtag in Fulda\nAm Freitag kamen 40 Gäste zum Fachtag in die Orangerie Fulda. Landrätin Eva Roth eröffnete "
    "die Tagung und sprach über Ausbildung in kleinen Betrieben.\n"
    "Die Industrie- und Handelskammer Fulda hatte gemeinsam mit der Hochschule eingeladen."
)


def _records(items: list) -> list[tuple[str | None, str]]:
    return [(item.id, item.text) for item in items if isinstance(item, InputRecord)]


def _errors(items: list) -> list[ReadError]:
    return [item for item in items if isinstance(item, ReadError)]


# ---------------------------------------------------------------------------------------------
# Compression and binary formats, whatever the name


@pytest.mark.parametrize(
    "name,pack",
    [
        ("bericht.txt", gzip.compress),  # was "binary file, not text (contains NUL bytes)"
        ("bericht.txt", bz2.compress),
        ("bericht.txt", lzma.compress),
        ("bericht", gzip.compress),
        ("bericht.txt.gz", gzip.compress),
        ("bericht.txt.bz2", bz2.compress),
    ],
)
def test_sniffing_compressed_text_is_unpacked_whatever_the_name(tmp_path: Path, name: str, pack) -> None:  # noqa: ANN001
    path = tmp_path / name
    path.write_bytes(pack(BERICHT.encode("utf-8")))
    (record,) = iter_documents([str(path)])
    assert isinstance(record, InputRecord)
    assert (record.id, record.text, record.warnings) == ("bericht", BERICHT, [])


@pytest.mark.parametrize("pack", [gzip.compress, bz2.compress, lzma.compress])
def test_sniffing_compressed_jsonl_is_read_line_by_line(tmp_path: Path, pack) -> None:  # noqa: ANN001
    path = tmp_path / "archiv.jsonl"
    path.write_bytes(pack(JSONL.encode("utf-8")))
    items = list(iter_documents([str(path)]))
    assert [item.id for item in items] == ["pm-1", "pm-2"]


def test_sniffing_gzip_named_txt_in_a_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(gzip.compress(BERICHT.encode("utf-8")))
    (tmp_path / "b.txt").write_text("Jan Kurz sprach in Jena.", encoding="utf-8")
    assert _records(list(iter_documents([str(tmp_path)]))) == [("a", BERICHT), ("b", "Jan Kurz sprach in Jena.")]


@pytest.mark.parametrize(
    "name,raw,message",
    [
        ("bericht.txt", b"(\xb5/\xfd" + bytes(range(40)), "binary file, not text (zstd-compressed; unpack it first with zstd -d)"),
        ("bericht.txt", gzip.compress(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "binary file, not text (a PDF document, gzip-compressed)"),
        ("bericht.txt", b"PK\x03\x04\x14\x00\x06\x00" + bytes(40), "binary file, not text (a ZIP archive (also .docx, .odt, .xlsx))"),
        ("presse.jsonl", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(40), "binary file, not JSONL (a JPEG image)"),
        ("bericht.txt", gzip.compress(BERICHT.encode() * 50)[:40], "gzip file is truncated (compressed data ends early)"),
        ("bericht.txt", b"BZh91AY&SY" + bytes(range(1, 60)), "bzip2 data is corrupt (Invalid data stream)"),
    ],
)
def test_sniffing_binary_and_broken_files_say_what_they_are(tmp_path: Path, name: str, raw: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(raw)
    (error,) = iter_documents([str(path)])
    assert isinstance(error, ReadError)
    assert (error.path, error.message) == (str(path), message)


def test_sniffing_compressed_standard_input_is_unpacked() -> None:
    items = list(iter_documents(["-"], stdin=io.BytesIO(gzip.compress(JSONL.encode("utf-8")))))
    assert [(item.id, item.source) for item in items] == [("pm-1", "<stdin>"), ("pm-2", "<stdin>")]


# ---------------------------------------------------------------------------------------------
# One rule for control characters: a few become spaces (with a warning), binary data is refused


def test_sniffing_one_nul_is_replaced_the_same_way_on_every_path(tmp_path: Path) -> None:
    text = "Fachtag\x00 in Fulda: 40 Gäste kamen."
    expected = "Fachtag  in Fulda: 40 Gäste kamen."
    txt = tmp_path / "nul.txt"
    txt.write_bytes(text.encode("utf-8"))
    escaped = tmp_path / "escaped.jsonl"
    escaped.write_text(json.dumps({"id": "escaped", "text": text}) + "\n", encoding="utf-8")
    raw = tmp_path / "raw.jsonl"
    raw.write_bytes(b'{"id": "raw", "text": "' + text.encode("utf-8") + b'"}\n')
    items = list(iter_documents([str(txt), str(escaped), str(raw), "-"], stdin=io.BytesIO(text.encode("utf-8"))))
    assert [(item.id, item.text) for item in items] == [("nul", expected), ("escaped", expected), ("raw", expected), ("stdin", expected)]
    assert [item.warnings for item in items] == [
        ["1 control character(s) in text replaced by spaces"],
        ["1 control character(s) in text replaced by spaces"],
        ["1 control character(s) in the line replaced by spaces"],
        ["1 control character(s) in text replaced by spaces"],
    ]
    # one character for one: every offset into the text still holds
    assert all(len(item.text) == len(text) and item.text.index("Gäste") == text.index("Gäste") for item in items)


def test_sniffing_the_api_applies_the_same_rule() -> None:
    record = InputRecord(id="pm\x1b[31m", text="Tagung\x07 in Jena\x7f.")
    assert (record.id, record.text) == ("pm [31m", "Tagung  in Jena .")
    assert record.warnings == [
        "2 control character(s) in text replaced by spaces",
        "1 control character(s) in id replaced by spaces",
    ]


def test_sniffing_binary_data_is_refused_on_every_path(tmp_path: Path) -> None:
    binary = "Fachtag" + "\x00\x01\x02\x03" * 20
    txt = tmp_path / "bild.txt"
    txt.write_bytes(binary.encode("utf-8"))
    jsonl = tmp_path / "presse.jsonl"
    jsonl.write_text(
        json.dumps({"id": "vorher", "text": BERICHT}) + "\n"
        + json.dumps({"id": "kaputt", "text": binary}) + "\n"
        + json.dumps({"id": "danach", "text": BERICHT}) + "\n",
        encoding="utf-8",
    )
    items = list(iter_documents([str(txt), str(jsonl), "-"], stdin=io.BytesIO(binary.encode("utf-8"))))
    assert [str(item) if isinstance(item, ReadError) else item.id for item in items] == [
        f"{txt}: binary file, not text (contains NUL bytes)",
        "vorher",
        f"{jsonl}:2: field 'text' holds binary data, not text (contains NUL bytes)",
        "danach",
        "<stdin>: binary input, not text (contains NUL bytes)",
    ]
    assert items[2].doc_id == "kaputt"


# ---------------------------------------------------------------------------------------------
# Content decides where the name does not: pipes, process substitution, unknown extensions


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_sniffing_jsonl_through_a_fifo_is_read_as_records(tmp_path: Path) -> None:
    named = tmp_path / "presse.jsonl"
    named.write_text(JSONL, encoding="utf-8")
    with fed_path(JSONL.encode("utf-8"), tmp_path / "eingabe") as fifo:
        from_fifo = list(iter_documents([fifo]))
    assert _records(from_fifo) == _records(list(iter_documents([str(named)]))) == [
        ("pm-1", BERICHT), ("pm-2", "Das Netzwerktreffen in Kassel zählte 25 Gründerinnen.")]
    assert [item.warnings for item in from_fifo] == [[], []]


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd (process substitution)")
def test_sniffing_jsonl_through_dev_fd_is_read_as_records() -> None:
    # what bash makes of `eventfacts extract <(zcat presse.jsonl.gz)`: /dev/fd/63, a pipe
    with fed_path(JSONL.encode("utf-8")) as path:
        items = list(iter_documents([path]))
    assert [(item.id, item.source) for item in items] == [("pm-1", path), ("pm-2", path)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_sniffing_html_through_a_fifo_and_stdin_is_read_as_a_page(tmp_path: Path) -> None:
    named = tmp_path / "fachtag.html"
    named.write_text(PAGE, encoding="utf-8")
    with fed_path(PAGE.encode("utf-8"), tmp_path / "seite") as fifo:
        items = list(iter_documents([str(named), fifo, "-"], stdin=io.BytesIO(PAGE.encode("utf-8"))))
    assert _records(items) == [("fachtag", PAGE_TEXT), ("seite", PAGE_TEXT), ("stdin", PAGE_TEXT)]


@pytest.mark.parametrize(
    "content,looks",
    [(JSONL, "JSON Lines"), (PAGE, "an HTML page")],
)
def test_sniffing_a_txt_name_wins_but_the_record_says_what_it_looks_like(tmp_path: Path, content: str, looks: str) -> None:
    path = tmp_path / "export.txt"
    path.write_text(content, encoding="utf-8")
    (record,) = iter_documents([str(path)])
    assert isinstance(record, InputRecord) and record.text == content
    assert record.warnings == [f"read as one text, as the name says, although it looks like {looks}"]


@pytest.mark.parametrize(
    "first_line,kind",
    [
        ('{"id": "a", "text": "Fachtag."}', "jsonl"),
        ("  {}", "jsonl"),
        ("{Entwurf} Fachtag in Fulda", "text"),
        ("<?xml version='1.0'?>\n<!DOCTYPE html>\n<html><body>", "html"),
        ("<b>Fachtag</b> in Fulda", "text"),
        ("WARC/1.1", "warc"),
        ("Fachtag in Fulda", "text"),
    ],
)
def test_sniffing_content_kind(first_line: str, kind: str) -> None:
    assert sniffing.content_kind(first_line.encode("utf-8")) == kind


# ---------------------------------------------------------------------------------------------
# Sizes are checked before reading; odd files and names


def test_sniffing_a_sparse_file_of_a_gigabyte_is_refused_unread(tmp_path: Path) -> None:
    paths = []
    for name in ("riesig.txt", "riesig.jsonl", "riesig"):
        path = tmp_path / name
        with open(path, "wb") as handle:
            handle.truncate(1 << 30)  # sparse: no disk used, but a gigabyte of NULs to read
        paths.append(path)
    started = time.perf_counter()
    items = list(iter_documents([str(p) for p in paths]))
    assert time.perf_counter() - started < 5
    assert [item.message for item in items] == [
        "too large for one document (1,073,741,824 bytes; at most 20,000,000)",
        "binary file, not JSONL (contains NUL bytes)",
        "too large for one document (1,073,741,824 bytes; at most 20,000,000)",
    ]


def test_sniffing_size_limits_hold_for_pipes_and_jsonl_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sniffing, "MAX_DOCUMENT_BYTES", 500)
    lines = [
        json.dumps({"id": "kurz", "text": "Fachtag in Fulda."}),
        json.dumps({"id": "lang", "text": BERICHT * 10}),
        json.dumps({"id": "danach", "text": "Workshop in Jena."}),
    ]
    jsonl = tmp_path / "presse.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_documents([str(jsonl), "-"], stdin=io.BytesIO((BERICHT * 10).encode("utf-8"))))
    assert [str(item) if isinstance(item, ReadError) else item.id for item in items] == [
        "kurz",
        f"{jsonl}:2: line too long ({len(lines[1].encode()) + 1:,} bytes; a record may have at most 500)",
        "danach",
        "<stdin>: too large for one document (over 500 bytes; at most 500)",
    ]


@pytest.mark.parametrize(
    "name,expected",
    [
        ("leer.txt", "record ''"),
        ("leer", "record ''"),
        ("leer.jsonl", None),
        ("leer.html", "error not parsable as HTML (empty, binary or not markup)"),
        ("leer.warc", "error not a WARC file (empty)"),
    ],
)
def test_sniffing_zero_byte_files(tmp_path: Path, name: str, expected: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    items = list(iter_documents([str(path)]))
    shown = [f"record {item.text!r}" if isinstance(item, InputRecord) else f"error {item.message}" for item in items]
    assert shown == ([] if expected is None else [expected])


def test_sniffing_file_names_that_are_not_utf8_stay_printable(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(folder + b"/bericht-\xfc.txt", "wb") as handle:
        handle.write("Fachtag in Köln.".encode("utf-8"))
    with open(folder + b"/bild-\xfc.txt", "wb") as handle:
        handle.write(bytes(range(256)))
    items = list(iter_documents([str(tmp_path)]))
    record, error = items
    assert (record.id, record.text) == ("bericht-\ufffd", "Fachtag in Köln.")
    assert isinstance(error, ReadError)
    assert error.path == f"{tmp_path}/bild-\\xfc.txt"
    assert str(error).encode("utf-8")  # no lone surrogate left: it can be printed and written


def test_sniffing_a_nul_in_a_path_given_to_the_api_is_an_error(tmp_path: Path) -> None:
    after = tmp_path / "danach.txt"
    after.write_text("Workshop in Jena.", encoding="utf-8")
    items = list(iter_documents(["bericht\x00.txt", str(after)]))
    assert [str(item) if isinstance(item, ReadError) else item.id for item in items] == [
        "bericht\\x00.txt: not a usable path (it contains a NUL character)", "danach"]


# ---------------------------------------------------------------------------------------------
# Messages a terminal can show


@pytest.mark.parametrize(
    "raw,shown",
    [
        ("Bericht \x1b[31mrot\x1b[0m", "Bericht \\x1b[31mrot\\x1b[0m"),
        ("bild-\udcfc.txt", "bild-\\xfc.txt"),  # a file name byte that is not UTF-8
        ("a\u202eb", "a\\u202eb"),  # a bidi override would reorder the line on screen
        ("Grüße aus Köln\n", "Grüße aus Köln\\n"),
    ],
)
def test_sniffing_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_sniffing_read_errors_keep_path_and_message_printable_and_short() -> None:
    error = ReadError("bild-\udcfc.txt", None, "pm\x00-1", "found \x00\x01" + "x" * 1000)
    assert error.path == "bild-\\xfc.txt"
    assert error.doc_id == "pm -1"
    assert error.message.startswith("found \\x00\\x01xxx") and len(error.message) == 400
    assert str(error).isprintable()


def test_sniffing_links_that_lead_nowhere_are_named(tmp_path: Path) -> None:
    (tmp_path / "kreis.txt").symlink_to(tmp_path / "kreis.txt")
    (tmp_path / "weg.txt").symlink_to(tmp_path / "geloescht.txt")
    items = list(iter_documents([str(tmp_path / "kreis.txt"), str(tmp_path / "weg.txt")]))
    assert [item.message for item in items] == [
        "a symbolic link that leads nowhere (its target is missing, or it loops)"] * 2


def test_sniffing_closed_standard_input_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)  # started with standard input closed (`0<&-`)
    (error,) = iter_documents(["-"])
    assert str(error) == "<stdin>: cannot read standard input: it is closed"
