# Longest common prefix of a list of strings.
# bug: scans along the first string instead of the shortest, so a shorter later string is indexed past its end
# break: "shortest = min(strs, key=len)" -> "shortest = strs[0]"
def common_prefix(strs: list[str]) -> str:
    if not strs:
        return ""
    shortest = min(strs, key=len)
    for i in range(len(shortest)):
        ch = shortest[i]
        if any(s[i] != ch for s in strs):
            return shortest[:i]
    return shortest


assert common_prefix(["flower", "flow", "flight"]) == "fl"
assert common_prefix(["dog", "racecar", "car"]) == ""
assert common_prefix([]) == ""
assert common_prefix(["same", "same"]) == "same"
assert common_prefix(["abcd", "ab"]) == "ab"
assert common_prefix(["inter", "internet", "interval"]) == "inter"
paths = [f"/srv/data/shard-{i:04d}/part-{j}.parquet" for i in range(30) for j in range(10)]
assert common_prefix(paths) == "/srv/data/shard-00"
assert common_prefix([p for p in paths if "shard-0012" in p]) == "/srv/data/shard-0012/part-"
