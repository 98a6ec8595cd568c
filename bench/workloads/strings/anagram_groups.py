# Groups words that are anagrams of each other; groups and their members come out sorted.
# bug: the grouping key ignores repeated letters (a set of letters instead of the sorted letters)
# break: "\"\".join(sorted(word.lower()))" -> "\"\".join(sorted(set(word.lower())))"
from collections import defaultdict


def group_anagrams(words: list[str]) -> list[list[str]]:
    groups = defaultdict(list)
    for word in words:
        groups["".join(sorted(word.lower()))].append(word)
    return sorted(sorted(g) for g in groups.values())


assert group_anagrams(["eat", "tea", "tan", "ate", "nat", "bat"]) == [["ate", "eat", "tea"], ["bat"], ["nat", "tan"]]
assert group_anagrams([]) == []
assert group_anagrams(["Listen", "Silent", "enlist"]) == [["Listen", "Silent", "enlist"]]
assert group_anagrams(["aab", "ab", "ba"]) == [["aab"], ["ab", "ba"]]
words = [("".join(chr(97 + (i * k) % 26) for k in range(1, 6))) for i in range(400)]
words += [w[::-1] for w in words]
groups = group_anagrams(words)
assert sum(len(g) for g in groups) == len(words)
for g in groups:
    assert len({"".join(sorted(w)) for w in g}) == 1
