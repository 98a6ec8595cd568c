# Simple moving average over a window of k values, one output per full window.
# bug: the first window's average is never emitted
# break: "out = [total / k]" -> "out = []"
def moving_average(xs: list[float], k: int) -> list[float]:
    if k <= 0 or k > len(xs):
        return []
    total = sum(xs[:k])
    out = [total / k]
    for i in range(k, len(xs)):
        total += xs[i] - xs[i - k]
        out.append(total / k)
    return out


assert moving_average([1, 2, 3, 4, 5], 2) == [1.5, 2.5, 3.5, 4.5]
assert moving_average([1, 2, 3], 3) == [2.0]
assert moving_average([1, 2], 3) == []
prices = [100 + (i * 13) % 17 for i in range(3000)]
for k in (1, 5, 20, 200):
    ma = moving_average(prices, k)
    assert len(ma) == len(prices) - k + 1
    assert abs(ma[-1] - sum(prices[-k:]) / k) < 1e-9
    assert abs(ma[0] - sum(prices[:k]) / k) < 1e-9
