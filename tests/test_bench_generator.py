"""The benchmark's generator: a tiny province loads cleanly, and every injected contradiction is
found by the rule it was made for, with no error or warning on the clean part."""

import json

from bench.generate import INJECTIONS, generate
from bench.layers import recall
from checks.dataset import load
from checks.pipeline import execute
from checks.rules import RULES


def test_tiny_province_recall_and_clean_part(tmp_path):
    manifest = generate(tmp_path / "d", observations=9000, inject_every=321)
    assert {item["rule"] for item in manifest["injected"]} == set(INJECTIONS)  # every kind at least once
    dataset = load(tmp_path / "d")
    assert len(dataset.observations) == manifest["observations"] >= 9000
    assert len(dataset.documents) >= 9000 // 200
    result = execute(dataset, RULES, with_suites=False)
    quality = recall(result.findings, json.loads((tmp_path / "d" / "injected.json").read_text(encoding="utf-8")), dataset.observations)
    assert quality["missed"] == []
    assert quality["found"] == quality["injected"] == len(manifest["injected"])
    assert quality["clean_errors_warnings"] == 0, quality["clean_findings"]


def test_recall_counts_a_miss_and_a_false_alarm(tmp_path):
    manifest = generate(tmp_path / "d", observations=2000, inject_every=400)
    dataset = load(tmp_path / "d")
    findings = execute(dataset, RULES, with_suites=False).findings
    first = manifest["injected"][0]
    kept = [f for f in findings if f.rule != first["rule"]]
    quality = recall(kept, manifest, dataset.observations)
    assert quality["found"] == quality["injected"] - sum(1 for i in manifest["injected"] if i["rule"] == first["rule"])
    clean_id = next(i for i in dataset.observations["id"] if i not in {o for x in manifest["injected"] for o in x["observations"] + x["touched"]})
    alarm = type(findings[0])("values.unreadable", "values", "error", "x", [{"id": clean_id, "document": "d", "line": 1}], {}, "d", 1, "f")
    assert recall([*findings, alarm], manifest, dataset.observations)["clean_errors_warnings"] == 1


def test_layers_measure_every_layer_of_a_small_province(tmp_path):
    """The per-layer run imports the pipeline's internals by name: a renamed helper must fail here,
    not only in a benchmark run nobody makes in CI."""
    from bench.layers import measure

    generate(tmp_path / "d", observations=2000, inject_every=400)
    result = measure(tmp_path / "d", True, True)
    names = set(result["layers"])
    assert {"load", "report", "JSON (write)", "terminal", "typed outputs (JUnit, SARIF, Markdown, GitHub)", "HTML (write)", "suites"} <= names, names
    assert result["observations"] >= 2000 and result["json_mb"] > 0 and result["html_mb"] > 0
    assert result["quality"]["missed"] == []


def test_above_a_province_a_country_of_provinces_each_figure_in_its_own_prefectures_documents(tmp_path, monkeypatch):
    """Past its prefectures the generator writes another province of the same shape (here shrunk: 2
    prefectures a province, 5 groups), never the same prefectures again in new documents; recall
    and the clean part hold across provinces."""
    import bench.generate as generator
    monkeypatch.setattr(generator, "PREFECTURES", 2)
    monkeypatch.setattr(generator, "GROUPS", 5)
    manifest = generate(tmp_path / "d", observations=9000, inject_every=321)
    dataset = load(tmp_path / "d")
    regions = dataset.regions.set_index("id")
    provinces = regions.index[regions["level"] == "province"]
    assert len(provinces) >= 3
    prefectures = regions[regions["level"] == "prefecture"]
    assert prefectures.groupby("parent").size().eq(2).all()  # each province its own 2 prefectures
    counties = regions[regions["level"] == "county"]
    assert set(counties["parent"]) == set(prefectures.index)
    # every figure stands in a document of its own prefecture (a county's parent, or the prefecture itself)
    document_region = dict(zip(dataset.documents["id"], dataset.documents["region"], strict=True))
    obs = dataset.observations.astype({"region": str, "document": str})
    own = obs["region"].map(lambda r: regions.loc[r, "parent"] if regions.loc[r, "level"] == "county" else r)
    assert (own == obs["document"].map(document_region)).all()
    assert {generator.parse_region(r) for r in regions.index[regions["level"] != "province"]} == {
        (p, c) for p in range(len(prefectures)) for c in [None, *range(generator.COUNTIES_PER_PREFECTURE)]}
    result = execute(dataset, RULES, with_suites=False)
    quality = recall(result.findings, manifest, dataset.observations)
    assert quality["found"] == quality["injected"] == len(manifest["injected"]) > 0
    assert quality["clean_errors_warnings"] == 0, quality["clean_findings"]
