# Splits an amount in cents across parties by weights with the largest-remainder method: the parts always sum to the total.
# bug: the leftover cents from flooring are never handed out
# break: "    for i in order[:leftover]:\n        parts[i] += 1\n" -> ""
from decimal import Decimal


def allocate(total_cents: int, weights: list[int]) -> list[int]:
    wsum = sum(weights)
    if wsum <= 0:
        raise ValueError("weights must sum to a positive number")
    exact = [Decimal(total_cents) * w / wsum for w in weights]
    parts = [int(e) for e in exact]
    leftover = total_cents - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:leftover]:
        parts[i] += 1
    return parts


assert allocate(100, [1, 1, 1]) == [34, 33, 33]
assert allocate(10000, [50, 30, 20]) == [5000, 3000, 2000]
assert allocate(1, [1, 1]) == [1, 0]
assert allocate(0, [3, 4]) == [0, 0]
for total in range(0, 20_000, 173):
    for weights in ([1, 2, 3], [7, 7], [1, 0, 5, 9, 2], [33, 33, 34]):
        parts = allocate(total, weights)
        assert sum(parts) == total
        assert all(abs(p - total * w / sum(weights)) < 1 for p, w in zip(parts, weights))
