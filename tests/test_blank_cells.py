"""A table cell the source leaves blank: entered with an empty value_printed, proven blank at its
row and column (never by an empty value found anywhere), and drafted for the steward together
with the cells that print a word (不明显, 按省下达目标, —) instead of a number.

The table is the shipped plan's 附表 (tab-separated, a trailing tab on every row); the row with
a blank 2035 cell is its line 455 with that cell left empty: no blank value cell is printed in
the shipped sources nor in the pipe tables of lawtext/gov's communiqués (their blank cells stand
under unnamed columns), so the layout is real and the blank is made.
"""

import pandas as pd

from builders import SHIPPED, build_dataset, fired, indicator, observation, run_rules
from checks.dataset import load
from checks.draft import draft_rows
from checks.scanner import scan_pattern
from checks.sources import SourceText

HEADER = "序号\t类别\t指标\t2020年(*为2021年)\t2025年\t2035年\t"
TABLE = "\n".join([
    "附表：美丽赣州建设指标体系",
    HEADER,
    "\t美丽空间\t\t\t\t\t",  # a group's heading: blank everywhere, no value
    "2\t\t自然保护地面积占国土面积比例(%)\t9.95\t≥10\t保持稳定\t",
    "8\t\t森林植被碳储量(亿吨)\t1.05\t1.1\t\t",  # 2035 left blank
    "\t\t外来物种★侵\t不明显\t不明显\t不明显\t",
    "5\t\t单位GDP用水量(立方米/万元)\t116\t按省下达目标\t按省下达目标\t",
    "",
])
UNITS = pd.read_csv(SHIPPED / "units.csv", dtype=str, keep_default_na=False)
INDICATORS = pd.read_csv(SHIPPED / "indicators.csv", dtype=str, keep_default_na=False)


def drafted(text: str) -> list[dict]:
    return [r for r in draft_rows(SourceText("plan.txt", text), "plan", UNITS, INDICATORS) if r["section"] == "table"]


def test_draft_lists_figures_words_and_blanks_of_a_table_row_by_row():
    rows = [(r["line"], r["value_printed"], r["period"], r["column_header"]) for r in drafted(TABLE)]
    assert rows == [
        ("4", "9.95", "2020", "2020年(*为2021年)"), ("4", "≥10", "2025", "2025年"), ("4", "保持稳定", "2035", "2035年"),
        ("5", "1.05", "2020", "2020年(*为2021年)"), ("5", "1.1", "2025", "2025年"), ("5", "", "2035", "2035年"),
        ("6", "不明显", "2020", "2020年(*为2021年)"), ("6", "不明显", "2025", "2025年"), ("6", "不明显", "2035", "2035年"),
        ("7", "116", "2020", "2020年(*为2021年)"), ("7", "按省下达目标", "2025", "2025年"), ("7", "按省下达目标", "2035", "2035年"),
    ]  # near misses: the heading row (line 3) and the blank 类别 cells under a label column draft nothing
    blank = next(r for r in drafted(TABLE) if r["value_printed"] == "")
    assert blank["quote"] == "8 森林植被碳储量(亿吨) 1.05 1.1" and blank["row_label"] == "森林植被碳储量(亿吨)"
    assert "left blank" in blank["note"] and blank["unit_printed"] == ""
    word = next(r for r in drafted(TABLE) if r["value_printed"] == "保持稳定")
    assert word["row_label"] == "自然保护地面积占国土面积比例(%)"  # a word is no part of the label


def test_a_word_cell_no_longer_glues_itself_to_the_label_of_the_next_figure():
    """Shipped line 471: `—` then `<3.5`: the label of <3.5 is the row's own, so its (%) is the unit."""
    rows = drafted(HEADER + "\n\t\t林业有害生物成灾率(%)\t—\t<3.5\t持续改善\t\n")
    figure = next(r for r in rows if r["value_printed"] == "<3.5")
    assert (figure["row_label"], figure["unit_printed"]) == ("林业有害生物成灾率(%)", "%")
    assert [r["value_printed"] for r in rows] == ["—", "<3.5", "持续改善"]


def test_a_blank_under_a_named_last_column_keeps_the_row_aligned():
    """`| 城镇新增就业 | 1206 |  |` under `| 指标 | 2022年 | 2023年 |`: 1206 is 2022's (a trailing blank
    under a named column is a cell, not a separator to drop: dropping it read 1206 as 2023's)."""
    text = "| 指标 | 2022年 | 2023年 |\n| --- | --- | --- |\n| 城镇新增就业（万人） | 1206 |  |\n"
    rows = [(r["value_printed"], r["period"]) for r in drafted(text)]
    assert rows == [("1206", "2022"), ("", "2023")]
    unnamed = "| 指标 | 2022年 |  |\n| --- | --- | --- |\n| 城镇新增就业（万人） | 1206 |  |\n"
    assert [(r["value_printed"], r["period"]) for r in drafted(unnamed)] == [("1206", "2022")]  # near miss: no column there


def blank_case(tmp_path, name, **blank):
    cells = [observation("o1", "carbon", "1.1", quote="8 森林植被碳储量(亿吨) 1.05 1.1", line="5", section="table", unit="亿吨",
                         column_header="2025年"),
             observation("o2", "carbon", "", quote="8 森林植被碳储量(亿吨) 1.05 1.1", line="5", period="2035", section="table",
                         unit="", column_header="2035年") | blank]
    return build_dataset(tmp_path / name, [indicator("carbon", unit="tonne", quantity="level")], cells, sources={"doc-a": TABLE})


def test_a_blank_cell_is_proven_at_its_row_and_column(tmp_path):
    findings, summaries = run_rules(blank_case(tmp_path, "ok"), ["provenance"])
    assert findings == []
    assert (summaries["provenance.value-not-in-quote"].checked, summaries["provenance.value-not-in-quote"].undecided) == (2, 0)
    assert load(tmp_path / "ok").observations["value_printed"].tolist() == ["1.1", ""]  # the loader accepts the empty value


def test_a_blank_is_never_proven_by_an_empty_value_elsewhere(tmp_path):
    cases = {
        "column-holds-a-figure": ({"column_header": "2025年"}, "no blank cell under the column '2025年'"),
        "no-column": ({"column_header": ""}, "column_header does not say which column is blank"),
        # line 4's 2035 cell prints 保持稳定; line 5 has the blank: the row of the quote decides
        "other-row": ({"quote": "2 自然保护地面积占国土面积比例(%) 9.95 ≥10", "line": "4"}, "no blank cell under the column '2035年'"),
        "text": ({"section": "text", "column_header": ""}, "column_header does not say which column is blank"),
    }
    for name, (change, message) in cases.items():
        findings, summaries = run_rules(blank_case(tmp_path, name, **change), ["provenance"])
        assert fired(findings, "provenance.value-not-in-quote") == [{"o2"}], name
        assert message in findings[0].message, (name, findings[0].message)
        assert summaries["provenance.value-not-in-quote"].checked == 2


def test_a_dash_is_a_word_cell_of_its_column_never_part_of_the_label():
    """2022 communiqué (lawtext/gov 国家统计局年度统计/2022.md) 表10: `—` under 单位 (no unit), 数量 and
    比上年增长 (no figure). The dashes under 数量 and 比上年增长 are drafted as `—` rows; none joins the
    label of 9836 (was `纺织纱线、织物及制品 —`). Near miss: the dash under 单位 is the unit column's."""
    text = ("**表102022年主要商品出口数量、金额及其增长速度**\n\n"
            "| 商品名称          | 单位 | 数量     | 比上年增长<br>（%） | 金额<br>（亿元） | 比上年增长<br>（%） |\n"
            "| ------------- | --- | ------ | ------------ | ---------- | ------------ |\n"
            "| 纺织纱线、织物及制品    | —  | —      | —            | 9836       | 4.9          |\n")
    rows = draft_rows(SourceText("c.md", text), "c", UNITS, INDICATORS)
    assert [(r["value_printed"], r["column_header"].split()[0], r["row_label"], r["period"]) for r in rows] == [
        ("—", "数量", "纺织纱线、织物及制品", "2022"), ("—", "比上年增长", "纺织纱线、织物及制品", "2022"),
        ("9836", "金额", "纺织纱线、织物及制品", "2022"), ("4.9", "比上年增长", "纺织纱线、织物及制品", "2022")]


def test_words_of_a_one_cell_per_line_table_are_drafted_too():
    """The 十三五 main-indicator table as forum reposts print it (tests/test_scanner_layouts.py): its
    `—` cells under 2015年 / 2020年 / 年均增长〔累计〕 are rows; 约束性 under 属性 is no value."""
    from test_scanner_layouts import ONE_CELL_PER_LINE
    rows = [(r["line"], r["value_printed"], r["period"]) for r in drafted(ONE_CELL_PER_LINE)]
    assert rows == [("7", "76。7", "2015"), ("8", ">80", "2020"), ("9", "—", ""), ("12", "—", "2015"), ("13", "—", "2020"),
                    ("14", "〔18〕", ""), ("17", "21.66", "2015"), ("18", "23.04", "2020"), ("19", "〔1.38〕", "")]
    source = SourceText("p.txt", ONE_CELL_PER_LINE)
    for row in drafted(ONE_CELL_PER_LINE):
        _, figure = source.locate_figure(row["quote"], row["value_printed"], int(row["line"]), 2)
        assert figure is not None and source.line_of(figure.start) == int(row["line"])


def test_a_blank_cell_of_a_markdown_pipe_table_is_found_at_its_row_and_column():
    """`| 城镇新增就业（万人） | 1206 |  |`: the quote may copy the pipes or leave them out; the blank
    is the cell under 2023年; near misses: under 2022年 (1206 stands there) and on the header row."""
    text = "| 指标 | 2022年 | 2023年 |\n| --- | --- | --- |\n| 城镇新增就业（万人） | 1206 |  |\n"
    source = SourceText("c.md", text)
    pattern = scan_pattern(UNITS)
    for quote in ("城镇新增就业（万人） 1206", "| 城镇新增就业（万人） | 1206 |"):
        quote_span, cell = source.blank_cell(quote, "2023年", 3, 2, pattern)
        assert quote_span is not None and cell is not None
        assert source.line_of(cell.start) == 3 and text[cell.start:cell.end].strip() == "" and cell.start > text.index("1206")
    assert source.blank_cell("城镇新增就业（万人） 1206", "2022年", 3, 2, pattern)[1] is None
    assert source.blank_cell("指标 2022年", "2023年", 1, 2, pattern)[1] is None
