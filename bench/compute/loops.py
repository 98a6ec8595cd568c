# Integer arithmetic in nested for/while loops (the interpreter's dispatch loop, no calls).
NAME = "loops"
ITERATIONS = 10
EXPECTED = 222271940


def bench():
    total = 0
    for i in range(120):
        j = 0
        while j < 250:
            total += (i * j) ^ (i + j)
            j += 1
    return total
