"""Reads sdks/openapi.json (generated from the daemon: the source of truth for the wire) and
builds what the SDK checks need from it: schemas by route, every schema in the document, and a
sample value with every documented property set to a distinct value."""
from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

SDKS_DIR = Path(__file__).resolve().parents[2]
OPENAPI: Dict[str, Any] = json.loads((SDKS_DIR / "openapi.json").read_text())
#: Routes and error codes the SDKs implement ahead of the daemon (sdks/contract/awaiting-daemon.json).
AWAITING: Dict[str, List[str]] = json.loads((SDKS_DIR / "contract" / "awaiting-daemon.json").read_text())


def documented_routes() -> List[str]:
    """"GET /v1/tools" for every operation in the document."""
    return [f"{method.upper()} {path}" for path, ops in OPENAPI["paths"].items() for method in ops]


def _operation(method: str, path: str) -> Dict[str, Any]:
    op = OPENAPI["paths"].get(path, {}).get(method.lower())
    assert op is not None, f"{method} {path} is in sdks/openapi.json"
    return op


def request_schema(method: str, path: str) -> Dict[str, Any]:
    schema = _operation(method, path).get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    assert schema is not None, f"{method} {path} has a JSON request body"
    return schema


def response_schema(method: str, path: str, status: str) -> Dict[str, Any]:
    response = _operation(method, path)["responses"].get(status, {})
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    assert schema is not None, f"{method} {path} answers {status} with JSON"
    return schema


def all_schemas() -> List[Dict[str, Any]]:
    """Every schema object in the document, nested ones included."""
    out: List[Dict[str, Any]] = []

    def walk(node: Any, is_schema: bool) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n, False)
            return
        if not isinstance(node, dict):
            return
        if is_schema:
            out.append(node)
        for key, value in node.items():
            if key in ("schema", "items", "additionalProperties"):
                walk(value, True)
            elif key == "properties":
                for p in value.values():
                    walk(p, True)
            elif key != "enum":
                walk(value, False)

    walk(OPENAPI, False)
    return out


def enums_of(prop: str, marker: str) -> List[List[Any]]:
    """The enum of ``prop`` in every object schema that has ``marker`` and ``prop`` (at least one)."""
    found = []
    for schema in all_schemas():
        props = schema.get("properties") or {}
        if marker in props and prop in props:
            values = props[prop].get("enum") or (props[prop].get("items") or {}).get("enum")
            assert values, f"{prop} has an enum"
            found.append(values)
    assert found, f"sdks/openapi.json has schemas with {marker} and {prop}"
    return found


def sample_of(schema: Dict[str, Any], name: str = "", counter: Optional[List[int]] = None) -> Any:
    """A value of ``schema`` with every property set (optional ones too) and every leaf distinct, so
    a dropped, swapped or renamed field shows. Enums take their last value (not a default like
    "ok"); ``*_b64`` strings are base64; maps get one entry."""
    counter = counter if counter is not None else [0]

    def nxt() -> int:
        counter[0] += 1
        return counter[0]

    if "enum" in schema:
        return schema["enum"][-1]
    kind = schema.get("type")
    if kind == "object":
        out = {key: sample_of(prop, key, counter) for key, prop in (schema.get("properties") or {}).items()}
        if isinstance(schema.get("additionalProperties"), dict):
            out[f"key{nxt()}"] = sample_of(schema["additionalProperties"], name, counter)
        return out
    if kind == "array":
        return [sample_of(schema.get("items") or {}, name, counter)]
    if kind == "string":
        n = nxt()
        return base64.b64encode(f"bytes {n}".encode()).decode() if name.endswith("_b64") else f"{name} {n}"
    if kind == "integer":
        return nxt()
    if kind == "number":
        return nxt() + 0.5
    if kind == "boolean":
        return True
    return {"any": nxt()}


def _fields(sdk: Any) -> Dict[str, Any]:
    if dataclasses.is_dataclass(sdk):
        return {f.name: getattr(sdk, f.name) for f in dataclasses.fields(sdk)}
    assert isinstance(sdk, dict), f"an object, not {sdk!r}"
    return sdk


def assert_carried(
    wire: Any, sdk: Any, where: str, renames: Optional[Dict[str, str]] = None, extras: Iterable[str] = ()
) -> None:
    """``sdk`` carries every field of ``wire`` under its SDK name (the same; ``x_b64`` becomes ``x``
    as bytes; ``renames`` at the top level), with the same value, recursively, and has no fields
    besides those and ``extras``."""
    if isinstance(wire, list):
        assert isinstance(sdk, list), f"{where}: a list"
        assert len(sdk) == len(wire), f"{where}: length"
        for i, (w, s) in enumerate(zip(wire, sdk)):
            assert_carried(w, s, f"{where}[{i}]")
        return
    if not isinstance(wire, dict):
        assert sdk == wire and type(sdk) is type(wire), f"{where}: {sdk!r} != {wire!r}"
        return
    fields = _fields(sdk)
    expected = list(extras)
    for key, value in wire.items():
        if key.endswith("_b64"):
            name = key[: -len("_b64")]
            expected.append(name)
            assert fields.get(name) == base64.b64decode(value), f"{where}.{name}"
            continue
        name = (renames or {}).get(key, key)
        expected.append(name)
        assert name in fields, f"{where}: no field {name}"
        assert_carried(value, fields[name], f"{where}.{name}")
    assert sorted(fields) == sorted(expected), f"{where}: the SDK's fields are the documented ones"
