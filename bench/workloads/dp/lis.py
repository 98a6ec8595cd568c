# Length of the longest strictly increasing subsequence in O(n log n) with bisect (patience sorting).
# bug: bisect_right lets equal values extend a run, counting non-decreasing sequences
# break: "i = bisect_left(tails, x)" -> "i = bisect_right(tails, x)"
from bisect import bisect_left, bisect_right


def lis_length(xs: list[int]) -> int:
    tails: list[int] = []
    for x in xs:
        i = bisect_left(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)


def quadratic(xs):
    best = [1] * len(xs)
    for i in range(len(xs)):
        for j in range(i):
            if xs[j] < xs[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


assert lis_length([10, 9, 2, 5, 3, 7, 101, 18]) == 4
assert lis_length([7, 7, 7, 7]) == 1
assert lis_length([]) == 0
for n in range(1, 300, 23):
    xs = [(i * 37 + n) % 29 for i in range(n)]
    assert lis_length(xs) == quadratic(xs)
