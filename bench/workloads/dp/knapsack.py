# 0/1 knapsack with a one-dimensional table (capacity loop runs downwards), 120 items, capacity 4000.
# bug: the capacity loop runs upwards, so an item can be taken more than once
# break: "for c in range(cap, w - 1, -1):" -> "for c in range(w, cap + 1):"
def knapsack(items: list[tuple[int, int]], cap: int) -> int:
    best = [0] * (cap + 1)
    for w, v in items:
        for c in range(cap, w - 1, -1):
            if best[c - w] + v > best[c]:
                best[c] = best[c - w] + v
    return best[cap]


def brute(items, cap):
    top = 0
    for mask in range(1 << len(items)):
        w = v = 0
        for i, (wi, vi) in enumerate(items):
            if mask >> i & 1:
                w += wi
                v += vi
        if w <= cap:
            top = max(top, v)
    return top


assert knapsack([(1, 1), (3, 4), (4, 5), (5, 7)], 7) == 9
assert knapsack([], 10) == 0
assert knapsack([(5, 10)], 4) == 0
small = [(3 + i % 5, 2 + (i * 7) % 11) for i in range(12)]
for cap in (5, 13, 27):
    assert knapsack(small, cap) == brute(small, cap)
items = [(10 + (i * 37) % 90, 5 + (i * 53) % 120) for i in range(120)]
best = knapsack(items, 4000)
assert best <= sum(v for _, v in items)
assert best == knapsack(sorted(items), 4000)
