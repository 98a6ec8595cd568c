"""Batch: a handle to a durable batch on the daemon (POST /v1/batches). Its jobs run on the
daemon's workers whether or not anyone is polling; ``wait`` and ``results`` poll GET with backoff."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, List, Optional

from .batch_poll import DEFAULT_MAX_POLL_INTERVAL_MS, DEFAULT_PAGE_SIZE, DEFAULT_POLL_INTERVAL_MS, Poll, poll_batch
from .routes import ROUTES, route_to
from .types import BatchProgress, BatchResult, BatchView, ProgressCallback
from .wire import from_wire_batch_view

if TYPE_CHECKING:
    from .client import Client


class Batch:
    def __init__(self, client: "Client", batch_id: str) -> None:
        self._client = client
        self.id = batch_id

    def __repr__(self) -> str:
        return f"Batch(id={self.id!r})"

    def get(self, *, from_index: Optional[int] = None, limit: Optional[int] = None) -> BatchView:
        """GET /v1/batches/{id}: status, total, done, and the results recorded so far in the range
        (``from_index`` is the wire's ``from``; ``limit`` counts job indices)."""
        method, path = route_to(ROUTES["batch_get"], {"batch_id": self.id}, {"from": from_index, "limit": limit})
        res = self._client.request(method, path)
        return from_wire_batch_view(res.body, self.id, res.request_id)

    def cancel(self) -> None:
        """DELETE /v1/batches/{id}: jobs not started are dropped; running ones finish and are kept."""
        method, path = route_to(ROUTES["batch_cancel"], {"batch_id": self.id})
        self._client.request(method, path)

    def wait(
        self,
        *,
        timeout_ms: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        poll_interval_ms: float = DEFAULT_POLL_INTERVAL_MS,
        max_poll_interval_ms: float = DEFAULT_MAX_POLL_INTERVAL_MS,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> BatchView:
        """Polls until the batch is ``done`` or ``cancelled`` and returns it with every result, by
        index. Raises WaitTimeoutError after ``timeout_ms``. A cancelled batch has no result for
        the jobs that never ran. ``on_progress`` is called after the first poll and whenever
        status or done changes."""
        results: List[BatchResult] = []
        last: Optional[BatchProgress] = None
        for poll in self._polls(timeout_ms, on_progress, poll_interval_ms, max_poll_interval_ms, page_size):
            results.extend(poll.fresh)
            last = poll.progress
        # poll_batch ends only after yielding a final status (or raises), so ``last`` is that poll's.
        assert last is not None
        return BatchView(self.id, last.status, last.total, last.done, sorted(results, key=lambda r: r.index))

    def results(
        self,
        *,
        timeout_ms: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        poll_interval_ms: float = DEFAULT_POLL_INTERVAL_MS,
        max_poll_interval_ms: float = DEFAULT_MAX_POLL_INTERVAL_MS,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Iterator[BatchResult]:
        """Each job's result once, as polls find them (not in index order: a slow job does not hold
        back the others; within one poll, by index). Ends when the batch is ``done`` or
        ``cancelled``; raises WaitTimeoutError after ``timeout_ms``."""
        for poll in self._polls(timeout_ms, on_progress, poll_interval_ms, max_poll_interval_ms, page_size):
            yield from poll.fresh

    def _polls(
        self,
        timeout_ms: Optional[float],
        on_progress: Optional[ProgressCallback],
        poll_interval_ms: float,
        max_poll_interval_ms: float,
        page_size: int,
    ) -> Iterator[Poll]:
        return poll_batch(
            self.id,
            lambda from_index, limit: self.get(from_index=from_index, limit=limit),
            timeout_ms=timeout_ms,
            on_progress=on_progress,
            poll_interval_ms=poll_interval_ms,
            max_poll_interval_ms=max_poll_interval_ms,
            page_size=page_size,
        )
