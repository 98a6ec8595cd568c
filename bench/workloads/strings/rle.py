# Run-length encoding of a string ("aaabcc" -> "3a1b2c") and its decoder; they round-trip.
# bug: the last run is never flushed
# break: "    out.append(f\"{count}{current}\")\n    return" -> "    return"
def rle_encode(s: str) -> str:
    if not s:
        return ""
    out = []
    current, count = s[0], 1
    for ch in s[1:]:
        if ch == current:
            count += 1
        else:
            out.append(f"{count}{current}")
            current, count = ch, 1
    out.append(f"{count}{current}")
    return "".join(out)


def rle_decode(s: str) -> str:
    out, digits = [], ""
    for ch in s:
        if ch.isdigit():
            digits += ch
        else:
            out.append(ch * int(digits))
            digits = ""
    return "".join(out)


assert rle_encode("aaabcc") == "3a1b2c"
assert rle_encode("") == ""
assert rle_encode("z") == "1z"
assert rle_encode("a" * 12) == "12a"
assert rle_decode("3a1b2c") == "aaabcc"
for i in range(300):
    s = "".join("abc"[(i * j) % 3] * (1 + (i + j) % 4) for j in range(i % 17))
    assert rle_decode(rle_encode(s)) == s
