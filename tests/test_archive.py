"""Web archive readers: saved HTML pages and WARC crawls (corpus/archive.py via iter_documents)."""

from __future__ import annotations

import functools
import gzip
import os
import re
import tracemalloc
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus import sniffing
from corpus.archive import NO_MAIN_TEXT, HtmlDocument, SkippedRecord
from corpus.errors import ReadError
from corpus.readers import iter_documents
from models import InputRecord
from tests.helpers import fed_path

TITLE = "Netzwerktreffen in Görlitz"
PARAGRAPH_1 = (
    "Am Mittwoch kamen 35 Gründerinnen aus Sachsen zum dritten Netzwerktreffen in die Stadthalle Görlitz. "
    "Die Wirtschaftsförderung des Landkreises hatte gemeinsam mit der Handwerkskammer Dresden eingeladen."
)
PARAGRAPH_2 = "Landrat Peter Hoffmann begrüßte die Teilnehmerinnen und sprach über Förderprogramme für junge Betriebe in der Oberlausitz."
MAIN_TEXT = f"{TITLE}\n{PARAGRAPH_1}\n{PARAGRAPH_2}"


def page(date_meta: str | None = '<meta property="article:published_time" content="2024-03-14T09:00:00+01:00">') -> str:
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>{TITLE}</title>{date_meta or ''}</head><body>"
        '<nav><a href="/">Startseite</a> | <a href="/presse">Presse</a></nav>'
        f"<article><h1>{TITLE}</h1><p>{PARAGRAPH_1}</p><p>{PARAGRAPH_2}</p></article>"
        "<script>var zaehler = 1;</script><footer>Impressum | Datenschutz</footer></body></html>"
    )


SCRIPTS_ONLY = "<html><head><script>var a = 1;</script></head><body><script>document.write('x');</script></body></html>"
URI = "https://presse.example.de/goerlitz"
WARC_DATE = "2024-03-15T10:00:00Z"


def write_warc(path: Path, *, gz: bool, extra: bool = True) -> None:
    """A small crawl: warcinfo, request, the HTML page, a PNG, a 404 page."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "eventfacts-tests"}))
        request = StatusAndHeaders("GET /goerlitz HTTP/1.1", [("Host", "presse.example.de")], is_http_request=True)
        writer.write_record(writer.create_warc_record(URI, "request", http_headers=request,
                                                      warc_headers_dict={"WARC-Date": WARC_DATE}))
        html = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(URI, "response", payload=BytesIO(page().encode("utf8")),
                                                      http_headers=html, warc_headers_dict={"WARC-Date": WARC_DATE}))
        if extra:
            png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://presse.example.de/logo.png", "response",
                                                          payload=BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
                                                          http_headers=png, warc_headers_dict={"WARC-Date": WARC_DATE}))
            gone = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://presse.example.de/alt", "response",
                                                          payload=BytesIO(b"<html><body>Nicht gefunden</body></html>"),
                                                          http_headers=gone, warc_headers_dict={"WARC-Date": WARC_DATE}))


@pytest.mark.parametrize(
    "name,date_meta,expected_published",
    [
        ("goerlitz.html", '<meta property="article:published_time" content="2024-03-14T09:00:00+01:00">', "2024-03-14"),
        ("goerlitz.htm", '<meta name="date" content="2023-11-02">', "2023-11-02"),
        ("goerlitz.html", None, "2024-01-31"),  # no date on the page: --published applies
    ],
)
def test_archive_html_main_text_and_date(tmp_path: Path, name: str, date_meta: str | None, expected_published: str) -> None:
    path = tmp_path / name
    path.write_text(page(date_meta), encoding="utf8")
    (record,) = iter_documents([str(path)], archives=True, published="2024-01-31")
    assert isinstance(record, InputRecord)
    assert (record.id, record.text, record.published, record.source) == ("goerlitz", MAIN_TEXT, expected_published, str(path))


@pytest.mark.parametrize(
    "content,message",
    [
        (SCRIPTS_ONLY.encode(), NO_MAIN_TEXT),
        (b"<html><body></body></html>", NO_MAIN_TEXT),
        (b"\x00\x01\x02PK\x03\x04" * 50, "binary file, not HTML (contains NUL bytes)"),
    ],
)
def test_archive_html_without_main_text_is_read_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "leer.html"
    path.write_bytes(content)
    (error,) = iter_documents([str(path)], archives=True)
    assert isinstance(error, ReadError) and not isinstance(error, SkippedRecord)
    assert (error.path, error.doc_id, error.message) == (str(path), "leer", message)


@pytest.mark.parametrize("name", ["goerlitz.html", "goerlitz.HTM", "goerlitz.html.gz"])
def test_archive_named_html_is_read_as_a_page_without_archives_flag(tmp_path: Path, name: str) -> None:
    # `extract page.html` gives what `batch page.html` gives: the page's main text, not its markup.
    path = tmp_path / name
    data = page().encode("utf8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    (record,) = iter_documents([str(path)])
    assert isinstance(record, InputRecord)
    assert (record.id, record.text, record.published, record.warnings) == ("goerlitz", MAIN_TEXT, "2024-03-14", [])


def test_archive_defer_html_yields_pages_for_workers(tmp_path: Path) -> None:
    path = tmp_path / "goerlitz.html"
    path.write_text(page(), encoding="utf8")
    (deferred,) = iter_documents([str(path)], archives=True, defer_html=True)
    assert isinstance(deferred, HtmlDocument)
    assert (deferred.doc_id, deferred.source) == ("goerlitz", str(path))
    record = deferred.to_record()
    assert isinstance(record, InputRecord) and (record.text, record.published) == (MAIN_TEXT, "2024-03-14")


@pytest.mark.parametrize("name,gz", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_archive_warc_reads_html_and_reports_other_records(tmp_path: Path, name: str, gz: bool) -> None:
    path = tmp_path / name
    write_warc(path, gz=gz)
    items = list(iter_documents([str(path)], archives=True))
    assert [type(item).__name__ for item in items] == ["InputRecord", "SkippedRecord", "SkippedRecord"]
    record, png, gone = items
    assert (record.id, record.source, record.text, record.published) == (
        f"{URI}@{WARC_DATE}", URI, MAIN_TEXT, "2024-03-14"
    )
    assert (png.doc_id, png.message) == (
        f"https://presse.example.de/logo.png@{WARC_DATE}",
        "skipped: not HTML (image/png) (https://presse.example.de/logo.png)",
    )
    assert gone.message == "skipped: HTTP status 404 (https://presse.example.de/alt)"
    assert png.path.startswith(f"{path}@") and gone.path.startswith(f"{path}@")


def test_archive_truncated_warc_gz_keeps_earlier_pages(tmp_path: Path) -> None:
    whole = tmp_path / "ganz.warc.gz"
    write_warc(whole, gz=True)
    data = whole.read_bytes()
    broken = tmp_path / "kaputt.warc.gz"
    broken.write_bytes(data[: len(data) - 40])  # the last record (the 404 page) loses its end
    items = list(iter_documents([str(broken)], archives=True))
    assert [type(item).__name__ for item in items] == ["InputRecord", "SkippedRecord", "ReadError"]
    assert items[0].id == f"{URI}@{WARC_DATE}"
    assert items[2].path.startswith(f"{broken}@")
    assert "stopped reading this file" in items[2].message or "not a readable WARC file" in items[2].message


def test_archive_not_a_warc_is_read_error(tmp_path: Path) -> None:
    path = tmp_path / "falsch.warc"
    path.write_text("Dies ist kein Webarchiv, sondern ein Brief.\n", encoding="utf8")
    (error,) = iter_documents([str(path)], archives=True)
    assert isinstance(error, ReadError) and not isinstance(error, SkippedRecord)
    assert error.message == "not a WARC file (it does not start with 'WARC/')"


@pytest.mark.parametrize("archives,expected", [(True, ["bericht", "goerlitz", f"{URI}@{WARC_DATE}"]), (False, ["bericht"])])
def test_archive_directories_pick_up_archives_only_when_asked(tmp_path: Path, archives: bool, expected: list[str]) -> None:
    (tmp_path / "bericht.txt").write_text("Der Fachtag fand in Fulda statt.", encoding="utf8")
    (tmp_path / "goerlitz.html").write_text(page(), encoding="utf8")
    write_warc(tmp_path / "z.warc.gz", gz=True, extra=False)
    items = list(iter_documents([str(tmp_path)], archives=archives))
    assert [item.id for item in items] == expected


def test_archive_gzip_member_check(tmp_path: Path) -> None:
    # warc.gz written per record is a series of gzip members; the whole file still decompresses.
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gz=True)
    assert gzip.decompress(path.read_bytes()).startswith(b"WARC/1.")


# ---------------------------------------------------------------------------------------------
# Hostile crawls (issue 10): corrupt files, lying lengths, oversized records


def _corrupt(kind: str, whole: bytes, plain: bytes) -> bytes:
    noise = bytes((n * 37 + 11) % 256 for n in range(400))  # binary, with control bytes and ESC
    return {  # whole: the crawl of write_warc as .warc.gz, plain: as .warc
        "truncated": whole[: len(whole) // 2],
        "garbage after the gzip header": whole[:10] + noise,
        "gzip of no WARC": gzip.compress(b"\x00\x01\x02Bild\xff\xfe" * 20),
        "binary after the records": whole + noise,
        "gzip of binary after the records": whole + gzip.compress(noise),
        "binary after plain records": plain + noise,
    }[kind]


@pytest.mark.parametrize(
    "kind,expected",
    [
        ("truncated", ["WARC file is truncated ("]),  # the byte count varies with the path in warcinfo
        ("garbage after the gzip header", ["gzip data is corrupt (Error -3 while decompressing data: invalid"]),
        ("gzip of no WARC", ["not a WARC file (it does not start with 'WARC/', gzip-compressed)"]),
        ("binary after the records", ["InputRecord", "SkippedRecord", "SkippedRecord",
                                      "not a readable WARC file from here on (Invalid WARC record, first line: binary data, not a record header)"]),
        ("gzip of binary after the records", ["InputRecord", "SkippedRecord", "SkippedRecord",
                                              "not a readable WARC file from here on (Invalid WARC record, first line: binary data, not a record header)"]),
        ("binary after plain records", ["InputRecord", "SkippedRecord", "SkippedRecord",
                                        "not a readable WARC file from here on (Invalid WARC record, first line: binary data, not a record header)"]),
    ],
)
def test_archive_corrupt_warc_is_named_in_printable_words(tmp_path: Path, capfd: pytest.CaptureFixture[str], kind: str, expected: list[str]) -> None:
    write_warc(tmp_path / "ganz.warc.gz", gz=True)
    write_warc(tmp_path / "ganz.warc", gz=False)
    path = tmp_path / ("kaputt.warc" if "plain" in kind else "kaputt.warc.gz")
    path.write_bytes(_corrupt(kind, (tmp_path / "ganz.warc.gz").read_bytes(), (tmp_path / "ganz.warc").read_bytes()))
    items = list(iter_documents([str(path), str(tmp_path / "ganz.warc")], archives=True))
    *these, after_1, after_2, after_3 = items
    # the pages before the damage are kept, the next file is read
    assert [type(i).__name__ for i in (after_1, after_2, after_3)] == ["InputRecord", "SkippedRecord", "SkippedRecord"]
    assert [type(i).__name__ for i in these[:-1]] == expected[:-1]
    error = these[-1]
    assert type(error) is ReadError and error.path.startswith(str(path)) and error.message.startswith(expected[-1])
    assert str(error).isprintable() and len(error.message) <= 400
    # and nothing of the file reaches the terminal on the side (warcio writes warnings to stderr)
    assert capfd.readouterr().err == ""


def test_archive_wrong_content_length_is_not_written_to_stderr(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kurz.warc"
    write_warc(path, gz=False)
    data = path.read_bytes()
    start = data.index(b"Content-Length: ", data.index(b"WARC-Type: response")) + len(b"Content-Length: ")
    end = data.index(b"\r\n", start)
    # the page's record claims 20 bytes less than it holds: warcio prints the rest as "Remainder: b'…'"
    path.write_bytes(data[:start] + str(int(data[start:end]) - 20).encode() + data[end:])
    items = list(iter_documents([str(path)], archives=True))
    assert [type(item).__name__ for item in items] == ["InputRecord", "SkippedRecord", "SkippedRecord"]
    assert capfd.readouterr().err == ""


@functools.lru_cache(maxsize=2)
def _big_page(size: int) -> bytes:
    # words in a pseudo-random order: a gzip crawl packs it about 3:1, as real pages, where a
    # repeated sentence would pack 100:1 and warcio unpacks one 16 KB block at a time
    words = "Am Freitag kamen vierzig Gäste zum Fachtag in Fulda und sprachen über Ausbildung".split()
    state, out, total = 7, [], 0
    while total < size:
        state = (state * 1103515245 + 12345) % 2**31
        out.append(words[state % len(words)] + (".</p><p>" if state % 13 == 0 else " "))
        total += len(out[-1])
    return ("<html><body><article><p>" + "".join(out) + "</p></article></body></html>").encode()


@pytest.mark.parametrize("gz", [False, True])
def test_archive_oversized_record_is_its_own_error_and_never_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gz: bool
) -> None:
    monkeypatch.setattr(sniffing, "MAX_DOCUMENT_BYTES", 1_000_000)
    path = tmp_path / ("riesig.warc.gz" if gz else "riesig.warc")
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for name, body in (("vorher", page().encode()), ("riesig", _big_page(3_000_000)), ("danach", page().encode())):
            html = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://presse.example.de/{name}", "response", payload=BytesIO(body),
                                                          http_headers=html, warc_headers_dict={"WARC-Date": WARC_DATE}))
    tracemalloc.start()
    try:
        items = list(iter_documents([str(path)], archives=True, defer_html=True))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [type(item).__name__ for item in items] == ["HtmlDocument", "ReadError", "HtmlDocument"]
    assert [item.doc_id for item in items] == [f"https://presse.example.de/{name}@{WARC_DATE}" for name in ("vorher", "riesig", "danach")]
    assert re.fullmatch(r"WARC record too large for a page \(3,0\d\d,\d\d\d bytes; at most 1,000,000\); skipped", items[1].message)
    assert peak < 1_000_000  # the 3 MB body was never held in memory


def test_archive_body_that_unpacks_beyond_the_limit_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sniffing, "MAX_DOCUMENT_BYTES", 1_000_000)
    path = tmp_path / "bombe.warc"
    packed = gzip.compress(_big_page(3_000_000))  # small in the crawl, three times the limit unpacked
    assert len(packed) < 1_000_000
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        html = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(URI, "response", payload=BytesIO(packed), http_headers=html,
                                                      warc_headers_dict={"WARC-Date": WARC_DATE}))
    (error,) = iter_documents([str(path)], archives=True)
    assert type(error) is ReadError
    assert (error.doc_id, error.message) == (f"{URI}@{WARC_DATE}", "page too large (over 1,000,000 bytes; at most 1,000,000); skipped")


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd (process substitution)")
def test_archive_warc_through_a_pipe_is_read_like_the_file(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gz=True)
    with fed_path(path.read_bytes()) as piped_path:
        piped = list(iter_documents([piped_path]))
    named = list(iter_documents([str(path)]))
    assert [(type(i).__name__, i.doc_id if isinstance(i, ReadError) else i.id) for i in piped] == [
        (type(i).__name__, i.doc_id if isinstance(i, ReadError) else i.id) for i in named]
    assert [type(i).__name__ for i in piped] == ["InputRecord", "SkippedRecord", "SkippedRecord"]


def test_archive_plain_crawl_named_warc_gz_is_still_read(tmp_path: Path) -> None:
    # warcio always read it; the gzip check of other .gz names must not refuse it
    path = tmp_path / "unverpackt.warc.gz"
    write_warc(path, gz=False)
    assert [type(item).__name__ for item in iter_documents([str(path)])] == ["InputRecord", "SkippedRecord", "SkippedRecord"]
