"""JSON text as `json.dumps(value, ensure_ascii=False, indent=1)` writes it, byte for byte, about
twice as fast: CPython's C encoder ignores `indent`, so an indented dump runs the pure-Python
encoder, a chain of generators per value. The report's JSON and SARIF of a 100,000-observation run
are 30-50 MB of indented text, so Seed writes them with this one.

Only what JSON holds is accepted (dict, list, tuple, str, int, float, bool, None and their
subclasses, as json.dumps accepts them); anything else raises TypeError as json.dumps does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring as _string  # the C function when CPython has it
from typing import Any

_INFINITY = float("inf")
_int = int.__repr__
_float = float.__repr__


def dumps(value: Any, level: int = 0) -> str:
    """`value` as json.dumps(value, ensure_ascii=False, indent=1) writes it, as if it stood
    `level` levels deep inside another value (its lines indented by `level` more spaces)."""
    out: list[str] = []
    _encode(value, "\n" + " " * level, out.append)
    return "".join(out)


def _encode(value: Any, newline: str, add: Callable[[str], Any]) -> None:
    """Append `value`'s text; `newline` is a line break and the indentation of its level."""
    kind = type(value)
    if kind is str:
        add(_string(value))
    elif kind is dict:
        if not value:
            add("{}")
            return
        inner = newline + " "
        opening = "{" + inner
        for key, item in value.items():
            add(opening + _string(key if type(key) is str else _key(key)) + ": ")
            opening = "," + inner
            kind = type(item)
            if kind is str:
                add(_string(item))
            elif kind is int:
                add(_int(item))
            elif item is None:
                add("null")
            else:
                _encode(item, inner, add)
        add(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            add("[]")
            return
        inner = newline + " "
        opening = "[" + inner
        for item in value:
            add(opening)
            opening = "," + inner
            _encode(item, inner, add)
        add(newline + "]")
    elif value is None:
        add("null")
    elif value is True:
        add("true")
    elif value is False:
        add("false")
    elif kind is int:
        add(_int(value))
    elif kind is float:
        add(_number(value))
    else:
        _encode_subclass(value, newline, add)


def _encode_subclass(value: Any, newline: str, add: Callable[[str], Any]) -> None:
    """A subclass of a JSON type, in json.dumps' order of checks; anything else is refused as it refuses it."""
    if isinstance(value, str):
        add(_string(value))
    elif isinstance(value, int):
        add(_int(value))
    elif isinstance(value, float):
        add(_number(value))
    elif isinstance(value, (list, tuple)):
        _encode(list(value), newline, add)
    elif isinstance(value, dict):
        _encode(dict(value), newline, add)
    else:
        json.dumps(value)  # raises json's own TypeError ("Object of type X is not JSON serializable")
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _number(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return _float(value)


def _key(key: Any) -> str:
    """A dict key that is not text, as json.dumps writes it."""
    if isinstance(key, str):
        return str.__str__(key)
    if isinstance(key, float):
        return _number(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return _int(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
