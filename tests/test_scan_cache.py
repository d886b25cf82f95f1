"""The sources' scans kept between runs (checks/scan_cache.py): a warm run finds exactly what a run
without the cache finds, a changed text, unit pattern or code is scanned afresh, and a cache that
is damaged or cannot be written is passed over."""

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from checks import scan_cache, scanner
from checks.dataset import load
from checks.engine import Context, run
from checks.rules import RULES
from checks.sources import SourceText

SHIPPED = Path(__file__).resolve().parent.parent / "datasets"
COVERAGE = [r for r in RULES if r.family == "coverage"]


def _coverage(root: Path, cache: Path | None) -> list[tuple]:
    """The coverage findings, and each coverage rule's count of what it checked (the numbers scanned)."""
    dataset = load(root)
    dataset.scan_cache = cache
    findings, summaries = run(Context(dataset), COVERAGE)
    return sorted((f.rule, f.fingerprint, f.message) for f in findings) + sorted((s.rule, s.checked) for s in summaries)


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("d") / "datasets"
    shutil.copytree(SHIPPED, root)
    return root


def _no_scanning(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a source was scanned although the cache holds its scan")
    monkeypatch.setattr(SourceText, "scan_figures", refuse)


def test_a_warm_run_reads_every_scan_and_finds_what_an_uncached_run_finds(shipped_copy, tmp_path, monkeypatch):
    uncached = _coverage(shipped_copy, None)
    assert ("coverage.unaccounted-figure", 0) not in uncached, "the shipped sources print numbers to compare"
    assert _coverage(shipped_copy, tmp_path) == uncached  # cold: scanned, and kept
    pattern = scanner.scan_pattern(load(shipped_copy).units)
    fresh = {doc: source.scan_figures(pattern, described=False).tokens() for doc, source in load(shipped_copy).sources.items()}
    _no_scanning(monkeypatch)
    assert _coverage(shipped_copy, tmp_path) == uncached  # warm: every scan read back
    assert {doc: scan.tokens() for doc, scan in scan_cache.scans(load(shipped_copy).sources, pattern, tmp_path)} == fresh


def test_a_number_added_to_a_source_is_found_with_a_warm_cache(tmp_path):
    root = tmp_path / "d"
    shutil.copytree(SHIPPED, root)
    cache = tmp_path / "cache"
    before = _coverage(root, cache)
    source = root / "sources" / "000_7a715aecaa1b2198.txt"
    source.write_text(source.read_text(encoding="utf-8") + "全年新增造林面积12.5万亩。\n", encoding="utf-8")
    after = _coverage(root, cache)
    added = [finding for finding in after if len(finding) == 3 and finding not in before]
    assert len(added) == 1 and added[0][0] == "coverage.unaccounted-figure" and "'12.5万亩'" in added[0][2] and "gz-decade" in added[0][2]


def test_the_scan_is_keyed_by_text_name_pattern_and_code(monkeypatch):
    source = SourceText("a.txt", "产量12.5万吨。\n")
    key = scan_cache._key(source, "吨")
    assert key == scan_cache._key(SourceText("a.txt", "产量12.5万吨。\n"), "吨")
    assert key != scan_cache._key(SourceText("a.txt", "产量12.6万吨。\n"), "吨")
    assert key != scan_cache._key(SourceText("a.md", "产量12.5万吨。\n"), "吨")  # markdown: other markup
    assert key != scan_cache._key(source, "吨|个")
    # a loaded source is keyed by its file's sha256 (the loader's), not hashed again
    read = SourceText("a.txt", "产量12.5万吨。\n", sha256="1" * 64)
    assert scan_cache._key(read, "吨") == scan_cache._key(SourceText("a.txt", "other text", sha256="1" * 64), "吨")
    assert scan_cache._key(read, "吨") != scan_cache._key(SourceText("a.txt", "产量12.5万吨。\n", sha256="2" * 64), "吨")
    monkeypatch.setattr(scan_cache, "code_fingerprint", lambda: "other code")
    assert key != scan_cache._key(source, "吨")


def test_another_unit_pattern_is_scanned_afresh(tmp_path):
    sources = {"a": SourceText("a.txt", "新建5条道路，产量12万吨。\n")}
    narrow, wide = "吨", "吨|条"
    for pattern in (narrow, wide, narrow, wide):  # each pattern scanned once, then read back
        cached = dict(scan_cache.scans(sources, pattern, tmp_path))["a"]
        fresh = sources["a"].scan_figures(pattern, described=False)
        assert [(t.text, t.span) for t in cached.tokens()] == [(t.text, t.span) for t in fresh.tokens()]
    assert len(dict(scan_cache.scans(sources, wide, tmp_path))["a"]) == 2
    assert len(dict(scan_cache.scans(sources, narrow, tmp_path))["a"]) == 1


def test_table_cells_read_back_whole(tmp_path):
    """A table cell's token (label, header, period, unit, ...) reads back equal to the scanned one."""
    text = "指标\n2020年\n2025年\n属性\n森林覆盖率（%）\n76.2\n76.5\n约束性\n\n序号\t指标\t2020年\t2025年\n1\t粮食产量（万吨）\t120\t125\n"
    sources = {"t": SourceText("t.txt", text)}
    fresh = sources["t"].scan_figures("吨|%", described=False).tokens()
    assert any(t.section == "table" and t.header for t in fresh), "the text has described table cells"
    dict(scan_cache.scans(sources, "吨|%", tmp_path))
    assert dict(scan_cache.scans(sources, "吨|%", tmp_path))["t"].tokens() == fresh


def test_a_damaged_cache_file_is_passed_over(shipped_copy, tmp_path):
    uncached = _coverage(shipped_copy, None)
    _coverage(shipped_copy, tmp_path)
    (kept,) = tmp_path.glob("scans-*.sqlite3")
    kept.write_bytes(b"not a database" * 100)
    assert _coverage(shipped_copy, tmp_path) == uncached  # read afresh, and the file made anew
    with sqlite3.connect(kept) as connection:
        assert connection.execute("SELECT count(*) FROM scans").fetchone()[0] == len(load(shipped_copy).sources)


def test_a_damaged_entry_is_scanned_again(shipped_copy, tmp_path):
    uncached = _coverage(shipped_copy, None)
    _coverage(shipped_copy, tmp_path)
    (kept,) = tmp_path.glob("scans-*.sqlite3")
    with sqlite3.connect(kept) as connection:
        connection.execute("UPDATE scans SET prose = x'0102', tables = '[[1]]'")
    assert _coverage(shipped_copy, tmp_path) == uncached
    wrong_type = json.dumps([[1, 2, "3", "4", "5", "table", "", "", "", "", "", -1, "figure", "", "", ""]])  # an end that is text
    with sqlite3.connect(kept) as connection:  # table tokens of the wrong type or width, prose whole
        connection.execute("UPDATE scans SET prose = x'', tables = ?", (wrong_type,))
    assert _coverage(shipped_copy, tmp_path) == uncached
    for damaged in ('[[1, 2, 3]]', '[[1, 2, "3", "4", 5]]', '[[1, 2, 3, 4, 5]]'):  # a figure's end or printed value of the wrong type
        with sqlite3.connect(kept) as connection:
            connection.execute("UPDATE scans SET prose = x'', tables = ?", (damaged,))
        assert _coverage(shipped_copy, tmp_path) == uncached, damaged


def test_a_cache_folder_that_cannot_be_made_is_passed_over(shipped_copy, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    assert _coverage(shipped_copy, blocked / "cache") == _coverage(shipped_copy, None)


def test_files_of_other_code_are_removed_when_stale(tmp_path):
    old, recent = tmp_path / "scans-0000000000000000.sqlite3", tmp_path / "scans-1111111111111111.sqlite3"
    for path in (old, recent):
        path.write_bytes(b"")
    month_ago = time.time() - (scan_cache.STALE_DAYS + 1) * 86400
    os.utime(old, (month_ago, month_ago))
    dict(scan_cache.scans({"a": SourceText("a.txt", "产量12万吨。\n")}, "吨", tmp_path))
    assert not old.exists() and recent.exists()
    assert (tmp_path / f"scans-{scan_cache.code_fingerprint()}.sqlite3").exists()


def test_the_command_keeps_scans_where_told_and_none_with_no_cache(tmp_path):
    runner = CliRunner()
    kept, unused = tmp_path / "kept", tmp_path / "unused"
    arguments = ["all", "--dataset", str(SHIPPED), "--no-report", "--no-suites", "--fail-on", "never", "-q"]
    result = runner.invoke(cli.main, [*arguments, "--cache-dir", str(kept)])
    assert result.exit_code == 0, result.output
    assert list(kept.glob("scans-*.sqlite3"))
    result = runner.invoke(cli.main, [*arguments, "--no-cache"], env={"SEED_CACHE_DIR": str(unused)})
    assert result.exit_code == 0, result.output
    assert not unused.exists()


def test_the_pattern_coverage_reads_is_the_one_cached(shipped_copy, tmp_path):
    """The cache is keyed by the pattern coverage scans with (units.csv's names and aliases)."""
    dataset = load(shipped_copy)
    pattern = scanner.scan_pattern(dataset.units)
    dataset.scan_cache = tmp_path
    run(Context(dataset), COVERAGE)
    keys = {scan_cache._key(source, pattern) for source in dataset.sources.values()}
    (kept,) = tmp_path.glob("scans-*.sqlite3")
    with sqlite3.connect(kept) as connection:
        assert {key for (key,) in connection.execute("SELECT key FROM scans")} == keys


def test_the_unit_pattern_is_the_same_in_every_process():
    """The key holds the unit pattern: built from a set, it must not follow the process's string hashing."""
    import subprocess
    import sys
    code = ("from pathlib import Path; from checks.dataset import load; from checks.scanner import scan_pattern; "
            f"print(scan_pattern(load(Path({str(SHIPPED)!r})).units))")
    patterns = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True,
                               text=True, check=True, cwd=SHIPPED.parent).stdout for seed in ("1", "2", "3")}
    assert len(patterns) == 1 and "%" in patterns.pop()
