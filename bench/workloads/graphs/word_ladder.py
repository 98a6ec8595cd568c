# Word ladder: the fewest words from start to goal changing one letter at a time, every word in the dictionary (BFS).
# bug: counts the transformations instead of the words in the ladder
# break: "    dist = {start: 1}" -> "    dist = {start: 0}"
from collections import deque
from string import ascii_lowercase


def ladder_length(start: str, goal: str, words: set[str]) -> int:
    if goal not in words:
        return 0
    dist = {start: 1}
    q = deque([start])
    while q:
        w = q.popleft()
        if w == goal:
            return dist[w]
        for i in range(len(w)):
            for ch in ascii_lowercase:
                nxt = w[:i] + ch + w[i + 1:]
                if nxt in words and nxt not in dist:
                    dist[nxt] = dist[w] + 1
                    q.append(nxt)
    return 0


words = {"hot", "dot", "dog", "lot", "log", "cog"}
assert ladder_length("hit", "cog", words) == 5
assert ladder_length("hit", "cog", words - {"cog"}) == 0
assert ladder_length("hot", "hot", words) == 1
# A synthetic dictionary: 4-letter words over a 9-letter alphabet whose letter sum is even.
alpha = "abcdefghi"
big = {a + b + c + d for a in alpha for b in alpha for c in alpha for d in alpha
       if (alpha.index(a) + alpha.index(b) + alpha.index(c) + alpha.index(d)) % 2 == 0}
assert ladder_length("aaaa", "iiii", big) == 5
assert ladder_length("aaaa", "ccca", big) == 4
assert ladder_length("abaa", "iiii", big) == 5
assert ladder_length("aaaa", "bbbb", big) == 0
