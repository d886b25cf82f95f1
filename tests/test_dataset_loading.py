"""Bad input gets a clear message naming file, line and column, and exit code 2."""

import csv

import pytest
from click.testing import CliRunner

import cli
from builders import baseline_and_target, build_dataset, indicator, observation
from checks.dataset import load
from checks.errors import InputError


@pytest.fixture
def root(tmp_path):
    return baseline_and_target(tmp_path / "d", "90", "95")


def rewrite(path, edit):
    rows = list(csv.reader(path.open(encoding="utf-8")))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)


def problems(root):
    with pytest.raises(InputError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


def test_the_built_dataset_loads(root):
    assert len(load(root).observations) == 2


def test_missing_column_is_named(root):
    rewrite(root / "indicators.csv", lambda rows: [r.pop(4) for r in rows])  # drop "direction"
    assert any("indicators.csv" in p and "missing column 'direction'" in p for p in problems(root))


def test_wrong_type_names_file_line_and_column(root):
    rewrite(root / "observations" / "doc-a.csv", lambda rows: rows[2].__setitem__(11, "two"))
    assert any(p.startswith(str(root / "observations" / "doc-a.csv") + ", line 3, column 'line'") and "'two'" in p
               for p in problems(root))


def test_bad_period_is_named(root):
    rewrite(root / "observations" / "doc-a.csv", lambda rows: rows[1].__setitem__(5, "20xx"))
    assert any("line 2, column 'period'" in p for p in problems(root))


def test_duplicate_id_within_a_table(root):
    rewrite(root / "indicators.csv", lambda rows: rows.append(list(rows[1])))
    assert any("indicators.csv, line 3, column 'id'" in p and "duplicate" in p for p in problems(root))


def test_duplicate_observation_id_across_files(tmp_path):
    root = build_dataset(tmp_path / "d", [indicator("coverage_rate")], [
        observation("o1", "coverage_rate", "90", document="doc-a"),
        observation("o1", "coverage_rate", "91", document="doc-b"),
    ])
    found = problems(root)
    assert any("doc-a.csv, line 2, column 'id'" in p and "duplicate observation id 'o1'" in p for p in found)
    assert any("doc-b.csv, line 2, column 'id'" in p for p in found)


def test_dangling_reference_is_named(root):
    rewrite(root / "observations" / "doc-a.csv", lambda rows: rows[2].__setitem__(3, "atlantis"))
    assert any("doc-a.csv, line 3, column 'region'" in p and "regions.csv" in p for p in problems(root))


def test_unknown_unit_is_named(root):
    rewrite(root / "observations" / "doc-a.csv", lambda rows: rows[1].__setitem__(9, "furlongs"))
    assert any("line 2, column 'unit_printed'" in p and "unknown unit 'furlongs'" in p for p in problems(root))


def test_magnitude_words_make_known_units(root):
    rewrite(root / "observations" / "doc-a.csv", lambda rows: rows[1].__setitem__(9, "万千瓦"))
    load(root)  # 万 × 千瓦 resolves: no input error


def test_bad_encoding_is_named(root):
    path = root / "indicators.csv"
    text = path.read_text(encoding="utf-8").replace("coverage_rate,coverage_rate", "coverage_rate,覆盖率")
    path.write_bytes(text.encode("gb18030"))
    assert any("indicators.csv" in p and "not valid UTF-8" in p for p in problems(root))


def test_malformed_csv_row_is_named(root):
    path = root / "observations" / "doc-a.csv"
    path.write_text(path.read_text(encoding="utf-8") + "o3,doc-a,coverage_rate\n", encoding="utf-8")
    assert any("doc-a.csv, line 4" in p and "fields" in p for p in problems(root))


def test_unknown_setting_is_an_input_error(root):
    (root / "settings.toml").write_text("[plausibility]\nmax_ratio_shares = 3\n", encoding="utf-8")
    assert any("unknown setting [plausibility] max_ratio_shares" in p for p in problems(root))


def test_cli_exits_2_with_messages_and_writes_no_report(root, tmp_path):
    rewrite(root / "observations" / "doc-a.csv", lambda rows: rows[2].__setitem__(3, "atlantis"))
    report = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(cli.main, ["all", "--dataset", str(root), "--report", str(report), "--no-suites"])
    assert result.exit_code == 2
    assert "column 'region'" in result.output and "Traceback" not in result.output
    assert not report.exists()
