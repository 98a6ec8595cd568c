# For each position, the product of every other element, without division (prefix and suffix products).
# bug: the suffix pass starts one position too far left
# break: "for i in range(n - 1, -1, -1):" -> "for i in range(n - 2, -1, -1):"
import math


def product_except_self(nums: list[int]) -> list[int]:
    n = len(nums)
    out = [1] * n
    prefix = 1
    for i in range(n):
        out[i] = prefix
        prefix *= nums[i]
    suffix = 1
    for i in range(n - 1, -1, -1):
        out[i] *= suffix
        suffix *= nums[i]
    return out


assert product_except_self([1, 2, 3, 4]) == [24, 12, 8, 6]
assert product_except_self([0, 4, 0]) == [0, 0, 0]
assert product_except_self([-1, 1, 0, -3, 3]) == [0, 0, 9, 0, 0]
assert product_except_self([7]) == [1]
for n in range(2, 60):
    nums = [(i % 5) - 2 or 3 for i in range(n)]
    got = product_except_self(nums)
    assert got == [math.prod(nums[:i] + nums[i + 1:]) for i in range(n)]
