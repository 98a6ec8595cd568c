# A least-recently-used cache with a fixed capacity on top of OrderedDict; hits and misses counted.
# bug: a read does not refresh the entry's recency
# break: "            self.data.move_to_end(key)\n            self.hits" -> "            self.hits"
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity: int):
        self.capacity = capacity
        self.data: OrderedDict = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key, default=None):
        if key in self.data:
            self.data.move_to_end(key)
            self.hits += 1
            return self.data[key]
        self.misses += 1
        return default

    def put(self, key, value) -> None:
        if key in self.data:
            self.data.move_to_end(key)
        self.data[key] = value
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)


c = LRUCache(2)
c.put("a", 1)
c.put("b", 2)
assert c.get("a") == 1
c.put("c", 3)
assert c.get("b") is None and c.get("a") == 1 and c.get("c") == 3
c.put("a", 10)
c.put("d", 4)
assert list(c.data) == ["a", "d"]
cache = LRUCache(64)
for i in range(5000):
    key = (i * 7) % 100 if i % 3 else i % 16
    if cache.get(key) is None:
        cache.put(key, key * key)
assert cache.hits + cache.misses == 5000
assert all(cache.get(k) == k * k for k in range(16))
assert cache.hits > 2000, cache.hits
