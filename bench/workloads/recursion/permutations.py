# Distinct permutations of a sequence that may contain repeats, in lexicographic order, by backtracking.
# bug: repeated elements produce duplicate permutations
# break: "            if i > 0 and pool[i] == pool[i - 1] and not used[i - 1]:\n                continue\n" -> ""
import itertools
import math


def unique_permutations(seq) -> list[tuple]:
    pool = sorted(seq)
    used = [False] * len(pool)
    out, cur = [], []

    def go():
        if len(cur) == len(pool):
            out.append(tuple(cur))
            return
        for i in range(len(pool)):
            if used[i]:
                continue
            if i > 0 and pool[i] == pool[i - 1] and not used[i - 1]:
                continue
            used[i] = True
            cur.append(pool[i])
            go()
            cur.pop()
            used[i] = False

    go()
    return out


assert unique_permutations("aab") == [("a", "a", "b"), ("a", "b", "a"), ("b", "a", "a")]
assert unique_permutations([]) == [()]
assert len(unique_permutations([1, 1, 2, 2, 3, 3])) == math.factorial(6) // 8
p = unique_permutations(range(8))
assert len(p) == 40320 and p == sorted(p) and p == list(itertools.permutations(range(8)))
