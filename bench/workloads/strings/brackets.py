# Checks that (), [] and {} are balanced and properly nested; other characters are ignored.
# bug: unclosed openers left on the stack at the end are not reported
# break: "return not stack" -> "return True"
PAIRS = {")": "(", "]": "[", "}": "{"}


def balanced(s: str) -> bool:
    stack = []
    for ch in s:
        if ch in "([{":
            stack.append(ch)
        elif ch in PAIRS:
            if not stack or stack.pop() != PAIRS[ch]:
                return False
    return not stack


assert balanced("")
assert balanced("f(a[1], {b: (c)})")
assert not balanced("(]")
assert not balanced("([)]")
assert not balanced("((")
assert not balanced("}")
for n in range(1, 300):
    assert balanced("([{" * n + "}])" * n)
    assert not balanced("([{" * n + "}])" * (n - 1) + "}]")
