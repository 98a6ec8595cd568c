# Checks whether an undirected graph is bipartite by BFS 2-colouring, over every connected component.
# bug: only the component containing node 0 is checked
# break: "    for s in range(n):" -> "    for s in range(min(n, 1)):"
from collections import deque


def bipartite(n: int, edges: list[tuple[int, int]]) -> bool:
    adj = [[] for _ in range(n)]
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    color = [-1] * n
    for s in range(n):
        if color[s] != -1:
            continue
        color[s] = 0
        q = deque([s])
        while q:
            u = q.popleft()
            for v in adj[u]:
                if color[v] == -1:
                    color[v] = 1 - color[u]
                    q.append(v)
                elif color[v] == color[u]:
                    return False
    return True


assert bipartite(4, [(0, 1), (1, 2), (2, 3), (3, 0)])
assert not bipartite(3, [(0, 1), (1, 2), (2, 0)])
assert not bipartite(5, [(0, 1), (2, 3), (3, 4), (4, 2)])
assert bipartite(1, [])
even_cycles = [(i, (i + 1) % 2000) for i in range(2000)]
assert bipartite(2000, even_cycles)
assert not bipartite(2003, even_cycles + [(2000, 2001), (2001, 2002), (2002, 2000)])
