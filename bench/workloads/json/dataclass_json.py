# Dataclasses to JSON and back: asdict for encoding, a typed decoder that rebuilds nested dataclasses.
# bug: nested lines are left as plain dicts when decoding
# break: "lines=[Line(**l) for l in d[\"lines\"]]" -> "lines=d[\"lines\"]"
import json
from dataclasses import asdict, dataclass, field


@dataclass
class Line:
    sku: str
    qty: int
    unit_cents: int

    @property
    def total(self) -> int:
        return self.qty * self.unit_cents


@dataclass
class Invoice:
    number: str
    customer: str
    lines: list[Line] = field(default_factory=list)

    def total(self) -> int:
        return sum(l.total for l in self.lines)


def encode(inv: Invoice) -> str:
    return json.dumps(asdict(inv), sort_keys=True)


def decode(s: str) -> Invoice:
    d = json.loads(s)
    return Invoice(number=d["number"], customer=d["customer"], lines=[Line(**l) for l in d["lines"]])


inv = Invoice("INV-1", "acme", [Line("a", 2, 150), Line("b", 1, 999)])
s = encode(inv)
assert s == '{"customer": "acme", "lines": [{"qty": 2, "sku": "a", "unit_cents": 150}, {"qty": 1, "sku": "b", "unit_cents": 999}], "number": "INV-1"}'
back = decode(s)
assert back == inv and back.total() == 1299
invoices = [Invoice(f"INV-{i}", f"c{i % 5}", [Line(f"s{j}", j + 1, 100 + j) for j in range(i % 8)]) for i in range(400)]
assert [decode(encode(x)).total() for x in invoices] == [x.total() for x in invoices]
