"""Each source's coverage scan, kept between runs.

Scanning every printed number of every source is the costliest part of the coverage rules (about
1.9 of the rules' 4.5 CPU seconds at a million observations, 0.2 read back), and a source does not change once
entered: stewards add a document a week and re-check the rest. So, as ruff and mypy keep what
they computed per file, a scan is kept in an SQLite file under the user's cache folder and read
back when the same text is scanned with the same unit pattern by the same code.

The key is a hash of everything the scan is a function of: the source's text and name (a markdown
name changes what is markup), the unit pattern, and the code (every module of `checks`, so any
change of the scanner or the grammar starts a new cache file). The cache lives outside the
dataset on purpose: a dataset (a pull request) must not be able to ship scans of its own. It is
only ever an optimisation: a cache that cannot be opened, read or written is passed over and the
sources are scanned, never a failed run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np

from checks.figures import FIGURE_WIDTH, PACKED_WIDTH, QUOTE_START, Scan, read_many
from checks.sources import SourceText

CHUNK = 256  # sources looked up (and their misses written) together
STALE_DAYS = 30  # a cache file of other code not written to for this long is removed


def default_directory() -> Path:
    """$XDG_CACHE_HOME/seed, else ~/.cache/seed."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "seed"


@cache
def code_fingerprint() -> str:
    """A hash of every module of the `checks` package, as installed."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def scans(sources: dict[str, SourceText], pattern: str, directory: Path | None) -> Iterator[tuple[str, Scan]]:
    """(document, its figures as coverage reads them: SourceText.scan_figures(pattern,
    described=False)) for each source, read from the cache in `directory` where it holds them
    (None: no cache), scanned and kept there where it does not."""
    store = _Store.open(directory) if directory is not None else None  # None: no cache, or one that cannot be opened
    try:
        items = list(sources.items())
        for first in range(0, len(items), CHUNK):
            chunk = items[first:first + CHUNK]
            keys = [_key(source, pattern) for _, source in chunk] if store is not None else [""] * len(chunk)
            found = store.get(keys) if store is not None else {}
            kept = [_unpack(source, found[key]) if key in found else None for key, (_, source) in zip(keys, chunk, strict=True)]
            missed = [index for index, scan in enumerate(kept) if scan is None]
            scanned = read_many([chunk[i][1]._digits_folded for i in missed], [chunk[i][1]._line_starts for i in missed], pattern)
            for index, scan in zip(missed, scanned, strict=True):
                kept[index] = scan
            yield from ((doc_id, scan) for (doc_id, _), scan in zip(chunk, kept, strict=True) if scan is not None)
            if store is not None and missed:
                store.put([(keys[i], scanned[n]) for n, i in enumerate(missed)])
    finally:
        if store is not None:
            store.close()


def _key(source: SourceText, pattern: str) -> str:
    """The code, the source's name, the unit pattern and the source: the sha256 of its file as the
    loader read it (how the bytes are decoded is code, in the fingerprint), else of its text."""
    digest = hashlib.sha256()
    content = source.sha256 or hashlib.sha256(source.raw.encode("utf-8", "surrogatepass")).hexdigest()
    for part in (code_fingerprint(), source.name, pattern, content):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def _unpack(source: SourceText, kept: tuple[str, bytes]) -> Scan | None:
    """The kept scan over `source`, or None when what was kept does not read back (a damaged file)."""
    tables, prose = kept
    try:
        table = json.loads(tables)
        arrays = np.frombuffer(prose, dtype=_position_type(source._digits_folded)).reshape(6, -1).astype(np.int64)
    except ValueError:
        return None
    # each table token whole, as Scan.tokens will make it (a token made later must not fail)
    if not isinstance(table, list) or not all(map(_whole, table)):
        return None
    return Scan.unpacked(source._digits_folded, table, arrays)  # the text scan_figures reads


def _whole(cell: object) -> bool:
    """A table token as Scan.packed packs it: a figure's five values or a whole token's."""
    if not isinstance(cell, list):
        return False
    if len(cell) == FIGURE_WIDTH:
        return type(cell[0]) is int and type(cell[1]) is int and type(cell[2]) is int and type(cell[3]) is str and type(cell[4]) is int
    return len(cell) == PACKED_WIDTH and all(type(cell[i]) is int for i in (0, 1, 2, QUOTE_START))


def _position_type(text: str) -> str:
    """The prose arrays hold offsets and lines of `text` (or -1): 4 bytes each unless it is longer."""
    return "<i4" if len(text) < 2**31 - 1 else "<i8"


class _Store:
    """One SQLite file per code fingerprint: key → (table tokens as JSON, prose arrays as bytes)."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    @classmethod
    def open(cls, directory: Path) -> _Store | None:
        path = directory / f"scans-{code_fingerprint()}.sqlite3"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            _remove_stale(directory)
        except OSError:
            return None
        for attempt in range(2):
            try:
                connection = sqlite3.connect(path, timeout=10)
                # a new file's pages (before WAL makes the file): a scan's arrays are kilobytes, split over overflow
                # pages of 4 KB (1 M benchmark: writing its scans 0.087 -> ~0.05 CPU s, reading ~0.01 less)
                connection.execute("PRAGMA page_size=65536")
                connection.execute("PRAGMA journal_mode=WAL")  # readers and the partitions' writers side by side
                connection.execute("PRAGMA synchronous=NORMAL")  # a cache: a write lost to a power cut is scanned again
                connection.execute("CREATE TABLE IF NOT EXISTS scans (key TEXT PRIMARY KEY, tables TEXT NOT NULL, prose BLOB NOT NULL)")
                return cls(connection)
            except sqlite3.DatabaseError as error:  # not a database (a damaged file): made anew, once
                if attempt or "not a database" not in str(error):
                    return None
                with contextlib.suppress(OSError):
                    path.unlink()
            except (OSError, sqlite3.Error):
                return None
        return None

    def get(self, keys: list[str]) -> dict[str, tuple[str, bytes]]:
        try:
            marks = ",".join("?" * len(keys))
            rows = self.connection.execute(f"SELECT key, tables, prose FROM scans WHERE key IN ({marks})", keys).fetchall()  # marks only
        except sqlite3.Error:
            return {}
        return {key: (tables, prose) for key, tables, prose in rows if isinstance(tables, str) and isinstance(prose, bytes)}

    def put(self, scanned: list[tuple[str, Scan]]) -> None:
        rows = []
        for key, scan in scanned:
            table, prose = scan.packed()
            rows.append((key, json.dumps(table, ensure_ascii=False), prose.astype(_position_type(scan.text)).tobytes()))
        with contextlib.suppress(sqlite3.Error), self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO scans VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()


def _remove_stale(directory: Path) -> None:
    """Cache files of other code (an older Seed) not written to for STALE_DAYS."""
    current = f"scans-{code_fingerprint()}.sqlite3"
    for path in directory.glob("scans-*.sqlite3*"):
        with contextlib.suppress(OSError):
            if not path.name.startswith(current) and time.time() - path.stat().st_mtime > STALE_DAYS * 86400:
                path.unlink()
