# Renders rows as a plain-text table: columns padded to their widest cell, numbers right-aligned.
# bug: column widths come from the header only, so long cells overflow
# break: "widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]" -> "widths = [len(h) for h in header]"
def render_table(header: list[str], rows: list[list]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def cell(v, w):
        return str(v).rjust(w) if isinstance(v, (int, float)) else str(v).ljust(w)

    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines.append("-+-".join("-" * w for w in widths))
    for r in rows:
        lines.append(" | ".join(cell(v, w) for v, w in zip(r, widths)))
    return "\n".join(lines)


out = render_table(["name", "qty"], [["apple", 3], ["kiwi", 12]])
assert out == "name  | qty\n------+----\napple |   3\nkiwi  |  12", out
rows = [[f"item-{i}", i * i, f"{i / 7:.3f}"] for i in range(300)]
table = render_table(["id", "square", "ratio"], rows).split("\n")
assert len({len(line) for line in table}) == 1
assert table[-1].startswith("item-299 |  89401 |")
