# Two-sum with a dict: indices (i < j) of two different elements adding up to the target.
# bug: the lookup happens after inserting, so one element can pair with itself
# break: "        if target - x in seen:\n            return (seen[target - x], i)\n        seen[x] = i" -> "        seen[x] = i\n        if target - x in seen:\n            return (seen[target - x], i)"
def two_sum(nums: list[int], target: int):
    seen: dict[int, int] = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return (seen[target - x], i)
        seen[x] = i
    return None


assert two_sum([2, 7, 11, 15], 9) == (0, 1)
assert two_sum([3, 2, 4], 6) == (1, 2)
assert two_sum([3, 3], 6) == (0, 1)
assert two_sum([1, 2, 3], 100) is None
assert two_sum([5], 10) is None
nums = [(i * 7919) % 10007 for i in range(5000)]
for t in range(100, 20000, 997):
    r = two_sum(nums, t)
    if r is not None:
        i, j = r
        assert i < j and nums[i] + nums[j] == t
