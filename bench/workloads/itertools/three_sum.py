# All unique triplets (as sorted tuples) from a list that sum to zero, via itertools.combinations.
# bug: permutations instead of combinations yields every triplet in every order
# break: "for combo in combinations(nums, 3):" -> "for combo in permutations(nums, 3):"
from itertools import combinations, permutations


def three_sum(nums: list[int]) -> list[tuple[int, int, int]]:
    found = []
    for combo in combinations(nums, 3):
        if sum(combo) == 0:
            found.append(tuple(sorted(combo)))
    result = sorted(set(found))
    assert len(found) == len(result) or len(set(nums)) < len(nums), "duplicates from distinct inputs"
    return result


assert three_sum([-1, 0, 1, 2, -1, -4]) == [(-1, -1, 2), (-1, 0, 1)]
assert three_sum([0, 0, 0]) == [(0, 0, 0)]
assert three_sum([1, 2, 3]) == []
nums = list(range(-40, 41, 3))
res = three_sum(nums)
assert all(sum(t) == 0 and len(set(t)) == 3 for t in res)
assert len(res) == len({tuple(sorted(c)) for c in combinations(nums, 3) if sum(c) == 0})
