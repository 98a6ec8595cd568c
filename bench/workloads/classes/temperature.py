# A Temperature class with validated properties: kelvin is stored, celsius/fahrenheit are views; below 0 K raises.
# bug: the setter skips validation, so an impossible temperature can be set
# break: "        if value < 0:\n            raise ValueError(f\"below absolute zero: {value} K\")\n        self._k = value" -> "        self._k = value"
class Temperature:
    def __init__(self, kelvin: float):
        self.kelvin = kelvin

    @property
    def kelvin(self) -> float:
        return self._k

    @kelvin.setter
    def kelvin(self, value: float) -> None:
        if value < 0:
            raise ValueError(f"below absolute zero: {value} K")
        self._k = value

    @property
    def celsius(self) -> float:
        return round(self._k - 273.15, 6)

    @celsius.setter
    def celsius(self, value: float) -> None:
        self.kelvin = value + 273.15

    @property
    def fahrenheit(self) -> float:
        return round(self.celsius * 9 / 5 + 32, 6)

    @fahrenheit.setter
    def fahrenheit(self, value: float) -> None:
        self.celsius = (value - 32) * 5 / 9


t = Temperature(273.15)
assert t.celsius == 0 and t.fahrenheit == 32
t.fahrenheit = 212
assert t.celsius == 100
t.celsius = -40
assert t.fahrenheit == -40
for bad in (-0.01, -300):
    try:
        t.kelvin = bad
        raise AssertionError("accepted a temperature below absolute zero")
    except ValueError:
        pass
assert t.celsius == -40
for c in range(-273, 1000):
    t.celsius = c
    assert abs(Temperature(t.kelvin).fahrenheit - (c * 1.8 + 32)) < 1e-6
