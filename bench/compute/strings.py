# str methods: split, join, replace, upper, find, slicing and f-string formatting.
NAME = "strings"
ITERATIONS = 10
EXPECTED = (2000, 20489, 40, 6609, 'VALUE-1999')


def bench():
    text = " ".join(f"word{i % 50} Value-{i}" for i in range(2000))
    words = text.split()
    upper = [w.upper() for w in words if "-" in w]
    replaced = text.replace("Value", "v").replace("word", "w")
    found = 0
    pos = replaced.find("w1 ")
    while pos != -1:
        found += 1
        pos = replaced.find("w1 ", pos + 1)
    joined = ",".join(w[::-1] for w in words[:800])
    return len(upper), len(replaced), found, len(joined), upper[-1]
