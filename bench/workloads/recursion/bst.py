# A binary search tree: insert, contains, in-order traversal, height and range count.
# bug: height counts edges for some paths and nodes for others (a leaf has height 0, an empty tree 0)
# break: "        return 0\n    return 1 + max(height(node.left), height(node.right))" -> "        return 0\n    if node.left is None and node.right is None:\n        return 0\n    return 1 + max(height(node.left), height(node.right))"
class Node:
    __slots__ = ("key", "left", "right")

    def __init__(self, key):
        self.key, self.left, self.right = key, None, None


def insert(node, key):
    if node is None:
        return Node(key)
    if key < node.key:
        node.left = insert(node.left, key)
    elif key > node.key:
        node.right = insert(node.right, key)
    return node


def inorder(node):
    return [] if node is None else inorder(node.left) + [node.key] + inorder(node.right)


def height(node) -> int:
    if node is None:
        return 0
    return 1 + max(height(node.left), height(node.right))


def count_range(node, lo, hi) -> int:
    if node is None:
        return 0
    if node.key < lo:
        return count_range(node.right, lo, hi)
    if node.key > hi:
        return count_range(node.left, lo, hi)
    return 1 + count_range(node.left, lo, hi) + count_range(node.right, lo, hi)


root = None
for k in [50, 30, 70, 20, 40, 60, 80, 30]:
    root = insert(root, k)
assert inorder(root) == [20, 30, 40, 50, 60, 70, 80]
assert height(root) == 3 and height(None) == 0 and height(Node(1)) == 1
assert count_range(root, 25, 65) == 4
root = None
keys, seed = [], 2024
for _ in range(3000):
    seed = (seed * 1103515245 + 12345) % 2**31
    keys.append(seed % 4001)
for k in keys:
    root = insert(root, k)
assert inorder(root) == sorted(set(keys))
assert count_range(root, 1000, 2000) == len({k for k in keys if 1000 <= k <= 2000})
assert 11 <= height(root) < 40, height(root)
