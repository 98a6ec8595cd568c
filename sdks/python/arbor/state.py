"""State: a kept interpreter state on the daemon. Every eval and every fork branch runs in a
fresh copy of it, so the state itself never changes; ``checkpoint`` keeps a new one."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Union

from .enums import Capability
from .errors import invalid_response
from .routes import ROUTES, route_to
from .types import Branch, EvalResult, InputFile, StateInfo
from .wire import from_wire_eval, from_wire_state_info, to_wire_eval, to_wire_program

if TYPE_CHECKING:
    from .client import Client


class State:
    def __init__(self, client: "Client", state_id: str, result: Optional[EvalResult]) -> None:
        self._client = client
        self.id = state_id
        #: The eval that created this state (None for a handle made with ``client.state(id)``).
        self.result = result

    def __repr__(self) -> str:
        return f"State(id={self.id!r})"

    def eval(
        self,
        code: str,
        *,
        checkpoint: Optional[bool] = None,
        timeout_ms: Optional[int] = None,
        memory_mb: Optional[int] = None,
        max_output_bytes: Optional[int] = None,
        stdin: Optional[str] = None,
        files: Optional[Sequence[InputFile]] = None,
        return_files: Optional[bool] = None,
        capabilities: Optional[Sequence[Capability]] = None,
        seed: Optional[int] = None,
    ) -> EvalResult:
        """Runs ``code`` in a fresh copy of this state; with ``checkpoint=True``, ``result.state_id`` is the new state."""
        body = to_wire_eval(
            code,
            timeout_ms=timeout_ms,
            memory_mb=memory_mb,
            max_output_bytes=max_output_bytes,
            stdin=stdin,
            files=files,
            return_files=return_files,
            capabilities=capabilities,
            seed=seed,
            checkpoint=checkpoint,
        )
        method, path = route_to(ROUTES["state_eval"], self._params)
        res = self._client.request(method, path, json=body, timeout_ms=self._client.deadline_for(timeout_ms))
        return from_wire_eval(res.body, res.request_id)

    def fork(self, branches: Sequence[Union[str, Branch, dict]]) -> List[EvalResult]:
        """Runs each branch in its own fresh copy of this state; results in branch order."""
        wire = [to_wire_program(b) for b in branches]
        code_timeout = sum(b.get("timeout_ms", 0) for b in wire)
        method, path = route_to(ROUTES["state_fork"], self._params)
        res = self._client.request(
            method,
            path,
            json={"branches": wire},
            timeout_ms=self._client.deadline_for(code_timeout or None),
        )
        results: Any = res.body.get("results") if isinstance(res.body, dict) else None
        if not isinstance(results, list):
            raise invalid_response("a fork response without results", res.request_id)
        return [from_wire_eval(r, res.request_id) for r in results]

    def info(self) -> StateInfo:
        """GET /v1/states/{id}: parent, depth, size, creation time."""
        method, path = route_to(ROUTES["state_info"], self._params)
        res = self._client.request(method, path)
        return from_wire_state_info(res.body, self.id, res.request_id)

    def delete(self) -> None:
        """DELETE /v1/states/{id}."""
        method, path = route_to(ROUTES["state_delete"], self._params)
        self._client.request(method, path)

    def child(self, result: EvalResult) -> "State":
        """A handle to the state a checkpointing eval or branch kept."""
        if result.state_id is None:
            raise ValueError("This result kept no state; pass checkpoint=True.")
        return State(self._client, result.state_id, result)

    @property
    def _params(self) -> Dict[str, str]:
        return {"state_id": self.id}
