# A singly linked list class: append, prepend, iteration, len, in-place reversal and removal of a value.
# bug: reversal forgets to move the head, leaving a one-node list
# break: "        self.head = prev\n" -> ""
class _Node:
    __slots__ = ("value", "next")

    def __init__(self, value, nxt=None):
        self.value, self.next = value, nxt


class LinkedList:
    def __init__(self, values=()):
        self.head = None
        self._len = 0
        for v in values:
            self.append(v)

    def append(self, value) -> None:
        node = _Node(value)
        if self.head is None:
            self.head = node
        else:
            cur = self.head
            while cur.next:
                cur = cur.next
            cur.next = node
        self._len += 1

    def prepend(self, value) -> None:
        self.head = _Node(value, self.head)
        self._len += 1

    def __iter__(self):
        cur = self.head
        while cur:
            yield cur.value
            cur = cur.next

    def __len__(self) -> int:
        return self._len

    def reverse(self) -> None:
        prev, cur = None, self.head
        while cur:
            cur.next, prev, cur = prev, cur, cur.next
        self.head = prev

    def remove(self, value) -> bool:
        prev, cur = None, self.head
        while cur:
            if cur.value == value:
                if prev:
                    prev.next = cur.next
                else:
                    self.head = cur.next
                self._len -= 1
                return True
            prev, cur = cur, cur.next
        return False


ll = LinkedList([1, 2, 3])
ll.prepend(0)
ll.reverse()
assert list(ll) == [3, 2, 1, 0] and len(ll) == 4
assert ll.remove(3) and ll.remove(0) and not ll.remove(42)
assert list(ll) == [2, 1] and len(ll) == 2
big = LinkedList(range(800))
big.reverse()
assert list(big) == list(range(799, -1, -1))
for v in range(0, 800, 2):
    big.remove(v)
assert list(big) == list(range(799, 0, -2)) and len(big) == 400
