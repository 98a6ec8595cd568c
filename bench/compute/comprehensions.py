# List, dict and set comprehensions, nested comprehensions and conditional filters.
NAME = "comprehensions"
ITERATIONS = 10
EXPECTED = (6000, 6750, 505, 351351)


def bench():
    squares = [i * i for i in range(12000)]
    odd = [x for x in squares if x % 2]
    table = {i: [j for j in range(i % 10)] for i in range(1500)}
    uniq = {x % 1009 for x in squares}
    grid = [[r * c for c in range(40)] for r in range(40)]
    flat = [v for row in grid for v in row if v % 3 == 0]
    return len(odd), sum(len(v) for v in table.values()), len(uniq), sum(flat)
