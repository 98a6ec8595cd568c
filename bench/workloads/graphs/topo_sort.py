# Kahn's topological sort of build targets (dependencies first, ties alphabetical); a cycle raises.
# bug: a cycle is not detected and a partial order is returned
# break: "    if len(order) != len(indeg):\n        raise ValueError(\"dependency cycle\")\n" -> ""
import heapq


def topo_order(deps: dict[str, list[str]]) -> list[str]:
    nodes = set(deps) | {d for ds in deps.values() for d in ds}
    indeg = {n: 0 for n in nodes}
    users: dict[str, list[str]] = {n: [] for n in nodes}
    for target, ds in deps.items():
        for d in ds:
            indeg[target] += 1
            users[d].append(target)
    ready = [n for n, k in indeg.items() if k == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        n = heapq.heappop(ready)
        order.append(n)
        for u in users[n]:
            indeg[u] -= 1
            if indeg[u] == 0:
                heapq.heappush(ready, u)
    if len(order) != len(indeg):
        raise ValueError("dependency cycle")
    return order


assert topo_order({"app": ["lib", "utils"], "lib": ["utils"], "utils": []}) == ["utils", "lib", "app"]
assert topo_order({"b": [], "a": []}) == ["a", "b"]
try:
    topo_order({"a": ["b"], "b": ["c"], "c": ["a"], "d": []})
    raise AssertionError("cycle not detected")
except ValueError:
    pass
deps = {f"t{i}": [f"t{j}" for j in range(max(0, i - 3), i)] for i in range(1500)}
order = topo_order(deps)
pos = {n: i for i, n in enumerate(order)}
assert all(pos[d] < pos[t] for t, ds in deps.items() for d in ds)
