"""The data model holds any region and any scope: country and non-administrative areas, names
that repeat across a country, scopes resolved through scopes.csv."""

import pytest

from builders import REGIONS, SCOPE_COLUMNS, build_dataset, fired, indicator, observation, run_rules, write_csv
from checks.dataset import load
from checks.errors import InputError

WATER = indicator("good_water_share", name="地表水水质优良比例")


def regions(root, extra):
    write_csv(root / "regions.csv", REGIONS + extra, ["id", "name", "level", "parent"])


def test_country_basin_zone_and_a_repeated_name_load(tmp_path):
    root = build_dataset(tmp_path / "d", [WATER], [observation("o1", "good_water_share", "96%", region="gulou_fuzhou")])
    regions(root, [
        {"id": "china", "name": "中国", "level": "country", "parent": ""},
        {"id": "fujian", "name": "福建省", "level": "province", "parent": "china"},
        {"id": "fuzhou_fj", "name": "福州市", "level": "prefecture", "parent": "fujian"},
        {"id": "gulou_fuzhou", "name": "鼓楼区", "level": "district", "parent": "fuzhou_fj"},
        {"id": "jiangsu", "name": "江苏省", "level": "province", "parent": "china"},
        {"id": "nanjing", "name": "南京市", "level": "prefecture", "parent": "jiangsu"},
        {"id": "gulou_nanjing", "name": "鼓楼区", "level": "district", "parent": "nanjing"},  # the same name, another city
        {"id": "poyang_basin", "name": "鄱阳湖流域", "level": "basin", "parent": "jiangxi"},
        {"id": "ganzhou_edz", "name": "赣州经济技术开发区", "level": "zone", "parent": "ganzhou"},
        {"id": "ganjiang_ganzhou", "name": "赣江干流赣州段", "level": "section", "parent": "poyang_basin"},
    ])
    dataset = load(root)
    assert sorted(dataset.regions[dataset.regions["name"] == "鼓楼区"]["id"]) == ["gulou_fuzhou", "gulou_nanjing"]


@pytest.mark.parametrize("extra, message", [
    ([{"id": "dayu", "name": "大余县", "level": "county", "parent": "ganzhou"}], "duplicate"),  # ids stay unique
    ([{"id": "mars", "name": "火星", "level": "planet", "parent": ""}], "must be one of"),
])
def test_near_misses_a_duplicate_id_and_an_unknown_level(tmp_path, extra, message):
    root = build_dataset(tmp_path / "d", [WATER], [observation("o1", "good_water_share", "96%")])
    regions(root, extra)
    with pytest.raises(InputError) as error:
        load(root)
    assert message in str(error.value) and "regions.csv" in str(error.value)


def two_printed_forms(tmp_path, scopes):
    observations = [
        observation("o1", "good_water_share", "96.3", role="target", scope="省考监测断面", quote="省考监测断面 96.3"),
        observation("o2", "good_water_share", "97.2", role="target", scope="省监测断面", quote="省监测断面 97.2"),
    ]
    root = build_dataset(tmp_path / "d", [WATER], observations)
    if scopes is not None:
        write_csv(root / "scopes.csv", scopes, SCOPE_COLUMNS)
    return root


PROVINCIAL = {"id": "provincial_sections", "name": "省考监测断面", "printed_forms": "省考监测断面|省监测断面", "definition": ""}


def test_two_printed_forms_of_one_scope_are_one_scope(tmp_path):
    """省监测断面 and 省考监测断面 are one scope: their different 2025 targets disagree."""
    findings, _summaries = run_rules(two_printed_forms(tmp_path, [PROVINCIAL]), ["same-figure"])
    assert fired(findings, "same-figure.disagree") == [{"o1", "o2"}]
    loaded = load(two_printed_forms(tmp_path / "again", [PROVINCIAL]))
    assert list(loaded.observations["scope"]) == ["省考监测断面", "省考监测断面"]
    assert list(loaded.observations["scope_printed"]) == ["省考监测断面", "省监测断面"]


def test_near_miss_without_the_table_two_printed_forms_are_two_scopes(tmp_path):
    findings, _summaries = run_rules(two_printed_forms(tmp_path, None), ["same-figure"])
    assert fired(findings, "same-figure.disagree") == []


def test_a_form_naming_two_scopes_is_neither_alone(tmp_path):
    national = {"id": "national_sections", "name": "国考监测断面", "printed_forms": "国考监测断面|国考、省考断面", "definition": ""}
    provincial = dict(PROVINCIAL, printed_forms="省考监测断面|省监测断面|国考、省考断面")
    observations = [observation("o1", "good_water_share", "96", role="target", scope="国考、省考断面", quote="国考、省考断面 96")]
    root = build_dataset(tmp_path / "d", [WATER], observations)
    write_csv(root / "scopes.csv", [national, provincial], SCOPE_COLUMNS)
    assert list(load(root).observations["scope"]) == ["国考监测断面+省考监测断面"]


def test_an_unlisted_scope_is_an_input_error_naming_the_row(tmp_path):
    root = two_printed_forms(tmp_path, [dict(PROVINCIAL, printed_forms="省考监测断面")])
    with pytest.raises(InputError) as error:
        load(root)
    problem = str(error.value)
    assert "unknown scope '省监测断面'" in problem and "doc-a.csv, line 3, column 'scope'" in problem
