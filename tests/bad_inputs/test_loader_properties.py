"""Property tests: whatever the bytes of a table, the settings or a --previous file, the loader
either loads or raises InputError (exit 2 in the CLI); no other exception escapes."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builders import build_dataset, indicator, observation
from checks.dataset import load
from checks.errors import InputError
from checks.settings import Settings, describe, load_settings
from checks.waivers import compare_with_previous, read_previous

TABLES = ["documents.csv", "regions.csv", "units.csv", "indicators.csv", "exclusions.csv", "waivers.csv", "observations/doc-a.csv"]
KEYS = [(section, key) for section, key, _, _ in describe()]
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return build_dataset(tmp_path_factory.mktemp("prop") / "d", [indicator("coverage_rate")], [
        observation("o1", "coverage_rate", "90", role="baseline", period="2020", note="两行\n说明"),
        observation("o2", "coverage_rate", "95", role="target", period="2025"),
    ])


def loads_or_input_error(root: Path) -> None:
    try:
        load(root)
    except InputError as error:
        assert error.problems and all(str(p) for p in error.problems)


cells = st.one_of(st.text(max_size=12), st.sampled_from(["", " ", '"', '""', "\n", "\r\n", ",", "2025-2020", "0", "nan", "\ufeff", "\x00"]))
csv_text = st.lists(st.lists(cells, max_size=16), max_size=8).map(
    lambda table: "".join(",".join(row) + "\n" for row in table))


@settings(PROPERTY, max_examples=40)
@given(table=st.sampled_from(TABLES), content=st.one_of(csv_text, st.text(max_size=300)), bom=st.booleans(), keep_header=st.booleans())
# observation files read together (Reader.tables): a header of one unknown column, one of a known column only
@example(table="observations/doc-a.csv", content="0\n0\n", bom=False, keep_header=False)
@example(table="observations/doc-a.csv", content="id\no9\n", bom=False, keep_header=False)
def test_any_table_content_loads_or_is_an_input_error(root, table, content, bom, keep_header):
    path = root / table
    original = path.read_bytes()
    header = original.split(b"\n", 1)[0] + b"\n" if keep_header else b""
    try:
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + header + content.encode("utf-8", errors="surrogatepass"))
        loads_or_input_error(root)
    finally:
        path.write_bytes(original)


@settings(PROPERTY, max_examples=25)
@given(content=st.binary(max_size=400), table=st.sampled_from([*TABLES, "sources/doc-a.txt", "settings.toml"]))
def test_any_bytes_load_or_are_an_input_error(root, content, table):
    path = root / table
    original = path.read_bytes() if path.exists() else None
    try:
        path.write_bytes(content)
        loads_or_input_error(root)
    finally:
        path.write_bytes(original) if original is not None else path.unlink()


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, (int, str)):
        return json.dumps(value) if isinstance(value, str) else str(value)
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


scalars = st.one_of(st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=10))
values = st.one_of(scalars, st.lists(scalars, max_size=4))
entries = st.one_of(st.sampled_from(KEYS), st.tuples(st.text(min_size=1, max_size=8), st.text(min_size=1, max_size=8)))


@settings(PROPERTY, max_examples=150)
@given(chosen=st.lists(st.tuples(entries, values), max_size=6), bom=st.booleans())
def test_any_settings_load_or_are_an_input_error(tmp_path, chosen, bom):
    sections: dict[str, dict] = {}
    for (section, key), value in chosen:
        sections.setdefault(section, {})[key] = value
    text = "".join(f"[{toml_key(s)}]\n" + "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in keys.items())
                   for s, keys in sections.items())
    path = tmp_path / "settings.toml"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", errors="surrogatepass"))
    try:
        loaded = load_settings(path)
    except InputError as error:
        assert error.problems
        return
    assert isinstance(loaded, Settings)
    for name in ("approx_share_points", "approx_relative", "derived_relative", "max_ratio_share", "max_ratio_other"):
        number = getattr(loaded, name)
        assert isinstance(number, float) and math.isfinite(number) and number >= 0


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
                           lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=20)
finding = st.fixed_dictionaries({}, optional=dict.fromkeys(("fingerprint", "rule", "severity", "message"), json_values))
previous_runs = st.one_of(
    json_values,
    st.fixed_dictionaries({"tool": st.one_of(json_values, st.just({"name": "seed"}))},
                          optional={"findings": st.one_of(json_values, st.lists(st.one_of(finding, json_values), max_size=4))}),
)


@settings(PROPERTY, max_examples=150)
@given(data=previous_runs, raw=st.one_of(st.none(), st.binary(max_size=60)))
def test_any_previous_file_reads_or_is_an_input_error(tmp_path, data, raw):
    path = tmp_path / "previous.json"
    path.write_bytes(raw if raw is not None else json.dumps(data).encode("utf-8", errors="surrogatepass"))
    try:
        previous = read_previous(path)
    except InputError as error:
        assert error.subject == "the --previous file" and error.problems
        return
    assert compare_with_previous([], previous) == [
        {k: f[k] for k in ("fingerprint", "rule", "severity", "message")} for f in {f["fingerprint"]: f for f in previous["findings"]}.values()]
