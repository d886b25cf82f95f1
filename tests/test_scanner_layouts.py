"""The coverage scanner reads every table layout of real extracted text, and prose figures.

Snippets: the shipped plan's 附表 (tab-separated); the 2022 and 2010 statistical communiqués in
lawtext/gov (国家统计局年度统计/2022.md, 2010.md at commit fc1a2f6: markdown pipes, list rows);
the 十三五 plan's main indicator table as forum reposts print it (one cell per line, 。 for a
decimal point, 〔〕 cumulative; and space-aligned columns); the 1998 海南省 report in lawtext/gov
(a number broken from its unit by extraction).
"""

import pandas as pd

from builders import SHIPPED
from checks.scanner import scan_pattern
from checks.sources import SourceText
from checks.unit_table import UnitTable

UNITS = pd.read_csv(SHIPPED / "units.csv", dtype=str, keep_default_na=False)


def scan(text, name="doc.txt"):
    tokens = SourceText(name, text).scan_numbers(scan_pattern(UNITS), UnitTable(UNITS))
    return [(t.line, t.printed, t.section, t.period, t.period_note, t.unit) for t in tokens]


def labels(text, name="doc.txt"):
    return [t.label for t in SourceText(name, text).scan_numbers(scan_pattern(UNITS), UnitTable(UNITS))]


TABS = (
    "序号\t类别\t指标\t2020年(*为2021年)\t2025年\t2035年\t\n"
    "2\t\t自然保护地面积占国土面积比例(%)\t9.95\t≥10\t保持稳定\t\n"
    "9\t\t绿色低碳试点示范创建\t省级以上绿色工厂(家)\t10\t40\t持续提升\n"
    "25\t\t危险废物利用处理率（%）\t92.2*\t100\t100\t\n"
)


def test_tab_separated_rows_with_merged_cells_and_footnote():
    assert scan(TABS) == [
        (2, "9.95", "table", "2020", "*为2021年", "%"), (2, "10", "table", "2025", "", "%"),
        (3, "10", "table", "2020", "*为2021年", "家"), (3, "40", "table", "2025", "", "家"),
        (4, "92.2", "table", "2020", "*为2021年", "%"), (4, "100", "table", "2025", "", "%"), (4, "100", "table", "2035", "", "%"),
    ]
    assert labels(TABS)[2] == "绿色低碳试点示范创建 省级以上绿色工厂(家)"


PIPES = (
    "**表1 2022年年末人口数及其构成**\n"
    "\n"
    "| 指标                   | 年末数（万人） | 比重（%） |  |\n"
    "| -------------------- | ------- | ----- | --- |\n"
    "| 全国人口                 | 141175  | 100.0 | |\n"
    "| 其中：0-15岁（含不满16周岁）[7] | 25615   | 18.1  | |\n"
)


def test_markdown_pipes_with_header_units_and_the_title_year():
    assert scan(PIPES, "c.md") == [
        (5, "141175", "table", "2022", "", "万人"), (5, "100.0", "table", "2022", "", "%"),
        (6, "25615", "table", "2022", "", "万人"), (6, "18.1", "table", "2022", "", "%"),
    ]
    assert labels(PIPES, "c.md")[2] == "其中：0-15岁（含不满16周岁）[7]"  # numbers in a label are no figures


def test_markdown_pipes_with_a_year_per_column():
    text = "| 指标 | 2020年 | 2025年 |\n| --- | --- | --- |\n| 森林覆盖率（%） | 76.23 | ≥76 |\n"
    assert scan(text, "p.md") == [(3, "76.23", "table", "2020", "", "%"), (3, "76", "table", "2025", "", "%")]


LIST_ROWS = (
    "**表2：2010年主要工业产品产量及其增长速度**\n"
    "\n"
    "- 产品名称 单位 产量 比上年增长%\n"
    "- 纱 万吨 2717.0 13.5\n"
    "- 成品糖 万吨 1102.9 -17.6\n"
    "- 发电量 亿千瓦小时 42065.4 13.2\n"
)


def test_markdown_list_rows_with_a_unit_column():
    found = scan(LIST_ROWS, "c2010.md")
    assert [(line, printed, unit) for line, printed, _, _, _, unit in found] == [
        (4, "2717.0", "万吨"), (4, "13.5", "%"), (5, "1102.9", "万吨"), (5, "17.6", "%"), (6, "42065.4", "亿千瓦小时"), (6, "13.2", "%")]
    assert {period for _, _, _, period, _, _ in found} == {"2010"}


SPACES = (
    "指标                          2015年    2020年    年均增长〔累计〕    属性\n"
    "国内生产总值（万亿元）          67.7      >92.7     >6.5%               预期性\n"
    "常住人口城镇化率（%）           56.1      60        〔3.9〕             预期性\n"
)


def test_space_aligned_columns():
    assert scan(SPACES) == [
        (2, "67.7", "table", "2015", "", "万亿元"), (2, "92.7", "table", "2020", "", "万亿元"), (2, "6.5", "table", "", "", "%"),
        (3, "56.1", "table", "2015", "", "%"), (3, "60", "table", "2020", "", "%"), (3, "3.9", "table", "", "", "%"),
    ]


ONE_CELL_PER_LINE = (
    "指标\n2015年\n2020年\n年均增长〔累计〕\n属性\n"
    "地级及以上城市空气质量优良天数比率（%）\n76。7\n>80\n—\n约束性\n"
    "单位国内生产总值二氧化碳排放降低（%）\n—\n—\n〔18〕\n约束性\n"
    "森林覆盖率（%）\n21.66\n23.04\n〔1.38〕\n约束性\n"
    "\n以上指标中，约束性指标必须完成。\n"
)


def test_one_cell_per_line_under_a_header_block():
    assert scan(ONE_CELL_PER_LINE) == [
        (7, "76.7", "table", "2015", "", "%"), (8, "80", "table", "2020", "", "%"),
        (14, "18", "table", "", "", "%"),
        (17, "21.66", "table", "2015", "", "%"), (18, "23.04", "table", "2020", "", "%"), (19, "1.38", "table", "", "", "%"),
    ]


def test_prose_figures_with_magnitude_words_counters_and_broken_lines():
    text = ("全年国内生产总值[2]1210207亿元，比上年增长3.0%。城镇新增就业超过1206万人。\n"
            "接待游客3.2亿人次，建成5G基站231万个。粮食产量1.39万亿斤。\n"
            "天然气大化肥、无纺布、\n\n80\n\n万吨水泥相继建成。\n"
            "2023年是极不寻常的一年，共有3类。\n")
    printed = [(line, p) for line, p, *_ in scan(text)]
    assert printed == [(1, "1210207"), (1, "3.0"), (1, "1206"), (2, "3.2"), (2, "231"), (2, "1.39"), (5, "80"), (8, "3")]


def test_markdown_markup_is_not_content():
    text = ("---\ntitle: 某市2024年政府工作报告 100亿元\nsource: https://example.org/t20240101_100%.html\n---\n"
            "## 一、2023年工作回顾\n\n**全年完成投资100亿元**。\n\n![图片1](./W0202302285159994.png)\n")
    source = SourceText("r.md", text)
    assert source.metadata["title"] == "某市2024年政府工作报告 100亿元"
    assert [(line, p) for line, p, *_ in scan(text, "r.md")] == [(7, "100")]
    assert "全年完成投资100亿元。" in source.compact  # bold marks are not content
    assert "**" in SourceText("r.txt", text).compact  # near miss: in a text source ** is printed (a redaction)


def test_near_misses_prose_without_a_unit_and_years_are_not_figures():
    assert scan("2023年3月，第一季度增长，共计 12 和 2035年目标。\n") == []


def test_a_negative_prose_figure_keeps_its_sign_in_the_token():
    """2022 communiqué: 自然增长率为-0.60‰; near miss: a year range 2020-2025年 is no figure."""
    tokens = SourceText("c.md", "自然增长率为-0.60‰；2020-2025年。\n").scan_numbers(scan_pattern(UNITS))
    assert [(t.printed, t.text) for t in tokens] == [("0.60", "-0.60‰")]


def test_a_title_year_glued_to_the_table_number_and_ordinals():
    """2022 communiqué: **表102022年主要商品出口…** prints table 10 of 2022; 第24届 is an ordinal."""
    text = ("**表102022年主要商品出口数量、金额及其增长速度**\n\n"
            "| 商品名称 | 单位 | 数量 | 金额<br>（亿元） |\n| --- | --- | --- | --- |\n"
            "| 钢材 | 万吨 | 6732 | 6427 |\n| 服装及衣着附件 | — | — | 11713 |\n"
            "在北京第24届冬奥会上，我国运动员共获得9枚金牌。\n")
    assert scan(text, "c.md") == [(5, "6732", "table", "2022", "", "万吨"), (5, "6427", "table", "2022", "", "亿元"),
                                  (6, "11713", "table", "2022", "", "亿元"), (7, "9", "text", "", "", "")]


def test_ratios_without_a_unit_counters_and_temperatures_missed_before():
    """Misses of the 2022 communiqué measurement (lawtext/gov 国家统计局年度统计/2022.md) and a 2024
    provincial work report: a ratio printed without a unit after the verb that states it, the
    counters 集 / 册 / 星 / 位, N大 (N major kinds), N市 / N地 (cities, places), and ℃."""
    text = ("城乡居民人均可支配收入比值为2.45，比上年缩小0.05。\n"
            "长征八号运载火箭实现一箭22星发射。全年生产电视剧160部5283集，人均图书拥有量8.09册（张）。\n"
            "新晋5位两院院士，总数达到81位。5大优势产业突破性发展，等10大类46项民生实事，6市获批，14地成为示范县市。\n"
            "全年平均气温为10.51℃，比上年下降0.02℃。\n")
    printed = [(line, p) for line, p, *_ in scan(text)]
    assert printed == [(1, "2.45"), (1, "0.05"), (2, "22"), (2, "160"), (2, "5283"), (2, "8.09"), (3, "5"), (3, "81"), (3, "5"),
                       (3, "10"), (3, "46"), (3, "6"), (3, "14"), (4, "10.51"), (4, "0.02")]


def test_near_misses_of_the_new_counters_and_bare_ratios():
    """A version or a name (工业4.0, 5.0级 has its own unit), an integer after 为 (too often a list's
    count), an ordinal list (第1、3位: the third place), 市 after a magnitude (2100多万市民: people)."""
    text = "推进工业4.0，排名全市第1、3位。2100多万市民群众。评分为85，增长为2.5倍。\n"
    tokens = SourceText("a.txt", text).scan_numbers(scan_pattern(UNITS))
    assert [t.text for t in tokens] == ["2100多万", "2.5倍"]


def test_prose_inside_table_cells_is_read_as_prose():
    """A table of work done whose cells are sentences (lawtext/gov 政府工作报告-其他地市/汕头市/2023.md,
    2022年市十件民生实事完成情况汇总表): the figures of the sentence cells and of a list item's
    heading (七、筹集…1500套) are figures; near miss: a row label of the 2022 communiqué's 表1
    (其中：0-15岁（含不满16周岁）) is no prose, only its figure cells are read."""
    text = ("| 重点事项 | 牵头单位 | 实际进度 |\n| --- | --- | --- |\n"
            "| 二、全面完成市中心城区供水系统提压改造项目 | 市水务局 | 建设社区泵房39座，修复供水干管21公里，敷设地下管网154.8公里。 |\n"
            "| 七、筹集保障性租赁住房1500套 | 市住房城乡建设局，各区政府 | 筹建保障性租赁住房1517套，超额完成目标任务。 |\n"
            "| 九、为适龄女性免费接种HPV疫苗 | 市妇联 | 为全市适龄女生免费接种HPV疫苗3.7万剂次，超额完成目标任务。 |\n"
            "\n| 指标 | 年末数（万人） | 比重（%） |\n| --- | --- | --- |\n| 其中：0-15岁（含不满16周岁） | 25615 | 18.1 |\n")
    assert [(line, p, section) for line, p, section, *_ in scan(text, "r.md")] == [
        (3, "39", "text"), (3, "21", "text"), (3, "154.8", "text"), (4, "1500", "text"), (4, "1517", "text"), (5, "3.7", "text"),
        (9, "25615", "table"), (9, "18.1", "table")]


def test_the_prose_pattern_matches_as_its_plain_form_does():
    """prose_pattern is written for speed (digits first, possessive runs, the sign read after):
    on texts of digits, signs, points, ordinals, units and counters it finds what the plain form
    (a lookbehind, then an optional sign) finds, match for match."""
    import random
    import re

    import numpy as np

    from checks.figures import BARE_COUNTERS, BARE_DECIMAL, COUNTERS, MAGNITUDE, NUMBER, RANGE_TAIL, _alternation, prose_matches, prose_pattern

    units = scan_pattern(UNITS)
    plain = re.compile(rf"(?<![A-Za-z0-9_.{{第])(?P<sign>-(?=\d))?(?P<num>{NUMBER}{RANGE_TAIL})"
                       rf"\s*[多余]?\s*(?:{MAGNITUDE}\s*[多余]?\s*(?:{units}|{_alternation(COUNTERS)})?"
                       rf"|(?:{units})|{_alternation(COUNTERS + BARE_COUNTERS)})")
    bare = re.compile(r"(?<=[为是达到至小大高降升加少低])(?P<num>\d+\.\d+)(?=[，,。；;、）)]|$)")
    pieces = [*"0123456789" * 3, *"--.、第a_{万亿多余%~ 年为是小，。)", "—", "至", "个", "人次", "万人", "亿元", "吨", "个百分点", "‰", "大类",
              "为2.45", "缩小0.05", "3.5"]
    chance = random.Random(14)
    for _ in range(400):
        text = "".join(chance.choice(pieces) for _ in range(chance.randint(1, 40)))
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        starts, ends, digits, digits_end = prose_matches(prose_pattern(units), text, codes)
        found = [(m.start(), m.end(), m.start("num"), m.end("num")) for m in plain.finditer(text)]
        assert list(zip(starts.tolist(), ends.tolist(), digits.tolist(), digits_end.tolist(), strict=True)) == found, text
        # a text of ASCII digits only is read with [0-9] (FigureScanner): the same matches
        ascii_read = prose_matches(prose_pattern(units, "[0-9]"), text, codes)
        assert all(a.tolist() == b.tolist() for a, b in zip(ascii_read, (starts, ends, digits, digits_end), strict=True)), text
        assert [m.span("num") for m in BARE_DECIMAL.finditer(text)] == [m.span() for m in bare.finditer(text)], text


def test_a_plain_number_cell_is_read_as_the_cached_reading_reads_it():
    """value_cell and _names_column read a plain number without their caches (numbers seldom
    repeat): on cells of digits, points, years, 。, spaces and header words they answer what the
    cached readings answer, cell for cell."""
    import random

    from checks.figures import _names_column, _names_column_cached, _value_cell, value_cell

    units = scan_pattern(UNITS)
    pieces = [*"0123456789" * 4, *". 。年%", "2020", "1999", "指标", "万吨", "(", ")"]
    chance = random.Random(6)
    cells = ["2020", "2025", "988.54", "12", "0", "3000", "20201", "2020.5", "1.", ".5", "76。7"]
    cells += ["".join(chance.choice(pieces) for _ in range(chance.randint(1, 8))) for _ in range(3000)]
    for cell in cells:
        assert value_cell(cell, units) == _value_cell(cell, units), cell
        assert _names_column(cell) == _names_column_cached(cell), cell
    assert _names_column("2020") and not _names_column("988.54") and value_cell("988.54", units) == ("988.54", "")


def test_a_text_printing_other_decimal_digits_is_read_with_unicode_digits():
    """The scanner reads a text with [0-9] only when it prints no other decimal digit: `٣万吨`
    (Arabic-Indic three) is a figure as `\\d` reads it; the same text with 3 is read with [0-9]."""
    from checks.figures import FigureScanner

    units = scan_pattern(UNITS)
    for text, digit in (("全年产量٣万吨，增长5%。", r"\d"), ("全年产量3万吨，增长5%。", "[0-9]")):
        source = SourceText("a.txt", text)
        scanner = FigureScanner(source._digits_folded, source._line_starts, units)
        assert scanner.prose.pattern.startswith(f"(?P<num>{digit}"), text
        assert [token.text for token in source.scan_numbers(units)] == [text[4:7], "5%"], text


def test_texts_read_together_are_read_as_each_alone(monkeypatch):
    """read_many (what coverage reads, texts in batches joined by NUL) finds in each text what the
    text's own read finds, token for token, whatever the batch size: no figure, sign, bare decimal,
    ordinal, table line nor broken line read across the join, and a text that prints a NUL itself
    read alone. Random texts of table marks, digits, units, ordinals, other digits and line breaks."""
    import random

    from checks import figures

    units = scan_pattern(UNITS)
    pieces = ["\t", "|", " ", "  ", "\n", "1", "2", "20", "2020", "12.5", "%", "万吨", "指标", "序号", "单位：%", "表1", "—", "-",
              "合计", "，", "。", "人", "٣", "𝟓", "第", "a", "为", "3-5", "至", "多", "亿元", "个百分点", "\r\n", "\n\n", "\x00",
              "为2.45", "、", "第1、", "| --- | --- |"]
    chance = random.Random(21)
    texts = ["".join(chance.choice(pieces) for _ in range(chance.randint(0, 60))) for _ in range(1000)]
    sources = [SourceText("r.md" if index % 2 else "r.txt", text) for index, text in enumerate(texts)]

    def rows(scan):
        return [(t.line, t.span, t.printed, t.text, t.section, t.quote_start, t.kind) for t in scan.tokens()]

    alone = [rows(source.scan_figures(units, described=False)) for source in sources]
    assert sum(map(len, alone)) > 1000  # (the texts print figures: a test that reads none proves nothing)
    for size in (1, 40, 700, 1 << 16):
        monkeypatch.setattr(figures, "BATCH_CHARACTERS", size)
        together = figures.read_many([s._digits_folded for s in sources], [s._line_starts for s in sources], units)
        assert [rows(scan) for scan in together] == alone, size


def test_the_other_digits_are_the_code_points_re_reads_as_digits():
    """The class OTHER_DIGIT (what makes a text read with \\d, not [0-9]) is set on exactly the code
    points re's \\d matches but 0-9, whatever way the table is computed."""
    import re

    import numpy as np

    from checks.figures import OTHER_DIGIT, _character_classes

    every = "".join(map(chr, range(0x110000)))
    digits = {match.start() for match in re.finditer(r"\d", every)} - set(range(ord("0"), ord("9") + 1))
    assert len(digits) > 600 and set(np.flatnonzero(_character_classes() & OTHER_DIGIT).tolist()) == digits
