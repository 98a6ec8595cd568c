# Agent tool: turn a Markdown table from a model's answer into records, converting numeric cells.
# bug: the |---|---| separator row is kept as a record
# break: "if re.fullmatch(r\"\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?\", line.strip()):" -> "if False:"
import re


def parse_table(md: str) -> list[dict]:
    lines = [l for l in md.strip().splitlines() if l.strip()]

    def cells(line):
        return [c.strip() for c in line.strip().strip("|").split("|")]

    header = cells(lines[0])
    records = []
    for line in lines[1:]:
        if re.fullmatch(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?", line.strip()):
            continue
        row = {}
        for key, value in zip(header, cells(line)):
            if re.fullmatch(r"-?\d+", value):
                row[key] = int(value)
            elif re.fullmatch(r"-?\d*\.\d+", value):
                row[key] = float(value)
            else:
                row[key] = value
        records.append(row)
    return records


md = """
| model | params (B) | score |
|:------|-----------:|:-----:|
| small | 1.3 | 61 |
| large | 70 | 82 |
"""
assert parse_table(md) == [{"model": "small", "params (B)": 1.3, "score": 61}, {"model": "large", "params (B)": 70, "score": 82}]
big = "| id | name | value |\n|---|---|---|\n" + "\n".join(f"| {i} | row{i} | {i / 4} |" for i in range(1500))
rows = parse_table(big)
assert len(rows) == 1500 and rows[-1] == {"id": 1499, "name": "row1499", "value": 374.75}
