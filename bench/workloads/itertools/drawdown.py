# Maximum drawdown of an equity curve with itertools.accumulate (running peak), as a fraction of the peak.
# bug: the running peak is a running sum, not a running maximum
# break: "peaks = list(accumulate(equity, max))" -> "peaks = list(accumulate(equity))"
from itertools import accumulate


def max_drawdown(equity: list[float]) -> float:
    if not equity:
        return 0.0
    peaks = list(accumulate(equity, max))
    return max((p - e) / p for p, e in zip(peaks, equity))


assert max_drawdown([100, 120, 90, 130, 65, 140]) == 0.5
assert max_drawdown([1, 2, 3]) == 0.0
assert max_drawdown([]) == 0.0
assert abs(max_drawdown([100, 80, 90, 60]) - 0.4) < 1e-12
curve, x = [], 1000.0
for i in range(20000):
    x *= 1.001 if (i * 7) % 10 < 6 else 0.9985
    curve.append(x)
dd = max_drawdown(curve)
assert 0 < dd < 0.05, dd
