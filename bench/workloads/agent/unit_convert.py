# Agent tool: answer "convert 5 km to mi"-style requests across length, mass and temperature units.
# bug: converting out of the base unit multiplies instead of dividing
# break: "return base / FACTORS[dst][1]" -> "return base * FACTORS[dst][1]"
import re

FACTORS = {  # unit: (dimension, size in the dimension's base unit)
    "m": ("length", 1.0), "km": ("length", 1000.0), "cm": ("length", 0.01), "mi": ("length", 1609.344), "ft": ("length", 0.3048), "in": ("length", 0.0254),
    "kg": ("mass", 1.0), "g": ("mass", 0.001), "lb": ("mass", 0.45359237), "oz": ("mass", 0.028349523125),
}
REQUEST = re.compile(r"^convert\s+(-?\d+(?:\.\d+)?)\s*([a-zA-Z°]+)\s+to\s+([a-zA-Z°]+)$", re.I)


def to_unit(value: float, src: str, dst: str) -> float:
    if src in ("C", "F") or dst in ("C", "F"):
        c = value if src == "C" else (value - 32) * 5 / 9
        return c if dst == "C" else c * 9 / 5 + 32
    if FACTORS[src][0] != FACTORS[dst][0]:
        raise ValueError(f"cannot convert {FACTORS[src][0]} to {FACTORS[dst][0]}")
    base = value * FACTORS[src][1]
    return base / FACTORS[dst][1]


def answer(request: str) -> str:
    m = REQUEST.match(request.strip())
    if not m:
        raise ValueError("expected: convert <number> <unit> to <unit>")
    value, src, dst = float(m.group(1)), m.group(2), m.group(3)
    return f"{value:g} {src} = {to_unit(value, src, dst):.4g} {dst}"


assert answer("convert 5 km to mi") == "5 km = 3.107 mi"
assert answer("convert 100 C to F") == "100 C = 212 F"
assert answer("convert 2 lb to g") == "2 lb = 907.2 g"
assert answer("Convert 12 in to cm") == "12 in = 30.48 cm"
for bad in ["convert 5 km to kg", "make 5 km into mi"]:
    try:
        answer(bad)
        raise AssertionError(bad)
    except ValueError:
        pass
for u in ["m", "km", "cm", "mi", "ft", "in"]:
    for v in range(1, 500, 7):
        assert abs(to_unit(to_unit(v, u, "ft"), "ft", u) - v) < 1e-9 * v
