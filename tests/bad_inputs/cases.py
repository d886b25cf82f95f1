"""One bad input per case: a defect applied to a copy of a tiny valid dataset, the exit code
`check` must give and a fragment of the message it must print.

The base dataset (tests/builders.py) has one document `doc-a` (sources/doc-a.txt, two lines),
one indicator `coverage_rate`, two observations o1 (line 2 of observations/doc-a.csv) and o2
(line 3), the builders' region tree and the shipped units; it checks clean (exit 0). A defect
edits the copy at `root` and may return extra arguments (a --previous file, an output path).
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RUN = ("all", "--no-suites", "--no-report")
COVERAGE = ("coverage", "doc-a")
OBSERVATIONS = "observations/doc-a.csv"


@dataclass(frozen=True)
class Case:
    name: str
    exit: int
    fragment: str  # must appear in what `check` prints
    defect: Callable[[Path], list[str] | None]
    command: tuple[str, ...] = RUN
    timeout: float = 30.0
    also: tuple[str, ...] = field(default=())  # further fragments that must appear
    after: Callable[[Path], None] | None = None  # asserts on the files after the run (given root)


# --- editing helpers -------------------------------------------------------------------------

def rows(root: Path, table: str) -> list[list[str]]:
    with (root / table).open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def write_rows(root: Path, table: str, data: list[list[str]]) -> None:
    with (root / table).open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(data)


def set_cell(root: Path, table: str, row: int, column: str, value: str) -> None:
    """Row 1 is the first data row (line 2 of the file)."""
    data = rows(root, table)
    data[row][data[0].index(column)] = value
    write_rows(root, table, data)


def edit(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    return lambda root: set_cell(root, table, row, column, value)


def append_text(table: str, text: str) -> Callable[[Path], None]:
    def defect(root: Path) -> None:
        with (root / table).open("a", encoding="utf-8", newline="") as stream:
            stream.write(text)
    return defect


def settings(text: str, bom: bool = False) -> Callable[[Path], None]:
    return lambda root: (root / "settings.toml").write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


def add_region(rows_to_add: list[list[str]]) -> Callable[[Path], None]:
    def defect(root: Path) -> None:
        write_rows(root, "regions.csv", rows(root, "regions.csv") + rows_to_add)
    return defect


def add_indicators(*specs: tuple[str, str]) -> Callable[[Path], None]:
    """Indicators (id, parent) like coverage_rate but with the given parent."""
    def defect(root: Path) -> None:
        data = rows(root, "indicators.csv")
        header, template = data[0], data[1]
        for ident, parent in specs:
            row = list(template)
            row[header.index("id")], row[header.index("name")], row[header.index("parent")] = ident, ident, parent
            data.append(row)
        write_rows(root, "indicators.csv", data)
    return defect


def previous(content: str | bytes) -> Callable[[Path], list[str]]:
    def defect(root: Path) -> list[str]:
        path = root.parent / "previous.json"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return ["--previous", str(path)]
    return defect


def replace_source(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def defect(root: Path) -> None:
        (root / "sources" / "doc-a.txt").unlink()
        make(root / "sources" / "doc-a.txt")
    return defect


def waiver(rule: str, reason: str = "accepted: the document says so") -> Callable[[Path], None]:
    return append_text("waivers.csv", f"0123456789abcdef,{rule},{reason},steward,2026-11-01\n")


def junk_rows(count: int) -> Callable[[Path], None]:
    """`count` rows of the right width where every checked cell is wrong (value_printed is empty, which a blank table cell may be)."""
    line = "ID {i},?,?,?,,20x,,who,,,tbl,-1,,\n"
    return append_text(OBSERVATIONS, "".join(line.format(i=i) for i in range(count)))


def copies_of_one_figure(count: int) -> Callable[[Path], None]:
    """`count` valid rows that all repeat o2 (the 2025 target, quoted from line 2): one key group of
    count + 1 members for every pairing (same figure, earlier targets)."""
    line = "c{i},doc-a,coverage_rate,ganzhou,,2025,,target,95,%,text,2,指标coverage_rate为95,\n"
    return append_text(OBSERVATIONS, "".join(line.format(i=i) for i in range(count)))


def groups_of_copies(groups: int, count: int) -> Callable[[Path], None]:
    """`groups` figures (targets of the years 2030, 2031, ...) each repeated `count` times: every
    group under max_pairs_per_key, all of them together far over a pairing's budget."""
    line = "g{g}c{i},doc-a,coverage_rate,ganzhou,,{year},,target,95,%,text,2,指标coverage_rate为95,\n"
    return append_text(OBSERVATIONS, "".join(line.format(g=g, i=i, year=2030 + g) for g in range(groups) for i in range(count)))


def quoted_line_break_then_bad_period(root: Path) -> None:
    data = rows(root, OBSERVATIONS)
    data[1][data[0].index("note")] = "a note\nover two lines"  # o1 now spans lines 2-3
    data[2][data[0].index("period")] = "20xx"  # o2 starts on physical line 4
    write_rows(root, OBSERVATIONS, data)


def bad_byte_in_source(root: Path) -> None:
    path = root / "sources" / "doc-a.txt"
    first, second = path.read_bytes().split(b"\n")[:2]
    path.write_bytes(first + b"\n" + "指标".encode() + b"\xff" + second[6:] + b"\n")


def stray_quote(root: Path) -> None:
    set_cell(root, OBSERVATIONS, 2, "quote", "x")
    text = (root / OBSERVATIONS).read_text(encoding="utf-8").replace(",x,", ',"x,', 1)
    (root / OBSERVATIONS).write_text(text, encoding="utf-8")


def outside_file(root: Path) -> Path:
    secret = root.parent / "secret.txt"
    secret.write_text("指标coverage_rate为90\n指标coverage_rate为95\n", encoding="utf-8")
    return secret


def sources_folder_outside(root: Path) -> None:
    elsewhere = root.parent / "elsewhere"
    shutil.copytree(root / "sources", elsewhere)
    shutil.rmtree(root / "sources")
    (root / "sources").symlink_to(elsewhere)


def table_outside(root: Path) -> None:
    moved = shutil.move(root / "units.csv", root.parent / "units.csv")
    (root / "units.csv").symlink_to(moved)


def cannot_write(option: str) -> Callable[[Path], list[str]]:
    def defect(root: Path) -> list[str]:
        blocker = root.parent / "a-file"
        blocker.write_text("not a folder")
        return [option, str(blocker / "out.file")]
    return defect


def workbook(then: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    """The dataset as book.xlsx (sources/ and settings.toml beside it), then `then(book folder)`."""
    def defect(root: Path) -> list[str]:
        from test_spreadsheet import to_workbook
        book = to_workbook(root, root.parent / "wb" / "book.xlsx")
        then(book.parent)
        return ["--dataset", str(book)]
    return defect


def zip_padding(book: Path) -> None:
    """A member of 10 MB of zeros added to a workbook: stored in a few kB, unpacked 10 MB."""
    import zipfile
    with zipfile.ZipFile(book, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * 10_000_000)


def old_outputs_beside_unwritable_report(root: Path) -> list[str]:
    for name in ("out.json", "out.xml"):
        (root.parent / name).write_text("previous run", encoding="utf-8")
    return [*cannot_write("--report")(root), "--json", str(root.parent / "out.json"), "--junit", str(root.parent / "out.xml")]


def outputs_untouched(root: Path) -> None:
    assert [(root.parent / n).read_text(encoding="utf-8") for n in ("out.json", "out.xml")] == ["previous run"] * 2
    assert not [p.name for p in root.parent.iterdir() if p.name.endswith(".tmp")], "a temporary file was left"


def nested_json(depth: int) -> str:
    return '{"tool": {"name": "seed"}, "findings": ' + "[" * depth + "]" * depth + "}"


CASES = [
    # --- hangs and blow-ups --------------------------------------------------------------
    Case("region-own-parent", 2, "regions.csv, line 2, column 'parent': region 'jiangxi' is its own parent",
         edit("regions.csv", 1, "parent", "jiangxi")),
    Case("region-parent-cycle", 2, "the parents form a cycle ganzhou → dayu → ganzhou",
         edit("regions.csv", 2, "parent", "dayu")),
    Case("region-chain-20000-deep", 2, "is 20003 levels deep, more than [limits] max_region_depth = 12",
         add_region([[f"r{i}", f"区{i}", "district", f"r{i - 1}" if i else "dayu"] for i in range(20_000)])),
    Case("source-named-pipe", 2, "doc-a.txt: source file is not a regular file", replace_source(os.mkfifo)),
    Case("source-dev-zero", 2, "doc-a.txt: source file leads outside", replace_source(lambda p: p.symlink_to("/dev/zero"))),
    Case("source-too-large", 2, "doc-a.txt: source file has 2,048 bytes, more than the limit of 1,000",
         lambda root: (settings("[limits]\nmax_source_bytes = 1000\n")(root),
                       (root / "sources" / "doc-a.txt").write_bytes(b"x" * 2048))[0]),
    Case("table-too-large", 2, "units.csv: table has", settings("[limits]\nmax_table_bytes = 200\n")),
    Case("junk-rows-200000", 2, "… and at least 59,968 more problems in", junk_rows(200_000), timeout=90,
         also=("line 4, column 'id': 'ID 0' must be a lower-case slug",)),
    # 3,001 copies of one figure: 9,006,001 pairs per pairing, over [limits] max_pairs_per_key (1,000,000),
    # so each rule that pairs them reports the group, not compared (exit 1: findings), within the memory limit
    Case("copies-of-one-figure-3000", 1, "same-figure.disagree  3001 × 3001 figures share indicator=coverage_rate, region=ganzhou",
         copies_of_one_figure(3000), timeout=60,
         also=("targets.later-worse  3001 × 3001 figures share indicator=coverage_rate, region=ganzhou, scope=: "
               "more than [limits] max_pairs_per_key (1000000) pairs, not compared",
               # the warnings: same-figure.different-bounds, same-figure.restated and targets.later-weaker-bound report the same groups, and blind-scan
               ": 2 errors, 4 warnings, 0 info")),
    # 20 figures repeated 500 times each: 250,000 pairs a group, under max_pairs_per_key, 5,000,000 together; the
    # pairing keeps 4 groups (1,000,000 pairs, the budget of 10,002 observations) and reports the 16 largest others
    Case("many-groups-of-copies", 1, "same-figure.disagree  500 × 500 figures share indicator=coverage_rate, region=ganzhou, scope=, "
         "period_key=2030", groups_of_copies(20, 500), timeout=60,
         also=("left out to keep the pairing within 1000000 pairs ([limits] max_pairs_per_observation), not compared",)),
    # --- reading outside the dataset -------------------------------------------------------
    Case("source-absolute-path", 2, "column 'source_file': '/etc/passwd' must be a plain file name",
         edit("documents.csv", 1, "source_file", "/etc/passwd")),
    Case("source-dot-dot-path", 2, "column 'source_file': '../documents.csv' must be a plain file name",
         edit("documents.csv", 1, "source_file", "../documents.csv")),
    Case("source-symlink-outside", 2, "doc-a.txt: source file leads outside",
         replace_source(lambda p: p.symlink_to(outside_file(p.parent.parent)))),
    Case("sources-folder-symlink-outside", 2, "sources folder leads outside the dataset", sources_folder_outside),
    Case("table-symlink-outside", 2, "units.csv: table leads outside", table_outside),
    Case("workbook-source-symlink-outside", 2, "doc-a.txt: source file leads outside",
         workbook(lambda folder: ((folder / "sources" / "doc-a.txt").unlink(),
                                  (folder / "sources" / "doc-a.txt").symlink_to(outside_file(folder / "x")))[0])),
    Case("workbook-source-named-pipe", 2, "doc-a.txt: source file is not a regular file",
         workbook(lambda folder: ((folder / "sources" / "doc-a.txt").unlink(), os.mkfifo(folder / "sources" / "doc-a.txt"))[0])),
    Case("workbook-settings-dev-zero", 2, "settings.toml: settings file leads outside",
         workbook(lambda folder: (folder / "settings.toml").symlink_to("/dev/zero"))),
    # --- tracebacks before ---------------------------------------------------------------
    Case("duplicated-column-name", 2, "indicators.csv, line 1: column 'name' appears twice",
         lambda root: write_rows(root, "indicators.csv", [[*r, r[1]] for r in rows(root, "indicators.csv")])),
    Case("unbalanced-quote", 2, "doc-a.csv, line 3: a quoted field that starts in the row on this line is never closed", stray_quote),
    Case("line-number-25-digits", 2, "line 2, column 'line': '1234567890123456789012345' must be a line number",
         edit(OBSERVATIONS, 1, "line", "1234567890123456789012345")),
    Case("field-of-1-mb", 2, "doc-a.csv, line 2: a field is longer than 100,000 characters",
         edit(OBSERVATIONS, 1, "note", "x" * 1_000_000)),
    Case("directory-instead-of-table", 2, "indicators.csv: table is a directory",
         lambda root: ((root / "indicators.csv").unlink(), (root / "indicators.csv").mkdir())[0]),
    Case("file-instead-of-observations-folder", 2, "observations: not a folder",
         lambda root: (shutil.rmtree(root / "observations"), (root / "observations").write_text("x"))[0]),
    Case("report-path-not-writable", 2, "cannot write", cannot_write("--report"), command=("all", "--no-suites")),
    Case("json-path-not-writable", 2, "cannot write", cannot_write("--json")),
    Case("report-not-writable-other-outputs-untouched", 2, "cannot write", old_outputs_beside_unwritable_report,
         command=("all", "--no-suites"), after=outputs_untouched),
    Case("previous-of-another-tool", 2, "problem(s) in the --previous file", previous('{"version": "2.1.0", "runs": []}'),
         also=("not the JSON report of a Seed run",)),
    Case("previous-of-wrong-shape", 2, "findings[0] is not an object", previous('{"tool": {"name": "seed"}, "findings": [1]}')),
    Case("previous-finding-without-fingerprint", 2, "findings[0] has no text 'fingerprint'",
         previous('{"tool": {"name": "seed"}, "findings": [{"rule": "x", "severity": "error", "message": "m"}]}')),
    Case("previous-not-json", 2, "previous.json, line 2, column 1: not JSON", previous("{\n")),
    Case("previous-nested-100000-deep", 2, "not a JSON report Seed can read", previous(nested_json(100_000))),
    Case("previous-not-utf8", 2, "previous.json, line 1, column 2: --previous file is not valid UTF-8", previous(b"{\xff}")),
    Case("previous-named-pipe", 2, "--previous file is not a regular file",
         lambda root: (os.mkfifo(root.parent / "fifo.json"), ["--previous", str(root.parent / "fifo.json")])[1]),
    Case("draft-from-named-pipe", 2, "new.txt: source is not a regular file", command=("draft",),
         defect=lambda root: (os.mkfifo(root.parent / "new.txt"), [str(root.parent / "new.txt"), "--document", "new-doc"])[1]),
    Case("draft-from-dev-zero", 2, "/dev/zero: source is not a regular file", command=("draft",),
         defect=lambda root: ["/dev/zero", "--document", "new-doc"]),
    # `check coverage` reads the unfinished tables of one document through the same reader
    Case("coverage-table-named-pipe", 2, "units.csv: table is not a regular file", command=COVERAGE,
         defect=lambda root: ((root / "units.csv").unlink(), os.mkfifo(root / "units.csv"))[0]),
    Case("coverage-table-too-large", 2, "units.csv: table has", command=COVERAGE, defect=settings("[limits]\nmax_table_bytes = 200\n")),
    Case("coverage-table-symlink-outside", 2, "units.csv: table leads outside", command=COVERAGE, defect=table_outside),
    Case("coverage-unbalanced-quote", 2, "doc-a.csv, line 3: a quoted field that starts in the row on this line is never closed",
         command=COVERAGE, defect=stray_quote),
    Case("coverage-line-not-a-number", 2, "column 'line': 'two' is not a line number", command=COVERAGE,
         defect=edit(OBSERVATIONS, 2, "line", "two")),
    Case("coverage-missing-column", 2, "exclusions.csv, line 1: column 'printed' is missing", command=COVERAGE,
         defect=lambda root: write_rows(root, "exclusions.csv", [r[:2] for r in rows(root, "exclusions.csv")])),
    # a workbook is read with a size limit, as stored and as unpacked (a zip file)
    Case("workbook-too-large", 2, "book.xlsx: workbook has", also=("more than the limit of 1,000",),
         defect=workbook(settings("[limits]\nmax_workbook_bytes = 1000\n"))),
    Case("workbook-unpacks-too-large", 2, "book.xlsx: workbook unpacks to", also=("([limits] max_workbook_bytes)",),
         defect=workbook(lambda folder: (settings("[limits]\nmax_workbook_bytes = 1000000\n")(folder), zip_padding(folder / "book.xlsx"))[0])),
    Case("workbook-named-pipe", 2, "book.xlsx: workbook is not a regular file",
         defect=workbook(lambda folder: ((folder / "book.xlsx").unlink(), os.mkfifo(folder / "book.xlsx"))[0])),
    # --- accepted what it should refuse ------------------------------------------------------
    Case("period-backwards", 2, "line 2, column 'period': '2025-2020' must not end before it starts",
         edit(OBSERVATIONS, 1, "period", "2025-2020")),
    Case("indicator-own-parent", 2, "indicator 'coverage_rate' is its own parent",
         edit("indicators.csv", 1, "parent", "coverage_rate")),
    Case("indicator-parent-cycle", 2, "the parents form a cycle part_a → part_b → part_a",
         add_indicators(("part_a", "part_b"), ("part_b", "part_a"))),
    Case("negative-tolerance", 2, "settings.toml, line 2: [tolerances] approx_relative must be at least 0.0",
         settings("[tolerances]\napprox_relative = -0.05\n")),
    Case("nan-tolerance", 2, "approx_share_points must be a finite number, not nan", settings("[tolerances]\napprox_share_points = nan\n")),
    Case("true-for-a-number", 2, "[provenance] line_window must be an integer, not true/false", settings("[provenance]\nline_window = true\n")),
    Case("waiver-of-unknown-rule", 2, "waivers.csv, line 2, column 'rule': rule 'targets.no-such-rule' does not exist",
         waiver("targets.no-such-rule")),
    Case("waiver-blank-reason", 2, "waivers.csv, line 2, column 'reason': '   ' must not be empty or blank",
         waiver("targets.worse-than-baseline", "   ")),
    Case("settings-with-bom", 0, "passed", settings("[provenance]\nline_window = 2\n", bom=True)),
    Case("csv-with-bom", 0, "passed",
         lambda root: (root / "indicators.csv").write_bytes(b"\xef\xbb\xbf" + (root / "indicators.csv").read_bytes())),
    Case("unknown-setting", 2, "unknown setting [plausibility] max_ratio_shares", settings("[plausibility]\nmax_ratio_shares = 3\n")),
    Case("settings-not-toml", 2, "settings.toml, line 1, column 12: not valid TOML", settings("[tolerances\n")),
    Case("settings-a-directory", 2, "settings.toml: settings file is a directory", lambda root: (root / "settings.toml").mkdir()),
    Case("settings-problem-limit-zero", 2, "max_problems_per_file must be at least 1", settings("[limits]\nmax_problems_per_file = 0\n")),
    # --- pointing at the right place -------------------------------------------------------
    Case("line-after-quoted-line-break", 2, "doc-a.csv, line 4, column 'period': '20xx'", quoted_line_break_then_bad_period),
    Case("bad-byte-in-source", 2, "doc-a.txt, line 2, column 3: source file is not valid UTF-8 (byte 0xff)", bad_byte_in_source),
    Case("bad-byte-in-table", 2, "regions.csv, line 3, column 9: table is not valid UTF-8",
         lambda root: (root / "regions.csv").write_bytes((root / "regions.csv").read_bytes().replace("赣州市".encode(), "赣州市".encode("gb18030")))),
    # --- the existing standards --------------------------------------------------------------
    Case("missing-column", 2, "indicators.csv: missing column 'direction'",
         lambda root: write_rows(root, "indicators.csv", [r[:4] + r[5:] for r in rows(root, "indicators.csv")])),
    Case("escape-sequence-in-header", 2, "unexpected column '\\x1b[2J\\u202e'",
         lambda root: write_rows(root, "regions.csv", [[*r, "\x1b[2J\u202e" if i == 0 else ""] for i, r in enumerate(rows(root, "regions.csv"))])),
    Case("unexpected-column", 2, "unexpected column 'colour'",
         lambda root: write_rows(root, "regions.csv", [[*r, "colour" if i == 0 else "red"] for i, r in enumerate(rows(root, "regions.csv"))])),
    Case("wrong-type", 2, "doc-a.csv, line 3, column 'line': 'two' must be a line number", edit(OBSERVATIONS, 2, "line", "two")),
    Case("duplicate-id", 2, "regions.csv, line 6, column 'id': 'dayu' is a duplicate",
         add_region([["dayu", "大余县2", "county", "ganzhou"]])),
    Case("duplicate-observation-id-across-files", 2, "duplicate observation id 'o1'",
         lambda root: shutil.copy(root / OBSERVATIONS, root / "observations" / "doc-b.csv")),
    Case("unknown-reference", 2, "doc-a.csv, line 3, column 'region': 'atlantis' must name an existing region",
         edit(OBSERVATIONS, 2, "region", "atlantis")),
    Case("unknown-unit", 2, "line 2, column 'unit_printed': unknown unit 'furlongs'", edit(OBSERVATIONS, 1, "unit_printed", "furlongs")),
    Case("bad-choice", 2, "column 'role': 'goal' must be one of", edit(OBSERVATIONS, 1, "role", "goal")),
    Case("empty-required-cell", 2, "column 'quote': '' must not be empty or blank", edit(OBSERVATIONS, 1, "quote", "")),
    Case("bad-slug", 2, "column 'id': 'Big City' must be a lower-case slug", add_region([["Big City", "大城", "county", "ganzhou"]])),
    Case("zero-unit-factor", 2, "column 'factor': '0' must be a positive, finite number", edit("units.csv", 1, "factor", "0")),
    Case("stray-comma", 2, "doc-a.csv, line 4: has 3 fields, the header has 14", append_text(OBSERVATIONS, "o3,doc-a,coverage_rate\n")),
    Case("malformed-quoting", 2, "malformed quoting", append_text(OBSERVATIONS, 'o3,"doc"a,x\n')),
    Case("empty-table", 2, "indicators.csv: file is empty", lambda root: (root / "indicators.csv").write_text("")),
    Case("blank-first-line", 2, "regions.csv, line 1: the first line is blank",
         lambda root: (root / "regions.csv").write_text("\n" + (root / "regions.csv").read_text(encoding="utf-8"), encoding="utf-8")),
    Case("missing-table", 2, "units.csv: file is missing", lambda root: (root / "units.csv").unlink()),
    Case("missing-source", 2, "column 'source_file': source file", lambda root: (root / "sources" / "doc-a.txt").unlink(),
         also=("does not exist",)),
    Case("missing-dataset-folder", 2, "dataset folder does not exist", shutil.rmtree),
    Case("binary-junk-as-table", 2, "documents.csv, line 1, column 1: table is not valid UTF-8",
         lambda root: (root / "documents.csv").write_bytes(bytes(range(128, 256)) * 64)),
    Case("problems-capped-per-file", 2, "… and 28 more problems in",
         lambda root: (settings("[limits]\nmax_problems_per_file = 2\n")(root), junk_rows(5)(root))[0],
         also=("line 4, column 'id'",)),
]
