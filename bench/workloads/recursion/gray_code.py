# n-bit reflected Gray code by recursion: consecutive codes (and last/first) differ in exactly one bit.
# bug: the reflected half does not get the new high bit
# break: "[x | (1 << (n - 1)) for x in reversed(prev)]" -> "[x for x in reversed(prev)]"
def gray(n: int) -> list[int]:
    if n == 0:
        return [0]
    prev = gray(n - 1)
    return prev + [x | (1 << (n - 1)) for x in reversed(prev)]


assert gray(1) == [0, 1]
assert gray(2) == [0, 1, 3, 2]
assert gray(3) == [0, 1, 3, 2, 6, 7, 5, 4]
for n in range(1, 15):
    g = gray(n)
    assert sorted(g) == list(range(2 ** n))
    assert all(bin(a ^ b).count("1") == 1 for a, b in zip(g, g[1:] + g[:1]))
    assert g == [i ^ (i >> 1) for i in range(2 ** n)]
