"""Client: the entry point. Evals, states, batches, tools, the low-level ``request`` every call
goes through, and the retry loop for 429s (overloaded, rate_limited)."""
from __future__ import annotations

import time
from typing import Any, Dict, List, Optional, Sequence, Union

from .batch import Batch
from .enums import Capability
from .errors import RETRYABLE_CODES, ArborError, invalid_response
from .retry import DEFAULT_RETRY_POLICY, RetryPolicy, retry_delay_ms
from .routes import ROUTES, route_to
from .state import State
from .transport import RawResponse, Transport
from .types import Branch, EvalResult, InputFile, Program, Tool
from .wire import from_wire_batch_id, from_wire_eval, from_wire_tools, to_wire_batch_spec, to_wire_eval

__version__ = "0.1.0"
DEFAULT_BASE_URL = "http://127.0.0.1:8787"
DEFAULT_TIMEOUT_MS = 120_000
#: Added to a call's own ``timeout_ms`` so the HTTP deadline never fires before the daemon answers.
DEADLINE_MARGIN_MS = 10_000


class Client:
    """A connection pool to one Arbor daemon. Thread-safe; use as a context manager or call close()."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        api_key: Optional[str] = None,
        timeout_ms: float = DEFAULT_TIMEOUT_MS,
        retries: int = DEFAULT_RETRY_POLICY.retries,
        retry_base_delay_ms: float = DEFAULT_RETRY_POLICY.base_delay_ms,
        retry_max_delay_ms: float = DEFAULT_RETRY_POLICY.max_delay_ms,
        connections: int = 16,
    ) -> None:
        """
        :param base_url: the daemon, e.g. ``http://127.0.0.1:8787``.
        :param api_key: sent as ``Authorization: Bearer <api_key>``; needed when the daemon has tenants.
        :param timeout_ms: client-side deadline for connecting and for each wait for data; a call
            asking a longer code ``timeout_ms`` gets that plus a margin.
        :param retries: retries for 429 overloaded / rate_limited (0 disables).
        :param retry_base_delay_ms: first backoff step.
        :param retry_max_delay_ms: longest single wait; a longer Retry-After is not waited for.
        :param connections: idle keep-alive connections kept for reuse.
        """
        _check("timeout_ms", timeout_ms, positive=True)
        _check("connections", connections, positive=True)
        self.base_url = base_url
        self._retry = RetryPolicy(
            retries=int(_check("retries", retries)),
            base_delay_ms=_check("retry_base_delay_ms", retry_base_delay_ms),
            max_delay_ms=_check("retry_max_delay_ms", retry_max_delay_ms),
        )
        self._transport = Transport(base_url, api_key, timeout_ms, int(connections), f"arbor-client-py/{__version__}")

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def eval(
        self,
        code: str,
        *,
        timeout_ms: Optional[int] = None,
        memory_mb: Optional[int] = None,
        max_output_bytes: Optional[int] = None,
        stdin: Optional[str] = None,
        files: Optional[Sequence[InputFile]] = None,
        return_files: Optional[bool] = None,
        capabilities: Optional[Sequence[Capability]] = None,
        seed: Optional[int] = None,
    ) -> EvalResult:
        """Runs ``code`` in a fresh interpreter. Python failures come back as ``status``, not raised."""
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
        )
        method, path = route_to(ROUTES["eval"])
        res = self.request(method, path, json=body, timeout_ms=self.deadline_for(timeout_ms))
        return from_wire_eval(res.body, res.request_id)

    def create_state(
        self,
        code: str,
        *,
        timeout_ms: Optional[int] = None,
        memory_mb: Optional[int] = None,
        max_output_bytes: Optional[int] = None,
        stdin: Optional[str] = None,
        files: Optional[Sequence[InputFile]] = None,
        return_files: Optional[bool] = None,
        capabilities: Optional[Sequence[Capability]] = None,
        seed: Optional[int] = None,
    ) -> State:
        """Runs ``code`` in a fresh interpreter and keeps the resulting state (POST /v1/states)."""
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
        )
        method, path = route_to(ROUTES["create_state"])
        res = self.request(method, path, json=body, timeout_ms=self.deadline_for(timeout_ms))
        result = from_wire_eval(res.body, res.request_id)
        if result.state_id is None:
            raise invalid_response("a created state without a state_id", res.request_id)
        return State(self, result.state_id, result)

    def state(self, state_id: str) -> State:
        """A handle to an existing state by id (no request is made)."""
        return State(self, state_id, None)

    def submit_batch(
        self,
        requests: Optional[Sequence[Union[str, Program, dict]]] = None,
        *,
        state_id: Optional[str] = None,
        branches: Optional[Sequence[Union[str, Branch, dict]]] = None,
    ) -> Batch:
        """POST /v1/batches: programs (``requests=[...]``) or branches of one state
        (``state_id=..., branches=[...]``) run as independent jobs on the daemon's workers.
        Returns at once (202) with the handle."""
        method, path = route_to(ROUTES["submit_batch"])
        res = self.request(method, path, json=to_wire_batch_spec(requests, state_id, branches))
        return Batch(self, from_wire_batch_id(res.body, res.request_id))

    def batch(self, batch_id: str) -> Batch:
        """A handle to an existing batch by id (no request is made)."""
        return Batch(self, batch_id)

    def tools(self) -> List[Tool]:
        """GET /v1/tools: the WebAssembly tools this caller's tenant may call."""
        method, path = route_to(ROUTES["tools"])
        res = self.request(method, path)
        return from_wire_tools(res.body, res.request_id)

    def health(self) -> Dict[str, Any]:
        """GET /healthz."""
        method, path = route_to(ROUTES["health"])
        return self.request(method, path).body

    def request(
        self, method: str, path: str, *, json: Any = None, raw: Optional[str] = None, timeout_ms: Optional[float] = None
    ) -> RawResponse:
        """One call on the wire, with 429 retries and typed errors: any non-2xx raises the
        ArborError subclass for its ``code``. The escape hatch for endpoints the SDK does not wrap yet."""
        attempt = 0
        while True:
            try:
                return self._transport.send(method, path, json=json, raw=raw, timeout_ms=timeout_ms)
            except ArborError as err:
                if err.code not in RETRYABLE_CODES or attempt >= self._retry.retries:
                    raise
                delay = retry_delay_ms(attempt, err.retry_after_seconds, self._retry)
                if delay is None:
                    raise
                time.sleep(delay / 1000)
                attempt += 1

    def deadline_for(self, code_timeout_ms: Optional[float]) -> Optional[float]:
        """The HTTP deadline for a call whose code may run ``code_timeout_ms``."""
        if code_timeout_ms is None:
            return None
        return max(self._transport.timeout_ms, code_timeout_ms + DEADLINE_MARGIN_MS)

    def close(self) -> None:
        """Closes the keep-alive connections; later calls raise ConnectionError."""
        self._transport.close()


def _check(name: str, value: float, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be a number {'> 0' if positive else '>= 0'}, got {value!r}")
    return value
