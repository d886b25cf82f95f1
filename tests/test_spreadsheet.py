"""Spreadsheets: a workbook dataset reads the same tables with the same strict validation (errors
name sheet, row and column), and `check export --xlsx` writes the dataset and the findings with
formula-like text kept as text."""

import csv
import json
import shutil

import openpyxl
from click.testing import CliRunner

import cli
from builders import build_dataset, indicator, observation


def plan(tmp_path):
    return build_dataset(tmp_path / "d", [indicator("water_good_share")], [
        observation("o1", "water_good_share", "95", role="baseline", period="2020", quote="2020年优良比例为95"),
        observation("o2", "water_good_share", "94.1", role="target", period="2025", quote="2025年优良比例为94.1"),
    ])


def to_workbook(root, book):
    """The dataset folder's CSVs as sheets (every cell as text, as a steward's Text-formatted sheet holds it)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for path in sorted(root.glob("*.csv")) + sorted((root / "observations").glob("*.csv")):
        name = path.stem if path.parent == root else "observations-" + path.stem
        sheet = workbook.create_sheet(name)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    book.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(book)
    shutil.copytree(root / "sources", book.parent / "sources")
    if (root / "settings.toml").exists():
        shutil.copyfile(root / "settings.toml", book.parent / "settings.toml")
    return book


def run_json(*args):
    result = CliRunner().invoke(cli.main, [str(a) for a in args])
    return result


def test_a_workbook_gives_the_same_findings_as_its_csv_folder(tmp_path):
    root = plan(tmp_path)
    book = to_workbook(root, tmp_path / "wb" / "book.xlsx")
    from_csv = run_json("all", "--dataset", root, "--no-suites", "--no-report", "--json", tmp_path / "csv.json")
    from_book = run_json("all", "--dataset", book, "--no-suites", "--no-report", "--json", tmp_path / "book.json")
    assert from_csv.exit_code == from_book.exit_code == 1, from_book.output
    a, b = (json.loads((tmp_path / n).read_text(encoding="utf-8")) for n in ("csv.json", "book.json"))
    assert [(f["rule"], f["fingerprint"]) for f in a["findings"]] == [(f["rule"], f["fingerprint"]) for f in b["findings"]]
    [failing] = [f for f in b["findings"] if f["fails"]]
    assert failing["location"]["file"].endswith("book.xlsx[observations-doc-a]") and failing["location"]["line"] == 3
    assert "book.xlsx[observations-doc-a]:3: targets.worse-than-baseline" in from_book.output


def test_workbook_errors_name_sheet_row_and_column(tmp_path):
    root = plan(tmp_path)
    book = to_workbook(root, tmp_path / "wb" / "book.xlsx")
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["observations-doc-a"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("unit_printed") + 1, value="furlongs")
    sheet.cell(row=2, column=header.index("value_printed") + 1, value=95.0)  # a number cell: the printed form is lost
    workbook.create_sheet("notes")
    workbook.save(book)
    result = run_json("all", "--dataset", book, "--no-suites", "--no-report")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "sheet 'notes'" in result.output and "unexpected sheet" in result.output
    assert "sheet 'observations-doc-a', row 2, column 'value_printed': a number cell (95)" in result.output
    del workbook["notes"]
    sheet.cell(row=2, column=header.index("value_printed") + 1, value="95")
    workbook.save(book)
    result = run_json("all", "--dataset", book, "--no-suites", "--no-report")
    assert result.exit_code == 2
    assert "book.xlsx, sheet 'observations-doc-a', row 3, column 'unit_printed': unknown unit 'furlongs'" in result.output
    assert "seed-workbook-" not in result.output  # never the temporary folder
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    result = run_json("schemas", "--dataset", broken)
    assert result.exit_code == 2 and "not a readable .xlsx workbook" in result.output


def test_export_writes_dataset_and_findings_and_neutralises_formulas(tmp_path):
    root = build_dataset(tmp_path / "d", [indicator("water_good_share")], [
        observation("o1", "water_good_share", "95", role="baseline", period="2020", quote="=HYPERLINK(\"http://x.invalid\")为95"),
        observation("o2", "water_good_share", "94.1", role="target", period="2025", quote="2025年优良比例为94.1", note="@SUM(A1)"),
    ])
    out = tmp_path / "export.xlsx"
    result = run_json("export", "--dataset", root, "--no-suites", "--xlsx", out)
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[:2] == ["findings", "documents"] and "observations" in workbook.sheetnames
    findings = list(workbook["findings"].iter_rows(values_only=True))
    assert findings[0][:3] == ("where", "rule", "severity")
    assert any(row[1] == "targets.worse-than-baseline" and row[4] == "yes" for row in findings[1:])
    observations = workbook["observations"]
    header = [c.value for c in observations[1]]
    quote = observations.cell(row=2, column=header.index("quote") + 1)
    note = observations.cell(row=3, column=header.index("note") + 1)
    for cell, text in ((quote, "=HYPERLINK(\"http://x.invalid\")为95"), (note, "@SUM(A1)")):
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix  # text as printed, never a formula
    plain = observations.cell(row=3, column=header.index("quote") + 1)
    assert plain.data_type == "s" and not plain.quotePrefix


def test_settings_of_a_workbook_dataset_are_the_ones_beside_it(tmp_path):
    root = plan(tmp_path)
    book = to_workbook(root, tmp_path / "wb" / "book.xlsx")
    (book.parent / "settings.toml").write_text("[plausibility]\nmax_ratio_share = 3.0\n", encoding="utf-8")
    result = run_json("settings", "--dataset", book)
    assert result.exit_code == 0 and "max_ratio_share = 3.0   (default 2.0)" in result.output
