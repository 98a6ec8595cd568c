# Appended to every benchmark in bench/compute/ (suite.ts does it): two unrecorded warm-up
# iterations, then ITERATIONS timed ones with time.perf_counter; the checksum of every iteration
# must equal EXPECTED (a benchmark that computes the wrong thing is not fast). Prints one JSON line.
import json as _json
import time as _time


def _main():
    for _ in range(2):
        if bench() != EXPECTED:
            raise AssertionError(f"{NAME}: warm-up checksum {bench()!r} != {EXPECTED!r}")
    start = _time.perf_counter()
    for _ in range(ITERATIONS):
        got = bench()
    elapsed = _time.perf_counter() - start
    if got != EXPECTED:
        raise AssertionError(f"{NAME}: checksum {got!r} != {EXPECTED!r}")
    print(_json.dumps({"bench": NAME, "iterations": ITERATIONS, "ms_per_iter": round(elapsed * 1000 / ITERATIONS, 4)}))


_main()
