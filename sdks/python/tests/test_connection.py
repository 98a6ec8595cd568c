"""Transport: keep-alive reuse, reconnecting after a dropped pooled socket, and transport
failures surfacing as ConnectionError (refused, or the client-side deadline)."""
from __future__ import annotations

import pytest

from arbor import Client, ConnectionError
from conftest import free_port
from fake_server import OK_EVAL, DroppingServer, FakeServer


def test_keep_alive_reuses_one_connection() -> None:
    with FakeServer(lambda n, _req: (200, OK_EVAL, {})) as server, Client(base_url=server.base_url) as client:
        for _ in range(10):
            assert client.eval("1").result == "1"
        assert server.requests == 10
        # Sequential calls reuse one socket; without keep-alive this would be 10.
        assert server.connections <= 2, f"{server.connections} connections for 10 sequential calls"


def test_dropped_keep_alive_connection_is_reopened() -> None:
    # One pooled connection, so the second call must reuse the socket the server then drops.
    with DroppingServer() as server, Client(base_url=server.base_url, connections=1) as client:
        assert client.health()["status"] == "ok"
        assert client.health()["status"] == "ok"
        assert server.connections == 2, "the second call went out again on a new connection"
        assert server.requests == 3


def test_connection_refused_raises_connection_error() -> None:
    with Client(base_url=f"http://127.0.0.1:{free_port()}") as client:
        with pytest.raises(ConnectionError) as info:
            client.eval("1")
    assert info.value.code == "connection_error"
    assert info.value.status is None
    assert info.value.timed_out is False


def test_deadline_raises_connection_error_with_timed_out() -> None:
    with FakeServer(lambda n, _req: None) as server, Client(base_url=server.base_url, timeout_ms=200) as client:
        with pytest.raises(ConnectionError) as info:
            client.eval("1")
    assert info.value.timed_out is True
