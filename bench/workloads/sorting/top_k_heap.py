# Top-k scores from a stream with a bounded min-heap (O(n log k)), results highest first.
# bug: replaces the heap minimum even when the new score is smaller
# break: "elif score > heap[0][0]:" -> "else:"
import heapq


def top_k(stream, k: int) -> list[tuple[int, str]]:
    heap: list[tuple[int, str]] = []
    for name, score in stream:
        if len(heap) < k:
            heapq.heappush(heap, (score, name))
        elif score > heap[0][0]:
            heapq.heapreplace(heap, (score, name))
    return sorted(heap, reverse=True)


assert top_k([("a", 5), ("b", 9), ("c", 1), ("d", 7)], 2) == [(9, "b"), (7, "d")]
assert top_k([], 3) == []
assert top_k([("x", 1)], 3) == [(1, "x")]
stream = [(f"p{i}", (i * 7919) % 10007) for i in range(20000)]
best = top_k(stream, 10)
assert [s for s, _ in best] == sorted((s for _, s in stream), reverse=True)[:10]
