# Password policy with lookaheads: 10+ chars, lower, upper, digit, symbol, no whitespace.
# bug: the digit requirement is missing
# break: "(?=.*\\d)" -> ""
import re

POLICY = re.compile(r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^\w\s])(?!.*\s).{10,}$")


def strong(pw: str) -> bool:
    return POLICY.match(pw) is not None


assert strong("Correct-Horse7")
assert not strong("Correct-Horse")
assert not strong("correct-horse7")
assert not strong("CORRECT-HORSE7")
assert not strong("CorrectHorse7")
assert not strong("Short-7a")
assert not strong("Correct Horse-7")
ok = [f"Pw-{i:06d}x" for i in range(1000)]
assert all(strong(p) for p in ok)
assert not any(strong(p.replace("-", "_")) for p in ok)
