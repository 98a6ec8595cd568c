# Agent tool: parse a CSV export (quoted fields with commas, a header row) and total the amount per category.
# bug: splits lines on commas by hand, so quoted fields with commas shift the columns
# break: "rows = list(csv.DictReader(io.StringIO(text)))" -> "lines = text.strip().split(\"\\n\")\n    rows = [dict(zip(lines[0].split(\",\"), l.split(\",\"))) for l in lines[1:]]"
import csv
import io
from decimal import Decimal


def totals_by_category(text: str) -> dict[str, Decimal]:
    rows = list(csv.DictReader(io.StringIO(text)))
    out: dict[str, Decimal] = {}
    for row in rows:
        cat = row["category"].strip() or "uncategorized"
        out[cat] = out.get(cat, Decimal(0)) + Decimal(row["amount"])
    return dict(sorted(out.items()))


export = '''date,description,category,amount
2024-03-01,"Coffee, large",food,4.50
2024-03-01,Train ticket,travel,12.00
2024-03-02,"Dinner with ""Bob""",food,38.20
2024-03-03,Misc,,3.30
'''
assert totals_by_category(export) == {"food": Decimal("42.70"), "travel": Decimal("12.00"), "uncategorized": Decimal("3.30")}
buf = io.StringIO()
w = csv.writer(buf)
w.writerow(["date", "description", "category", "amount"])
for i in range(3000):
    w.writerow([f"2024-01-{1 + i % 28:02d}", f"item {i}, size {i % 3}", ("food", "rent", "fun")[i % 3], f"{i % 100}.{i % 10}0"])
t = totals_by_category(buf.getvalue())
assert sum(t.values()) == sum(Decimal(f"{i % 100}.{i % 10}0") for i in range(3000))
assert list(t) == ["food", "fun", "rent"]
