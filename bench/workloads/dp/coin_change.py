# Fewest coins that make an amount (unbounded coins), -1 when impossible; checked against a BFS.
# bug: an impossible amount returns infinity instead of -1
# break: "return best[amount] if best[amount] != INF else -1" -> "return best[amount]"
from collections import deque

INF = float("inf")


def min_coins(coins: list[int], amount: int):
    best = [0] + [INF] * amount
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a and best[a - c] + 1 < best[a]:
                best[a] = best[a - c] + 1
    return best[amount] if best[amount] != INF else -1


def bfs(coins, amount):
    seen, q = {0}, deque([(0, 0)])
    while q:
        s, n = q.popleft()
        if s == amount:
            return n
        for c in coins:
            if s + c <= amount and s + c not in seen:
                seen.add(s + c)
                q.append((s + c, n + 1))
    return -1


assert min_coins([1, 2, 5], 11) == 3
assert min_coins([2], 3) == -1
assert min_coins([1], 0) == 0
assert min_coins([1, 3, 4], 6) == 2
for amount in range(0, 400, 7):
    for coins in ([3, 7, 11], [5, 10, 25], [4, 6]):
        assert min_coins(coins, amount) == bfs(coins, amount), (coins, amount)
