# A tokenizer for a small expression language: numbers (ints and decimals), identifiers, operators (incl. ** and <=), parens, strings.
# bug: numbers are tokenized one digit at a time
# break: "            while j < len(src) and (src[j].isdigit() or (src[j] == \".\" and not seen_dot)):" -> "            while j < len(src) and j < i + 1:"
class LexError(ValueError):
    pass


KEYWORDS = {"and", "or", "not", "if", "else"}
TWO_CHAR = {"**", "<=", ">=", "==", "!="}


def tokenize(src: str) -> list[tuple[str, str]]:
    tokens, i = [], 0
    while i < len(src):
        ch = src[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit():
            j, seen_dot = i, False
            while j < len(src) and (src[j].isdigit() or (src[j] == "." and not seen_dot)):
                seen_dot |= src[j] == "."
                j += 1
            tokens.append(("NUM", src[i:j]))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i
            while j < len(src) and (src[j].isalnum() or src[j] == "_"):
                j += 1
            word = src[i:j]
            tokens.append(("KW" if word in KEYWORDS else "ID", word))
            i = j
        elif ch in "\"'":
            j = src.find(ch, i + 1)
            if j < 0:
                raise LexError(f"unterminated string at {i}")
            tokens.append(("STR", src[i + 1:j]))
            i = j + 1
        elif src[i:i + 2] in TWO_CHAR:
            tokens.append(("OP", src[i:i + 2]))
            i += 2
        elif ch in "+-*/%()<>,=":
            tokens.append(("OP", ch))
            i += 1
        else:
            raise LexError(f"unexpected {ch!r} at {i}")
    return tokens


assert tokenize("x1 = 3.14 ** 2") == [("ID", "x1"), ("OP", "="), ("NUM", "3.14"), ("OP", "**"), ("NUM", "2")]
assert tokenize("if a <= 10 and not b") == [("KW", "if"), ("ID", "a"), ("OP", "<="), ("NUM", "10"), ("KW", "and"), ("KW", "not"), ("ID", "b")]
assert tokenize("f('hi', 2)") == [("ID", "f"), ("OP", "("), ("STR", "hi"), ("OP", ","), ("NUM", "2"), ("OP", ")")]
assert tokenize("") == []
for bad in ["a $ b", "'open"]:
    try:
        tokenize(bad)
        raise AssertionError(bad)
    except LexError:
        pass
src = " + ".join(f"v{i} * {i}.5" for i in range(800))
toks = tokenize(src)
assert len(toks) == 800 * 3 + 799 and toks[-1] == ("NUM", "799.5")
