# re: compiled patterns with findall, sub with a callback, and match over many short lines.
import re

NAME = "regex"
ITERATIONS = 10
EXPECTED = (1000, 6675, 473)

LINES = [f"2024-05-{1 + i % 28:02d} user{i}@example.com GET /api/v{i % 3}/items/{i} {200 + (i % 5) * 100} {i * 37 % 5000}ms" for i in range(1000)]
TEXT = "\n".join(LINES)
LINE = re.compile(r"^(\d{4})-(\d\d)-(\d\d) (\S+)@(\S+) (GET|POST) (\S+) (\d{3}) (\d+)ms$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
NUM = re.compile(r"\d+")


def bench():
    emails = EMAIL.findall(TEXT)
    masked = NUM.sub(lambda m: "#" * len(m.group()), TEXT[:20000])
    slow = 0
    for line in LINES:
        m = LINE.match(line)
        if m and int(m.group(9)) > 2500:
            slow += 1
    return len(emails), masked.count("#"), slow
