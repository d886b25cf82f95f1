"""The shipped dataset: complete, traceable to its sources, and its real contradictions found."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from checks import scanner
from checks.dataset import load
from checks.engine import Context, run
from checks.locator import locate
from checks.rules import RULES

SHIPPED = Path(__file__).resolve().parent.parent / "datasets"


@pytest.fixture(scope="module")
def context():
    return Context(load(SHIPPED))


@pytest.fixture(scope="module")
def results(context):
    return run(context, RULES)


def test_every_printed_number_is_accounted_for(context):
    pattern = scanner.scan_pattern(context.dataset.units)
    for doc_id, source in context.dataset.sources.items():
        located = context.located[context.located["id"].isin(context.obs.loc[context.obs["document"] == doc_id, "id"])]
        exclusions = context.dataset.exclusions[context.dataset.exclusions["document"] == doc_id]
        missing, stale = scanner.gaps(doc_id, source, located, exclusions, pattern)
        assert (doc_id, [t.text for t in missing], stale) == (doc_id, [], [])


def test_removing_any_observation_reports_exactly_its_figure(context):
    """For every observation whose figure is a scanned number: drop it, and coverage lists that
    number, and only that one."""
    pattern = scanner.scan_pattern(context.dataset.units)
    checked = 0
    for doc_id, source in context.dataset.sources.items():
        in_doc = (context.obs["document"] == doc_id).values
        located = context.located[in_doc].reset_index(drop=True)
        exclusions = context.dataset.exclusions[context.dataset.exclusions["document"] == doc_id]
        tokens = source.scan_numbers(pattern)
        for i, where in located.iterrows():
            mine = [t for t in tokens if where.figure_start < t.span.end and t.span.start < where.figure_end]
            shared = located.drop(index=i)
            if not mine or any(((shared.figure_start < t.span.end) & (t.span.start < shared.figure_end)).any() for t in mine):
                continue  # a qualitative cell, or a number two observations share
            missing, _ = scanner.gaps(doc_id, source, shared, exclusions, pattern)
            assert [t.span for t in missing] == [t.span for t in mine], where.id
            checked += 1
    assert checked > 300  # nearly every observation was exercised


def test_the_real_contradictions_are_the_errors(results):
    """Exactly the seven contradictions a careful reader finds in the documents, no more."""
    findings, _ = results
    errors = sorted((f.rule, sorted(o["id"] for o in f.observations)) for f in findings if f.severity == "error")
    assert errors == [
        ("same-figure.disagree", ["cd-report-2024-138", "sc-report-2024-044"]),  # 成都 air cargo 2023: 77.2万吨 vs 76.7万吨 (waived: as printed)
        ("same-figure.disagree", ["gz-plan-022", "gz-plan-111"]),  # text 96.3%以上 vs table 96.1 (国考, 2025)
        ("targets.worse-than-baseline", ["gz-plan-001", "gz-plan-111"]),  # text 96.2% (2021) → table 96.1 (2025)
        ("targets.worse-than-baseline", ["gz-plan-110", "gz-plan-111"]),  # table 100 (2020) → 96.1 (2025)
        ("targets.worse-than-baseline", ["sc-report-2023-019", "sc-report-2023-058"]),  # 2023 jobs 85万人 below 2022's 99.6万人 (waived: as printed)
        ("targets.worse-than-baseline", ["sc-report-2024-008", "sc-report-2024-079"]),  # 2024 jobs 85万人 below 2023's 104万人 (waived: as printed)
        ("units.count-as-share", ["jx-2024-029"]),  # 优良天数为93.9%
    ]


def test_a_retyped_quote_and_an_edited_source_are_errors(tmp_path):
    root = tmp_path / "d"
    shutil.copytree(SHIPPED, root)
    path = root / "observations" / "dy-2023.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "quote"] = frame.loc[0, "quote"].replace("新能源", "清洁能源")
    frame.loc[1, "value_printed"] = "18.7万千瓦"
    frame.to_csv(path, index=False)
    source = root / "sources" / "000_7a715aecaa1b2198.txt"
    source.write_text(source.read_text(encoding="utf-8") + "附注。\n", encoding="utf-8")
    findings, _ = run(Context(load(root)), [r for r in RULES if r.family == "provenance"])
    got = sorted((f.rule, tuple(o["id"] for o in f.observations) or f.document) for f in findings)
    assert got == [("provenance.quote-not-found", ("dy-2023-001",)), ("provenance.source-changed", "gz-decade"),
                   ("provenance.value-not-in-quote", ("dy-2023-002",))]


def test_a_quote_across_a_page_break_is_found(context):
    """gz-plan prints 水\\n\\n土保持率 across lines 143–145; the quote is written on one line."""
    row = context.obs[(context.obs["document"] == "gz-plan") & (context.obs["value_printed"] == "82.57%以上")].iloc[0]
    assert "水土保持率" in row["quote"].replace(" ", "")
    where = context.located_by_id.loc[row["id"]]
    assert where["quote_found"] and where["figure_line"] == int(row["line"])


def test_the_quote_must_stand_near_its_line(tmp_path):
    root = tmp_path / "d"
    shutil.copytree(SHIPPED, root)
    observations = pd.read_csv(root / "observations" / "dy-2023.csv", dtype=str, keep_default_na=False).assign(line=lambda f: f["line"].astype(int))
    dataset = load(root)
    near = locate(observations.head(3), dataset.sources, window=2)
    far = locate(observations.head(3).assign(line=lambda f: f["line"] + 9), dataset.sources, window=2)
    assert near["quote_found"].all() and not far["quote_found"].any()
