# All-pairs shortest paths with Floyd-Warshall on a 120-node weighted digraph, cross-checked with Bellman-Ford from a few sources.
# bug: the intermediate-node loop is innermost, so paths through later intermediates are missed
# break: "    for k in range(n):\n        dk = d[k]\n        for i in range(n):\n            di = d[i]\n            dik = di[k]\n            for j in range(n):" -> "    for i in range(n):\n        di = d[i]\n        for j in range(n):\n            for k in range(n):\n                dk = d[k]\n                dik = di[k]"
INF = float("inf")


def floyd(n: int, edges: list[tuple[int, int, int]]) -> list[list[float]]:
    d = [[0 if i == j else INF for j in range(n)] for i in range(n)]
    for a, b, w in edges:
        d[a][b] = min(d[a][b], w)
    for k in range(n):
        dk = d[k]
        for i in range(n):
            di = d[i]
            dik = di[k]
            for j in range(n):
                if dik + dk[j] < di[j]:
                    di[j] = dik + dk[j]
    return d


def bellman_ford(n, edges, s):
    dist = [INF] * n
    dist[s] = 0
    for _ in range(n - 1):
        changed = False
        for a, b, w in edges:
            if dist[a] + w < dist[b]:
                dist[b] = dist[a] + w
                changed = True
        if not changed:
            break
    return dist


n = 120
edges = [(i, (i * 7 + k * 13) % n, 1 + (i * k) % 17) for i in range(n) for k in range(1, 4)]
d = floyd(n, edges)
for s in (0, 17, 45, 89):
    assert d[s] == bellman_ford(n, edges, s)
assert floyd(3, [(0, 1, 4), (1, 2, 1), (0, 2, 10)])[0][2] == 5
