# Pulls every number (signed ints, decimals, scientific notation) out of text as floats.
# bug: the sign is not part of the match, so negative numbers come out positive
# break: "(?<![\\w.])[-+]?(?:" -> "(?<![\\w.])(?:"
import re

NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def numbers(text: str) -> list[float]:
    return [float(m) for m in NUMBER.findall(text)]


assert numbers("x = 3, y = -4.5, z = +.25") == [3.0, -4.5, 0.25]
assert numbers("avogadro 6.022e23 and tiny 1E-9") == [6.022e23, 1e-9]
assert numbers("v2 and a1b are identifiers, not numbers") == []
assert numbers("") == []
readings = "; ".join(f"t{i}={-1.5 * i:.2f}" for i in range(500))
assert numbers(readings) == [-1.5 * i for i in range(500)]
readings = "; ".join(f"t {-1.5 * i:.2f}" for i in range(1, 500))
vals = numbers(readings)
assert len(vals) == 499 and vals[9] == -15.0 and sum(vals) < 0
