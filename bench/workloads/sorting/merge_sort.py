# Merge sort (stable, returns a new list) checked against sorted() on many inputs.
# bug: the leftovers of the right half are dropped after the merge loop
# break: "    out.extend(right[j:])\n" -> ""
def merge_sort(xs: list) -> list:
    if len(xs) <= 1:
        return xs[:]
    mid = len(xs) // 2
    left, right = merge_sort(xs[:mid]), merge_sort(xs[mid:])
    out, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        if right[j] < left[i]:
            out.append(right[j])
            j += 1
        else:
            out.append(left[i])
            i += 1
    out.extend(left[i:])
    out.extend(right[j:])
    return out


assert merge_sort([]) == []
assert merge_sort([3, 1, 2]) == [1, 2, 3]
assert merge_sort([2, 1, 2, 1]) == [1, 1, 2, 2]
seed = 12345
for n in range(0, 200, 7):
    xs = []
    for _ in range(n):
        seed = (seed * 1103515245 + 12345) % 2**31
        xs.append(seed % 1000)
    assert merge_sort(xs) == sorted(xs)
big = [(i * 7919) % 20011 for i in range(20000)]
assert merge_sort(big) == sorted(big)
