"""Client against a real daemon: results come back typed, options reach the wire, errors are
typed with request ids, calls share the keep-alive pool, close() ends the client."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from arbor import Client, ConnectionError, InputFile, LimitExceededError, UnauthorizedError
from conftest import API_KEY


def test_eval_returns_result_stdout_and_stderr(client: Client) -> None:
    r = client.eval("import sys\nprint('out')\nprint('err', file=sys.stderr)\n6 * 7")
    assert r.status == "ok"
    assert r.ok is True
    assert r.result == "42"
    assert r.stdout == "out\n"
    assert r.stderr == "err\n"
    assert r.error is None
    assert r.state_id is None
    assert isinstance(r.id, str)
    assert isinstance(r.timing.total_ms, (int, float))
    assert r.host_calls == []


def test_eval_python_error_is_a_status_not_an_exception(client: Client) -> None:
    r = client.eval("def f():\n    raise KeyError('k')\nf()")
    assert r.status == "error"
    assert r.ok is False
    assert r.error is not None and r.error.type == "KeyError"
    assert "KeyError" in r.error.traceback


def test_eval_options_reach_the_wire(client: Client) -> None:
    assert client.eval("while True: pass", timeout_ms=300).status == "timeout"
    capped = client.eval("print('x' * 100)", max_output_bytes=10)
    assert capped.status == "output_limit"
    assert capped.truncated is True
    assert client.eval("input()", stdin="typed\n").result == "'typed'"
    a = client.eval("import random\nrandom.random()", seed=3)
    b = client.eval("import random\nrandom.random()", seed=3)
    assert a.result == b.result


def test_eval_files_round_trip_as_bytes(client: Client) -> None:
    r = client.eval(
        "open('out.bin', 'wb').write(open('in.txt', 'rb').read()[::-1])",
        files=[InputFile("in.txt", "abc")],
        return_files=True,
    )
    assert r.status == "ok"
    out = [f for f in r.files if f.path == "out.bin"]
    assert len(out) == 1, "out.bin is returned"
    assert out[0].content == b"cba"


def test_eval_without_api_key_raises_unauthorized(daemon_url: str) -> None:
    with Client(base_url=daemon_url) as anonymous:
        with pytest.raises(UnauthorizedError) as info:
            anonymous.eval("1")
    assert info.value.code == "unauthorized"
    assert info.value.status == 401


def test_typed_error_carries_status_details_and_request_id(client: Client) -> None:
    with pytest.raises(LimitExceededError) as info:
        client.eval("1", memory_mb=1_000_000)
    err = info.value
    assert type(err).__name__ == "LimitExceededError"
    assert err.status == 400
    assert err.details["field"] == "memory_mb"
    assert isinstance(err.request_id, str) and err.request_id.strip()


def test_concurrent_evals_all_complete(client: Client) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: client.eval(f"{i} * 2"), range(8)))
    assert [r.result for r in results] == [str(i * 2) for i in range(8)]


def test_tools_lists_none_without_configured_tools(client: Client) -> None:
    assert client.tools() == []


def test_health_reports_ok(client: Client) -> None:
    assert client.health()["status"] == "ok"


def test_closed_client_raises_connection_error(daemon_url: str) -> None:
    with Client(base_url=daemon_url, api_key=API_KEY) as short:
        assert short.eval("1 + 1").result == "2"
    with pytest.raises(ConnectionError):
        short.eval("1")
