# Towers of Hanoi: the list of moves for n discs, replayed to check every move is legal.
# bug: the final recursive call moves the tower back onto the source peg
# break: "    moves += hanoi(n - 1, via, dst, src)" -> "    moves += hanoi(n - 1, via, src, dst)"
def hanoi(n: int, src: str = "A", dst: str = "C", via: str = "B") -> list[tuple[str, str]]:
    if n == 0:
        return []
    moves = hanoi(n - 1, src, via, dst)
    moves.append((src, dst))
    moves += hanoi(n - 1, via, dst, src)
    return moves


def replay(n: int, moves) -> dict[str, list[int]]:
    pegs = {"A": list(range(n, 0, -1)), "B": [], "C": []}
    for a, b in moves:
        disc = pegs[a].pop()
        assert not pegs[b] or pegs[b][-1] > disc, "larger disc on a smaller one"
        pegs[b].append(disc)
    return pegs


assert hanoi(1) == [("A", "C")]
assert hanoi(2) == [("A", "B"), ("A", "C"), ("B", "C")]
for n in range(1, 14):
    moves = hanoi(n)
    assert len(moves) == 2 ** n - 1
    assert replay(n, moves) == {"A": [], "B": [], "C": list(range(n, 0, -1))}
