# Recursion: build and walk binary trees (the classic binary-trees benchmark shape) and a recursive permutation count.
NAME = "recursion"
ITERATIONS = 10
EXPECTED = (2333, 720)


def make(depth):
    return (None, None) if depth == 0 else (make(depth - 1), make(depth - 1))


def check(node):
    left, right = node
    return 1 if left is None else 1 + check(left) + check(right)


def perms(n, used=0):
    if used == (1 << n) - 1:
        return 1
    return sum(perms(n, used | (1 << i)) for i in range(n) if not used & (1 << i))


def bench():
    total = 0
    for d in range(4, 12, 3):
        total += check(make(d))
    return total, perms(6)
