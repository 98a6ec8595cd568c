# Greedy word wrap: lines at most `width` characters, words never split unless longer than width.
# bug: a word that exactly fills the line is pushed to the next one (< instead of <=)
# break: "len(line) + 1 + len(word) <= width" -> "len(line) + 1 + len(word) < width"
def wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


assert wrap("the quick brown fox", 9) == ["the quick", "brown fox"]
assert wrap("", 10) == []
assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
assert wrap("a b c d", 3) == ["a b", "c d"]
text = " ".join(["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"] * 40)
for width in range(11, 60):
    lines = wrap(text, width)
    assert all(len(l) <= width for l in lines)
    assert " ".join(lines) == text
    for a, b in zip(lines, lines[1:]):
        assert len(a) + 1 + len(b.split()[0]) > width
