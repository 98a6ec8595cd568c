# All combinations of candidates (each usable any number of times) that add up to a target, sorted.
# bug: each candidate can be used only once
# break: "go(i, remaining - c, path + [c])" -> "go(i + 1, remaining - c, path + [c])"
def combination_sum(candidates: list[int], target: int) -> list[list[int]]:
    cands = sorted(set(candidates))
    out = []

    def go(start, remaining, path):
        if remaining == 0:
            out.append(path)
            return
        for i in range(start, len(cands)):
            c = cands[i]
            if c > remaining:
                break
            go(i, remaining - c, path + [c])

    go(0, target, [])
    return out


assert combination_sum([2, 3, 6, 7], 7) == [[2, 2, 3], [7]]
assert combination_sum([2, 3, 5], 8) == [[2, 2, 2, 2], [2, 3, 3], [3, 5]]
assert combination_sum([2], 1) == []
coins = [1, 2, 5, 10, 25]
ways = [1] + [0] * 60
for c in coins:
    for v in range(c, 61):
        ways[v] += ways[v - c]
assert len(combination_sum(coins, 60)) == ways[60]
assert all(sum(c) == 60 for c in combination_sum(coins, 60))
