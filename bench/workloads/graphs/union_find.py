# Union-find (path compression, union by size) for connected components of an undirected graph.
# bug: union links the nodes themselves instead of their roots
# break: "        ra, rb = self.find(a), self.find(b)" -> "        ra, rb = a, b"
class DSU:
    def __init__(self, n: int):
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return True


def components(n: int, edges: list[tuple[int, int]]) -> int:
    d = DSU(n)
    return n - sum(d.union(a, b) for a, b in edges)


assert components(5, [(0, 1), (1, 2), (3, 4)]) == 2
assert components(3, []) == 3
assert components(4, [(0, 1), (2, 3), (1, 2), (0, 3)]) == 1
n = 3000
edges = [(i, (i * 17 + 5) % n) for i in range(0, n, 2)] + [(i, i + 1) for i in range(0, n - 1, 7)]
adj: dict[int, list[int]] = {i: [] for i in range(n)}
for a, b in edges:
    adj[a].append(b)
    adj[b].append(a)
seen, count = set(), 0
for s in range(n):
    if s not in seen:
        count += 1
        stack = [s]
        seen.add(s)
        while stack:
            for v in adj[stack.pop()]:
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
assert components(n, edges) == count
