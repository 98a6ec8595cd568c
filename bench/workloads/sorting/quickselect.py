# k-th smallest element (k from 1) with quickselect, and the median built on it.
# bug: treats k as 0-based, returning the (k+1)-th smallest
# break: "return select(xs, k - 1)" -> "return select(xs, k)"
def select(xs: list, idx: int):
    pivot = xs[len(xs) // 2]
    less = [x for x in xs if x < pivot]
    equal = [x for x in xs if x == pivot]
    if idx < len(less):
        return select(less, idx)
    if idx < len(less) + len(equal):
        return pivot
    return select([x for x in xs if x > pivot], idx - len(less) - len(equal))


def kth_smallest(xs: list, k: int):
    if not 1 <= k <= len(xs):
        raise IndexError(k)
    return select(xs, k - 1)


def median(xs: list) -> float:
    n = len(xs)
    if n % 2:
        return kth_smallest(xs, n // 2 + 1)
    return (kth_smallest(xs, n // 2) + kth_smallest(xs, n // 2 + 1)) / 2


assert kth_smallest([7, 10, 4, 3, 20, 15], 3) == 7
assert kth_smallest([1], 1) == 1
assert median([3, 1, 2]) == 2 and median([4, 1, 3, 2]) == 2.5
xs = [(i * 7919) % 1009 for i in range(3000)]
s = sorted(xs)
for k in range(1, 3001, 97):
    assert kth_smallest(xs, k) == s[k - 1]
