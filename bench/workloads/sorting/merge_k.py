# Merges k sorted lists into one sorted list with a heap of (value, list index, position).
# bug: after popping, the next element of the same list is never pushed
# break: "        if pos + 1 < len(lists[li]):\n            heapq.heappush(heap, (lists[li][pos + 1], li, pos + 1))\n" -> ""
import heapq


def merge_k(lists: list[list[int]]) -> list[int]:
    heap = [(lst[0], li, 0) for li, lst in enumerate(lists) if lst]
    heapq.heapify(heap)
    out = []
    while heap:
        value, li, pos = heapq.heappop(heap)
        out.append(value)
        if pos + 1 < len(lists[li]):
            heapq.heappush(heap, (lists[li][pos + 1], li, pos + 1))
    return out


assert merge_k([[1, 4, 5], [1, 3, 4], [2, 6]]) == [1, 1, 2, 3, 4, 4, 5, 6]
assert merge_k([]) == []
assert merge_k([[], [1]]) == [1]
lists = [sorted((i * j * 31) % 997 for j in range(200)) for i in range(1, 40)]
assert merge_k(lists) == sorted(x for l in lists for x in l)
