"""A synthetic province in the shape of a real one, with contradictions injected at a known rate.

    python -m bench.generate OUT_DIR --observations 100000 [--seed 0] [--inject-every 350]

Shape: 1 province, 100 prefectures, 3,000 counties (30 a prefecture); above about 1.5 M
observations, a country: another province of that shape per 100 prefectures (never the same
prefectures again, which would repeat each figure in ever more documents). 300 indicators in 50
groups of six related ones (a total, its sub-category, the sub-category's share of the total, a
rate to raise, a rate to lower, and the margin between the two rates in 个百分点), 10 years of
actuals (2016-2024 printed in reports, targets for 2025 and 2030 in plans). Every printed figure
is the rounding of one true value, so every relation the rules check holds on the clean part.

Documents hold about 200 figures each: a prefecture's yearly report (its own figures and two
counties', a previous year and a change, some repeated in a table), a compilation of county
reports (the same county figures again), and a plan per prefecture (baselines 2020 in text and
table, targets 2025 in text and table, and 2030). Each document's source text is written line by
line from its quotes, with filler lines between, so provenance and coverage are real.

One injection every `inject_every` observations, rotating through every rule family; each is
recorded in `injected.json` with the rule that must find it and the observations (or document and
line) it concerns.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

GENERATOR_VERSION = 3  # 3: a new province per 100 prefectures (was: the same prefectures again); up to 1.5 M as 2
SHIPPED = Path(__file__).resolve().parent.parent / "datasets"
PREFECTURES = 100
COUNTIES_PER_PREFECTURE = 30
GROUPS = 50
REPORT_YEARS = range(2017, 2025)  # each report also prints the year before: actuals 2016-2024
BASE_YEAR, TARGET_YEAR, LATER_YEAR = 2020, 2025, 2030
FIGURES_PER_DOCUMENT = 200
FILLER = "坚持生态优先、绿色发展，持续深化生态文明建设。"

# Characters for names: none of them is a unit, a magnitude word or a digit.
NAME_CHARS = "青蓝碧翠澄清明秀嘉瑞祥和安宁平泰丰盛兴隆昌荣华章文武德仁义礼信忠孝贤良恭俭让温润雅静"
THEMES = "森林湿地河湖草原山岭田园溪涧泉潭峡谷沙洲海湾丘陵盆滩岛礁"

GROUP_MEMBERS = ("total", "part", "share", "rate_up", "rate_down", "margin")
# a group's status lines, one sentence each: member, decimals, unit, what the sentence says before the figure
STATUS_LINES = (("total", 2, "万千瓦", "{year}年{name}总量为"), ("part", 2, "万千瓦", "{year}年{name}清洁部分达"),
                ("share", 2, "%", "{name}清洁部分占比"), ("rate_up", 1, "%", "{name}达标率"), ("rate_down", 1, "%", "{name}超标率"),
                ("margin", 1, "个百分点", "{name}达标率高于超标率"))


def prefecture_id(p: int) -> str:
    """p00 ... p99 in the first province; s1p00 ... in the next ones."""
    return f"p{p:02d}" if p < PREFECTURES else f"s{p // PREFECTURES}p{p % PREFECTURES:02d}"


def county_id(p: int, c: int) -> str:
    return f"{prefecture_id(p)}c{c:02d}"


def parse_region(region: str) -> tuple[int, int | None]:
    """(prefecture number, county number or None) of a region id of prefecture_id / county_id."""
    province, _, rest = region.rpartition("p") if region.startswith("s") else ("s0", "p", region[1:])
    prefecture, _, county = rest.partition("c")
    return int(province[1:]) * PREFECTURES + int(prefecture), int(county) if county else None


def _names(count: int, suffix: str, width: int) -> list[str]:
    """`count` distinct names of `width` characters and a suffix (市, 县)."""
    chars = NAME_CHARS
    names = []
    for number in range(count):
        digits, i = [], number
        for _ in range(width):
            i, d = divmod(i, len(chars))
            digits.append(chars[d])
        names.append("".join(reversed(digits)) + suffix)
    return names


@dataclass
class Document:
    id: str
    region: str
    kind: str
    as_of: str
    base_year: str
    title: str
    lines: list[str] = field(default_factory=list)

    def add(self, text: str) -> int:
        if len(self.lines) % 4 == 3:
            self.lines.append(FILLER)
        self.lines.append(text)
        return len(self.lines)


@dataclass
class Generator:
    observations: int
    seed: int = 0
    inject_every: int = 350
    rows: list[dict] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    injected: list[dict] = field(default_factory=list)
    exclusions: list[dict] = field(default_factory=list)
    wrong_sha: set[str] = field(default_factory=set)
    touched: set[int] = field(default_factory=set)

    def __post_init__(self):
        self.random = random.Random(self.seed)
        self.prefectures = 1  # prefectures written so far (a new province every PREFECTURES)
        self.pref_names = _names(len(NAME_CHARS) ** 2, "市", 2)
        self.county_names = _names(PREFECTURES * COUNTIES_PER_PREFECTURE, "县", 3)
        self.themes = [THEMES[2 * (i % 13)] + THEMES[2 * (i % 13) + 1] + NAME_CHARS[i // 13] for i in range(GROUPS)]
        self.next_injection = self.inject_every // 2
        self.injection_kind = 0
        self.doc_fill: dict[str, int] = {}

    # ---- catalogue -------------------------------------------------------------------------
    def regions(self) -> pd.DataFrame:
        rows = []
        for k in range(-(-self.prefectures // PREFECTURES)):
            province = "prov" if k == 0 else f"prov{k}"
            rows.append({"id": province, "name": "试验省" if k == 0 else f"试验{NAME_CHARS[k]}省", "level": "province", "parent": ""})
            for p in range(k * PREFECTURES, (k + 1) * PREFECTURES):
                rows.append({"id": prefecture_id(p), "name": self.pref_names[p], "level": "prefecture", "parent": province})
                for c in range(COUNTIES_PER_PREFECTURE):
                    rows.append({"id": county_id(p, c), "name": self.county_name(p, c), "level": "county", "parent": prefecture_id(p)})
        return pd.DataFrame(rows)

    def county_name(self, p: int, c: int) -> str:
        """A county's name: unique within its province (another province's counties have its names
        again, as real ones often do; their ids and parents differ)."""
        return self.county_names[(p % PREFECTURES) * COUNTIES_PER_PREFECTURE + c]

    def indicators(self) -> pd.DataFrame:
        rows = []
        for g, theme in enumerate(self.themes):
            ids = {m: f"g{g:02d}_{m}" for m in GROUP_MEMBERS}
            common = {"printed_names": "", "parent": "", "share_part": "", "share_whole": "", "minuend": "", "subtrahend": ""}
            rows += [
                {**common, "id": ids["total"], "name": f"{theme}总量", "unit": "kilowatt", "direction": "up", "quantity": "level", "additive": "true",
                 "definition": "Synthetic total (a stock in 千瓦)."},
                {**common, "id": ids["part"], "name": f"{theme}清洁部分", "unit": "kilowatt", "direction": "up", "quantity": "level", "additive": "true",
                 "parent": ids["total"], "definition": "Synthetic sub-category of the total."},
                {**common, "id": ids["share"], "name": f"{theme}清洁部分占比", "unit": "percent", "direction": "up", "quantity": "share", "additive": "false",
                 "share_part": ids["part"], "share_whole": ids["total"], "definition": "Share of the sub-category in the total."},
                {**common, "id": ids["rate_up"], "name": f"{theme}达标率", "unit": "percent", "direction": "up", "quantity": "rate", "additive": "false",
                 "definition": "Synthetic rate that should rise."},
                {**common, "id": ids["rate_down"], "name": f"{theme}超标率", "unit": "percent", "direction": "down", "quantity": "rate", "additive": "false",
                 "definition": "Synthetic rate that should fall."},
                {**common, "id": ids["margin"], "name": f"{theme}达标率高于超标率", "unit": "percentage_point", "direction": "none", "quantity": "change",
                 "additive": "false", "minuend": ids["rate_up"], "subtrahend": ids["rate_down"], "definition": "Margin of the two rates."},
            ]
        return pd.DataFrame(rows)

    # ---- true values -------------------------------------------------------------------------
    def truth(self, g: int, region: str, year: int) -> dict[str, float]:
        """The true figures of one group, region and year; every printed figure rounds these."""
        rng = random.Random(f"{self.seed}:{g}:{region}")
        whole = rng.uniform(200, 900) if "c" not in region else rng.uniform(2, 9)
        fraction = rng.uniform(0.3, 0.6)
        up, down = rng.uniform(60, 85), rng.uniform(12, 30)
        t = year - 2016
        total = whole * 1.03 ** t
        part = total * fraction
        rate_up, rate_down = min(up + 0.5 * t, 99.0), down - 0.3 * t
        return {"total": total, "part": part, "share": 100 * part / total, "rate_up": rate_up, "rate_down": rate_down,
                "margin": rate_up - rate_down}

    # ---- documents -------------------------------------------------------------------------
    def document(self, kind: str, prefecture: int, year: int | None, figures: int) -> Document:
        """The open document of this kind for the prefecture (and year); a new one every ~200 figures."""
        region = prefecture_id(prefecture)
        stem = {"report": f"rep-{region}-{year}", "counties": f"cty-{region}-{year}", "plan": f"plan-{region}"}[kind]
        part = self.doc_fill.get(stem, 0) // FIGURES_PER_DOCUMENT
        self.doc_fill[stem] = self.doc_fill.get(stem, 0) + figures
        doc_id = f"{stem}-{part}"
        if doc_id not in self.documents:
            title = {"report": f"{self.pref_names[prefecture]}{year}年生态环境状况公报", "counties": f"{self.pref_names[prefecture]}各县{year}年工作汇编",
                     "plan": f"{self.pref_names[prefecture]}生态环境保护规划"}[kind]
            self.documents[doc_id] = Document(doc_id, region, "plan" if kind == "plan" else "progress_report",
                                              "2021" if kind == "plan" else str(year + 1), str(BASE_YEAR) if kind == "plan" else "", title)
        return self.documents[doc_id]

    def region_name(self, region: str) -> str:
        p, c = parse_region(region)
        return self.pref_names[p] if c is None else self.county_name(p, c)

    def observe(self, doc: Document, indicator: str, region: str, period: str, role: str, value: str, unit: str,
                quote: str, section: str = "text", line: int | None = None) -> int:
        """One printed figure: a source line (unless `line` is given) and its observation row."""
        if line is None:
            line = doc.add(quote)
        self.rows.append({"document": doc.id, "indicator": indicator, "region": region, "scope": "", "period": period,
                          "period_note": "", "role": role, "value_printed": value, "unit_printed": unit, "section": section,
                          "line": line, "quote": quote, "note": ""})
        return len(self.rows) - 1

    # ---- blocks ----------------------------------------------------------------------------
    def status_lines(self, doc: Document, g: int, region: str, year: int) -> dict[str, int]:
        """The six figures of one group, region and year, one sentence each."""
        v = self.truth(g, region, year)
        name = self.region_name(region) + self.themes[g]
        rows = {}
        ind = {m: f"g{g:02d}_{m}" for m in GROUP_MEMBERS}
        for member, decimals, unit, lead in STATUS_LINES:
            printed = f"{v[member]:.{decimals}f}{unit}"
            rows[member] = self.observe(doc, ind[member], region, str(year), "actual", printed, unit, lead.format(year=year, name=name) + printed)
        return rows

    def report_block(self, g: int, p: int, year: int) -> dict:
        """A prefecture's report for one group and year, and its two counties in the compilation."""
        pref = prefecture_id(p)
        pair = g % (COUNTIES_PER_PREFECTURE // 2)
        counties = [county_id(p, 2 * pair), county_id(p, 2 * pair + 1)]
        report = self.document("report", p, year, 22)
        rows = {"report": report, "pref": self.status_lines(report, g, pref, year)}
        for county in counties:
            rows[county] = self.status_lines(report, g, county, year)
        before, now = self.truth(g, pref, year - 1), self.truth(g, pref, year)
        name = self.pref_names[p] + self.themes[g]
        total = f"g{g:02d}_total"
        rows["previous"] = self.observe(report, total, pref, str(year - 1), "actual", f"{before['total']:.2f}万千瓦", "万千瓦",
                                        f"{name}总量上年为{before['total']:.2f}万千瓦")
        growth = 100 * (now["total"] / before["total"] - 1)
        rows["change"] = self.observe(report, total, pref, f"{year - 1}-{year}", "change", f"增长{growth:.1f}%", "%", f"{name}总量较上年增长{growth:.1f}%")
        for member in ("total", "rate_up"):
            value = f"{now[member]:.2f}" if member == "total" else f"{now[member]:.1f}"
            label = "总量（万千瓦）" if member == "total" else "达标率（%）"
            quote = f"{len(report.lines) % 90 + 1}\t{self.themes[g]}{label}\t{value}"
            rows[f"table_{member}"] = self.observe(report, f"g{g:02d}_{member}", pref, str(year), "actual", value,
                                                   "万千瓦" if member == "total" else "%", quote, section="table")
        compilation = self.document("counties", p, year, 12)
        rows["compilation"] = compilation
        for county in counties:
            rows[f"again_{county}"] = self.status_lines(compilation, g, county, year)
        rows["counties"] = counties
        return rows

    def plan_block(self, g: int, p: int) -> dict:
        """A prefecture plan's baselines (2020) and targets (2025, 2030) in text and table."""
        pref = prefecture_id(p)
        plan = self.document("plan", p, None, 15)
        base = self.truth(g, pref, BASE_YEAR)
        name = self.pref_names[p] + self.themes[g]
        ind = {m: f"g{g:02d}_{m}" for m in GROUP_MEMBERS}
        t_total, t_later = base["total"] * 1.2, base["total"] * 1.4
        t_share, t_up, t_down = base["share"] + 2, min(base["rate_up"] + 3, 99.5), base["rate_down"] - 2
        rows = {"plan": plan}
        text = [("total", f"{base['total']:.2f}万千瓦", "万千瓦", f"达到{t_total:.2f}万千瓦", "总量"),
                ("share", f"{base['share']:.2f}%", "%", f"{t_share:.2f}%以上", "清洁部分占比"),
                ("rate_up", f"{base['rate_up']:.1f}%", "%", f"{t_up:.1f}%以上", "达标率"),
                ("rate_down", f"{base['rate_down']:.1f}%", "%", f"控制在{t_down:.1f}%以内", "超标率")]
        for member, baseline, unit, target, label in text:
            rows[f"base_{member}"] = self.observe(plan, ind[member], pref, str(BASE_YEAR), "baseline", baseline, unit,
                                                  f"{BASE_YEAR}年{name}{label}为{baseline}")
            rows[f"target_{member}"] = self.observe(plan, ind[member], pref, str(TARGET_YEAR), "target", target, unit,
                                                    f"到{TARGET_YEAR}年{name}{label}{target}")
        rows["later_total"] = self.observe(plan, ind["total"], pref, str(LATER_YEAR), "target", f"达到{t_later:.2f}万千瓦", "万千瓦",
                                           f"到{LATER_YEAR}年{name}总量达到{t_later:.2f}万千瓦")
        table = [("total", f"{base['total']:.2f}", f"≥{t_total:.2f}", "万千瓦", "总量（万千瓦）"),
                 ("rate_up", f"{base['rate_up']:.1f}", f"≥{t_up:.1f}", "%", "达标率（%）"),
                 ("rate_down", f"{base['rate_down']:.1f}", f"≤{t_down:.1f}", "%", "超标率（%）")]
        for member, baseline, target, unit, label in table:
            head = f"{len(plan.lines) % 90 + 1}\t{self.themes[g]}{label}\t{baseline}"
            line = plan.add(f"{head}\t{target}")
            rows[f"tbase_{member}"] = self.observe(plan, ind[member], pref, str(BASE_YEAR), "baseline", baseline, unit, head, "table", line)
            rows[f"ttarget_{member}"] = self.observe(plan, ind[member], pref, str(TARGET_YEAR), "target", target, unit, f"{head}\t{target}", "table", line)
        return rows

    # ---- injections --------------------------------------------------------------------------
    def set_value(self, row: int, value: str, quote_old: str | None = None, unit: str | None = None, source_too: bool = True):
        """Print a different value for one observation, in its row and (unless not) in its source line."""
        obs = self.rows[row]
        self.touched.add(row)
        old_value = quote_old or obs["value_printed"]
        doc = self.documents[obs["document"]]
        new_quote = obs["quote"][::-1].replace(old_value[::-1], value[::-1], 1)[::-1]
        if source_too:
            line = doc.lines[obs["line"] - 1]
            doc.lines[obs["line"] - 1] = line.replace(obs["quote"], new_quote, 1)
            for other in self.rows_on_line(obs["document"], obs["line"]):  # the other cell of a table row
                if other != row:
                    self.rows[other]["quote"] = self.rows[other]["quote"].replace(obs["quote"], new_quote, 1)
        obs["quote"], obs["value_printed"] = new_quote, value
        if unit is not None:
            obs["unit_printed"] = unit

    def rows_on_line(self, document: str, line: int) -> list[int]:
        return [i for i in range(max(0, len(self.rows) - 80), len(self.rows))
                if self.rows[i]["document"] == document and self.rows[i]["line"] == line]

    def record(self, rule: str, rows: list[int] = (), document: str | None = None, line: int | None = None):
        """What the rule must find (`rows` among a finding's observations, or the document and
        line), and every observation the injection changed (findings on them are explained)."""
        touched = sorted(self.touched | set(rows))
        self.touched = set()
        self.injected.append({"rule": rule, "rows": list(rows), "touched": touched, "document": document, "line": line})

    def inject_report(self, kind: str, b: dict) -> bool:
        """Inject one contradiction into a report block; False when this kind belongs to a plan."""
        pref, county = b["pref"], b[b["counties"][0]]
        again = b[f"again_{b['counties'][0]}"]
        report: Document = b["report"]
        if kind == "values.unreadable":
            row = pref["rate_up"]
            value = self.rows[row]["value_printed"]
            self.set_value(row, value[:-1] + ".5%")
            self.record(kind, [row])
        elif kind == "provenance.quote-not-found":
            row = pref["rate_down"]
            self.rows[row]["quote"] = self.rows[row]["quote"].replace("超标率", "超标比率")
            self.record(kind, [row])
        elif kind == "provenance.value-not-in-quote":
            row = pref["share"]
            obs = self.rows[row]
            obs["value_printed"] = f"{float(obs['value_printed'][:-1]) + 1:.2f}%"
            self.record(kind, [row])
        elif kind == "provenance.source-changed":
            self.wrong_sha.add(report.id)
            self.record(kind, document=report.id)
        elif kind == "coverage.unaccounted-figure":
            line = report.add(f"{self.themes[0]}另新增储备17.35万千瓦")
            self.record(kind, document=report.id, line=line)
        elif kind == "coverage.stale-exclusion":
            line = self.rows[pref["total"]]["line"]
            self.exclusions.append({"document": report.id, "line": str(line), "printed": "777", "reason": "synthetic stale exclusion"})
            self.record(kind, document=report.id, line=line)
        elif kind == "units.wrong-dimension":
            row = pref["part"]
            value = self.rows[row]["value_printed"].replace("万千瓦", "亿元")
            self.set_value(row, value, quote_old=self.rows[row]["value_printed"], unit="亿元")
            self.record(kind, [row])
        elif kind == "units.repeated-in-cell":
            row = b["table_rate_up"]
            self.set_value(row, self.rows[row]["value_printed"] + "%")
            self.record(kind, [row])
        elif kind == "units.count-as-share":
            row = pref["rate_up"]
            obs = self.rows[row]
            new_quote = obs["quote"].replace("达标率", "达标天数")
            report.lines[obs["line"] - 1] = report.lines[obs["line"] - 1].replace(obs["quote"], new_quote)
            obs["quote"] = new_quote
            self.record(kind, [row])
        elif kind == "same-figure.disagree":
            row = again["rate_down"]
            value = float(self.rows[row]["value_printed"][:-1]) + 1.5
            self.set_value(row, f"{value:.1f}%")
            self.record(kind, [county["rate_down"], row])
        elif kind == "part-whole.region-exceeds-parent":
            whole = float(self.rows[pref["total"]]["value_printed"][:-3])
            for rows in (county, again):  # the county's figure, printed alike in both places
                self.set_value(rows["total"], f"{whole * 1.5:.2f}万千瓦")
            self.record(kind, [county["total"], pref["total"]])
        elif kind == "part-whole.subcategory-exceeds-category":
            whole = float(self.rows[county["total"]]["value_printed"][:-3])
            for rows in (county, again):
                self.set_value(rows["part"], f"{whole * 1.2:.2f}万千瓦")
            self.record(kind, [county["part"], county["total"]])
        elif kind == "derived.implied-totals-disagree":
            row = pref["share"]
            value = float(self.rows[row]["value_printed"][:-1]) * 0.9
            self.set_value(row, f"{value:.2f}%")
            self.record(kind, [row, pref["part"]])
        elif kind == "derived.difference-mismatch":
            row = county["margin"]
            for rows in (county, again):
                value = float(self.rows[rows["margin"]]["value_printed"][:-4]) + 3
                self.set_value(rows["margin"], f"{value:.1f}个百分点")
            self.record(kind, [row])
        elif kind == "derived.change-mismatch":
            row = b["change"]
            value = float(self.rows[row]["value_printed"][2:-1]) + 6
            self.set_value(row, f"增长{value:.1f}%")
            self.record(kind, [row])
        elif kind == "source-text.damaged-characters":
            line = report.add(f"{self.themes[1]}★侵害防治持续推进")
            self.record(kind, document=report.id, line=line)
        elif kind == "source-text.injected-text":
            line = report.add(f"{self.themes[2]}保护协议备用网址另见")
            self.record(kind, document=report.id, line=line)
        elif kind == "source-text.redaction":
            line = report.add(f"**{self.themes[3]}保护工作获表彰")
            self.record(kind, document=report.id, line=line)
        else:
            return False
        return True

    def inject_plan(self, kind: str, b: dict) -> bool:
        base, plan = b["base_total"], b["plan"]
        if kind == "targets.worse-than-baseline":
            baseline = float(self.rows[base]["value_printed"][:-3])
            self.set_value(b["later_total"], f"达到{baseline * 1.1:.2f}万千瓦")  # keep 2030 above the new 2025
            self.set_value(b["target_total"], f"{baseline * 0.8:.2f}万千瓦")
            self.record(kind, [base, b["target_total"]])
        elif kind == "targets.later-worse":
            baseline = float(self.rows[base]["value_printed"][:-3])
            self.set_value(b["later_total"], f"{baseline * 1.05:.2f}万千瓦")
            self.record(kind, [b["target_total"], b["later_total"]])
        elif kind == "targets.qualitative-wrong-way":
            row = b["target_rate_up"]
            obs = self.rows[row]
            self.set_value(row, "稳定下降")
            obs["unit_printed"] = ""
            self.record(kind, [row])
        elif kind == "targets.weak-bound":
            row = b["target_rate_up"]
            baseline = float(self.rows[b["base_rate_up"]]["value_printed"][:-1])
            self.set_value(row, f"{baseline - 2:.1f}%以上")
            self.record(kind, [b["base_rate_up"], row])
        elif kind == "targets.flat":
            row = b["target_rate_down"]
            self.set_value(row, self.rows[b["base_rate_down"]]["value_printed"])
            self.record(kind, [b["base_rate_down"], row])
        elif kind == "same-figure.different-bounds":
            row = b["ttarget_rate_up"]
            value = float(self.rows[row]["value_printed"][1:]) - 0.4
            self.set_value(row, f"≥{value:.1f}")
            self.record(kind, [b["target_rate_up"], row])
        elif kind == "plausibility.large-jump":
            baseline = float(self.rows[b["base_rate_down"]]["value_printed"][:-1])
            self.set_value(b["target_rate_down"], f"控制在{baseline / 3:.1f}%以内")
            self.record(kind, [b["base_rate_down"], b["target_rate_down"]])
        elif kind == "metadata.base-year-mismatch":
            if plan.base_year != str(BASE_YEAR):
                return False
            plan.base_year = str(BASE_YEAR + 1)
            self.record(kind, document=plan.id)
        else:
            return False
        return True

    # ---- the whole --------------------------------------------------------------------------
    def generate(self) -> None:
        """Blocks of one group and prefecture (a plan, and a report for every year) until the size
        is reached; at most one injection per block set, so injections never meet."""
        p = 0
        while len(self.rows) < self.observations:
            for g in range(GROUPS):
                if len(self.rows) >= self.observations:
                    break
                self.prefectures = p + 1
                plan = self.plan_block(g, p)
                blocks = [self.report_block(g, p, year) for year in REPORT_YEARS]
                if len(self.rows) < self.next_injection:
                    continue
                for _ in range(len(INJECTIONS)):
                    kind = INJECTIONS[self.injection_kind % len(INJECTIONS)]
                    self.injection_kind += 1
                    if self.inject_plan(kind, plan) or self.inject_report(kind, blocks[self.injection_kind % len(blocks)]):
                        break
                self.next_injection += self.inject_every
            p += 1

    def write(self, out: Path) -> dict:
        if out.exists():
            shutil.rmtree(out)
        (out / "observations").mkdir(parents=True)
        (out / "sources").mkdir()
        for name in ("units.csv", "settings.toml"):
            shutil.copy(SHIPPED / name, out / name)
        self.regions().to_csv(out / "regions.csv", index=False)
        self.indicators().to_csv(out / "indicators.csv", index=False)
        frame = pd.DataFrame(self.rows)
        seq = frame.groupby("document").cumcount() + 1
        frame.insert(0, "id", frame["document"] + "-" + seq.astype(str).str.zfill(4))
        docs = []
        for doc in self.documents.values():
            # a declared base year is traced to the sentence that declares it (documents.csv base_year_line / _quote)
            declaration = f"规划基准年为 {doc.base_year} 年" if doc.base_year else ""
            raw = ("\n".join(doc.lines + ([declaration] if declaration else [])) + "\n").encode()
            source_file = f"{doc.id}.txt"
            (out / "sources" / source_file).write_bytes(raw)
            sha = hashlib.sha256(raw).hexdigest()
            if doc.id in self.wrong_sha:
                sha = hashlib.sha256(raw + b"original").hexdigest()
            docs.append({"id": doc.id, "source_file": source_file, "sha256": sha, "title": doc.title, "issuer": doc.region,
                         "region": doc.region, "kind": doc.kind, "as_of": doc.as_of, "base_year": doc.base_year,
                         "base_year_line": str(len(doc.lines) + 1) if declaration else "", "base_year_quote": declaration})
        pd.DataFrame(docs).to_csv(out / "documents.csv", index=False)
        for doc_id, part in frame.groupby("document", sort=False):
            part.to_csv(out / "observations" / f"{doc_id}.csv", index=False)
        pd.DataFrame(self.exclusions, columns=["document", "line", "printed", "reason"]).to_csv(out / "exclusions.csv", index=False)
        pd.DataFrame(columns=["fingerprint", "rule", "reason", "who", "when"]).to_csv(out / "waivers.csv", index=False)
        ids = frame["id"].tolist()
        manifest = {"generator_version": GENERATOR_VERSION, "observations": len(frame), "documents": len(docs), "seed": self.seed,
                    "inject_every": self.inject_every,
                    "injected": [{"rule": i["rule"], "observations": [ids[r] for r in i["rows"]], "touched": [ids[r] for r in i["touched"]],
                                  "document": i["document"], "line": i["line"]}
                                 for i in self.injected]}
        (out / "injected.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        return manifest


PLAN_INJECTIONS = ["targets.worse-than-baseline", "targets.later-worse", "targets.qualitative-wrong-way", "targets.weak-bound",
                   "targets.flat", "same-figure.different-bounds", "plausibility.large-jump", "metadata.base-year-mismatch"]
REPORT_INJECTIONS = ["values.unreadable", "provenance.quote-not-found", "provenance.value-not-in-quote", "provenance.source-changed",
                     "coverage.unaccounted-figure", "coverage.stale-exclusion", "units.wrong-dimension", "units.repeated-in-cell",
                     "units.count-as-share", "same-figure.disagree", "part-whole.region-exceeds-parent", "part-whole.subcategory-exceeds-category",
                     "derived.implied-totals-disagree", "derived.difference-mismatch", "derived.change-mismatch",
                     "source-text.damaged-characters", "source-text.injected-text", "source-text.redaction"]
INJECTIONS = [k for pair in zip(REPORT_INJECTIONS, PLAN_INJECTIONS + [None] * 10, strict=False) for k in pair if k]


def generate(out: Path, observations: int, seed: int = 0, inject_every: int = 350) -> dict:
    generator = Generator(observations, seed, inject_every)
    generator.generate()
    return generator.write(Path(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--observations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--inject-every", type=int, default=350)
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.observations, args.seed, args.inject_every)
    print(f"{args.out}: {manifest['observations']} observations, {manifest['documents']} documents, {len(manifest['injected'])} injected contradictions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
