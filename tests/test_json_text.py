"""checks.json_text writes exactly what json.dumps(value, ensure_ascii=False, indent=1) writes."""

import enum
import json
import random

import pytest

from checks import json_text


class Level(enum.IntEnum):
    LOW = 1


class Text(str):
    pass


class Number(float):
    pass


TRICKY = [
    {}, [], (), "", 0, -0.0, 1e16, 1.5e-7, 123456789012345678901234567890, float("nan"), float("inf"), -float("inf"), True, False, None,
    {"a": {}, "b": [], "c": [{}], "d": [[]], "e": {"f": {"g": []}}},
    {"quote": "2025年优良比例为94.1%\n\t\"引号\" \\ \u202e \x00 \x1f \ud800", "€": "✓"},
    {1: "int key", 2.5: "float key", None: "null key", Text("k"): Text("v")}, {True: "bool key", False: 0}, {Level.LOW: "enum key"},
    [Level.LOW, Number(2.5), Text("x"), (1, (2, 3)), [None, True, False]],
    {"nested": [{"observations": [{"id": "o1", "figure_in_quote": [3, 7], "value": 94.1, "lower": None}]}]},
]


@pytest.mark.parametrize("value", TRICKY, ids=range(len(TRICKY)))
@pytest.mark.parametrize("level", [0, 1, 2])
def test_same_text_as_json_dumps(value, level):
    expected = json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level)
    assert json_text.dumps(value, level) == expected


def test_random_documents():
    rng = random.Random(14)
    scalars = [lambda: rng.choice(["a", "é", "引", "\n", '"', ""]) * rng.randint(0, 3), lambda: rng.randint(-10**6, 10**6),
               lambda: rng.uniform(-1e9, 1e9), lambda: rng.choice([None, True, False, float("inf")])]

    def value(depth):
        kind = rng.randint(0, 5 if depth < 4 else 3)
        if kind <= 3:
            return scalars[kind]()
        if kind == 4:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {str(rng.randint(0, 99)): value(depth + 1) for _ in range(rng.randint(0, 4))}

    for _ in range(300):
        document = value(0)
        assert json_text.dumps(document) == json.dumps(document, ensure_ascii=False, indent=1)


def test_refuses_what_json_refuses():
    for bad in ({"x": object()}, {(1, 2): "tuple key"}, [{1, 2}]):
        with pytest.raises(TypeError):
            json.dumps(bad)
        with pytest.raises(TypeError):
            json_text.dumps(bad)
