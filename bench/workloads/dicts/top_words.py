# Top-k words of a text by frequency, ties broken alphabetically; case and punctuation ignored.
# bug: ties are broken in reverse alphabetical order
# break: "key=lambda kv: (-kv[1], kv[0])" -> "key=lambda kv: (kv[1], kv[0]), reverse=True"
import re


def top_words(text: str, k: int) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for w in re.findall(r"[a-z']+", text.lower()):
        counts[w] = counts.get(w, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


assert top_words("b a c b a", 2) == [("a", 2), ("b", 2)]
assert top_words("", 3) == []
assert top_words("The cat and the hat. THE END!", 1) == [("the", 3)]
text = " ".join(f"w{i % 37} w{i % 11} common" for i in range(3000)).replace("w", "word")
text = re.sub(r"\d", lambda m: "abcdefghij"[int(m.group())], text)
top = top_words(text, 5)
assert top[0] == ("common", 3000)
assert [c for _, c in top] == sorted([c for _, c in top], reverse=True)
assert top_words("zz yy xx", 3) == [("xx", 1), ("yy", 1), ("zz", 1)]
