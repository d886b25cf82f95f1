"""coverage.blind-scan: the warning that the scanner cannot read a source's layout."""

import pytest

from builders import build_dataset, fired, indicator, observation, run_rules

ROWS = [("76.23", "2020"), ("76", "2025"), ("78", "2030"), ("79", "2035"), ("80", "2040")]


def dataset(tmp_path, line):
    observations = [observation(f"o{i}", "forest_cover", value, period=period, role="target", section="table",
                                quote=f"森林覆盖率(%) {' '.join(v for v, _ in ROWS[:i + 1])}", line="1")
                    for i, (value, period) in enumerate(ROWS)]
    return build_dataset(tmp_path / "d", [indicator("forest_cover", name="森林覆盖率")], observations, sources={"doc-a": line + "\n"})


@pytest.mark.parametrize("line, fires", [
    ("森林覆盖率(%) 76.23 76 78 79 80", True),  # single spaces, no list marker: a layout the scanner cannot read
    ("森林覆盖率(%)\t76.23\t76\t78\t79\t80", False),  # near miss: the same row tab-separated is read
    ("- 森林覆盖率(%) 76.23 76 78 79 80", False),  # near miss: a markdown-style list row is read
])
def test_blind_scan(tmp_path, line, fires):
    findings, summaries = run_rules(dataset(tmp_path, line), ["coverage"])
    blind = [f for f in findings if f.rule == "coverage.blind-scan"]
    assert len(blind) == (1 if fires else 0)
    assert (summaries["coverage.blind-scan"].checked, summaries["coverage.blind-scan"].failed) == (1, int(fires))
    if fires:
        assert "finds 0 number(s) but 5 numeric figures" in blind[0].message
        assert fired(findings, "coverage.unaccounted-figure") == []  # and coverage alone would have said nothing


def test_blind_scan_does_not_judge_a_document_with_too_few_figures(tmp_path):
    """Near miss: four unreadable figures are below blind_scan_min_figures (5): not judged."""
    observations = [observation(f"o{i}", "forest_cover", value, period=period, role="target", section="table",
                                quote=f"森林覆盖率(%) {' '.join(v for v, _ in ROWS[:i + 1])}", line="1")
                    for i, (value, period) in enumerate(ROWS[:4])]
    root = build_dataset(tmp_path / "d", [indicator("forest_cover", name="森林覆盖率")], observations,
                         sources={"doc-a": "森林覆盖率(%) 76.23 76 78 79\n"})
    findings, summaries = run_rules(root, ["coverage"])
    assert [f for f in findings if f.rule == "coverage.blind-scan"] == []
    assert summaries["coverage.blind-scan"].checked == 0
