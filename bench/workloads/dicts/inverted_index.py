# Inverted index over documents and AND / OR queries; posting lists are sorted, without repeats.
# bug: a word repeated in one document is posted twice
# break: "if not postings or postings[-1] != doc_id:" -> "if True:"
import re


def build_index(docs: list[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for doc_id, doc in enumerate(docs):
        for word in re.findall(r"\w+", doc.lower()):
            postings = index.setdefault(word, [])
            if not postings or postings[-1] != doc_id:
                postings.append(doc_id)
    return index


def query_and(index, words):
    sets = [set(index.get(w, [])) for w in words]
    return sorted(set.intersection(*sets)) if sets else []


def query_or(index, words):
    return sorted(set().union(*(index.get(w, []) for w in words)))


docs = ["the cat sat", "the dog sat on the cat", "a bird", "Cat and dog and cat"]
idx = build_index(docs)
assert idx["the"] == [0, 1]
assert idx["cat"] == [0, 1, 3]
assert query_and(idx, ["cat", "dog"]) == [1, 3]
assert query_or(idx, ["bird", "sat"]) == [0, 1, 2]
assert query_and(idx, ["unicorn"]) == []
corpus = [" ".join(f"t{(d * k) % 50}" for k in range(40)) for d in range(300)]
big = build_index(corpus)
assert all(p == sorted(set(p)) for p in big.values())
assert sum(len(p) for p in big.values()) == sum(len(set(doc.split())) for doc in corpus)
