# Shortest path length through a grid maze with BFS (4-neighbour moves), or -1 if the exit is unreachable.
# bug: diagonal moves are allowed, cutting corners through walls
# break: "STEPS = [(1, 0), (-1, 0), (0, 1), (0, -1)]" -> "STEPS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1)]"
from collections import deque

STEPS = [(1, 0), (-1, 0), (0, 1), (0, -1)]


def shortest(maze: list[str]) -> int:
    rows, cols = len(maze), len(maze[0])
    start = next((r, c) for r in range(rows) for c in range(cols) if maze[r][c] == "S")
    dist = {start: 0}
    q = deque([start])
    while q:
        r, c = q.popleft()
        if maze[r][c] == "E":
            return dist[(r, c)]
        for dr, dc in STEPS:
            nr, nc = r + dr, c + dc
            if 0 <= nr < rows and 0 <= nc < cols and maze[nr][nc] != "#" and (nr, nc) not in dist:
                dist[(nr, nc)] = dist[(r, c)] + 1
                q.append((nr, nc))
    return -1


assert shortest(["S.#", ".##", "..E"]) == 4
assert shortest(["S#E"]) == -1
assert shortest(["SE"]) == 1
maze = ["S" + "." * 79] + ["." * 80 for _ in range(79)]
maze = [row if r % 4 != 2 else ("#" * 79 + ".") if r % 8 == 2 else ("." + "#" * 79) for r, row in enumerate(maze)]
maze[-1] = "." * 79 + "E"
assert shortest(maze) == 1738
