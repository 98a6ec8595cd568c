# Headline title case: small words stay lowercase except as the first or last word.
# bug: a small first word stays lowercase
# break: "if 0 < i < last and lw in SMALL:" -> "if i < last and lw in SMALL:"
SMALL = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def title_case(s: str) -> str:
    words = s.split()
    last = len(words) - 1
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        if 0 < i < last and lw in SMALL:
            out.append(lw)
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in lw.split("-")))
    return " ".join(out)


assert title_case("the lord of the rings") == "The Lord of the Rings"
assert title_case("a tale of two cities") == "A Tale of Two Cities"
assert title_case("what it is made of") == "What It Is Made Of"
assert title_case("state-of-the-art design in python") == "State-Of-The-Art Design in Python"
assert title_case("") == ""
for i in range(300):
    assert title_case(f"the {i} steps to take") == f"The {i} Steps to Take"
