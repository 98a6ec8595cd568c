# Stable insertion sort with a key function (equal keys keep their input order).
# bug: shifting on >= moves equal keys past each other, breaking stability
# break: "while j >= 0 and key(out[j]) > k:" -> "while j >= 0 and key(out[j]) >= k:"
def insertion_sort(items: list, key=lambda x: x) -> list:
    out = list(items)
    for i in range(1, len(out)):
        item = out[i]
        k = key(item)
        j = i - 1
        while j >= 0 and key(out[j]) > k:
            out[j + 1] = out[j]
            j -= 1
        out[j + 1] = item
    return out


assert insertion_sort([5, 2, 4, 6, 1, 3]) == [1, 2, 3, 4, 5, 6]
pairs = [("b", 2), ("a", 1), ("c", 2), ("d", 1)]
assert insertion_sort(pairs, key=lambda p: p[1]) == [("a", 1), ("d", 1), ("b", 2), ("c", 2)]
recs = [(i % 10, i) for i in range(600)]
assert insertion_sort(recs, key=lambda r: r[0]) == sorted(recs, key=lambda r: r[0])
