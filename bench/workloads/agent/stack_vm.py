# A tiny stack-machine interpreter (PUSH, LOAD, STORE, ADD, SUB, MUL, LT, JMP, JZ, PRINT, HALT) running loops.
# bug: JZ jumps when the value is non-zero
# break: "            if stack.pop() == 0:" -> "            if stack.pop() != 0:"
def run(program: list[tuple], max_steps: int = 1_000_000) -> list:
    stack, env, out, pc, steps = [], {}, [], 0, 0
    while pc < len(program):
        steps += 1
        if steps > max_steps:
            raise RuntimeError("step limit")
        op, *args = program[pc]
        pc += 1
        if op == "PUSH":
            stack.append(args[0])
        elif op == "LOAD":
            stack.append(env[args[0]])
        elif op == "STORE":
            env[args[0]] = stack.pop()
        elif op in ("ADD", "SUB", "MUL", "LT"):
            b, a = stack.pop(), stack.pop()
            stack.append(a + b if op == "ADD" else a - b if op == "SUB" else a * b if op == "MUL" else int(a < b))
        elif op == "JMP":
            pc = args[0]
        elif op == "JZ":
            if stack.pop() == 0:
                pc = args[0]
        elif op == "PRINT":
            out.append(stack.pop())
        elif op == "HALT":
            break
        else:
            raise ValueError(f"bad op {op}")
    return out


def factorial_program(n: int) -> list[tuple]:
    return [
        ("PUSH", 1), ("STORE", "acc"), ("PUSH", 1), ("STORE", "i"),
        ("LOAD", "i"), ("PUSH", n + 1), ("LT",), ("JZ", 17),
        ("LOAD", "acc"), ("LOAD", "i"), ("MUL",), ("STORE", "acc"),
        ("LOAD", "i"), ("PUSH", 1), ("ADD",), ("STORE", "i"), ("JMP", 4),
        ("LOAD", "acc"), ("PRINT",), ("HALT",),
    ]


assert run([("PUSH", 2), ("PUSH", 3), ("ADD",), ("PRINT",)]) == [5]
assert run(factorial_program(5)) == [120]
assert run(factorial_program(0)) == [1]
assert run(factorial_program(30)) == [265252859812191058636308480000000]
count_down = [("PUSH", 2000), ("STORE", "n"), ("LOAD", "n"), ("JZ", 11), ("LOAD", "n"), ("PRINT",),
              ("LOAD", "n"), ("PUSH", 1), ("SUB",), ("STORE", "n"), ("JMP", 2), ("HALT",)]
out = run(count_down)
assert out == list(range(2000, 0, -1))
try:
    run([("JMP", 0)], max_steps=1000)
    raise AssertionError("infinite loop not stopped")
except RuntimeError:
    pass
