# Extracts [text](url) links from Markdown, skipping images ![alt](src).
# bug: greedy text and URL groups merge two links on one line into one
# break: "(?<!!)\\[([^\\]]*)\\]\\(([^)\\s]+)\\)" -> "(?<!!)\\[(.*)\\]\\((\\S+)\\)"
import re

LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")


def links(md: str) -> list[tuple[str, str]]:
    return LINK.findall(md)


md = """# Notes
See [the docs](https://example.com/docs) and [API](https://example.com/api?v=2).
![diagram](img/arch.png) is not a link; [empty]() is not either.
"""
assert links(md) == [("the docs", "https://example.com/docs"), ("API", "https://example.com/api?v=2")]
assert links("") == []
page = "\n".join(f"- [item {i}](/items/{i}) and [edit](/items/{i}/edit)" for i in range(400))
found = links(page)
assert len(found) == 800 and found[5] == ("edit", "/items/2/edit")
