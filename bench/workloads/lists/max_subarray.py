# Kadane's algorithm: the maximum sum of a non-empty contiguous subarray, with its bounds.
# bug: the best sum starts at 0, so an all-negative list reports 0 and an empty range
# break: "best, best_range = nums[0], (0, 1)" -> "best, best_range = 0, (0, 0)"
def max_subarray(nums: list[int]) -> tuple[int, tuple[int, int]]:
    best, best_range = nums[0], (0, 1)
    cur, start = 0, 0
    for i, x in enumerate(nums):
        if cur <= 0:
            cur, start = x, i
        else:
            cur += x
        if cur > best:
            best, best_range = cur, (start, i + 1)
    return best, best_range


def brute(nums):
    return max(sum(nums[i:j]) for i in range(len(nums)) for j in range(i + 1, len(nums) + 1))


assert max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == (6, (3, 7))
assert max_subarray([-3, -1, -2]) == (-1, (1, 2))
assert max_subarray([5]) == (5, (0, 1))
for n in range(1, 40):
    nums = [((i * 7919 + n) % 23) - 14 for i in range(n)]
    best, (a, b) = max_subarray(nums)
    assert best == brute(nums) == sum(nums[a:b]), nums
