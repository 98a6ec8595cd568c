# Counting sort for small integers, negatives included.
# bug: the offset for negative values is not applied when writing back
# break: "out.extend([v + lo] * c)" -> "out.extend([v] * c)"
def counting_sort(xs: list[int]) -> list[int]:
    if not xs:
        return []
    lo, hi = min(xs), max(xs)
    counts = [0] * (hi - lo + 1)
    for x in xs:
        counts[x - lo] += 1
    out: list[int] = []
    for v, c in enumerate(counts):
        out.extend([v + lo] * c)
    return out


assert counting_sort([3, -1, 2, -1, 0]) == [-1, -1, 0, 2, 3]
assert counting_sort([]) == []
assert counting_sort([5, 5, 5]) == [5, 5, 5]
xs = [((i * 7919) % 2001) - 1000 for i in range(50000)]
assert counting_sort(xs) == sorted(xs)
