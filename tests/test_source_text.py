"""source-text rules on constructed sources: OCR damage, injected text, redactions."""

import pytest
from builders import build_dataset, indicator, observation, run_rules


def findings_for(tmp_path, text):
    obs = observation("o1", "coverage_rate", "90%", role="actual", period="2023", quote="覆盖率达90%", line="1")
    root = build_dataset(tmp_path / "d", [indicator("coverage_rate")], [obs], sources={"doc-a": "覆盖率达90%\n" + text + "\n"})
    findings, _ = run_rules(root, ["source-text"])
    return sorted((f.rule, f.line) for f in findings)


@pytest.mark.parametrize("text, expected", [
    ("外来物种★侵\t不明显", [("source-text.damaged-characters", 2)]),
    ("城镇人均公园绿地 [（] 积（平方米/人）", [("source-text.damaged-characters", 2)]),
    ("与南康签订了《365体育投注,365体育备用网址章江流域协议》", [("source-text.injected-text", 2)]),
    ("**跻身全国百强城市", [("source-text.redaction", 2)]),
    # near misses: symbols that are notation, not damage
    ("国家重点保护野生动植物保护率(%)\t≥95\t≥95", []),
    ("单位GDP二氧化碳排放降低(%)\t[22.01]", []),
    ("PM _{2.5} 浓度(μg/m ³)\t30.3", []),
    ("详见附件 2 和第 3 章。", []),
])
def test_source_text(tmp_path, text, expected):
    assert findings_for(tmp_path, text) == expected
