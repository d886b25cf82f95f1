"""outcomes.*: a year's target in one document against that year's actual in a later one."""

import pytest

from builders import assert_family, build_dataset, indicator, observation

FAMILY = "outcomes"
INDICATORS = [
    indicator("gdp", unit="yuan", quantity="level", additive="true", name="生产总值"),
    indicator("new_jobs", unit="count", quantity="count", additive="true", name="城镇新增就业"),
    indicator("unemployment", direction="down", quantity="rate", name="城镇调查失业率"),
    indicator("grain", unit="tonne", quantity="level", additive="true", name="粮食产量"),
]
DOCUMENTS = [{"id": "report-2023", "as_of": "2023-03"}, {"id": "report-2024", "as_of": "2024-03"},
             {"id": "communique-2023", "as_of": "2024-02"}]


def target(id, ind, value, unit="%", role="target", document="report-2023", **extra):
    return observation(id, ind, value, document=document, period="2023", role=role, unit=unit, **extra)


def actual(id, ind, value, unit="%", role="actual", document="report-2024", **extra):
    return observation(id, ind, value, document=document, period="2023", role=role, unit=unit, **extra)


def case(description, observations, expected, counts=None):
    return pytest.param(observations, expected, counts or {}, id=description)


CASES = [
    case("增长7.5%左右 for 2023 against an actual growth of 5.3%: missed",
         [target("t", "gdp", "增长7.5%左右", role="change_target"), actual("a", "gdp", "增长5.3%", role="change")],
         {"outcomes.target-missed": [{"t", "a"}]},
         {"outcomes.target-missed": {"checked": 1, "failed": 1, "undecided": 0}}),
    case("near miss: 增长5%左右 met by 5.2% (within 左右)",
         [target("t", "gdp", "增长5%左右", role="change_target"), actual("a", "gdp", "增长5.2%", role="change")],
         {}, {"outcomes.target-missed": {"checked": 1, "failed": 0}}),
    case("near miss: a target for a change is never compared with the level",
         [target("t", "gdp", "增长5%左右", role="change_target"), actual("a", "gdp", "126万亿元", unit="万亿元")],
         {}, {"outcomes.target-missed": {"checked": 0, "failed": 0}}),
    case("near miss: 1200万人以上 met by 1244万人, beyond in the better direction",
         [target("t", "new_jobs", "1200万人以上", unit="万人"), actual("a", "new_jobs", "1244万人", unit="万人")],
         {}, {"outcomes.target-missed": {"checked": 1, "failed": 0}}),
    case("near miss: an unemployment ceiling 5.5%左右 met by 5.2% (direction down)",
         [target("t", "unemployment", "5.5%左右"), actual("a", "unemployment", "5.2%")],
         {}, {"outcomes.target-missed": {"checked": 1, "failed": 0}}),
    case("one mass in two notations: 1.3万亿斤以上 met by 69541万吨, missed by 60000万吨",
         [target("t", "grain", "1.3万亿斤以上", unit="万亿斤"), actual("a", "grain", "69541万吨", unit="万吨", document="communique-2023"),
          actual("b", "grain", "60000万吨", unit="万吨")],
         {"outcomes.target-missed": [{"t", "b"}]}, {"outcomes.target-missed": {"checked": 2, "failed": 1}}),
    case("near miss: an actual printed before the target's document is not its outcome",
         [target("t", "gdp", "增长7.5%左右", role="change_target", document="report-2024"),
          actual("a", "gdp", "增长5.3%", role="change", document="report-2023")],
         {}, {"outcomes.target-missed": {"checked": 0}}),
    case("a document claiming the target was met while its figure misses it: error, not warning",
         [target("t", "gdp", "增长7.5%左右", role="change_target"),
          actual("a", "gdp", "增长5.3%", role="change", quote="圆满完成全年目标任务，生产总值增长5.3%")],
         {"outcomes.claimed-met-but-missed": [{"t", "a"}]},
         {"outcomes.claimed-met-but-missed": {"checked": 1, "failed": 1}, "outcomes.target-missed": {"checked": 1, "failed": 0}}),
    case("near miss: a claim the figures bear out",
         [target("t", "gdp", "增长5%左右", role="change_target"),
          actual("a", "gdp", "增长5.2%", role="change", quote="超额完成全年目标，生产总值增长5.2%")],
         {}, {"outcomes.claimed-met-but-missed": {"checked": 1, "failed": 0}}),
    case("near miss: 实现 as a plain verb is no claim (a missed target stays a warning)",
         [target("t", "gdp", "增长7.5%左右", role="change_target"),
          actual("a", "gdp", "增长5.3%", role="change", quote="全年实现生产总值增长5.3%")],
         {"outcomes.target-missed": [{"t", "a"}]}, {"outcomes.claimed-met-but-missed": {"checked": 0}}),
    case("undecided: a qualitative target has no number to compare",
         [target("t", "unemployment", "保持稳定", unit=""), actual("a", "unemployment", "5.2%")],
         {}, {"outcomes.target-missed": {"checked": 0, "undecided": 1}}),
]


@pytest.mark.parametrize("observations, expected, counts", CASES)
def test_outcomes(tmp_path, observations, expected, counts):
    root = build_dataset(tmp_path, INDICATORS, observations, documents=DOCUMENTS)
    assert_family(root, FAMILY, expected, counts)
