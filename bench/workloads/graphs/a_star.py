# A* search on a weighted grid (cell costs 1-9) with an admissible Manhattan heuristic; compared with Dijkstra.
# bug: the heuristic is scaled up and no longer admissible, so the path found is not the cheapest
# break: "return abs(r - goal[0]) + abs(c - goal[1])" -> "return 9 * (abs(r - goal[0]) + abs(c - goal[1]))"
import heapq


def astar(grid: list[list[int]], start, goal, use_h: bool = True) -> int:
    rows, cols = len(grid), len(grid[0])

    def h(r, c):
        if not use_h:
            return 0
        return abs(r - goal[0]) + abs(c - goal[1])

    best = {start: 0}
    heap = [(h(*start), 0, start)]
    while heap:
        f, g, (r, c) = heapq.heappop(heap)
        if (r, c) == goal:
            return g
        if g > best.get((r, c), float("inf")):
            continue
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < rows and 0 <= nc < cols:
                ng = g + grid[nr][nc]
                if ng < best.get((nr, nc), float("inf")):
                    best[(nr, nc)] = ng
                    heapq.heappush(heap, (ng + h(nr, nc), ng, (nr, nc)))
    return -1


assert astar([[1, 1], [1, 1]], (0, 0), (1, 1)) == 2
grid = [[1 + (r * 7 + c * 13 + r * c) % 9 for c in range(60)] for r in range(60)]
for goal in [(59, 59), (0, 59), (30, 10), (59, 0)]:
    assert astar(grid, (0, 0), goal) == astar(grid, (0, 0), goal, use_h=False), goal
