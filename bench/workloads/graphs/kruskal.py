# Minimum spanning tree weight with Kruskal's algorithm (edges by ascending weight, union-find).
# bug: edges are taken heaviest first (a maximum spanning tree)
# break: "for w, a, b in sorted(edges):" -> "for w, a, b in sorted(edges, reverse=True):"
def mst_weight(n: int, edges: list[tuple[int, int, int]]) -> tuple[int, int]:
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    total = used = 0
    for w, a, b in sorted(edges):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            total += w
            used += 1
    return total, used


def prim(n, edges):
    import heapq
    adj = [[] for _ in range(n)]
    for w, a, b in edges:
        adj[a].append((w, b))
        adj[b].append((w, a))
    seen, heap, total = {0}, list(adj[0]), 0
    heapq.heapify(heap)
    while heap and len(seen) < n:
        w, v = heapq.heappop(heap)
        if v in seen:
            continue
        seen.add(v)
        total += w
        for e in adj[v]:
            heapq.heappush(heap, e)
    return total


assert mst_weight(4, [(1, 0, 1), (2, 1, 2), (3, 2, 3), (4, 0, 3), (5, 0, 2)]) == (6, 3)
assert mst_weight(1, []) == (0, 0)
n = 300
edges = [((a * 31 + b * 17) % 97 + 1, a, b) for a in range(n) for b in range(a + 1, min(n, a + 12))]
total, used = mst_weight(n, edges)
assert used == n - 1 and total == prim(n, edges)
