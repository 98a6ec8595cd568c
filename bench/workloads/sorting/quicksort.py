# Three-way quicksort (partition into <, ==, > the pivot), checked against sorted().
# bug: elements equal to the pivot are dropped except the pivot itself
# break: "return quicksort(less) + equal + quicksort(greater)" -> "return quicksort(less) + [pivot] + quicksort(greater)"
def quicksort(xs: list) -> list:
    if len(xs) <= 1:
        return list(xs)
    pivot = xs[len(xs) // 2]
    less = [x for x in xs if x < pivot]
    equal = [x for x in xs if x == pivot]
    greater = [x for x in xs if x > pivot]
    return quicksort(less) + equal + quicksort(greater)


assert quicksort([3, 6, 1, 8, 1, 9, 3]) == [1, 1, 3, 3, 6, 8, 9]
assert quicksort([]) == []
assert quicksort(["b", "a", "c"]) == ["a", "b", "c"]
for n in range(1, 300, 13):
    xs = [(i * 31 + n) % (n // 3 + 1) for i in range(n)]
    assert quicksort(xs) == sorted(xs)
