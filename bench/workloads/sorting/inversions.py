# Counts inversions (pairs i < j with a[i] > a[j]) with merge sort in O(n log n).
# bug: counts one inversion per element instead of all remaining left elements
# break: "count += len(left) - i" -> "count += 1"
def count_inversions(a: list[int]) -> int:
    def sort(xs):
        if len(xs) <= 1:
            return xs, 0
        mid = len(xs) // 2
        left, cl = sort(xs[:mid])
        right, cr = sort(xs[mid:])
        merged, i, j, count = [], 0, 0, cl + cr
        while i < len(left) and j < len(right):
            if left[i] <= right[j]:
                merged.append(left[i])
                i += 1
            else:
                merged.append(right[j])
                count += len(left) - i
                j += 1
        merged += left[i:] + right[j:]
        return merged, count

    return sort(list(a))[1]


def brute(a):
    return sum(1 for i in range(len(a)) for j in range(i + 1, len(a)) if a[i] > a[j])


assert count_inversions([2, 4, 1, 3, 5]) == 3
assert count_inversions([5, 4, 3, 2, 1]) == 10
assert count_inversions([]) == 0
for n in range(1, 120, 9):
    a = [(i * 37 + n) % 50 for i in range(n)]
    assert count_inversions(a) == brute(a)
big = list(range(4000, 0, -1))
assert count_inversions(big) == 4000 * 3999 // 2
