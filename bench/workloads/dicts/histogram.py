# Bins values into fixed-width buckets [lo, lo+w) and renders a text histogram; the top edge goes in the last bucket.
# bug: rounds to the nearest bucket index instead of flooring
# break: "idx = min(int((v - lo) // width), bins - 1)" -> "idx = min(round((v - lo) / width), bins - 1)"
def histogram(values: list[float], lo: float, hi: float, bins: int) -> dict[tuple[float, float], int]:
    width = (hi - lo) / bins
    counts = {(lo + i * width, lo + (i + 1) * width): 0 for i in range(bins)}
    edges = list(counts)
    for v in values:
        if not lo <= v <= hi:
            continue
        idx = min(int((v - lo) // width), bins - 1)
        counts[edges[idx]] += 1
    return counts


def render(counts) -> str:
    return "\n".join(f"[{a:g}, {b:g}) {'#' * n}" for (a, b), n in counts.items())


h = histogram([0, 1, 2, 5, 9.99, 10, 11, -1], 0, 10, 5)
assert list(h.values()) == [2, 1, 1, 0, 2], h
assert render(histogram([1, 1, 3], 0, 4, 2)) == "[0, 2) ##\n[2, 4) #"
data = [(i * 37 % 1000) / 10 for i in range(5000)]
hh = histogram(data, 0, 100, 20)
assert sum(hh.values()) == 5000 and set(hh.values()) == {250}
