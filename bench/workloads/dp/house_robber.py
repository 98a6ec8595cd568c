# House robber on a circular street: no two adjacent houses, and the first and last houses are adjacent.
# bug: the circular adjacency of the first and last house is ignored
# break: "    return max(linear(values[1:]), linear(values[:-1]))" -> "    return linear(values)"
def linear(values: list[int]) -> int:
    take = skip = 0
    for v in values:
        take, skip = skip + v, max(take, skip)
    return max(take, skip)


def circular(values: list[int]) -> int:
    if len(values) == 1:
        return values[0]
    return max(linear(values[1:]), linear(values[:-1]))


def brute(values):
    n, best = len(values), 0
    for m in range(1 << n):
        if m & (m << 1) or (n > 1 and m & 1 and m >> (n - 1) & 1):
            continue
        best = max(best, sum(v for i, v in enumerate(values) if m >> i & 1))
    return best


assert circular([2, 3, 2]) == 3
assert circular([1, 2, 3, 1]) == 4
assert circular([5]) == 5
for n in range(1, 16):
    vals = [(i * 37 + n * 11) % 23 for i in range(n)]
    assert circular(vals) == brute(vals), vals
