# An Interval class with total_ordering, containment, overlap, and merge of a sorted list.
# bug: overlap treats intervals that only touch at an endpoint as disjoint
# break: "return self.lo <= other.hi and other.lo <= self.hi" -> "return self.lo < other.hi and other.lo < self.hi"
from functools import total_ordering


@total_ordering
class Interval:
    def __init__(self, lo: int, hi: int):
        if lo > hi:
            raise ValueError("lo > hi")
        self.lo, self.hi = lo, hi

    def __eq__(self, other) -> bool:
        return (self.lo, self.hi) == (other.lo, other.hi)

    def __lt__(self, other) -> bool:
        return (self.lo, self.hi) < (other.lo, other.hi)

    def __contains__(self, x: int) -> bool:
        return self.lo <= x <= self.hi

    def overlaps(self, other: "Interval") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def __repr__(self) -> str:
        return f"[{self.lo}, {self.hi}]"


def union(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for iv in sorted(intervals):
        if out and out[-1].overlaps(iv):
            out[-1] = Interval(out[-1].lo, max(out[-1].hi, iv.hi))
        else:
            out.append(iv)
    return out


assert Interval(1, 3) < Interval(2, 2) and Interval(1, 3) >= Interval(1, 2)
assert 3 in Interval(1, 3) and 4 not in Interval(1, 3)
assert Interval(1, 3).overlaps(Interval(3, 5))
assert union([Interval(5, 8), Interval(1, 3), Interval(3, 4), Interval(10, 11)]) == [Interval(1, 4), Interval(5, 8), Interval(10, 11)]
ivs = [Interval(i * 3, i * 3 + 3) for i in range(500)]
assert union(ivs) == [Interval(0, 1500)]
