# dict insert, lookup, update and delete with string and int keys.
NAME = "dicts"
ITERATIONS = 10
EXPECTED = (2500, 2500, 6250000, 129298)


def bench():
    d = {}
    for i in range(5000):
        d[f"k{i}"] = i
    hits = 0
    for i in range(0, 10000, 2):
        if f"k{i}" in d:
            hits += 1
    counts = {}
    for i in range(5000):
        k = i % 97
        counts[k] = counts.get(k, 0) + i
    for i in range(0, 5000, 2):
        del d[f"k{i}"]
    return hits, len(d), sum(d.values()), counts[13]
