"""429 retries: overloaded and rate_limited are retried with backoff that honours Retry-After;
nothing else is; a Retry-After beyond the cap is handed to the caller instead of waited out."""
from __future__ import annotations

import email.utils

import pytest

from arbor import Client, InvalidRequestError, OverloadedError, RateLimitedError, RetryPolicy, parse_retry_after, retry_delay_ms
from fake_server import OK_EVAL, FakeServer, error_body

FAST = {"retry_base_delay_ms": 1, "retry_max_delay_ms": 50}


def test_overloaded_is_retried_until_success() -> None:
    answer = lambda n, _req: (429, error_body("overloaded"), {"retry-after": "0"}) if n <= 2 else (200, OK_EVAL, {})  # noqa: E731
    with FakeServer(answer) as server, Client(base_url=server.base_url, retries=3, **FAST) as client:
        assert client.eval("1").result == "1"
        assert server.requests == 3


def test_rate_limited_is_retried() -> None:
    answer = lambda n, _req: (429, error_body("rate_limited"), {}) if n == 1 else (200, OK_EVAL, {})  # noqa: E731
    with FakeServer(answer) as server, Client(base_url=server.base_url, retries=1, **FAST) as client:
        assert client.eval("1").status == "ok"
        assert server.requests == 2


def test_retries_exhausted_raise_the_last_error() -> None:
    answer = lambda n, _req: (429, error_body("rate_limited"), {"retry-after": "0"})  # noqa: E731
    with FakeServer(answer) as server, Client(base_url=server.base_url, retries=2, **FAST) as client:
        with pytest.raises(RateLimitedError):
            client.eval("1")
        assert server.requests == 3


def test_retries_zero_raises_overloaded_error_with_retry_after_seconds() -> None:
    answer = lambda n, _req: (429, error_body("overloaded"), {"retry-after": "1"})  # noqa: E731
    with FakeServer(answer) as server, Client(base_url=server.base_url, retries=0) as client:
        with pytest.raises(OverloadedError) as info:
            client.eval("1")
        assert info.value.retry_after_seconds == 1
        assert server.requests == 1


def test_non_retryable_error_is_not_retried() -> None:
    answer = lambda n, _req: (400, error_body("invalid_request"), {})  # noqa: E731
    with FakeServer(answer) as server, Client(base_url=server.base_url, retries=5, **FAST) as client:
        with pytest.raises(InvalidRequestError):
            client.eval("1")
        assert server.requests == 1


def test_retry_after_longer_than_max_delay_is_not_waited_for() -> None:
    answer = lambda n, _req: (429, error_body("rate_limited"), {"retry-after": "3600"})  # noqa: E731
    with FakeServer(answer) as server, Client(base_url=server.base_url, retries=5, **FAST) as client:
        with pytest.raises(RateLimitedError) as info:
            client.eval("1")
        assert info.value.retry_after_seconds == 3600
        assert server.requests == 1


def test_retry_delay_honours_retry_after_and_cap() -> None:
    policy = RetryPolicy(retries=5, base_delay_ms=100, max_delay_ms=1_000)
    low = lambda: 0.0  # noqa: E731
    high = lambda: 0.999  # noqa: E731
    # Backoff doubles per attempt, half of it jittered, and never passes the cap.
    assert retry_delay_ms(0, None, policy, low) == 50
    assert retry_delay_ms(2, None, policy, low) == 200
    assert retry_delay_ms(2, None, policy, high) <= 400
    assert retry_delay_ms(10, None, policy, low) == 500
    assert retry_delay_ms(10, None, policy, high) <= 1_000
    # Never sooner than Retry-After; a Retry-After past the cap is not waited for.
    assert retry_delay_ms(0, 1, policy, low) >= 1_000
    assert retry_delay_ms(0, 1, policy, high) >= 1_000
    assert retry_delay_ms(0, 2, policy, low) is None


def test_parse_retry_after_reads_seconds_and_dates() -> None:
    assert parse_retry_after("5") == 5
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now_ms = email.utils.parsedate_to_datetime("Tue, 01 Jan 2030 00:00:00 GMT").timestamp() * 1000
    assert parse_retry_after("Tue, 01 Jan 2030 00:00:30 GMT", now_ms) == 30
