# Agent tool: load rows into an in-memory sqlite table and answer "customers with more than N orders in 2024" with SQL.
# bug: the HAVING threshold is inclusive
# break: "HAVING COUNT(*) > ?" -> "HAVING COUNT(*) >= ?"
import sqlite3


def frequent_customers(rows: list[tuple[int, str, str, float]], min_orders: int) -> list[tuple[str, int, float]]:
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, day TEXT, total REAL)")
        con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", rows)
        return con.execute(
            """SELECT customer, COUNT(*), ROUND(SUM(total), 2) FROM orders
               WHERE day >= '2024-01-01' AND day < '2025-01-01'
               GROUP BY customer HAVING COUNT(*) > ? ORDER BY COUNT(*) DESC, customer""",
            (min_orders,),
        ).fetchall()
    finally:
        con.close()


rows = [(1, "ann", "2024-01-05", 10.0), (2, "ann", "2024-02-01", 5.5), (3, "bob", "2023-12-31", 99.0),
        (4, "bob", "2024-03-03", 1.0), (5, "ann", "2024-12-31", 4.5), (6, "bob", "2024-05-05", 2.0), (7, "cy", "2025-01-01", 3.0)]
assert frequent_customers(rows, 2) == [("ann", 3, 20.0)]
assert frequent_customers(rows, 1) == [("ann", 3, 20.0), ("bob", 2, 3.0)]
assert frequent_customers([], 0) == []
many = [(i, f"c{i % 30}", f"{2023 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}", i * 0.25) for i in range(3000)]
res = frequent_customers(many, 30)
assert all(n > 30 for _, n, _ in res)
assert sum(n for _, n, _ in frequent_customers(many, 0)) == sum(1 for r in many if r[2].startswith("2024"))
