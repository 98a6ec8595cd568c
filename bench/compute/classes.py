# Objects: instance creation, attribute reads and writes, method calls, properties and a small class hierarchy.
NAME = "classes"
ITERATIONS = 10
EXPECTED = (23988, 8002000, -2000)


class Shape:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def move(self, dx, dy):
        self.x += dx
        self.y += dy

    def area(self):
        return 0


class Rect(Shape):
    __slots__ = ("w", "h")

    def __init__(self, x, y, w, h):
        super().__init__(x, y)
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h


class Circle(Shape):
    def __init__(self, x, y, r):
        super().__init__(x, y)
        self._r = r

    @property
    def r(self):
        return self._r

    def area(self):
        return 3 * self.r * self.r


def bench():
    shapes = [Rect(i, i, i % 7, i % 5) if i % 2 else Circle(i, -i, i % 4) for i in range(4000)]
    for s in shapes:
        s.move(1, -1)
    total = sum(s.area() for s in shapes)
    return total, sum(s.x for s in shapes), sum(s.y for s in shapes)
