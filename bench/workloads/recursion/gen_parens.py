# All well-formed strings of n pairs of parentheses, by backtracking; counts are the Catalan numbers.
# bug: a closing bracket is allowed when it would match nothing
# break: "if close < open_:" -> "if close < n:"
from math import comb


def gen_parens(n: int) -> list[str]:
    out = []

    def go(s: str, open_: int, close: int):
        if len(s) == 2 * n:
            out.append(s)
            return
        if open_ < n:
            go(s + "(", open_ + 1, close)
        if close < open_:
            go(s + ")", open_, close + 1)

    go("", 0, 0)
    return out


def well_formed(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += 1 if ch == "(" else -1
        if depth < 0:
            return False
    return depth == 0


assert gen_parens(1) == ["()"]
assert gen_parens(3) == ["((()))", "(()())", "(())()", "()(())", "()()()"]
for n in range(1, 11):
    ps = gen_parens(n)
    assert len(ps) == comb(2 * n, n) // (n + 1)
    assert all(well_formed(p) for p in ps)
