# Fills {{name}} placeholders from a dict (whitespace inside braces allowed); unknown names stay.
# bug: greedy .+ swallows everything between the first {{ and the last }} on a line
# break: "\\{\\{\\s*(.+?)\\s*\\}\\}" -> "\\{\\{\\s*(.+)\\s*\\}\\}"
import re

PLACEHOLDER = re.compile(r"\{\{\s*(.+?)\s*\}\}")


def render(template: str, values: dict[str, object]) -> str:
    def sub(m: re.Match) -> str:
        key = m.group(1)
        return str(values[key]) if key in values else m.group(0)

    return PLACEHOLDER.sub(sub, template)


assert render("Hello {{name}}!", {"name": "Ada"}) == "Hello Ada!"
assert render("{{ a }} + {{b}} = {{ c }}", {"a": 1, "b": 2, "c": 3}) == "1 + 2 = 3"
assert render("keep {{missing}} as is", {}) == "keep {{missing}} as is"
assert render("no placeholders", {"x": 1}) == "no placeholders"
doc = "\n".join(f"row {{{{k{i}}}}} of {{{{total}}}}" for i in range(300))
out = render(doc, {**{f"k{i}": i * 2 for i in range(300)}, "total": 300})
assert out.split("\n")[150] == "row 300 of 300"
