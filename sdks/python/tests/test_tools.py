"""GET /v1/tools against a scripted server: the list comes back typed; a body without the list
is an invalid response, not an empty list."""
from __future__ import annotations

import pytest

from arbor import ArborError, Client, Tool, ToolParam
from fake_server import FakeServer

SUMMARIZE = {
    "name": "summarize",
    "description": "Counts and totals.",
    "signature": "summarize(name: string, items: list<item>) -> summary",
    "params": [{"name": "name", "type": "string"}, {"name": "items", "type": "list<item>"}],
    "result": "summary",
    "types": {"item": "record { label: string, value: f64 }", "summary": "record { count: u32 }"},
    "sha256": "ab" * 32,
    "interfaces": ["wasi:random/random"],
    "timeout_ms": 2000,
    "memory_mb": 64,
}


def test_tools_returns_typed_tools() -> None:
    noop = {**SUMMARIZE, "name": "noop", "params": [], "result": None, "types": {}}
    with FakeServer(lambda n, req: (200, {"tools": [SUMMARIZE, noop]}, {})) as server, Client(base_url=server.base_url) as client:
        tools = client.tools()
        assert [f"{s.method} {s.path}" for s in server.seen] == ["GET /v1/tools"]
    assert tools[0] == Tool(
        name="summarize",
        description="Counts and totals.",
        signature="summarize(name: string, items: list<item>) -> summary",
        params=[ToolParam("name", "string"), ToolParam("items", "list<item>")],
        result="summary",
        types={"item": "record { label: string, value: f64 }", "summary": "record { count: u32 }"},
        sha256="ab" * 32,
        interfaces=["wasi:random/random"],
        timeout_ms=2000,
        memory_mb=64,
    )
    assert tools[1].name == "noop"
    assert tools[1].result is None
    assert tools[1].params == []


def test_tools_response_without_list_is_invalid_response() -> None:
    with FakeServer(lambda n, req: (200, {"tool": []}, {})) as server, Client(base_url=server.base_url) as client:
        with pytest.raises(ArborError) as info:
            client.tools()
    assert info.value.code == "invalid_response"
