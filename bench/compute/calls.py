# Python function calls: naive recursive Fibonacci plus a call-heavy helper chain.
NAME = "calls"
ITERATIONS = 10
EXPECTED = 46765


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def add(a, b=1):
    return a + b


def chain(x):
    return add(add(x), b=0)


def bench():
    total = fib(20)
    x = 0
    for _ in range(20000):
        x = chain(x) + 1 - 1
    return total + x * 2
