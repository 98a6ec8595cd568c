# Agent tool: unified diff of two file versions with difflib, plus counts of added and removed lines.
# bug: the +++/--- file header lines are counted as changes
# break: "if line.startswith(\"+\") and not line.startswith(\"+++\")" -> "if line.startswith(\"+\")"
import difflib


def diff_stats(old: str, new: str, name: str = "file.txt") -> tuple[str, int, int]:
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"a/{name}", f"b/{name}", lineterm=""))
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
    return "\n".join(lines), added, removed


old = "alpha\nbeta\ngamma\ndelta\n"
new = "alpha\nBETA\ngamma\ndelta\nepsilon\n"
text, added, removed = diff_stats(old, new)
assert (added, removed) == (2, 1)
assert text.splitlines()[0] == "--- a/file.txt" and "+epsilon" in text
assert diff_stats(old, old) == ("", 0, 0)
a = "\n".join(f"line {i}" for i in range(2000))
b = "\n".join(f"line {i}" if i % 50 else f"LINE {i}" for i in range(2000)) + "\nextra"
_, added, removed = diff_stats(a, b)
assert (added, removed) == (41, 40)
