"""Tests for corpus.readers: files, directories, JSONL, gzip, stdin, encodings."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest

from corpus import ReadError, iter_documents
from models.inputs import InputRecord


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _jsonl(*records: dict[str, object]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def _summary(items: list[InputRecord | ReadError]) -> list[str]:
    """Records as their id, errors as their message: one comparable list."""
    return [item.id if isinstance(item, InputRecord) else f"ERROR {item}" for item in items]  # type: ignore[misc]


@pytest.mark.parametrize(
    "name,expected_id",
    [
        ("bericht.txt", "bericht"),
        ("fachtag.2024.txt", "fachtag.2024"),
        # Named explicitly, any extension is read as text: the user asked for it.
        ("netzwerktreffen.md", "netzwerktreffen"),
    ],
)
def test_readers_txt_file_id_and_source(tmp_path: Path, name: str, expected_id: str) -> None:
    text = "Beim Netzwerktreffen in Leipzig kamen 35 Fachkräfte zusammen."
    path = _write(tmp_path / name, text)
    items = list(iter_documents([str(path)]))
    assert items == [InputRecord(id=expected_id, text=text, published=None, source=str(path), warnings=[])]


@pytest.mark.parametrize("as_path_object", [False, True])
def test_readers_directory_recursive_sorted(tmp_path: Path, as_path_object: bool) -> None:
    root = tmp_path / "korpus"
    _write(root / "b.txt", "Besuch im Landtag.")
    _write(root / "a" / "z.txt", "Zukunftswerkstatt in Erfurt.")
    _write(root / "a" / "b" / "c.jsonl", _jsonl({"id": "c1", "text": "Fachtag eins."}, {"id": "c2", "text": "Fachtag zwei."}))
    _write(root / "a-b" / "x.txt", "Preisverleihung in Bonn.")
    _write(root / "d.jsonl.gz", gzip.compress(_jsonl({"id": "d1", "text": "Konferenz in Kiel."}).encode("utf-8")))
    # Ignored inside directories: other extensions, hidden files and hidden directories.
    _write(root / "notizen.md", "Nicht lesen.")
    _write(root / "._b.txt", b"\x00\x05\x16\x07Mac OS X")
    _write(root / ".git" / "e.txt", "Nicht lesen.")
    label = root if as_path_object else str(root)
    items = list(iter_documents([label]))
    assert _summary(items) == ["c1", "c2", "z", "x", "b", "d1"]
    assert [item.source for item in items] == [  # type: ignore[union-attr]
        os.path.join(str(root), "a", "b", "c.jsonl"),
        os.path.join(str(root), "a", "b", "c.jsonl"),
        os.path.join(str(root), "a", "z.txt"),
        os.path.join(str(root), "a-b", "x.txt"),
        os.path.join(str(root), "b.txt"),
        os.path.join(str(root), "d.jsonl.gz"),
    ]


@pytest.mark.parametrize("order", [("eins", "zwei"), ("zwei", "eins")])
def test_readers_entries_keep_given_order(tmp_path: Path, order: tuple[str, str]) -> None:
    for name in order:
        _write(tmp_path / f"{name}.txt", f"Bericht {name}.")
    items = list(iter_documents([str(tmp_path / f"{name}.txt") for name in order]))
    assert _summary(items) == list(order)


@pytest.mark.parametrize(
    "record,expected",
    [
        (
            {"id": "pm-17", "text": "Workshop in Jena.", "published": "2024-03-12", "source": "https://example.org/pm-17"},
            ("pm-17", "Workshop in Jena.", "2024-03-12", "https://example.org/pm-17"),
        ),
        ({"id": 42, "text": "Fachtag in Halle."}, ("42", "Fachtag in Halle.", None, "PATH")),
        ({"id": "pm-18", "text": "Tagung.", "published": "2023-11-20T09:30:00+01:00"}, ("pm-18", "Tagung.", "2023-11-20", "PATH")),
    ],
)
def test_readers_jsonl_record_fields(tmp_path: Path, record: dict[str, object], expected: tuple[str, ...]) -> None:
    path = _write(tmp_path / "presse.jsonl", _jsonl(record))
    (item,) = iter_documents([str(path)])
    assert isinstance(item, InputRecord)
    source = str(path) if expected[3] == "PATH" else expected[3]
    assert (item.id, item.text, item.published, item.source, item.warnings) == (*expected[:3], source, [])


@pytest.mark.parametrize(
    "default,own,expected",
    [
        (None, None, None),
        ("2024-05-03", None, "2024-05-03"),
        ("2024-05-03", "", "2024-05-03"),
        ("2024-05-03", "2023-11-20", "2023-11-20"),
        (None, "2023-11-20", "2023-11-20"),
    ],
)
def test_readers_published_default_yields_to_record(
    tmp_path: Path, default: str | None, own: str | None, expected: str | None
) -> None:
    record: dict[str, object] = {"id": "pm-1", "text": "Empfang im Rathaus."}
    if own is not None:
        record["published"] = own
    jsonl = _write(tmp_path / "presse.jsonl", _jsonl(record))
    txt = _write(tmp_path / "empfang.txt", "Empfang im Rathaus.")
    items = list(iter_documents([str(jsonl), str(txt)], published=default))
    assert [item.published for item in items] == [expected, default]  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", ["gestern", "03.05.2024", "2024-13-01"])
def test_readers_bad_published_default_raises(bad: str) -> None:
    with pytest.raises(ValueError, match=f"published = '{bad}' is not an ISO date; give it as YYYY-MM-DD"):
        iter_documents([], published=bad)


@pytest.mark.parametrize(
    "record,expected_id",
    [
        ({"text": "Der Fachtag Inklusion fand am 12. März 2024 in Dortmund statt."}, "sha1-39c88be94089"),
        ({"id": "", "text": "Der Fachtag Inklusion fand am 12. März 2024 in Dortmund statt."}, "sha1-39c88be94089"),
        ({"id": None, "text": "Der Fachtag Inklusion fand am 12. März 2024 in Dortmund statt."}, "sha1-39c88be94089"),
    ],
)
def test_readers_missing_id_gets_stable_sha1(tmp_path: Path, record: dict[str, object], expected_id: str) -> None:
    path = _write(tmp_path / "presse.jsonl", _jsonl(record))
    first = [item.id for item in iter_documents([str(path)])]  # type: ignore[union-attr]
    second = [item.id for item in iter_documents([str(path)])]  # type: ignore[union-attr]
    assert first == second == [expected_id]


@pytest.mark.parametrize(
    "raw,expected_text,expected_warning",
    [
        (
            "Grüße aus Köln\r\nTreffen im Rathaus.".encode("cp1252"),
            "Grüße aus Köln\r\nTreffen im Rathaus.",
            "decoded as cp1252: the file is not valid UTF-8 (byte 0xfc at offset 2)",
        ),
        (
            "Eintritt: 5 € für Gäste".encode("cp1252"),
            "Eintritt: 5 € für Gäste",
            "decoded as cp1252: the file is not valid UTF-8 (byte 0x80 at offset 12)",
        ),
        (
            "Eintritt: 5 € für Gäste".encode("iso-8859-15"),
            "Eintritt: 5 € für Gäste",
            "decoded as iso-8859-15: the file is not valid UTF-8 (byte 0xa4 at offset 12)",
        ),
        (
            # 0x81 is unassigned in cp1252, so only latin-1 decodes it.
            b"Stra\xdfenfest \x81",
            "Straßenfest \x81",
            "decoded as latin-1: the file is not valid UTF-8 (byte 0xdf at offset 4)",
        ),
        (
            "Fachtag in Köln".encode("utf-16"),
            "Fachtag in Köln",
            "decoded as utf-16: the file starts with a UTF-16 byte-order mark",
        ),
        # BOM-less UTF-16 of ASCII is valid UTF-8 with NULs; every second byte gives it away.
        (
            "Grüße aus Köln".encode("utf-16-le"),
            "Grüße aus Köln",
            "decoded as utf-16: the file has no byte-order mark, but every second byte is NUL",
        ),
        (
            "Fachtag in Jena".encode("utf-16-be"),
            "Fachtag in Jena",
            "decoded as utf-16: the file has no byte-order mark, but every second byte is NUL",
        ),
    ],
)
def test_readers_legacy_encoding_decoded_with_warning(
    tmp_path: Path, raw: bytes, expected_text: str, expected_warning: str
) -> None:
    path = _write(tmp_path / "gruss.txt", raw)
    (item,) = iter_documents([str(path)])
    assert isinstance(item, InputRecord)
    assert item.text == expected_text
    assert item.warnings == [expected_warning]


@pytest.mark.parametrize(
    "raw,message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text (a PNG image)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file, not text (a PDF document)"),
        (bytes(range(256)) * 8, "binary file, not text (contains NUL bytes)"),
        (bytes(range(1, 32)) * 4 + b"\xff\xfe\xfd", "binary file, not text (82% of it are control characters)"),
    ],
)
def test_readers_binary_file_is_error(tmp_path: Path, raw: bytes, message: str) -> None:
    path = _write(tmp_path / "bild.txt", raw)
    (item,) = iter_documents([str(path)])
    assert isinstance(item, ReadError)
    assert (item.path, item.line, item.doc_id, item.message) == (str(path), None, "bild", message)
    assert str(item) == f"{path}: {message}"


@pytest.mark.parametrize(
    "lines,expected",
    [
        (
            [
                '{"id": "a", "text": "Fachtag in Kassel."}',
                '{"id": "b" "text": "Workshop in Jena"}',
                '{"id": "c", "text": "Preisverleihung in Mainz."}',
            ],
            ["a", "ERROR {path}:2: not valid JSON (Expecting ',' delimiter at column 12)", "c"],
        ),
        (
            ['{"id": "a", "text": "Fachtag."}', "", "   ", '{"id": "b", "text": "Tagung."}', "nicht json"],
            ["a", "b", "ERROR {path}:5: not valid JSON (Expecting value at column 1)"],
        ),
    ],
)
def test_readers_bad_json_line_reported_and_skipped(tmp_path: Path, lines: list[str], expected: list[str]) -> None:
    path = _write(tmp_path / "presse.jsonl", "\n".join(lines) + "\n")
    items = list(iter_documents([str(path)]))
    assert _summary(items) == [entry.format(path=path) for entry in expected]


@pytest.mark.parametrize(
    "line,doc_id,message",
    [
        ('{"id": "pm-3", "body": "Fachtag in Kassel."}', "pm-3", "no field 'text' (found: id, body)"),
        ("{}", None, "no field 'text' (found: an empty object)"),
        ('{"id": "pm-3", "text": null}', "pm-3", "field 'text' must be a string (found null)"),
        ('{"id": "pm-3", "text": ["Fachtag"]}', "pm-3", 'field \'text\' must be a string (found array ["Fachtag"])'),
        ('["Fachtag in Kassel."]', None, "not a JSON object (found array)"),
        ('"Fachtag in Kassel."', None, "not a JSON object (found string)"),
        ('{"id": ["pm", 3], "text": "Fachtag."}', None, 'field \'id\' must be a string or an integer (found array ["pm", 3])'),
        ('{"id": true, "text": "Fachtag."}', None, "field 'id' must be a string or an integer (found boolean true)"),
        (
            '{"id": "pm-3", "text": "Fachtag.", "published": "03.05.2024"}',
            "pm-3",
            "bad field 'published': published must be an ISO date YYYY-MM-DD, got '03.05.2024'",
        ),
        (
            '{"id": "pm-3", "text": "Fachtag.", "published": 2024}',
            "pm-3",
            "field 'published' must be an ISO date string YYYY-MM-DD (found number 2024)",
        ),
        ('{"id": "pm-3", "text": "Fachtag.", "source": 7}', "pm-3", "field 'source' must be a string (found number 7)"),
    ],
)
def test_readers_jsonl_record_problem_message(tmp_path: Path, line: str, doc_id: str | None, message: str) -> None:
    path = _write(tmp_path / "presse.jsonl", '{"id": "ok", "text": "Besuch."}\n' + line + "\n")
    items = list(iter_documents([str(path)]))
    assert _summary(items[:1]) == ["ok"]
    (error,) = items[1:]
    assert isinstance(error, ReadError)
    assert (error.path, error.line, error.doc_id, error.message) == (str(path), 2, doc_id, message)
    assert str(error) == f"{path}:2: {message}"


@pytest.mark.parametrize("published", [None, "2024-06-04"])
def test_readers_jsonl_gz(tmp_path: Path, published: str | None) -> None:
    data = _jsonl({"id": "g1", "text": "Konferenz in Kiel."}, {"id": "g2", "text": "Fachtag in Rostock."})
    path = _write(tmp_path / "archiv.jsonl.gz", gzip.compress(data.encode("utf-8")))
    items = list(iter_documents([str(path)], published=published))
    assert items == [
        InputRecord(id="g1", text="Konferenz in Kiel.", published=published, source=str(path)),
        InputRecord(id="g2", text="Fachtag in Rostock.", published=published, source=str(path)),
    ]


@pytest.mark.parametrize("keep_fraction", [0.5, 0.9])
def test_readers_truncated_gzip_keeps_earlier_documents(tmp_path: Path, keep_fraction: float) -> None:
    total = 3000
    data = _jsonl(*({"id": f"d{n}", "text": f"Bericht {n}: Fachtag mit {n} Gästen in Köln."} for n in range(total)))
    packed = gzip.compress(data.encode("utf-8"))
    path = _write(tmp_path / "archiv.jsonl.gz", packed[: int(len(packed) * keep_fraction)])
    items = list(iter_documents([str(path), str(_write(tmp_path / "danach.txt", "Danach."))]))
    *records, error, after = items
    assert 0 < len(records) < total
    assert [record.id for record in records] == [f"d{n}" for n in range(len(records))]  # type: ignore[union-attr]
    assert isinstance(error, ReadError)
    assert (error.path, error.line) == (str(path), len(records) + 1)
    assert error.message == "gzip file is truncated (compressed data ends early); this and later lines are lost"
    assert isinstance(after, InputRecord) and after.id == "danach"


@pytest.mark.parametrize(
    "name,raw,message",
    [
        ("kaputt.jsonl.gz", b'{"id": "a", "text": "x"}\n', "not a gzip file, although the name ends in .gz"),
        ("kaputt.txt.gz", b"Fachtag in Kassel.", "not a gzip file, although the name ends in .gz"),
    ],
)
def test_readers_not_really_gzip_is_error(tmp_path: Path, name: str, raw: bytes, message: str) -> None:
    path = _write(tmp_path / name, raw)
    (error,) = iter_documents([str(path)])
    assert isinstance(error, ReadError)
    assert (error.path, error.line, error.message) == (str(path), None, message)


@pytest.mark.parametrize(
    "stream,expected",
    [
        (
            io.BytesIO("Fachtag in Köln\r\nam 4. Juni 2024.".encode("utf-8")),
            InputRecord(id="stdin", text="Fachtag in Köln\r\nam 4. Juni 2024.", published="2024-06-05", source="<stdin>"),
        ),
        (
            io.StringIO("\nFachtag in Köln.\n"),
            InputRecord(id="stdin", text="\nFachtag in Köln.\n", published="2024-06-05", source="<stdin>"),
        ),
        (
            # Like sys.stdin: a text wrapper whose binary buffer is read, so "\r\n" survives.
            io.TextIOWrapper(io.BytesIO("\ufeffGrüße\r\naus Bonn".encode("utf-8")), encoding="utf-8"),
            InputRecord(id="stdin", text="Grüße\r\naus Bonn", published="2024-06-05", source="<stdin>"),
        ),
        (
            io.BytesIO("Grüße aus Köln".encode("cp1252")),
            InputRecord(
                id="stdin",
                text="Grüße aus Köln",
                published="2024-06-05",
                source="<stdin>",
                warnings=["decoded as cp1252: the input is not valid UTF-8 (byte 0xfc at offset 2)"],
            ),
        ),
        (io.BytesIO(b""), InputRecord(id="stdin", text="", published="2024-06-05", source="<stdin>")),
    ],
)
def test_readers_stdin_text(stream: io.IOBase, expected: InputRecord) -> None:
    assert list(iter_documents(["-"], published="2024-06-05", stdin=stream)) == [expected]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "payload",
    [
        b'\n{"id": "s1", "text": "Fachtag."}\r\n\n{"text": "Tagung.", "published": "2023-01-09"}\n{kaputt\n',
        '\ufeff\n{"id": "s1", "text": "Fachtag."}\r\n\n{"text": "Tagung.", "published": "2023-01-09"}\n{kaputt\n',
    ],
)
def test_readers_stdin_jsonl(payload: bytes | str) -> None:
    stream = io.BytesIO(payload) if isinstance(payload, bytes) else io.StringIO(payload)
    items = list(iter_documents(["-"], published="2024-06-05", stdin=stream))
    assert items[:2] == [
        InputRecord(id="s1", text="Fachtag.", published="2024-06-05", source="<stdin>"),
        InputRecord(id="sha1-dc2ed5bca89b", text="Tagung.", published="2023-01-09", source="<stdin>"),
    ]
    assert _summary(items[2:]) == [
        "ERROR <stdin>:5: not valid JSON (Expecting property name enclosed in double quotes at column 2)"
    ]


@pytest.mark.parametrize("lines", [3, 10])
def test_readers_stdin_jsonl_is_streamed(lines: int) -> None:
    first = b'{"id": "n0", "text": "Erster Bericht."}\n'
    rest = b"".join(b'{"id": "n%d", "text": "Weiterer Bericht."}\n' % n for n in range(1, lines))
    stream = io.BytesIO(first + rest)
    documents = iter_documents(["-"], stdin=stream)
    assert stream.tell() == 0
    assert _summary([next(documents)]) == ["n0"]
    # Only the first line has been consumed: nothing is slurped ahead.
    assert stream.tell() == len(first)
    assert len(list(documents)) == lines - 1


@pytest.mark.parametrize("raw", ["\ufeffFachtag in Köln.", "Fachtag in Köln."])
def test_readers_utf8_bom_stripped(tmp_path: Path, raw: str) -> None:
    txt = _write(tmp_path / "fachtag.txt", raw)
    jsonl = _write(tmp_path / "fachtag.jsonl", raw[:-len("Fachtag in Köln.")] + _jsonl({"id": "j", "text": "Fachtag in Köln."}))
    items = list(iter_documents([str(txt), str(jsonl)]))
    assert [(item.id, item.text, item.warnings) for item in items] == [  # type: ignore[union-attr]
        ("fachtag", "Fachtag in Köln.", []),
        ("j", "Fachtag in Köln.", []),
    ]


@pytest.mark.parametrize(
    "raw,needle,offset",
    [
        ("Am 3. Mai trafen sich 40 Fachkräfte\r\nin Köln.", "Köln", 40),
        ("Titel\r\n\r\nDer Workshop in Jena\r\nbegann um 9 Uhr.", "Jena", 25),
    ],
)
def test_readers_crlf_kept_so_offsets_match(tmp_path: Path, raw: str, needle: str, offset: int) -> None:
    path = _write(tmp_path / "bericht.txt", raw)
    (item,) = iter_documents([str(path)])
    assert isinstance(item, InputRecord)
    assert item.text == raw
    assert item.text[offset : offset + len(needle)] == needle


@pytest.mark.parametrize("missing", ["fehlt.txt", "fehlt"])
def test_readers_missing_path_reported_and_skipped(tmp_path: Path, missing: str) -> None:
    existing = _write(tmp_path / "da.txt", "Besuch der Ministerin.")
    items = list(iter_documents([str(tmp_path / missing), str(existing)]))
    assert _summary(items) == [f"ERROR {tmp_path / missing}: no such file or directory", "da"]


@pytest.mark.parametrize("text", ["", "  \n\t "])
def test_readers_empty_text_is_not_an_error(tmp_path: Path, text: str) -> None:
    txt = _write(tmp_path / "leer.txt", text)
    jsonl = _write(tmp_path / "leer.jsonl", _jsonl({"id": "leer", "text": text}))
    items = list(iter_documents([str(txt), str(jsonl)]))
    assert [(item.id, item.text) for item in items] == [("leer", text), ("leer", text)]  # type: ignore[union-attr]


@pytest.mark.parametrize("extra", ["notizen.md", None])
def test_readers_directory_without_documents_is_error(tmp_path: Path, extra: str | None) -> None:
    root = tmp_path / "leer"
    root.mkdir()
    if extra:
        _write(root / extra, "Kein Bericht.")
    (error,) = iter_documents([str(root)])
    assert str(error) == f"{root}: directory holds no *.txt, *.jsonl or *.jsonl.gz files"


@pytest.mark.parametrize("times", [2, 3])
def test_readers_stdin_read_only_once(times: int) -> None:
    items = list(iter_documents(["-"] * times, stdin=io.BytesIO(b"Fachtag.")))
    assert _summary(items) == ["stdin"] + ["ERROR <stdin>: standard input was already read; name '-' only once"] * (times - 1)


@pytest.mark.parametrize("as_single", ["bericht.txt"])
def test_readers_single_path_not_split_into_characters(tmp_path: Path, as_single: str) -> None:
    path = _write(tmp_path / as_single, "Fachtag.")
    assert _summary(list(iter_documents(str(path)))) == ["bericht"]


@pytest.mark.parametrize(
    "error,expected",
    [
        (ReadError("presse.jsonl", 17, None, "no field 'text' (found: id, body)"), "presse.jsonl:17: no field 'text' (found: id, body)"),
        (ReadError("bild.txt", None, "bild", "binary file, not text"), "bild.txt: binary file, not text"),
    ],
)
def test_readers_read_error_str(error: ReadError, expected: str) -> None:
    assert str(error) == expected
    assert error.args == (expected,)


def test_readers_a_line_json_cannot_hold_is_that_lines_error(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    lines = [
        '{"id": "a", "text": "Eva Roth sprach.", "n": ' + "9" * 5000 + "}",
        '{"id": "b", "text": "Jan Kurz sprach."}',
        '{"id": "c", "text": "x", "d": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "d", "text": "Ole Berg sprach."}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_documents([str(path)]))
    assert [i.id for i in items if isinstance(i, InputRecord)] == ["b", "d"]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [e.line for e in errors] == [1, 3]
    assert "digits" in errors[0].message and "nested too deeply" in errors[1].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_readers_directory_scan_reports_a_fifo_instead_of_hanging(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Eva Roth sprach in Kassel.", encoding="utf-8")
    os.mkfifo(tmp_path / "b.jsonl")  # opening it for reading would block until a writer comes
    items = list(iter_documents([str(tmp_path)]))
    assert [i.id for i in items if isinstance(i, InputRecord)] == ["a"]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(errors) == 1 and errors[0].path.endswith("b.jsonl") and "not a regular file" in errors[0].message


def test_readers_symlinked_folders_are_followed_and_loops_reported(tmp_path: Path) -> None:
    real = tmp_path / "archiv"
    (real / "2024").mkdir(parents=True)
    (real / "2024" / "a.txt").write_text("Eva Roth sprach in Kassel.", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("Jan Kurz sprach in Fulda.", encoding="utf-8")
    (real / "linked").symlink_to(elsewhere, target_is_directory=True)
    (real / "2024" / "back").symlink_to(real, target_is_directory=True)  # a loop
    items = list(iter_documents([str(real)]))
    assert sorted(i.text.strip() for i in items if isinstance(i, InputRecord)) == [
        "Eva Roth sprach in Kassel.", "Jan Kurz sprach in Fulda."]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(errors) == 1 and errors[0].path.endswith("back") and "loop" in errors[0].message


def test_readers_same_file_name_in_two_folders_keeps_both_documents(tmp_path: Path) -> None:
    for folder, text in (("2023", "Eva Roth sprach in Kassel."), ("2024", "Jan Kurz sprach in Fulda.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bericht.txt").write_text(text, encoding="utf-8")
    (tmp_path / "2024" / "einzeln.txt").write_text("Tim Lau kam.", encoding="utf-8")
    ids = [i.id for i in iter_documents([str(tmp_path)]) if isinstance(i, InputRecord)]
    # the stem where it is unique, the path relative to the folder where it is not
    assert ids == ["2023/bericht.txt", "2024/bericht.txt", "einzeln"]
