# Can a multiset be split into two halves of equal sum? Subset-sum over a bitset of reachable sums.
# bug: an odd total is not rejected, so half the total is rounded down
# break: "    if total % 2:\n        return False\n" -> ""
def can_partition(nums: list[int]) -> bool:
    total = sum(nums)
    if total % 2:
        return False
    reach = 1
    for x in nums:
        reach |= reach << x
    return bool(reach >> (total // 2) & 1)


def brute(nums):
    total = sum(nums)
    return any(2 * sum(x for i, x in enumerate(nums) if m >> i & 1) == total for m in range(1 << len(nums)))


assert can_partition([1, 5, 11, 5])
assert not can_partition([1, 2, 3, 5])
assert not can_partition([1, 2])
assert can_partition([])
for n in range(1, 15):
    nums = [(i * 7 + n) % 13 + 1 for i in range(n)]
    assert can_partition(nums) == brute(nums), nums
big = [(i * 7919) % 1000 + 1 for i in range(300)]
assert can_partition(big + big)
