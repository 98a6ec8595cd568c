# Length and start of the longest strictly increasing run of consecutive elements.
# bug: the run length restarts at 0 instead of 1 after a break
# break: "            cur, start = 1, i" -> "            cur, start = 0, i"
def longest_run(xs: list[int]) -> tuple[int, int]:
    if not xs:
        return (0, 0)
    best, best_start = 1, 0
    cur, start = 1, 0
    for i in range(1, len(xs)):
        if xs[i] > xs[i - 1]:
            cur += 1
        else:
            cur, start = 1, i
        if cur > best:
            best, best_start = cur, start
    return best, best_start


assert longest_run([1, 2, 3, 1, 2]) == (3, 0)
assert longest_run([5, 4, 3]) == (1, 0)
assert longest_run([]) == (0, 0)
assert longest_run([3, 1, 2, 3, 4, 0]) == (4, 1)
assert longest_run([2, 2, 3]) == (2, 1)
series = [(i * i) % 97 for i in range(3000)]
n, s = longest_run(series)
assert all(series[j] < series[j + 1] for j in range(s, s + n - 1))
assert n == max(longest_run(series[k:k + 200])[0] for k in range(0, 3000, 100))
