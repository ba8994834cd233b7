"""The real-report set: an index of published reports, their gold facts, and a text cache outside the repo.

The texts are third-party, so only their URL, metadata, length and sha256 are committed
(`corpus/real/index.jsonl`); the texts themselves live in `EVENTFACTS_REAL_TEXTS` (default
`~/.cache/eventfacts/real/`, one `<id>.txt` each). `status` compares the cache with the index;
`fetch` downloads missing texts with trafilatura for users with network access (the hash then tells
whether the page still reads as it did when it was annotated).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

REAL_DIR = Path(__file__).resolve().parent / "real"
INDEX_PATH = REAL_DIR / "index.jsonl"
GOLD_DIR = REAL_DIR / "gold"

PUBLISHER_KINDS = (
    "association",  # associations, clubs, networks, foundations
    "chamber",  # IHK, HWK, professional chambers
    "town",  # towns, districts, municipalities
    "university",  # universities, research institutes, schools
    "ministry",  # ministries, federal and state agencies
    "newspaper",  # local newspapers, broadcasters
    "company",  # companies and press portals
)
SPLITS = ("dev", "test")
INDEX_KEYS = ("id", "url", "title", "publisher", "publisher_kind", "published", "split", "chars", "sha256")

# A sentence ends at . ! ? or … , optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"'“”»«)\]]*(?=\s|$)")


def texts_dir() -> Path:
    """Where the cached texts live: `$EVENTFACTS_REAL_TEXTS`, else `~/.cache/eventfacts/real`."""
    configured = os.environ.get("EVENTFACTS_REAL_TEXTS")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "eventfacts" / "real"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cut_at_last_sentence(text: str) -> str:
    """The text up to its last complete sentence (a stored excerpt stops mid-sentence)."""
    text = text.strip()
    if not text:
        return text
    ends = list(_SENTENCE_END.finditer(text))
    if not ends:
        return text
    last = ends[-1]
    return text[: last.end()].rstrip()


@dataclass(frozen=True)
class IndexEntry:
    id: str
    url: str
    title: Optional[str]
    publisher: str
    publisher_kind: str
    published: Optional[str]
    split: Optional[str]
    chars: int
    sha256: str
    query: Optional[str] = None

    def to_json(self) -> dict:
        return {key: getattr(self, key) for key in (*INDEX_KEYS, "query")}


def read_index(path: Path = INDEX_PATH) -> list[IndexEntry]:
    """The index entries, in file order; a bad line raises ValueError naming the line."""
    entries: list[IndexEntry] = []
    if not path.exists():
        return entries
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            entries.append(IndexEntry(**{key: data.get(key) for key in (*INDEX_KEYS, "query")}))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not an index entry ({exc})") from exc
    return entries


def write_index(entries: Iterable[IndexEntry], path: Path = INDEX_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
    tmp.replace(path)


def add_report(
    report_id: str,
    raw_text: str,
    *,
    url: str,
    title: Optional[str],
    publisher: str,
    publisher_kind: str,
    published: Optional[str],
    query: Optional[str] = None,
    split: Optional[str] = None,
    index_path: Path = INDEX_PATH,
    cache: Optional[Path] = None,
) -> IndexEntry:
    """Cut the excerpt at its last sentence, store it in the cache and append its entry to the index.

    The index is appended under an exclusive lock, so several annotators can add at once; an id or
    URL already in the index is refused."""
    if publisher_kind not in PUBLISHER_KINDS:
        raise ValueError(f"{report_id}: publisher_kind {publisher_kind!r} is not one of {', '.join(PUBLISHER_KINDS)}")
    if not re.fullmatch(r"r\d{3}", report_id):
        raise ValueError(f"{report_id}: ids look like r001")
    text = cut_at_last_sentence(raw_text)
    if len(text) < 200:
        raise ValueError(f"{report_id}: the text is only {len(text)} characters after the cut")
    entry = IndexEntry(report_id, url, title, publisher, publisher_kind, published, split, len(text), sha256_text(text), query)
    index_path.parent.mkdir(parents=True, exist_ok=True)
    with open(index_path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        for line in handle.read().splitlines():
            if not line.strip():
                continue
            known = json.loads(line)
            if known.get("id") == report_id:
                raise ValueError(f"{report_id}: id already in the index")
            if known.get("url") == url:
                raise ValueError(f"{report_id}: URL already in the index as {known.get('id')}")
        directory = cache or texts_dir()
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{report_id}.txt").write_text(text, encoding="utf-8")
        handle.seek(0, os.SEEK_END)
        handle.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
    return entry


TEST_SHARE = 0.40


_SECOND_LEVEL = frozenset({"gv", "co", "or", "ac", "com", "org", "net", "gov", "edu"})


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def publisher_domain(url: str) -> str:
    """The registrable domain of a report's site: "bern.diplo.de" and "strassburg-europarat.diplo.de"
    are both "diplo.de" (one publisher family); "noe.gv.at" stays whole."""
    labels = _host(url).split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def split_of(url: str, test_share: float = TEST_SHARE) -> str:
    """dev or test for one site, fixed by a hash of its host: adding reports never moves a site.
    Lowering `test_share` only moves sites from test to dev, never dev sites (whose errors were
    studied) to test. `assign_splits` then keeps each publisher family in one split."""
    digest = hashlib.sha256(_host(url).encode("utf-8")).digest()
    return "test" if int.from_bytes(digest[:8], "big") / 2**64 < test_share else "dev"


def splits_by_publisher(urls: Iterable[str], test_share: float = TEST_SHARE) -> dict[str, str]:
    """url -> split, with every registrable domain wholly in one split: a domain with any site in
    dev is dev (so sibling sites such as two institutes of one society never straddle the splits)."""
    urls = list(urls)
    dev_domains = {publisher_domain(u) for u in urls if split_of(u, test_share) == "dev"}
    return {u: "dev" if publisher_domain(u) in dev_domains else "test" for u in urls}


def assign_splits(index_path: Path = INDEX_PATH, test_share: float = TEST_SHARE) -> list[IndexEntry]:
    """Write each entry's split (by `split_of`) into the index, under the same lock as `add_report`."""
    with open(index_path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        entries = read_index(index_path)
        chosen = splits_by_publisher([e.url for e in entries], test_share)
        updated = [IndexEntry(**{**e.to_json(), "split": chosen[e.url]}) for e in entries]
        handle.seek(0)
        handle.truncate()
        for entry in updated:
            handle.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
    return updated


@dataclass(frozen=True)
class TextStatus:
    id: str
    state: str  # ok | missing | changed
    detail: str = ""


def status(entries: Iterable[IndexEntry], cache: Optional[Path] = None) -> list[TextStatus]:
    """One status per index entry: the cached text is there with the indexed hash, missing, or changed."""
    directory = cache or texts_dir()
    result = []
    for entry in entries:
        path = directory / f"{entry.id}.txt"
        if not path.is_file():
            result.append(TextStatus(entry.id, "missing", str(path)))
            continue
        text = path.read_text(encoding="utf-8")
        digest = sha256_text(text)
        if digest != entry.sha256:
            result.append(TextStatus(entry.id, "changed", f"sha256 {digest[:12]}… ≠ index {entry.sha256[:12]}…, {len(text)} vs {entry.chars} chars"))
        else:
            result.append(TextStatus(entry.id, "ok"))
    return result


def restore(entry: IndexEntry, excerpt: str, cache: Optional[Path] = None) -> TextStatus:
    """Store a looked-up-again excerpt as the entry's text if it reproduces the indexed hash.

    The search returns a page's opening; the annotated text was that opening cut at its last
    complete sentence. The same cut is tried first, then the opening cut to the indexed length
    (a longer excerpt this time), then the whole excerpt. A text that matches none is not stored."""
    text = excerpt.strip()
    candidates = [cut_at_last_sentence(text), cut_at_last_sentence(text[: entry.chars + 1]), text[: entry.chars].rstrip(), text]
    for candidate in candidates:
        if sha256_text(candidate) == entry.sha256:
            directory = cache or texts_dir()
            directory.mkdir(parents=True, exist_ok=True)
            (directory / f"{entry.id}.txt").write_text(candidate, encoding="utf-8")
            return TextStatus(entry.id, "ok", "restored")
    best = candidates[0]
    return TextStatus(entry.id, "changed", f"no cut of the excerpt ({len(text)} chars) has the indexed hash; "
                                           f"the usual cut has {len(best)} vs {entry.chars} chars")


def load_texts(entries: Iterable[IndexEntry], cache: Optional[Path] = None) -> dict[str, str]:
    """The cached texts that exist, by id (whatever their hash; `status` reports differences)."""
    directory = cache or texts_dir()
    texts = {}
    for entry in entries:
        path = directory / f"{entry.id}.txt"
        if path.is_file():
            texts[entry.id] = path.read_text(encoding="utf-8")
    return texts


def download_text(url: str, *, allow_private: bool = False) -> Optional[str]:
    """The main text of a web page, extracted by trafilatura (None if the page gave nothing).

    allow_private (bool): fetch from loopback and private addresses too (trafilatura refuses them by
        default, against server-side request forgery); for tests and intranet mirrors."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    if allow_private:
        config["DEFAULT"]["SSRF_PROTECTION"] = "off"
    html = trafilatura.fetch_url(url, config=config)
    if not html:
        return None
    return trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True, config=config)


def fetch(
    entries: Iterable[IndexEntry],
    cache: Optional[Path] = None,
    *,
    overwrite: bool = False,
    allow_private: bool = False,
) -> list[TextStatus]:
    """Download each missing text (or every text with `overwrite`) into the cache.

    A downloaded page is stored in full; its hash is compared with the index, and a page that no
    longer matches is reported as `changed` (the gold may no longer fit it)."""
    directory = cache or texts_dir()
    directory.mkdir(parents=True, exist_ok=True)
    result = []
    for entry in entries:
        path = directory / f"{entry.id}.txt"
        if path.is_file() and not overwrite:
            result.append(TextStatus(entry.id, "ok", "already cached"))
            continue
        try:
            text = download_text(entry.url, allow_private=allow_private)
        except Exception as exc:  # network, TLS, parser: report and go on with the next URL
            result.append(TextStatus(entry.id, "missing", f"download failed: {type(exc).__name__}: {exc}"))
            continue
        if not text:
            result.append(TextStatus(entry.id, "missing", "no text extracted"))
            continue
        # The annotated text was an excerpt of the page: keep the page's text up to the same length
        # when it starts the same way, so that an unchanged page reproduces the indexed hash.
        candidate = cut_at_last_sentence(text[: entry.chars + 1])
        stored = candidate if sha256_text(candidate) == entry.sha256 else text
        path.write_text(stored, encoding="utf-8")
        if sha256_text(stored) == entry.sha256:
            result.append(TextStatus(entry.id, "ok", "downloaded"))
        else:
            result.append(TextStatus(entry.id, "changed", "downloaded, but the text differs from the annotated one"))
    return result
