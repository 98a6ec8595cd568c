# Splits an HTTP-like message into headers (until the first blank line) and body with takewhile/dropwhile.
# bug: the separating blank line is kept as the first body line
# break: "body_lines = list(dropwhile(is_header, lines))[1:]" -> "body_lines = list(dropwhile(is_header, lines))"
from itertools import dropwhile, takewhile


def is_header(line: str) -> bool:
    return line.strip() != ""


def parse_message(text: str) -> tuple[dict[str, str], str]:
    lines = text.split("\n")
    headers = {}
    for line in takewhile(is_header, lines):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body_lines = list(dropwhile(is_header, lines))[1:]
    return headers, "\n".join(body_lines)


msg = "Content-Type: text/plain\nX-Id: 42\n\nhello\n\nworld"
h, body = parse_message(msg)
assert h == {"content-type": "text/plain", "x-id": "42"}
assert body == "hello\n\nworld"
assert parse_message("A: 1") == ({"a": "1"}, "")
assert parse_message("\nonly body") == ({}, "only body")
big = "\n".join(f"H{i}: v{i}" for i in range(300)) + "\n\n" + "\n".join(f"line {i}" for i in range(3000))
h, body = parse_message(big)
assert len(h) == 300 and body.split("\n")[0] == "line 0" and body.count("\n") == 2999
