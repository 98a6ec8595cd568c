# All subsets of a list (the power set) by recursion, each subset in input order, the empty set included.
# bug: the empty subset is missing from the base case
# break: "        return [[]]" -> "        return []"
def subsets(items: list) -> list[list]:
    if not items:
        return [[]]
    rest = subsets(items[1:])
    return rest + [[items[0]] + s for s in rest]


def canonical(sets):
    return sorted(sorted(s) for s in sets)


assert canonical(subsets([1, 2, 3])) == [[], [1], [1, 2], [1, 2, 3], [1, 3], [2], [2, 3], [3]]
assert subsets([]) == [[]]
for n in range(1, 14):
    s = subsets(list(range(n)))
    assert len(s) == 2 ** n
    assert len({tuple(x) for x in s}) == 2 ** n
