"""Web archive readers: saved HTML pages and WARC crawls (corpus/archive.py via iter_documents)."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.archive import NO_MAIN_TEXT, HtmlDocument, SkippedRecord
from corpus.errors import ReadError
from corpus.readers import iter_documents
from models import InputRecord

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


def test_archive_html_is_text_without_archives_flag(tmp_path: Path) -> None:
    # The old behaviour stays: a named .html is read as text unless archives are asked for.
    path = tmp_path / "seite.html"
    path.write_text(SCRIPTS_ONLY, encoding="utf8")
    (record,) = iter_documents([str(path)])
    assert isinstance(record, InputRecord) and record.text == SCRIPTS_ONLY


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
    assert error.message.startswith("not a readable WARC file from here on")


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
