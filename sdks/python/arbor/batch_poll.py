"""Polling a batch until it is final: each poll fetches only the job indices not seen yet (from
the lowest unseen index, a page at a time), so every result is downloaded about once; the wait
between polls starts short, doubles while nothing new arrives, and resets when something does."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterator, List, Optional, Set

from .enums import FINAL_BATCH_STATUSES
from .errors import WaitTimeoutError
from .types import BatchProgress, BatchResult, BatchView, ProgressCallback

DEFAULT_POLL_INTERVAL_MS = 200
DEFAULT_MAX_POLL_INTERVAL_MS = 5_000
DEFAULT_PAGE_SIZE = 100


@dataclass(frozen=True)
class Poll:
    """What one poll found: the progress at its first GET and the results not seen before, by index."""

    progress: BatchProgress
    fresh: List[BatchResult]


def next_poll_delay_ms(previous: Optional[float], progressed: bool, min_ms: float, max_ms: float) -> float:
    """The wait before the next poll: ``min_ms`` at first and after a poll that found results,
    else doubled up to ``max_ms``."""
    if previous is None or progressed:
        return min_ms
    return min(max_ms, max(min_ms, previous * 2))


def poll_batch(
    batch_id: str,
    get: Callable[[int, int], BatchView],
    *,
    timeout_ms: Optional[float] = None,
    on_progress: Optional[ProgressCallback] = None,
    poll_interval_ms: float = DEFAULT_POLL_INTERVAL_MS,
    max_poll_interval_ms: float = DEFAULT_MAX_POLL_INTERVAL_MS,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Iterator[Poll]:
    """Polls ``get(from_index, limit)`` until the batch is final (or the deadline passes), yielding
    what each poll found."""
    if page_size < 1:
        raise ValueError(f"page_size must be >= 1, got {page_size!r}")
    deadline = None if timeout_ms is None else time.monotonic() + timeout_ms / 1000
    seen: Set[int] = set()
    next_index = 0  # the lowest job index without a result seen
    reported: Optional[BatchProgress] = None
    delay: Optional[float] = None
    while True:
        first = get(next_index, page_size)
        progress = BatchProgress(first.status, first.total, first.done)
        fresh = _unseen(first.results, seen)
        # Results recorded by the first GET are all at indices >= next_index; page on until they are in.
        start = next_index + page_size
        while len(seen) < progress.done and start < progress.total:
            fresh.extend(_unseen(get(start, page_size).results, seen))
            start += page_size
        while next_index in seen:
            next_index += 1
        if reported is None or (reported.status, reported.done) != (progress.status, progress.done):
            reported = progress
            if on_progress is not None:
                on_progress(progress)
        yield Poll(progress, sorted(fresh, key=lambda r: r.index))
        if progress.status in FINAL_BATCH_STATUSES:
            return
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise WaitTimeoutError(
                f"Batch {batch_id} is still {progress.status} ({progress.done}/{progress.total} done) after {timeout_ms} ms.",
                progress,
            )
        delay = next_poll_delay_ms(delay, bool(fresh), poll_interval_ms, max_poll_interval_ms)
        time.sleep(delay / 1000 if remaining is None else min(delay / 1000, remaining))


def _unseen(results: List[BatchResult], seen: Set[int]) -> List[BatchResult]:
    out = []
    for r in results:
        if r.index in seen:
            continue
        seen.add(r.index)
        out.append(r)
    return out
