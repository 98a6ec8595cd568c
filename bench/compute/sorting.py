# list.sort and sorted() on ints, floats, strings and tuples, with and without key functions.
NAME = "sorting"
ITERATIONS = 10
EXPECTED = (39712468, 300748263.14285713, 's02958', (3, -2062719703, 'n481'), 542453019)


def data(n, seed=12345):
    out = []
    for _ in range(n):
        seed = (seed * 1103515245 + 12345) % 2**31
        out.append(seed)
    return out


INTS = data(5000)
FLOATS = [x / 7.0 for x in INTS]
STRS = [f"s{x % 100000:05d}" for x in INTS[:3000]]
RECS = [(x % 100, -x, f"n{x % 997}") for x in INTS[:3000]]


def bench():
    a = sorted(INTS)
    b = sorted(FLOATS, reverse=True)
    c = sorted(STRS)
    d = sorted(RECS, key=lambda r: (r[0], r[2]))
    e = list(INTS)
    e.sort(key=lambda x: x % 1000)
    return a[100], b[100], c[100], d[100], e[100]
