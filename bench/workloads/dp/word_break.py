# Can a string be segmented into dictionary words? Returns one segmentation (DP over prefixes) or None.
# bug: the empty prefix is not marked as segmentable, so nothing ever is
# break: "    ok[0] = True\n" -> ""
def segment(s: str, words: set[str]) -> list[str] | None:
    max_len = max(map(len, words), default=0)
    ok = [False] * (len(s) + 1)
    ok[0] = True
    back = [0] * (len(s) + 1)
    for i in range(1, len(s) + 1):
        for j in range(max(0, i - max_len), i):
            if ok[j] and s[j:i] in words:
                ok[i] = True
                back[i] = j
                break
    if not ok[len(s)]:
        return None
    out, i = [], len(s)
    while i:
        out.append(s[back[i]:i])
        i = back[i]
    return out[::-1]


words = {"apple", "pen", "applepen", "pine", "pineapple", "cats", "dog", "sand", "and", "cat"}
seg = segment("pineapplepenapple", words)
assert seg is not None and "".join(seg) == "pineapplepenapple" and all(w in words for w in seg)
assert segment("catsandog", words) is None
assert segment("", words) == []
text = "".join(["cat", "sand", "dog", "pen", "apple"][i % 5] for i in range(800))
seg = segment(text, words)
assert seg is not None and "".join(seg) == text
