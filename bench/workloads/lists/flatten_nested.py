# Flattens arbitrarily nested lists and tuples into one list; strings and dicts stay whole.
# bug: tuples are not flattened
# break: "isinstance(x, (list, tuple))" -> "isinstance(x, list)"
def flatten(items) -> list:
    out = []
    stack = [iter(items)]
    while stack:
        for x in stack[-1]:
            if isinstance(x, (list, tuple)):
                stack.append(iter(x))
                break
            out.append(x)
        else:
            stack.pop()
    return out


assert flatten([1, [2, [3, [4]], 5]]) == [1, 2, 3, 4, 5]
assert flatten([]) == []
assert flatten([[], [[]], "ab", {"k": 1}]) == ["ab", {"k": 1}]
assert flatten([(1, 2), [3, (4, [5])]]) == [1, 2, 3, 4, 5]
deep = [0]
for i in range(1, 500):
    deep = [deep, i] if i % 2 else (i, deep)
flat = flatten(deep)
assert sorted(flat) == list(range(500))
