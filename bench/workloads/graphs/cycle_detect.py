# Detects a cycle in a directed graph with iterative three-colour DFS and returns one cycle's nodes.
# bug: reaching any already-visited node counts as a cycle, so DAGs with shared descendants are flagged
# break: "            if color.get(v, WHITE) == GRAY:" -> "            if color.get(v, WHITE) != WHITE:"
WHITE, GRAY, BLACK = 0, 1, 2


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    color: dict[str, int] = {}
    parent: dict[str, str] = {}
    for root in sorted(graph):
        if color.get(root, WHITE) != WHITE:
            continue
        stack = [(root, iter(graph.get(root, [])))]
        color[root] = GRAY
        while stack:
            u, it = stack[-1]
            v = next(it, None)
            if v is None:
                color[u] = BLACK
                stack.pop()
                continue
            if color.get(v, WHITE) == GRAY:
                cycle, x = [v], u
                while x != v:
                    cycle.append(x)
                    x = parent[x]
                return cycle[::-1]
            if color.get(v, WHITE) == WHITE:
                parent[v] = u
                color[v] = GRAY
                stack.append((v, iter(graph.get(v, []))))
    return None


assert find_cycle({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}) is None
cyc = find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]})
assert cyc is not None and sorted(cyc) == ["a", "b", "c"]
assert find_cycle({"x": ["x"]}) == ["x"]
dag = {f"n{i}": [f"n{j}" for j in range(i + 1, min(i + 6, 2000))] for i in range(2000)}
assert find_cycle(dag) is None
dag["n1999"] = ["n1500"]
c = find_cycle(dag)
assert c is not None and all(c[(k + 1) % len(c)] in dag[c[k]] for k in range(len(c)))
