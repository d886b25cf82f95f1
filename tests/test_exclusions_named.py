"""An exclusion names the digits of a number (every such number of its line) or the number with
its unit as printed (only that one): 出台“10条” is a policy's name where 10个 on the same line is a figure."""

import pytest

from builders import build_dataset, indicator, observation
from checks import scanner
from checks.dataset import load
from checks.engine import Context

LINE = "出台“10条”措施，11个地级市和10个县级城市启动试点"


def _gaps(tmp_path, printed: str, entered: tuple[str, ...] = ("11个", "10个")):
    observations = [observation(f"o{i}", "pilots", value, unit="个", quote=LINE, line="1", period="2023", role="actual")
                    for i, value in enumerate(entered)]
    root = build_dataset(tmp_path, [indicator("pilots", unit="count", quantity="count", additive="true")], observations,
                         sources={"doc-a": LINE + "\n"},
                         exclusions=[{"document": "doc-a", "line": "1", "printed": printed, "reason": "a policy's name"}])
    ctx = Context(load(root))
    missing, stale = scanner.gaps("doc-a", ctx.dataset.sources["doc-a"], ctx.located, ctx.dataset.exclusions,
                                  scanner.scan_pattern(ctx.dataset.units))
    return [t.text for t in missing], [s["printed"] for s in stale]


@pytest.mark.parametrize("printed", ["10条", "10"])
def test_the_policy_name_is_excluded_either_way(tmp_path, printed):
    assert _gaps(tmp_path, printed) == ([], [])


def test_named_with_its_unit_it_leaves_the_figure_of_the_same_digits_to_coverage(tmp_path):
    assert _gaps(tmp_path, "10条", entered=("11个",)) == (["10个"], [])


def test_by_its_digits_it_also_hides_the_figure_of_the_same_digits(tmp_path):
    assert _gaps(tmp_path, "10", entered=("11个",)) == ([], [])


def test_named_with_a_unit_the_line_does_not_print_it_is_stale(tmp_path):
    assert _gaps(tmp_path, "10项") == (["10条"], ["10项"])
