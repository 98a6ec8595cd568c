# Natural ("human") sort: digit runs compare as numbers, so file9 < file10; case-insensitive.
# bug: digit runs are compared as text
# break: "(0, int(part))" -> "(0, part)"
import re


def natural_key(s: str):
    return [(0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.split(r"(\d+)", s) if part]


def natural_sorted(items: list[str]) -> list[str]:
    return sorted(items, key=natural_key)


assert natural_sorted(["file10.txt", "file9.txt", "File1.txt"]) == ["File1.txt", "file9.txt", "file10.txt"]
assert natural_sorted(["v1.10", "v1.2", "v1.9"]) == ["v1.2", "v1.9", "v1.10"]
assert natural_sorted(["a", "10", "2"]) == ["2", "10", "a"]
names = [f"img_{i}.png" for i in range(1000)]
assert natural_sorted(list(reversed(names))) == names
