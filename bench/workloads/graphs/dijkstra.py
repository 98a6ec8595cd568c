# Dijkstra's shortest paths with heapq over a weighted directed graph, with path reconstruction.
# bug: heap entries are (node, distance), so nodes are settled in name order instead of distance order
# break: "heapq.heappush(heap, (nd, v))" -> "heapq.heappush(heap, (v, nd))"
import heapq


def dijkstra(graph: dict[str, list[tuple[str, int]]], src: str):
    dist = {src: 0}
    prev: dict[str, str] = {}
    heap = [(0, src)]
    done = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, w in graph.get(u, []):
            nd = d + w
            if v not in done and nd < dist.get(v, float("inf")):
                dist[v] = nd
                prev[v] = u
                heapq.heappush(heap, (nd, v))
    return dist, prev


def path(prev, src, dst):
    out = [dst]
    while out[-1] != src:
        out.append(prev[out[-1]])
    return out[::-1]


g = {"a": [("b", 7), ("c", 9), ("f", 14)], "b": [("c", 10), ("d", 15)], "c": [("d", 11), ("f", 2)],
     "d": [("e", 6)], "f": [("e", 9)]}
dist, prev = dijkstra(g, "a")
assert dist == {"a": 0, "b": 7, "c": 9, "f": 11, "d": 20, "e": 20}
assert path(prev, "a", "e") == ["a", "c", "f", "e"]
n = 400
grid = {f"n{i}": [(f"n{(i * 7 + k) % n}", 1 + (i * k) % 13) for k in range(1, 6)] for i in range(n)}
dist, prev = dijkstra(grid, "n0")
for u, edges in grid.items():
    for v, w in edges:
        assert dist[v] <= dist[u] + w
for v in list(dist)[::37]:
    p = path(prev, "n0", v)
    assert sum(dict(grid[a])[b] for a, b in zip(p, p[1:])) == dist[v]
