# A small Matrix class: shape checks, +, @ (matrix product), transpose, identity and integer powers.
# bug: the product indexes the second matrix by the wrong axis
# break: "sum(self.rows[i][k] * other.rows[k][j] for k in range(self.cols))" -> "sum(self.rows[i][k] * other.rows[j][k] for k in range(self.cols))"
class Matrix:
    def __init__(self, rows: list[list[int]]):
        if not rows or any(len(r) != len(rows[0]) for r in rows):
            raise ValueError("ragged or empty matrix")
        self.rows = [list(r) for r in rows]
        self.n, self.cols = len(rows), len(rows[0])

    @classmethod
    def identity(cls, n: int) -> "Matrix":
        return cls([[int(i == j) for j in range(n)] for i in range(n)])

    def __eq__(self, other) -> bool:
        return isinstance(other, Matrix) and self.rows == other.rows

    def __add__(self, other: "Matrix") -> "Matrix":
        if (self.n, self.cols) != (other.n, other.cols):
            raise ValueError("shape mismatch")
        return Matrix([[a + b for a, b in zip(r, s)] for r, s in zip(self.rows, other.rows)])

    def __matmul__(self, other: "Matrix") -> "Matrix":
        if self.cols != other.n:
            raise ValueError("shape mismatch")
        return Matrix([[sum(self.rows[i][k] * other.rows[k][j] for k in range(self.cols)) for j in range(other.cols)] for i in range(self.n)])

    def T(self) -> "Matrix":
        return Matrix([list(c) for c in zip(*self.rows)])

    def __pow__(self, e: int) -> "Matrix":
        result, base = Matrix.identity(self.n), self
        while e:
            if e & 1:
                result = result @ base
            base = base @ base
            e >>= 1
        return result


a = Matrix([[1, 2], [3, 4]])
b = Matrix([[0, 1], [1, 0]])
assert a @ b == Matrix([[2, 1], [4, 3]])
assert Matrix([[1, 2, 3]]) @ Matrix([[1], [1], [1]]) == Matrix([[6]])
assert (a @ b).T() == b.T() @ a.T()
fib = Matrix([[1, 1], [1, 0]]) ** 90
assert fib.rows[0][1] == 2880067194370816120
m = Matrix([[(i * j) % 5 for j in range(12)] for i in range(12)])
assert (m ** 3) == m @ m @ m
try:
    a @ Matrix([[1, 2, 3]])
    raise AssertionError("shape mismatch not caught")
except ValueError:
    pass
