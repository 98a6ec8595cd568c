# Caesar cipher: shifts ASCII letters, keeps case and everything else; decode inverts encode.
# bug: wraps around the alphabet with % 25 instead of % 26
# break: "% 26 + base" -> "% 25 + base"
def caesar(text: str, k: int) -> str:
    out = []
    for c in text:
        if c.isascii() and c.isalpha():
            base = ord("A") if c.isupper() else ord("a")
            out.append(chr((ord(c) - base + k) % 26 + base))
        else:
            out.append(c)
    return "".join(out)


assert caesar("abc", 1) == "bcd"
assert caesar("xyz", 3) == "abc"
assert caesar("Hello, World!", 13) == "Uryyb, Jbeyq!"
assert caesar("naïve café", 1) == "obïwf dbgé"
for k in range(-60, 60):
    s = "Zebra-Apple 42 jumps over the lazy dog"
    assert caesar(caesar(s, k), -k) == s
    assert caesar(s, k) == caesar(s, k + 26)
