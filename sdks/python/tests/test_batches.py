"""Batches against a scripted server (the daemon's routes are being built): what submit, get and
cancel send, how results and errors come back typed, and how wait and results poll."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

from arbor import (
    ArborError,
    BatchNotFoundError,
    BatchProgress,
    CapabilityDeniedError,
    Client,
    Program,
    WaitTimeoutError,
    next_poll_delay_ms,
)
from fake_server import FakeServer, SeenRequest, batch_view, error_body, ok_result

FAST_POLL = {"poll_interval_ms": 1, "max_poll_interval_ms": 5}


@contextmanager
def serving(answer: Callable[[int, SeenRequest], Tuple[int, Any]]) -> Iterator[Tuple[Client, FakeServer]]:
    """A server answering ``answer(n, request)`` -> (status, body); the client talks to it."""
    with FakeServer(lambda n, req: (*answer(n, req), {})) as server:
        with Client(base_url=server.base_url, retries=0) as client:
            yield client, server


def scripted(moments: List[Dict[str, Any]]) -> Callable[[int, SeenRequest], Tuple[int, Any]]:
    """GETs of batch bt_1 answer from ``moments`` in turn (the last one repeats)."""
    gets = [0]

    def answer(_n: int, req: SeenRequest) -> Tuple[int, Any]:
        moment = moments[min(gets[0], len(moments) - 1)]
        gets[0] += 1
        return 200, batch_view("bt_1", moment, req.path)

    return answer


def indices(results: Any) -> List[int]:
    return [r.index for r in results]


def test_submit_batch_sends_programs_and_returns_handle() -> None:
    accepted = {"batch_id": "bt_1", "status": "queued", "total": 2, "done": 0, "results": []}
    with serving(lambda n, req: (202, accepted)) as (client, server):
        batch = client.submit_batch(["1 + 1", Program(code="x", timeout_ms=500, capabilities=["tools"], seed=3)])
        assert batch.id == "bt_1"
        assert server.seen == [
            SeenRequest(
                "POST",
                "/v1/batches",
                {"requests": [{"code": "1 + 1"}, {"code": "x", "timeout_ms": 500, "capabilities": ["tools"], "seed": 3}]},
            )
        ]


def test_submit_batch_fork_spec_sends_state_id_and_branches() -> None:
    with serving(lambda n, req: (202, {"batch_id": "bt_2"})) as (client, server):
        batch = client.submit_batch(state_id="st_a", branches=["x + 1", {"code": "x = 0", "checkpoint": True}])
        assert batch.id == "bt_2"
        assert server.seen[0].body == {"state_id": "st_a", "branches": [{"code": "x + 1"}, {"code": "x = 0", "checkpoint": True}]}


def test_submit_batch_without_batch_id_is_invalid_response() -> None:
    with serving(lambda n, req: (202, {"status": "queued"})) as (client, _server):
        with pytest.raises(ArborError) as info:
            client.submit_batch(["1"])
        assert info.value.code == "invalid_response"


def test_batch_get_reads_progress_and_typed_results() -> None:
    denied = {"index": 3, "error": {"code": "capability_denied", "message": "shell: not granted", "details": {"capability": "shell"}}}
    moment = {"status": "running", "total": 6, "results": [ok_result(2), denied, ok_result(5)]}
    with serving(lambda n, req: (200, batch_view("bt_1", moment, req.path))) as (client, server):
        view = client.batch("bt_1").get(from_index=2, limit=2)
        assert server.seen[0].method == "GET"
        assert server.seen[0].path == "/v1/batches/bt_1?from=2&limit=2"
        assert view.id == "bt_1"
        assert view.status == "running"
        assert view.total == 6
        assert view.done == 3
        assert indices(view.results) == [2, 3]
        ok, failed = view.results
        assert ok.response is not None and ok.response.result == "2"
        assert ok.error is None
        assert failed.response is None
        assert isinstance(failed.error, CapabilityDeniedError)
        assert failed.error.code == "capability_denied"
        assert failed.error.message == "shell: not granted"
        assert failed.error.details == {"capability": "shell"}
        assert failed.error.status is None


def test_batch_cancel_sends_delete() -> None:
    with serving(lambda n, req: (204, None)) as (client, server):
        client.batch("bt/1").cancel()
        assert server.seen == [SeenRequest("DELETE", "/v1/batches/bt%2F1", None)]


def test_missing_batch_raises_batch_not_found() -> None:
    with serving(lambda n, req: (404, error_body("batch_not_found"))) as (client, _server):
        for call in (client.batch("bt_x").get, client.batch("bt_x").cancel, client.batch("bt_x").wait):
            with pytest.raises(BatchNotFoundError) as info:
                call()
            assert info.value.code == "batch_not_found"
            assert info.value.status == 404


def test_batch_wait_polls_until_done_and_reports_progress() -> None:
    moments = [
        {"status": "queued", "total": 3, "results": []},
        {"status": "running", "total": 3, "results": [ok_result(1)]},
        {"status": "running", "total": 3, "results": [ok_result(1)]},
        {"status": "done", "total": 3, "results": [ok_result(0), ok_result(1), ok_result(2)]},
    ]
    with serving(scripted(moments)) as (client, server):
        progress: List[BatchProgress] = []
        view = client.batch("bt_1").wait(on_progress=progress.append, **FAST_POLL)
        assert view.status == "done"
        assert view.done == 3
        assert indices(view.results) == [0, 1, 2]
        assert [r.response.result for r in view.results] == ["0", "1", "2"]
        # Reported on the first poll and on each change, not on the poll that saw nothing new.
        assert progress == [BatchProgress("queued", 3, 0), BatchProgress("running", 3, 1), BatchProgress("done", 3, 3)]
        assert server.requests == 4


def test_batch_wait_timeout_raises_wait_timeout() -> None:
    with serving(scripted([{"status": "running", "total": 2, "results": [ok_result(0)]}])) as (client, server):
        with pytest.raises(WaitTimeoutError) as info:
            client.batch("bt_1").wait(timeout_ms=50, **FAST_POLL)
        assert info.value.code == "wait_timeout"
        assert info.value.progress == BatchProgress("running", 2, 1)
        assert server.requests >= 2, "polled again before giving up"


def test_batch_wait_on_cancelled_batch_returns_what_ran() -> None:
    with serving(scripted([{"status": "cancelled", "total": 4, "results": [ok_result(0), ok_result(2)]}])) as (client, _server):
        view = client.batch("bt_1").wait(**FAST_POLL)
        assert view.status == "cancelled"
        assert indices(view.results) == [0, 2]


def test_batch_results_yield_each_result_once_as_they_arrive() -> None:
    moments = [
        {"status": "running", "total": 3, "results": [ok_result(2)]},
        {"status": "running", "total": 3, "results": [ok_result(2), ok_result(0)]},
        {"status": "running", "total": 3, "results": [ok_result(2), ok_result(0)]},
        {"status": "done", "total": 3, "results": [ok_result(2), ok_result(0), ok_result(1)]},
    ]
    with serving(scripted(moments)) as (client, _server):
        assert [r.index for r in client.batch("bt_1").results(**FAST_POLL)] == [2, 0, 1]


def test_batch_polls_page_from_the_first_unseen_index() -> None:
    running = {"status": "running", "total": 5, "results": [ok_result(0), ok_result(1), ok_result(3)]}
    # The first poll's two GETs see the batch running; the second poll's, done.
    moments = [running, running, {"status": "done", "total": 5, "results": [ok_result(i) for i in range(5)]}]
    with serving(scripted(moments)) as (client, server):
        view = client.batch("bt_1").wait(page_size=2, **FAST_POLL)
        assert indices(view.results) == [0, 1, 2, 3, 4]
        # Poll 1 pages until the 3 recorded results are in; poll 2 starts at index 2, the first unseen.
        assert [s.path for s in server.seen] == [
            "/v1/batches/bt_1?from=0&limit=2",
            "/v1/batches/bt_1?from=2&limit=2",
            "/v1/batches/bt_1?from=2&limit=2",
            "/v1/batches/bt_1?from=4&limit=2",
        ]


def test_batch_poll_delay_backs_off_until_progress() -> None:
    assert next_poll_delay_ms(None, False, 100, 1_000) == 100
    assert next_poll_delay_ms(100, False, 100, 1_000) == 200
    assert next_poll_delay_ms(800, False, 100, 1_000) == 1_000
    assert next_poll_delay_ms(1_000, False, 100, 1_000) == 1_000
    assert next_poll_delay_ms(1_000, True, 100, 1_000) == 100
