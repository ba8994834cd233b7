"""The real-report text cache: add, status, and fetch against a page served on loopback."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus import real

REPORT = (
    "Jahreshauptversammlung des Heimatvereins Talheim. Die Vorsitzende Eva Roth begrüßte am Freitag 80 "
    "Mitglieder im Bürgerhaus. Zu Beisitzern wurden Jan Kurz und Ole Berg gewählt. Kassenprüfer bleibt "
    "Tim Lau. Der Verein zählt inzwischen 412 Mitglieder aus fünf Ortsteilen."
)
PAGE = (
    "<html><head><title>Talheim</title></head><body><nav>Start | Verein | Kontakt</nav>"
    f"<article><h1>Versammlung in Talheim</h1><p>{REPORT}</p></article></body></html>"
)


def test_cut_at_last_sentence() -> None:
    assert real.cut_at_last_sentence("Erster Satz. Zweiter „Satz“. Dritter ohne Ende") == "Erster Satz. Zweiter „Satz“."
    assert real.cut_at_last_sentence("Kein Satzende hier") == "Kein Satzende hier"
    assert real.cut_at_last_sentence("Frage? Antwort! Rest") == "Frage? Antwort!"


def test_add_stores_text_outside_and_hash_inside(tmp_path: Path) -> None:
    index, cache = tmp_path / "index.jsonl", tmp_path / "cache"
    excerpt = REPORT + " Danach gab es einen Imbi"
    entry = real.add_report("r001", excerpt, url="https://talheim.example/jhv", title="Versammlung",
                            publisher="Heimatverein Talheim", publisher_kind="association", published="2024-03-10",
                            index_path=index, cache=cache)
    stored = (cache / "r001.txt").read_text(encoding="utf-8")
    assert stored == REPORT
    assert entry.chars == len(REPORT) and entry.sha256 == real.sha256_text(REPORT)
    line = json.loads(index.read_text(encoding="utf-8"))
    assert line["id"] == "r001" and line["sha256"] == entry.sha256 and "text" not in line
    with pytest.raises(ValueError, match="id already in the index"):
        real.add_report("r001", REPORT, url="https://other.example", title=None, publisher="X",
                        publisher_kind="association", published=None, index_path=index, cache=cache)
    with pytest.raises(ValueError, match="URL already in the index as r001"):
        real.add_report("r002", REPORT, url="https://talheim.example/jhv", title=None, publisher="X",
                        publisher_kind="association", published=None, index_path=index, cache=cache)
    with pytest.raises(ValueError, match="publisher_kind 'club'"):
        real.add_report("r003", REPORT, url="https://x.example", title=None, publisher="X",
                        publisher_kind="club", published=None, index_path=index, cache=cache)


def test_status_reports_missing_and_changed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    entries = [
        real.IndexEntry("r001", "u1", None, "P", "town", None, "dev", len(REPORT), real.sha256_text(REPORT)),
        real.IndexEntry("r002", "u2", None, "P", "town", None, "dev", 10, real.sha256_text("other")),
        real.IndexEntry("r003", "u3", None, "P", "town", None, "test", 10, real.sha256_text("gone")),
    ]
    (cache / "r001.txt").write_text(REPORT, encoding="utf-8")
    (cache / "r002.txt").write_text("changed text", encoding="utf-8")
    states = {s.id: s.state for s in real.status(entries, cache)}
    assert states == {"r001": "ok", "r002": "changed", "r003": "missing"}


def test_restore_keeps_an_excerpt_only_when_its_cut_has_the_indexed_hash(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    entry = real.IndexEntry("r001", "u1", None, "P", "association", None, "dev", len(REPORT), real.sha256_text(REPORT))
    # Looked up again, the search may return a longer opening of the same page this time.
    longer = REPORT + " Danach gab es einen Imbiss. Der nächste Termin ist im Mai"
    assert real.restore(entry, longer, cache).state == "ok"
    assert (cache / "r001.txt").read_text(encoding="utf-8") == REPORT
    (cache / "r001.txt").unlink()
    changed = real.restore(entry, REPORT.replace("80", "90"), cache)
    assert changed.state == "changed" and "indexed hash" in changed.detail
    assert not (cache / "r001.txt").exists()


@pytest.fixture
def loopback_site() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path == "/bericht.html":
                body = PAGE.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_downloads_from_loopback(tmp_path: Path, loopback_site: str) -> None:
    cache = tmp_path / "cache"
    annotated = real.cut_at_last_sentence(REPORT)
    entries = [
        real.IndexEntry("r001", f"{loopback_site}/bericht.html", None, "P", "association", None, "dev",
                        len(annotated), real.sha256_text(annotated)),
        real.IndexEntry("r002", f"{loopback_site}/weg.html", None, "P", "association", None, "dev", 10, "0" * 64),
    ]
    refused = real.fetch(entries[:1], tmp_path / "default", overwrite=True)
    assert refused[0].state == "missing"  # trafilatura refuses loopback unless asked
    results = {r.id: r for r in real.fetch(entries, cache, allow_private=True)}
    assert results["r002"].state == "missing"
    text = (cache / "r001.txt").read_text(encoding="utf-8")
    assert "Zu Beisitzern wurden Jan Kurz und Ole Berg gewählt." in text
    assert "Start | Verein" not in text  # trafilatura kept the article, not the navigation
    # the page's text up to the annotated length reproduces the hash when the page is unchanged
    assert results["r001"].state == ("ok" if text == annotated else "changed")
    assert [s.state for s in real.status(entries[:1], cache)] == [results["r001"].state]
    # a cached text is not downloaded again
    assert real.fetch(entries[:1], cache, allow_private=True)[0].detail == "already cached"


def test_splits_keep_each_publisher_in_one_split(tmp_path: Path) -> None:
    index, cache = tmp_path / "index.jsonl", tmp_path / "cache"
    urls = [f"https://www.site{n % 12}.example/bericht-{n}" for n in range(24)]
    urls += [f"https://unit{n}.family.example/bericht" for n in range(6)]  # one publisher family
    for n, url in enumerate(urls):
        real.add_report(f"r{n:03d}", REPORT, url=url, title=None, publisher=f"P{n % 12}",
                        publisher_kind="town", published=None, index_path=index, cache=cache)
    entries = real.assign_splits(index, test_share=0.5)
    assert len({e.split for e in entries if "family.example" in e.url}) == 1
    by_domain: dict[str, set[str]] = {}
    for entry in entries:
        by_domain.setdefault(real.publisher_domain(entry.url), set()).add(entry.split)
    assert all(len(splits) == 1 for splits in by_domain.values())
    assert {s for splits in by_domain.values() for s in splits} == {"dev", "test"}
    assert real.publisher_domain("https://www.site3.example/x") == "site3.example"
    assert real.publisher_domain("https://bern.diplo.de/a") == real.publisher_domain("https://strassburg.diplo.de/b")
    assert real.publisher_domain("https://www.noe.gv.at/x") == "noe.gv.at"
    # lowering the test share only moves publishers from test to dev
    lower = {e.id: e.split for e in real.assign_splits(index, test_share=0.2)}
    assert all(lower[e.id] == "dev" for e in entries if e.split == "dev")
    assert len(real.read_index(index)) == 30


def test_export_writes_extractor_input_from_the_cache(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("real_texts_script", Path(__file__).resolve().parents[1] / "scripts" / "real_texts.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    from typer.testing import CliRunner

    index, cache, out = tmp_path / "index.jsonl", tmp_path / "cache", tmp_path / "input.jsonl"
    real.add_report("r901", REPORT, url="https://a.example/1", title=None, publisher="A", publisher_kind="town",
                    published="2024-03-10", split="dev", index_path=index, cache=cache)
    real.add_report("r902", REPORT, url="https://b.example/2", title=None, publisher="B", publisher_kind="town",
                    published=None, split="test", index_path=index, cache=cache)
    (cache / "r902.txt").unlink()
    result = CliRunner().invoke(module.app, ["export", "-o", str(out), "--index", str(index), "--texts", str(cache)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines == [{"id": "r901", "text": REPORT, "published": "2024-03-10"}]
    assert "r902\tmissing" in result.output
