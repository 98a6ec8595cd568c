# Diameter (longest path, in edges) of an unweighted tree: BFS to the farthest node, then BFS again from it.
# bug: a single BFS from node 0 is used, which only finds the longest path from the root
# break: "    far, _ = bfs(0)\n    _, d = bfs(far)" -> "    _, d = bfs(0)"
from collections import deque


def diameter(n: int, edges: list[tuple[int, int]]) -> int:
    adj = [[] for _ in range(n)]
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)

    def bfs(s):
        dist = [-1] * n
        dist[s] = 0
        q = deque([s])
        while q:
            u = q.popleft()
            for v in adj[u]:
                if dist[v] < 0:
                    dist[v] = dist[u] + 1
                    q.append(v)
        far = max(range(n), key=dist.__getitem__)
        return far, dist[far]

    far, _ = bfs(0)
    _, d = bfs(far)
    return d


assert diameter(1, []) == 0
assert diameter(4, [(0, 1), (1, 2), (2, 3)]) == 3
assert diameter(6, [(0, 1), (1, 2), (2, 3), (1, 4), (4, 5)]) == 4
n = 3001
edges = [(0, i) for i in (1, 1001, 2001)] + [(i, i + 1) for i in range(1, 1000)] + [(i, i + 1) for i in range(1001, 2000)] + [(i, i + 1) for i in range(2001, 3000)]
assert diameter(n, edges) == 2000
