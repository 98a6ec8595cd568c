"""When to retry a 429 and how long to wait: never sooner than Retry-After, otherwise capped
exponential backoff with "equal jitter" (half fixed, half random) so clients spread out."""
from __future__ import annotations

import email.utils
import math
import random as _random
import time
from dataclasses import dataclass
from typing import Callable, Optional


@dataclass(frozen=True)
class RetryPolicy:
    #: Extra attempts after the first; 0 disables retries.
    retries: int = 2
    base_delay_ms: float = 250
    #: No single wait is longer; a Retry-After beyond it is not retried (the error is raised).
    max_delay_ms: float = 10_000


DEFAULT_RETRY_POLICY = RetryPolicy()


def retry_delay_ms(
    attempt: int,
    retry_after_seconds: Optional[float],
    policy: RetryPolicy,
    random: Callable[[], float] = _random.random,
) -> Optional[float]:
    """The wait before retry number ``attempt`` (0-based), or None when the server asks for a
    longer wait than ``max_delay_ms`` allows."""
    backoff = min(policy.max_delay_ms, policy.base_delay_ms * 2**attempt)
    jittered = backoff / 2 + random() * backoff / 2
    if retry_after_seconds is None:
        return jittered
    floor = retry_after_seconds * 1000
    if floor > policy.max_delay_ms:
        return None
    return max(floor, min(policy.max_delay_ms, max(floor + random() * policy.base_delay_ms, jittered)))


def parse_retry_after(value: Optional[str], now_ms: Optional[float] = None) -> Optional[float]:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    if value.strip().isdigit():
        return int(value.strip())
    try:
        at = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if at is None:
        return None
    now = time.time() * 1000 if now_ms is None else now_ms
    return max(0, math.ceil((at.timestamp() * 1000 - now) / 1000))
