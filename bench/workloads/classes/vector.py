# An immutable 2-D vector class: arithmetic operators, equality, hashing, length and rotation.
# bug: equality only compares x, so distinct vectors collapse in sets and dicts
# break: "return isinstance(other, Vec) and (self.x, self.y) == (other.x, other.y)" -> "return isinstance(other, Vec) and self.x == other.x"
import math


class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x: float, y: float):
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    def __setattr__(self, name, value):
        raise AttributeError("Vec is immutable")

    def __add__(self, other: "Vec") -> "Vec":
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other: "Vec") -> "Vec":
        return Vec(self.x - other.x, self.y - other.y)

    def __mul__(self, k: float) -> "Vec":
        return Vec(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __eq__(self, other) -> bool:
        return isinstance(other, Vec) and (self.x, self.y) == (other.x, other.y)

    def __hash__(self) -> int:
        return hash((self.x, self.y))

    def __abs__(self) -> float:
        return math.hypot(self.x, self.y)

    def rotated(self, degrees: float) -> "Vec":
        t = math.radians(degrees)
        return Vec(round(self.x * math.cos(t) - self.y * math.sin(t), 9), round(self.x * math.sin(t) + self.y * math.cos(t), 9))

    def __repr__(self) -> str:
        return f"Vec({self.x}, {self.y})"


assert Vec(1, 2) + Vec(3, 4) == Vec(4, 6)
assert 2 * Vec(1, -1) == Vec(2, -2) == Vec(1, -1) * 2
assert abs(Vec(3, 4)) == 5
assert Vec(1, 0).rotated(90) == Vec(0, 1)
assert Vec(1, 2) != Vec(1, 3)
try:
    Vec(1, 1).x = 5
    raise AssertionError("mutated")
except AttributeError:
    pass
points = {Vec(i % 10, i // 10) for i in range(100)} | {Vec(i % 10, i // 10) for i in range(50)}
assert len(points) == 100
path = [Vec(0, 0)]
for i in range(1000):
    path.append(path[-1] + Vec(1, 0).rotated(90 * (i % 4)))
assert path[-1] == Vec(0, 0)
