# Rotates a list right by k positions (negative k rotates left); k may exceed the length.
# bug: k is not reduced modulo the length
# break: "k %= len(items)" -> "k = k"
def rotate(items: list, k: int) -> list:
    if not items:
        return []
    k %= len(items)
    return items[-k:] + items[:-k] if k else items[:]


assert rotate([1, 2, 3, 4, 5], 2) == [4, 5, 1, 2, 3]
assert rotate([1, 2, 3, 4, 5], -1) == [2, 3, 4, 5, 1]
assert rotate([1, 2, 3], 3) == [1, 2, 3]
assert rotate([1, 2, 3], 7) == [3, 1, 2]
assert rotate([], 4) == []
base = list(range(97))
for k in range(-300, 300):
    r = rotate(base, k)
    assert len(r) == 97 and r[k % 97] == 0
    assert rotate(r, -k) == base
