# Expands a hyperparameter grid ({"lr": [...], "depth": [...]}) into every combination, like sklearn's ParameterGrid.
# bug: zip pairs the value lists instead of taking their product
# break: "for values in product(*(grid[k] for k in keys))" -> "for values in zip(*(grid[k] for k in keys))"
from itertools import product


def param_grid(grid: dict[str, list]) -> list[dict]:
    keys = sorted(grid)
    return [dict(zip(keys, values)) for values in product(*(grid[k] for k in keys))]


g = param_grid({"lr": [0.1, 0.01], "depth": [3, 5, 7]})
assert len(g) == 6
assert g[0] == {"depth": 3, "lr": 0.1} and g[-1] == {"depth": 7, "lr": 0.01}
assert param_grid({}) == [{}]
assert param_grid({"a": []}) == []
big = param_grid({f"p{i}": list(range(i + 2)) for i in range(6)})
assert len(big) == 2 * 3 * 4 * 5 * 6 * 7
assert len({tuple(sorted(d.items())) for d in big}) == len(big)
