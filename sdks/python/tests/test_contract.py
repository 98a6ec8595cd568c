"""Every case of sdks/contract/cases.json against a real daemon, through the SDK's ``request``
(so typed error mapping is exercised), plus the checks that keep the contract honest: the
error-code file matches the daemon's registry, every code has its class here, and the test
names here mirror the TypeScript suite's."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict

import pytest

import arbor
from arbor import ERROR_CLASSES, RETRYABLE_CODES, ArborError, Client
from contract_cases import assert_partial, assert_types, expand, load_cases, load_error_codes, saved_value, substitute
from conftest import REPO_ROOT
from openapi_doc import AWAITING

API_KEY, CASES = load_cases()


def daemon_registry() -> Dict[str, int]:
    """ERROR_CODES in daemon/src/errors.ts, read as text: code -> HTTP status."""
    source = (REPO_ROOT / "daemon" / "src" / "errors.ts").read_text()
    block = source.split("export const ERROR_CODES = {", 1)[1].split("} as const", 1)[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s*(\w+): \{ status: (\d+)", block, re.M)}


def test_error_codes_json_matches_daemon_registry() -> None:
    registry = daemon_registry()
    assert len(registry) > 5, "ERROR_CODES was found in daemon/src/errors.ts"
    codes = load_error_codes()
    assert {code: spec["status"] for code, spec in codes.items()} == registry
    for code, spec in codes.items():
        assert spec["class"] == "".join(w.capitalize() for w in code.split("_")) + "Error"
        assert spec["retryable"] == (spec["status"] == 429)


def test_every_wire_error_code_maps_to_its_class() -> None:
    for code, spec in load_error_codes().items():
        cls = ERROR_CLASSES.get(code)
        assert cls is not None, f"wire code {code} has no class in the Python SDK"
        assert cls.__name__ == spec["class"], f"class for {code}"
        assert getattr(arbor, spec["class"]) is cls, f"{spec['class']} is exported from arbor"
        assert issubclass(cls, ArborError)


def test_every_sdk_error_class_is_a_wire_code() -> None:
    wire = load_error_codes()
    for code in ERROR_CLASSES:
        if code in AWAITING["error_codes"]:
            assert code not in wire, f"{code} is a daemon code now: remove it from sdks/contract/awaiting-daemon.json"
        else:
            assert code in wire, f"{code} (mapped by the SDK) is in error-codes.json"


def test_retryable_codes_match_error_codes_json() -> None:
    assert sorted(RETRYABLE_CODES) == sorted(code for code, spec in load_error_codes().items() if spec["retryable"])


def test_names_mirror_across_sdks() -> None:
    py_dir = Path(__file__).parent
    ts_dir = REPO_ROOT / "sdks" / "typescript" / "test"
    py = {m.group(1) for f in py_dir.glob("test_*.py") for m in re.finditer(r"^\s*def test_(\w+)\(", f.read_text(), re.M)}
    ts = {
        m.group(1)
        for f in ts_dir.glob("*.test.ts")
        for m in re.finditer(r"\b(?:test|describe)\(\"(\w+)\"", f.read_text())
    }
    assert len(py) > 10 and len(ts) > 10, "both suites are found"
    assert sorted(ts - py) == [], "TypeScript tests without a Python twin"
    assert sorted(py - ts) == [], "Python tests without a TypeScript twin"


@pytest.fixture(scope="module")
def contract_clients(daemon_url: str):
    clients = {
        "default": Client(base_url=daemon_url, api_key=API_KEY, retries=0),
        "none": Client(base_url=daemon_url, retries=0),
        "wrong": Client(base_url=daemon_url, api_key="not-the-key", retries=0),
    }
    yield clients
    for c in clients.values():
        c.close()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_contract_case(case: Dict[str, Any], contract_clients: Dict[str, Client]) -> None:
    error_codes = load_error_codes()
    saved: Dict[str, str] = {}
    for i, step in enumerate(case["steps"], 1):
        where = f"{case['name']} step {i}"
        req, expected = step["request"], step["expect"]
        client = contract_clients[req.get("auth", "default")]
        path = substitute(req["path"], saved)
        body = expand(req["json"]) if "json" in req else None
        if "error_code" in expected:
            with pytest.raises(ArborError) as info:
                client.request(req["method"], path, json=body, raw=req.get("raw"))
            err = info.value
            assert err.code == expected["error_code"], where
            assert err.status == expected["status"], where
            assert type(err).__name__ == error_codes[expected["error_code"]]["class"], where
            assert isinstance(err.request_id, str), where
            if "details" in expected:
                assert_partial(err.details, expected["details"], f"{where} details")
            continue
        res = client.request(req["method"], path, json=body, raw=req.get("raw"))
        assert res.status == expected["status"], where
        if "body" in expected:
            assert_partial(res.body, substitute(expected["body"], saved), where)
        if "types" in expected:
            assert_types(res.body, expected["types"])
        for name, dotted in step.get("save", {}).items():
            saved[name] = saved_value(res.body, dotted, where)
