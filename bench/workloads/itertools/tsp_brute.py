# Brute-force travelling salesman over 9 cities with itertools.permutations (city 0 fixed as the start).
# bug: the tour length forgets the leg back to the start
# break: "    return sum(dist[a][b] for a, b in zip(tour, tour[1:] + tour[:1]))" -> "    return sum(dist[a][b] for a, b in zip(tour, tour[1:]))"
import math
from itertools import permutations

CITIES = [(0, 0), (3, 7), (6, 2), (9, 9), (1, 4), (7, 5), (4, 1), (8, 0), (2, 8)]
dist = [[math.dist(a, b) for b in CITIES] for a in CITIES]


def tour_length(tour: list[int]) -> float:
    return sum(dist[a][b] for a, b in zip(tour, tour[1:] + tour[:1]))


def solve() -> tuple[float, list[int]]:
    best = (math.inf, [])
    for perm in permutations(range(1, len(CITIES))):
        if perm[0] > perm[-1]:
            continue
        tour = [0, *perm]
        length = tour_length(tour)
        if length < best[0]:
            best = (length, tour)
    return best


length, tour = solve()
assert sorted(tour) == list(range(9))
nearest, left = [0], set(range(1, 9))
while left:
    nxt = min(left, key=lambda c: dist[nearest[-1]][c])
    nearest.append(nxt)
    left.remove(nxt)
assert length <= tour_length(nearest)
assert abs(length - 34.694) < 0.001, length
