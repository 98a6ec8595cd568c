# Meter readings to consumption: deltas between consecutive readings (itertools.pairwise); a reset (drop) counts from zero.
# bug: deltas are taken between each reading and the first one
# break: "for prev, cur in pairwise(readings):" -> "for prev, cur in zip([readings[0]] * len(readings), readings[1:]):"
from itertools import pairwise


def consumption(readings: list[int]) -> list[int]:
    out = []
    for prev, cur in pairwise(readings):
        out.append(cur - prev if cur >= prev else cur)
    return out


assert consumption([100, 105, 111, 111, 3, 10]) == [5, 6, 0, 3, 7]
assert consumption([7]) == []
assert consumption([]) == []
readings, r = [], 0
for i in range(5000):
    r = 0 if i % 1000 == 999 else r + i % 13
    readings.append(r)
c = consumption(readings)
assert len(c) == 4999 and sum(c) == sum(i % 13 for i in range(1, 5000) if i % 1000 != 999)
