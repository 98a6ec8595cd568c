# Binary search for the leftmost insertion point in a sorted list (like bisect.bisect_left).
# bug: the search range excludes the position past the end
# break: "lo, hi = 0, len(a)" -> "lo, hi = 0, len(a) - 1"
import bisect


def bisect_left(a: list, x) -> int:
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


assert bisect_left([1, 2, 2, 2, 3], 2) == 1
assert bisect_left([], 5) == 0
assert bisect_left([1, 3], 4) == 2
data = sorted((i * 7) % 503 for i in range(2000))
for x in range(-5, 510):
    assert bisect_left(data, x) == bisect.bisect_left(data, x), x
