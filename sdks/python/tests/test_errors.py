"""Mapping of non-2xx answers to the error tree, without a daemon."""
from __future__ import annotations

import pytest

from arbor import ArborError, Client, InvalidRequestError, OverloadedError, StateNotFoundError
from arbor.errors import error_from_response
from fake_server import FakeServer, error_body


def test_error_from_response_maps_known_code_to_class() -> None:
    err = error_from_response(
        404,
        {"error": {"code": "state_not_found", "message": "No state 'x'.", "details": {"state_id": "x"}}},
        request_id="req-9",
    )
    assert isinstance(err, StateNotFoundError)
    assert isinstance(err, ArborError)
    assert err.code == "state_not_found"
    assert err.status == 404
    assert err.message == "No state 'x'."
    assert str(err) == "No state 'x'."
    assert err.details == {"state_id": "x"}
    assert err.request_id == "req-9"


def test_unknown_code_keeps_code_on_base_class() -> None:
    err = error_from_response(418, {"error": {"code": "teapot", "message": "short and stout"}})
    assert type(err) is ArborError
    assert err.code == "teapot"
    assert err.status == 418
    assert err.message == "short and stout"


def test_non_envelope_error_body_keeps_status() -> None:
    err = error_from_response(502, "<html>Bad Gateway</html>")
    assert type(err) is ArborError
    assert err.code == "unexpected_response"
    assert err.status == 502


def test_retry_after_header_sets_retry_after_seconds() -> None:
    with FakeServer(lambda n, _req: (429, error_body("overloaded"), {"retry-after": "7"})) as server:
        with Client(base_url=server.base_url, retries=0) as client:
            with pytest.raises(OverloadedError) as info:
                client.eval("1")
    assert info.value.retry_after_seconds == 7
    assert info.value.status == 429


def test_error_request_id_comes_from_header() -> None:
    with FakeServer(lambda n, _req: (400, error_body("invalid_request"), {"x-request-id": "req-77"})) as server:
        with Client(base_url=server.base_url) as client:
            with pytest.raises(InvalidRequestError) as info:
                client.eval("1")
    assert info.value.request_id == "req-77"
