"""schemas/parsed.py: the parsed observations and where they stand are of the shape the rules read,
on the shipped and a synthetic dataset; a frame of another shape fails, and `check --debug` checks."""

from pathlib import Path

import pandas as pd
import pandera.errors
import pytest
from click.testing import CliRunner

import cli
from bench.generate import generate
from builders import build_dataset, indicator, observation
from checks import observations
from checks.dataset import load
from checks.engine import Context
from schemas import parsed

SHIPPED = Path(__file__).resolve().parent.parent / "datasets"


@pytest.fixture(scope="module")
def shipped() -> Context:
    return Context(load(SHIPPED))


def test_the_shipped_dataset_parses_to_the_schema(shipped):
    parsed.validate(shipped.obs, shipped.located)
    assert set(shipped.obs["kind"]) >= {"point", "floor", "ceiling", "qualitative"}  # the shapes are exercised, not only an empty frame


def test_a_synthetic_province_parses_to_the_schema(tmp_path):
    generate(tmp_path / "d", observations=2000, inject_every=97)
    ctx = Context(load(tmp_path / "d"))
    parsed.validate(ctx.obs, ctx.located)
    assert len(ctx.obs) >= 2000 and "scope_printed" not in ctx.obs.columns  # no scopes.csv there: the optional column is absent


@pytest.mark.parametrize(("change", "fragment"), [
    (lambda obs: obs.assign(stray=1), "column 'stray' not in DataFrameSchema"),
    (lambda obs: obs.drop(columns=["period_key"]), "column 'period_key' not in dataframe"),
    (lambda obs: obs.assign(role=obs["role"].cat.add_categories("guess").where(obs.index != 0, "guess")),
     "must be one of baseline, target, actual, change, change_target failure cases: guess"),
    (lambda obs: obs.assign(line=obs["line"].astype(float)), "expected series 'line' to have type int64"),
    (lambda obs: obs.assign(region=obs["region"].astype(str)), "expected series 'region' to have type category"),
    (lambda obs: obs.assign(lower=obs["upper"] + 1), "a numeric figure's interval has lower <= upper"),
    (lambda obs: pd.concat([obs, obs.iloc[:1]], ignore_index=True), "not unique"),
])
def test_a_frame_of_another_shape_fails(shipped, change, fragment):
    with pytest.raises(pandera.errors.SchemaErrors) as raised:
        parsed.validate(change(shipped.obs), shipped.located)
    assert fragment in str(raised.value)


def test_where_figures_stand_is_joined_by_id_not_by_position(shipped):
    parsed.validate(shipped.obs, shipped.located.iloc[::-1])  # another order is the same frame: joined by id
    with pytest.raises(ValueError, match="hold different ids"):
        parsed.validate(shipped.obs, shipped.located.iloc[1:])


def test_check_debug_checks_the_parsed_frame(tmp_path, monkeypatch):
    root = build_dataset(tmp_path / "d", [indicator("coverage_rate")], [observation("o1", "coverage_rate", "90", role="actual", period="2023")])
    build = observations.build
    monkeypatch.setattr(observations, "build", lambda dataset: build(dataset).assign(stray=1))  # a column no schema has
    monkeypatch.delenv(parsed.DEBUG_VARIABLE, raising=False)
    args = ["all", "--dataset", str(root), "--no-suites", "--no-report"]
    assert CliRunner().invoke(cli.main, args).exit_code == 0  # the near miss: without --debug, no check
    with pytest.raises(pandera.errors.SchemaErrors, match="stray"):
        CliRunner().invoke(cli.main, ["--debug", *args], catch_exceptions=False)
