"""`check draft`: rows drafted from a source, the source copied unchanged, drafts never checked."""

import csv
import hashlib
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from builders import SHIPPED, build_dataset, indicator, observation
from checks.dataset import load
from checks.draft import draft_rows
from checks.sources import SourceText
from cli import main

PLAN = SHIPPED / "sources" / "001_80dc1c19d9ecd5f7.txt"


def read_csv(path):
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_drafts_the_shipped_plan_table_as_its_steward_entered_it():
    """Every table cell entered by hand in gz-plan (168: 95 figures and 73 words such as 不明显,
    按省下达目标, —) is drafted with its line, value and period (the column's year), and its quote
    locates exactly that cell."""
    source = SourceText(PLAN.name, PLAN.read_text(encoding="utf-8"))
    units = pd.read_csv(SHIPPED / "units.csv", dtype=str, keep_default_na=False)
    indicators = pd.read_csv(SHIPPED / "indicators.csv", dtype=str, keep_default_na=False)
    drafted = {(r["line"], r["value_printed"], r["period"]): r for r in draft_rows(source, "gz-plan", units, indicators) if r["section"] == "table"}
    entered = pd.read_csv(SHIPPED / "observations" / "gz-plan.csv", dtype=str, keep_default_na=False)
    cells = entered[entered["section"] == "table"]
    missing = [(r.line, r.value_printed, r.period) for r in cells.itertuples() if (r.line, r.value_printed, r.period) not in drafted]
    assert missing == []
    assert len(cells) > 160 and (~cells["value_printed"].str.contains(r"\d")).sum() > 70
    for row in drafted.values():
        _, figure = source.locate_figure(row["quote"], row["value_printed"], int(row["line"]), 2)
        assert figure is not None and source.line_of(figure.start) == int(row["line"])
    sample = drafted[("462", "76.23", "2020")]
    assert (sample["period_note"], sample["unit_printed"], sample["indicator"]) == ("*为2021年", "%", "forest_coverage")
    assert {drafted[(r.line, r.value_printed, r.period)]["table"] for r in cells.itertuples()} == {"附表：美丽赣州建设指标体系"}
    # where the cell stands: its row's own label and, on a sub-row, its group's (90 cells; merged
    # group cells left blank mean the group above; a numbered row ends a group), as entered
    where = [(r.line, r.row_group, r.row_label) for r in cells.itertuples()]
    assert [(r[0], drafted[(c.line, c.value_printed, c.period)]["row_group"], drafted[(c.line, c.value_printed, c.period)]["row_label"])
            for r, c in zip(where, cells.itertuples(), strict=True)] == where
    assert (cells["row_group"] != "").sum() == 90


def test_drafts_the_title_of_each_communique_table_as_its_steward_entered_it():
    """The 2023 communiqué's entered cells (表1, 表2, 表10) are drafted with their line, value, period
    and table title as printed (bold marks left out; 表102023年… with the number glued to the year)."""
    name = pd.read_csv(SHIPPED / "documents.csv", dtype=str).set_index("id").loc["cn-communique-2023", "source_file"]
    source = SourceText(name, (SHIPPED / "sources" / name).read_text(encoding="utf-8"))
    units = pd.read_csv(SHIPPED / "units.csv", dtype=str, keep_default_na=False)
    indicators = pd.read_csv(SHIPPED / "indicators.csv", dtype=str, keep_default_na=False)
    drafted = {(r["line"], r["value_printed"], r["period"]): r["table"] for r in draft_rows(source, "c", units, indicators) if r["section"] == "table"}
    entered = pd.read_csv(SHIPPED / "observations" / "cn-communique-2023.csv", dtype=str, keep_default_na=False)
    cells = entered[(entered["section"] == "table") & (entered["table"] != "")]
    assert len(cells) > 60 and cells["table"].nunique() >= 3
    assert [(r.line, r.table) for r in cells.itertuples() if drafted.get((r.line, r.value_printed, r.period)) != r.table] == []


def test_prose_rows_quote_up_to_the_figure_and_prefill_only_printed_names(tmp_path):
    text = "全年地区生产总值增长5.3%，一般公共预算收入增长4.4%。森林覆盖率达到76.23%。\n"
    units = pd.read_csv(SHIPPED / "units.csv", dtype=str, keep_default_na=False)
    indicators = pd.DataFrame([indicator("forest_cover", name="森林覆盖率", printed_names="森林覆盖率")]).astype(str)
    rows = draft_rows(SourceText("r.txt", text), "r", units, indicators)
    assert [(r["value_printed"], r["unit_printed"], r["quote"], r["indicator"]) for r in rows] == [
        ("增长5.3%", "%", "全年地区生产总值增长5.3%", ""),
        ("增长4.4%", "%", "一般公共预算收入增长4.4%", ""),
        ("76.23%", "%", "森林覆盖率达到76.23%", "forest_cover"),
    ]


def test_a_quote_grows_until_it_is_found_only_at_its_figure():
    text = "城镇居民收入增长5%，农村居民收入增长5%。\n"
    units = pd.read_csv(SHIPPED / "units.csv", dtype=str, keep_default_na=False)
    rows = draft_rows(SourceText("r.txt", text), "r", units, pd.DataFrame(columns=["id", "name", "printed_names"]))
    assert [r["quote"] for r in rows] == ["城镇居民收入增长5%", "农村居民收入增长5%"]


@pytest.fixture
def dataset(tmp_path):
    root = build_dataset(tmp_path / "d", [indicator("forest_cover", name="森林覆盖率")],
                         [observation("o1", "forest_cover", "76%", document="doc-a")])
    return root


def check_draft(dataset, source, text: str, document: str, *options: str):
    """`check draft` of `source`, written with `text` first, as `document` into `dataset`."""
    source.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["draft", str(source), "--document", document, "--dataset", str(dataset), *options])


def test_check_draft_copies_the_source_and_writes_rows(tmp_path, dataset):
    source = tmp_path / "new-report.md"
    result = check_draft(dataset, source, "---\ntitle: 某县2024年政府工作报告\n---\n\n全县森林覆盖率达到**76.5%**。\n", "county-2024",
                         "--issuer", "某县人民政府", "--region", "dayu", "--kind", "progress_report", "--as-of", "2024")
    assert result.exit_code == 0, result.output
    assert (dataset / "sources" / "new-report.md").read_bytes() == source.read_bytes()
    documents = read_csv(dataset / "documents.csv")
    assert documents[-1]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert documents[-1]["title"] == "某县2024年政府工作报告"
    rows = read_csv(dataset / "observations" / "county-2024.draft.csv")
    assert [(r["line"], r["value_printed"], r["quote"]) for r in rows] == [("5", "76.5%", "全县森林覆盖率达到76.5%")]
    loaded = load(dataset)  # the draft is not data
    assert list(loaded.observations["id"]) == ["o1"]


def test_check_draft_never_overwrites_a_different_source(tmp_path, dataset):
    result = check_draft(dataset, tmp_path / "doc-a.txt", "另一份文件 3%\n", "doc-b")
    assert result.exit_code == 2 and "never overwritten" in result.output
    assert not (dataset / "observations" / "doc-b.draft.csv").exists()


def test_check_draft_prints_the_document_row_when_the_steward_must_complete_it(tmp_path, dataset):
    result = check_draft(dataset, tmp_path / "x.txt", "增长5%\n", "doc-x")
    assert result.exit_code == 0
    assert "doc-x,x.txt," in result.output and "fill in" in result.output
    assert "doc-x" not in (dataset / "documents.csv").read_text(encoding="utf-8")


def test_the_loader_says_it_ignores_drafts(dataset, capsys):
    shutil.copy(dataset / "observations" / "doc-a.csv", dataset / "observations" / "doc-b.draft.csv")
    load(dataset)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "doc-b.draft.csv" in err and "not checked" in err


def shipped_draft_rows(source: SourceText) -> list[dict]:
    """The draft rows of `source` (document "r") against the shipped units and indicators."""
    return draft_rows(source, "r", pd.read_csv(SHIPPED / "units.csv", dtype=str, keep_default_na=False),
                      pd.read_csv(SHIPPED / "indicators.csv", dtype=str, keep_default_na=False))


def test_a_value_keeps_every_qualifier_before_it_and_a_list_shares_its_last_unit():
    """A 2024 provincial work report (lawtext/gov 政府工作报告-省自治区/湖北省/2024.md): 分别高于全国2个、
    1.3个、6.1个百分点 (three percentage points), 高新技术企业新增5000家以上; the 十四五 outline:
    全社会研发经费投入年均增长7%以上. Near misses: 17个 (a list of one) keeps 个, 增长5% has no 年均."""
    text = ("固定资产投资增长5%、一般公共预算收入增长12.5%，分别高于全国2个、1.3个、6.1个百分点。\n"
            "高新技术企业新增5000家以上。全社会研发经费投入年均增长7%以上。产业达到17个、企业达到678家。\n")
    source = SourceText("r.md", text)
    rows = shipped_draft_rows(source)
    assert [(r["value_printed"], r["unit_printed"]) for r in rows] == [
        ("增长5%", "%"), ("增长12.5%", "%"), ("2个", "个百分点"), ("1.3个", "个百分点"), ("6.1个百分点", "个百分点"),
        ("新增5000家以上", "家"), ("年均增长7%以上", "%"), ("17个", "个"), ("678家", "家")]
    for row in rows:
        _, figure = source.locate_figure(row["quote"], row["value_printed"], int(row["line"]), 2)
        assert figure is not None


def test_a_prose_cell_is_quoted_inside_its_cell():
    """汕头市 2023 report's table of work done: the quote of 1517套 starts in its own cell."""
    text = ("| 重点事项 | 牵头单位 | 实际进度 |\n| --- | --- | --- |\n"
            "| 七、筹集保障性租赁住房1500套 | 市住房城乡建设局，各区政府 | 筹建保障性租赁住房1517套，超额完成目标任务。 |\n")
    rows = shipped_draft_rows(SourceText("r.md", text))
    assert [(r["value_printed"], r["quote"]) for r in rows] == [("1500套", "筹集保障性租赁住房1500套"),
                                                                ("1517套", "筹建保障性租赁住房1517套")]


def test_the_units_of_newly_read_figures_are_in_the_shipped_unit_table():
    """2022 communiqué: 全年平均气温为10.51℃，比上年下降0.02℃; 电视剧160部5283集; 图书8.09册（张）;
    and a city report's 3.7万剂次: every unit the draft gives them resolves in units.csv, so the
    rows load once the steward fills in their meaning."""
    from checks.unit_table import UnitTable
    units = pd.read_csv(SHIPPED / "units.csv", dtype=str, keep_default_na=False)
    text = "全年平均气温为10.51℃，比上年下降0.02℃。全年生产电视剧160部5283集，人均图书拥有量8.09册（张）。接种疫苗3.7万剂次。\n"
    rows = draft_rows(SourceText("c.md", text), "c", units, pd.read_csv(SHIPPED / "indicators.csv", dtype=str, keep_default_na=False))
    assert [r["unit_printed"] for r in rows] == ["℃", "℃", "部", "集", "册", "万剂次"]  # as printed (the grammar folds ℃ to °C)
    table = UnitTable(units)
    assert [table.resolve(r["unit_printed"]).unit_id for r in rows] == ["celsius", "celsius", "count", "count", "count", "count"]
