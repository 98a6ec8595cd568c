"""Reads sdks/contract/ and checks a response against a case's expectations (see its README)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

CONTRACT_DIR = Path(__file__).resolve().parents[2] / "contract"


def load_cases() -> Tuple[str, List[Dict[str, Any]]]:
    doc = json.loads((CONTRACT_DIR / "cases.json").read_text())
    return doc["api_key"], doc["cases"]


def load_error_codes() -> Dict[str, Dict[str, Any]]:
    return json.loads((CONTRACT_DIR / "error-codes.json").read_text())["codes"]


def expand(value: Any) -> Any:
    """``{"$repeat": s, "times": n}`` -> s repeated n times, anywhere in a JSON value."""
    if isinstance(value, list):
        return [expand(v) for v in value]
    if isinstance(value, dict):
        if isinstance(value.get("$repeat"), str) and isinstance(value.get("times"), int):
            return value["$repeat"] * value["times"]
        return {k: expand(v) for k, v in value.items()}
    return value


def substitute(value: Any, saved: Dict[str, str]) -> Any:
    """Replaces ``{var}`` in strings with saved values; a var no step saved is an error, not left as text."""
    if isinstance(value, str):

        def fill(m: "re.Match[str]") -> str:
            if m.group(1) not in saved:
                raise AssertionError(f"{{{m.group(1)}}} is used before a step saved it")
            return saved[m.group(1)]

        return re.sub(r"\{(\w+)\}", fill, value)
    if isinstance(value, list):
        return [substitute(v, saved) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, saved) for k, v in value.items()}
    return value


def at(body: Any, path: str) -> Any:
    node = body
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node


def saved_value(body: Any, path: str, where: str) -> str:
    """The value a step saves: a string or number at ``path``; anything else fails the case."""
    value = at(body, path)
    assert isinstance(value, (str, int, float)) and not isinstance(value, bool), f"{where}: nothing to save at {path} (got {value!r})"
    return str(value)


def assert_partial(actual: Any, expected: Any, where: str = "body") -> None:
    """Objects: the listed keys only, recursively; arrays: same length, each element matched."""
    if isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected an array, got {actual!r}"
        assert len(actual) == len(expected), f"{where}: array length {len(actual)} != {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_partial(a, e, f"{where}[{i}]")
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for k, e in expected.items():
            assert_partial(actual.get(k), e, f"{where}.{k}")
    else:
        assert actual == expected and type(actual) is type(expected), f"{where}: {actual!r} != {expected!r}"


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def assert_types(body: Any, types: Dict[str, str]) -> None:
    for path, wanted in types.items():
        actual = type_name(at(body, path))
        assert actual in wanted.split("|"), f"{path}: expected {wanted}, got {actual}"
