"""State, fork, info and delete against a real daemon."""
from __future__ import annotations

import re

import pytest

from arbor import Branch, Client, StateNotFoundError


def test_create_state_returns_state_with_id_and_result(client: Client) -> None:
    state = client.create_state("x = 41\nx + 1")
    assert state.id.strip()
    assert state.result is not None and state.result.result == "42"
    assert state.result.state_id == state.id


def test_state_eval_runs_in_a_copy(client: Client) -> None:
    state = client.create_state("items = [1]")
    assert state.eval("items.append(2)\nitems").result == "[1, 2]"
    again = state.eval("items")
    assert again.result == "[1]"
    assert again.state_id is None


def test_state_eval_checkpoint_returns_child_state(client: Client) -> None:
    state = client.create_state("x = 1")
    r = state.eval("x = 5", checkpoint=True)
    assert r.state_id
    child = state.child(r)
    assert child.eval("x").result == "5"
    info = child.info()
    assert info.parent_id == state.id
    assert info.depth == 2
    assert state.info().children == 1


def test_state_fork_returns_results_in_order(client: Client) -> None:
    state = client.create_state("x = 10")
    results = state.fork(["x + 1", Branch(code="x * 2"), {"code": "x = 0", "checkpoint": True}])
    assert [r.result for r in results[:2]] == ["11", "20"]
    assert results[2].state_id
    assert results[0].state_id is None
    # The checkpointing branch's capture is timed apart; the others captured nothing.
    assert results[2].timing.checkpoint_ms > 0
    assert results[0].timing.checkpoint_ms == 0


def test_state_info_and_delete(client: Client) -> None:
    state = client.create_state("x = 1")
    info = state.info()
    assert info.id == state.id
    assert info.parent_id is None
    assert info.depth == 1
    assert info.children == 0
    assert isinstance(info.bytes, int)
    assert re.match(r"^\d{4}-\d{2}-\d{2}T", info.created_at)
    state.delete()
    with pytest.raises(StateNotFoundError):
        state.info()


def test_missing_state_raises_state_not_found(client: Client) -> None:
    with pytest.raises(StateNotFoundError) as info:
        client.state("st_does_not_exist").eval("1")
    assert info.value.status == 404
