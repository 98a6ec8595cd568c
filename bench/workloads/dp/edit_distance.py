# Levenshtein distance with a rolling row, checked on small cases and on two ~300-character strings.
# bug: the first column is never initialised, so deleting a prefix costs nothing
# break: "        cur = [i] + [0] * len(b)" -> "        cur = [0] + [0] * len(b)"
def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        ca = a[i - 1]
        for j in range(1, len(b) + 1):
            cost = 0 if ca == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        prev = cur
    return prev[-1]


assert edit_distance("kitten", "sitting") == 3
assert edit_distance("", "abc") == 3
assert edit_distance("abc", "") == 3
assert edit_distance("flaw", "lawn") == 2
assert edit_distance("same", "same") == 0
a = "".join("acgt"[(i * i + 3 * i) % 4] for i in range(300))
b = a[:100] + "x" * 7 + a[110:220] + a[225:] + "tail"
d = edit_distance(a, b)
assert d == edit_distance(b, a)
assert 10 <= d <= 7 + 10 + 5 + 4, d
