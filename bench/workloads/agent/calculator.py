# A recursive-descent calculator: + - * / %, ** (right-associative), unary minus, parentheses and variables.
# bug: subtraction and division group to the right (8 - 3 - 2 = 7)
# break: "            left = left - self.term() if op == \"-\" else left + self.term()" -> "            left = left - self.expr() if op == \"-\" else left + self.expr()"
import re

TOKEN = re.compile(r"\s*(?:(\d+\.?\d*)|(\*\*|[-+*/%()])|([A-Za-z_]\w*))")


class Parser:
    def __init__(self, text: str, env: dict[str, float]):
        self.tokens, pos = [], 0
        text = text.rstrip()
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m:
                raise SyntaxError(f"bad input at {pos}")
            self.tokens.append(m.group(1) or m.group(2) or m.group(3))
            pos = m.end()
        self.i, self.env = 0, env

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expr(self):
        left = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            left = left - self.term() if op == "-" else left + self.term()
        return left

    def term(self):
        left = self.unary()
        while self.peek() in ("*", "/", "%"):
            op, right = self.take(), self.unary()
            left = left * right if op == "*" else left / right if op == "/" else left % right
        return left

    def unary(self):
        if self.peek() == "-":
            self.take()
            return -self.unary()
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek() == "**":
            self.take()
            return base ** self.unary()
        return base

    def atom(self):
        tok = self.take()
        if tok == "(":
            v = self.expr()
            if self.take() != ")":
                raise SyntaxError("expected )")
            return v
        if tok is None:
            raise SyntaxError("unexpected end")
        if tok[0].isdigit():
            return float(tok)
        if tok[0].isalpha() or tok[0] == "_":
            if tok not in self.env:
                raise NameError(tok)
            return self.env[tok]
        raise SyntaxError(f"unexpected {tok}")


def calc(text: str, **env) -> float:
    p = Parser(text, env)
    v = p.expr()
    if p.peek() is not None:
        raise SyntaxError(f"trailing {p.peek()}")
    return v


assert calc("8 - 3 - 2") == 3
assert calc("2 ** 3 ** 2") == 512
assert calc("-2 ** 2") == -4
assert calc("(1 + 2) * 3 - 4 / 2") == 7
assert calc("x * (y + 1)", x=3, y=4) == 15
assert calc("100 / 10 / 5") == 2
assert calc("17 % 5 * 2") == 4
for bad in ["1 +", "(1", "1 2", "2 $ 3"]:
    try:
        calc(bad)
        raise AssertionError(bad)
    except SyntaxError:
        pass
for i in range(1, 400):
    assert calc(f"{i} - {i // 2} - {i // 3} + x * 2", x=i) == i - i // 2 - i // 3 + i * 2
