"""Each name and shape the SDK defines, checked against sdks/openapi.json (generated from the
daemon): the closed sets in enums.py, the fields every response converter carries, the request
fields the options produce, the error envelope, and the routes in routes.py."""
from __future__ import annotations

import inspect
from typing import Any, Dict

from arbor import BATCH_STATUSES, CALL_STATUSES, CAPABILITIES, HOST_CALL_OUTCOMES, ROUTES, InputFile
from arbor.errors import error_from_response
from arbor.wire import (
    from_wire_batch_view,
    from_wire_eval,
    from_wire_state_info,
    from_wire_tools,
    to_wire_batch_spec,
    to_wire_eval,
    to_wire_program,
)
from openapi_doc import AWAITING, assert_carried, documented_routes, enums_of, request_schema, response_schema, sample_of

#: Every option the SDK has, set (test_eval_options_match_openapi fails when one is missing here).
ALL_OPTIONS: Dict[str, Any] = {
    "timeout_ms": 1,
    "memory_mb": 2,
    "max_output_bytes": 3,
    "stdin": "in",
    "files": [InputFile("a.txt", "a")],
    "return_files": True,
    "capabilities": ["shell"],
    "seed": 4,
    "checkpoint": True,
}


def assert_fields_match(body: Any, schema: Dict[str, Any], where: str) -> None:
    """The wire body's fields, recursively, equal the schema's properties (all of them, set)."""
    if schema.get("type") == "array":
        assert isinstance(body, list) and body, f"{where}: a non-empty list"
        for i, b in enumerate(body):
            assert_fields_match(b, schema.get("items") or {}, f"{where}[{i}]")
    elif "properties" in schema:
        assert sorted(body) == sorted(schema["properties"]), f"{where}: fields"
        for key, prop in schema["properties"].items():
            assert_fields_match(body[key], prop, f"{where}.{key}")


def test_call_statuses_match_openapi() -> None:
    for values in enums_of("status", "host_calls"):
        assert sorted(CALL_STATUSES) == sorted(values)


def test_capabilities_match_openapi() -> None:
    for values in enums_of("capabilities", "code"):
        assert sorted(CAPABILITIES) == sorted(values)


def test_host_call_outcomes_match_openapi() -> None:
    for values in enums_of("outcome", "args_summary"):
        assert sorted(HOST_CALL_OUTCOMES) == sorted(values)


def test_host_call_fields_match_openapi() -> None:
    response = response_schema("POST", "/v1/eval", "200")
    wire = sample_of(response["properties"]["host_calls"]["items"])
    [call] = from_wire_eval({**sample_of(response), "host_calls": [wire]}).host_calls
    assert_carried(wire, call, "host_call")


def test_eval_result_fields_match_openapi() -> None:
    for method, path, status in (
        ("POST", "/v1/eval", "200"),
        ("POST", "/v1/states", "201"),
        ("POST", "/v1/states/{state_id}/eval", "200"),
    ):
        wire = sample_of(response_schema(method, path, status))
        assert_carried(wire, from_wire_eval(wire), f"{path} result")
    fork = sample_of(response_schema("POST", "/v1/states/{state_id}/fork", "200"))
    assert_carried(fork["results"][0], from_wire_eval(fork["results"][0]), "fork result")


def test_eval_options_match_openapi() -> None:
    assert set(ALL_OPTIONS) == set(inspect.signature(to_wire_eval).parameters) - {"code"}, "ALL_OPTIONS sets every option"
    eval_options = {k: v for k, v in ALL_OPTIONS.items() if k != "checkpoint"}
    assert_fields_match(to_wire_eval("1", **eval_options), request_schema("POST", "/v1/eval"), "eval request")
    assert_fields_match(to_wire_eval("1", **eval_options), request_schema("POST", "/v1/states"), "create state request")
    assert_fields_match(to_wire_eval("1", **ALL_OPTIONS), request_schema("POST", "/v1/states/{state_id}/eval"), "state eval request")
    branches = request_schema("POST", "/v1/states/{state_id}/fork")["properties"]["branches"]
    assert_fields_match([to_wire_program({"code": "1", **ALL_OPTIONS})], branches, "fork branches")


def test_state_info_fields_match_openapi() -> None:
    wire = sample_of(response_schema("GET", "/v1/states/{state_id}", "200"))
    assert_carried(wire, from_wire_state_info(wire, "unused"), "state_info", renames={"state_id": "id"}, extras=["raw"])


def test_tool_fields_match_openapi() -> None:
    wire = sample_of(response_schema("GET", "/v1/tools", "200"))
    assert_carried(wire["tools"], from_wire_tools(wire), "tools")


def test_error_envelope_fields_match_openapi() -> None:
    for status in ("4XX", "5XX"):
        envelope = sample_of(response_schema("POST", "/v1/eval", status))
        err = error_from_response(400, envelope)
        carried = {k: getattr(err, k) for k in envelope["error"]}
        assert carried == envelope["error"], f"{status}: every documented field of the error reaches the ArborError"


def test_sdk_routes_match_openapi() -> None:
    documented = set(documented_routes())
    sdk = [f"{r.method} {r.path}" for r in ROUTES.values()]
    for route in sdk:
        if route in AWAITING["routes"]:
            assert route not in documented, (
                f"{route} is documented now: remove it from sdks/contract/awaiting-daemon.json and check its shapes here"
            )
        else:
            assert route in documented, f"{route} (called by the SDK) is in sdks/openapi.json"
    unwrapped = [r for r in documented if " /v1/" in r and r not in sdk]
    assert unwrapped == [], "every /v1 route of the daemon has an SDK method"


def test_batch_statuses_match_openapi() -> None:
    for values in enums_of("status", "batch_id"):
        assert sorted(BATCH_STATUSES) == sorted(values)


def test_batch_request_fields_match_openapi() -> None:
    variants = request_schema("POST", "/v1/batches").get("anyOf") or []
    program_options = {k: v for k, v in ALL_OPTIONS.items() if k != "checkpoint"}
    bodies = [
        to_wire_batch_spec([{"code": "1", **program_options}], None, None),
        to_wire_batch_spec(None, "st_1", [{"code": "1", **ALL_OPTIONS}]),
    ]
    for body in bodies:
        schema = next((v for v in variants if sorted(v.get("properties") or {}) == sorted(body)), None)
        assert schema is not None, f"the daemon accepts a batch of the form {sorted(body)}"
        assert_fields_match(body, schema, "batch")


def test_batch_view_fields_match_openapi() -> None:
    for method, path, status in [
        ("POST", "/v1/batches", "202"),
        ("GET", "/v1/batches/{batch_id}", "200"),
        ("DELETE", "/v1/batches/{batch_id}", "200"),
    ]:
        schema = response_schema(method, path, status)
        # The fields the SDK reads are the daemon's (the SDK leaves created_at out).
        for field in ["batch_id", "status", "total", "done", "results"]:
            assert field in schema["properties"], f"{method} {path}: {field}"
        forms = sorted(",".join(sorted(f.get("properties") or {})) for f in schema["properties"]["results"]["items"]["anyOf"])
        assert forms == ["error,index", "index,response"], f"{method} {path}: a result is a response or an error"
    wire = {
        **sample_of(response_schema("GET", "/v1/batches/{batch_id}", "200")),
        "total": 2,
        "done": 2,
        "results": [
            {"index": 1, "error": {"code": "capability_denied", "message": "no"}},
            {"index": 0, "response": sample_of(response_schema("POST", "/v1/eval", "200"))},
        ],
    }
    parsed = from_wire_batch_view(wire, "unused")
    assert parsed.id == wire["batch_id"]
    assert [(r.index, r.response is None, r.error.code if r.error else None) for r in parsed.results] == [
        (0, False, None),
        (1, True, "capability_denied"),
    ]
