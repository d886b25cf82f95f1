"""metadata.*: what a document says about itself agrees with its own figures."""

import copy

import pytest

from builders import build_dataset, indicator, observation, run_rules

FAMILY = "metadata"
RULE = "metadata.base-year-mismatch"
INDICATORS = [indicator("forest_coverage"), indicator("soil_water_conservation_rate"), indicator("hazardous_waste_disposal_rate"),
              indicator("public_transport_share")]


def B(id, ind, value, period="2020", note="", section="table", document="doc-a"):
    """A baseline cell of the table, in the column headed 2020年(*为2021年) unless said otherwise."""
    return observation(id, ind, value, role="baseline", period=period, period_note=note, section=section, document=document)


def doc(base_year, id="doc-a"):
    return {"id": id, "base_year": base_year}


def case(description, documents, observations, expected_documents, counts=None, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(documents, observations, expected_documents, counts or {}, id=description, marks=marks)


NOTE = "*为2021年"
CASES = [
    case("declared base year 2021 against an unstarred 2020 baseline column",
         [doc("2021")], [B("o1", "forest_coverage", "76.23", note=NOTE), B("o2", "soil_water_conservation_rate", "82.1", note=NOTE)],
         ["doc-a"], {RULE: {"checked": 1, "failed": 1}}),
    case("declared 2020 but every cell is starred 2021",
         [doc("2020")], [B("o1", "hazardous_waste_disposal_rate", "92.2*", note=NOTE), B("o2", "public_transport_share", "20.25*", note=NOTE)],
         ["doc-a"]),
    case("only the document with the mismatch is reported",
         [doc("2021"), doc("2021", "doc-b")],
         [B("o1", "forest_coverage", "76.23"), B("o2", "forest_coverage", "92.2*", note=NOTE, document="doc-b")],
         ["doc-a"], {RULE: {"checked": 2, "failed": 1}}),
    case("near miss: starred cells 92.2* and 20.25* (*为2021年) make the column 2021",
         [doc("2021")], [B("o1", "hazardous_waste_disposal_rate", "92.2*", note=NOTE), B("o2", "public_transport_share", "20.25*", note=NOTE)],
         [], {RULE: {"checked": 1, "failed": 0}}),
    case("near miss: mostly 2021 (two starred cells, one not)",
         [doc("2021")], [B("o1", "hazardous_waste_disposal_rate", "92.2*", note=NOTE), B("o2", "public_transport_share", "20.25*", note=NOTE),
                         B("o3", "forest_coverage", "76.23", note=NOTE)],
         [], {RULE: {"checked": 1, "failed": 0}}),
    case("near miss: a tie, starred 2021 cell listed first (1 of 2 is not 'mostly' 2020)",
         [doc("2021")], [B("o1", "hazardous_waste_disposal_rate", "92.2*", note=NOTE), B("o2", "forest_coverage", "76.23", note=NOTE)],
         [], {RULE: {"checked": 1, "failed": 0}}),
    case("near miss: the same tie with the unstarred 2020 cell listed first",
         [doc("2021")], [B("o1", "forest_coverage", "76.23", note=NOTE), B("o2", "hazardous_waste_disposal_rate", "92.2*", note=NOTE)],
         [], {RULE: {"checked": 1, "failed": 0}}),
    case("near miss: a document that declares no base year",
         [doc("")], [B("o1", "forest_coverage", "76.23")], [], {RULE: {"checked": 0}}),
    case("near miss: baselines in the text are not the table's column",
         [doc("2021")], [B("o1", "forest_coverage", "76.23", section="text")], [], {RULE: {"checked": 0}}),
    case("near miss: declared 2020 matches an unstarred 2020 column",
         [doc("2020")], [B("o1", "forest_coverage", "76.23"), B("o2", "soil_water_conservation_rate", "82.1")],
         [], {RULE: {"checked": 1, "failed": 0}}),
]


@pytest.mark.parametrize("documents, observations, expected_documents, counts", CASES)
def test_metadata_rules(tmp_path, documents, observations, expected_documents, counts):
    root = build_dataset(tmp_path / "d", copy.deepcopy(INDICATORS), copy.deepcopy(observations), documents=copy.deepcopy(documents))
    findings, summaries = run_rules(root, families=[FAMILY])
    assert [s.rule for s in summaries.values() if s.crashed] == []
    # A document-level finding: it names the document and no observation.
    assert sorted(f.document for f in findings if f.rule == RULE) == expected_documents
    assert all(f.observations == [] for f in findings)
    assert [f.rule for f in findings if f.rule != RULE] == []
    for rule_id, want in counts.items():
        summary = summaries[rule_id]
        assert {k: getattr(summary, k) for k in want} == want, rule_id
