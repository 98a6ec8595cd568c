# Appended to every benchmark in bench/compute/ (suite.ts does it): two unrecorded warm-up
# iterations, then ITERATIONS timed ones with time.perf_counter; the checksum must equal EXPECTED
# (a benchmark that computes the wrong thing is not fast). Prints one JSON line. cpu_ms_per_iter is
# time.process_time over warm-up + timed iterations ÷ (ITERATIONS + 2): process CPU natively (robust
# when other processes share the cores); in Pyodide process_time is a wall clock, so the compute
# spike measures that side's CPU from JavaScript instead.
import json as _json
import time as _time


def _main():
    cpu = _time.process_time()
    for _ in range(2):
        if bench() != EXPECTED:
            raise AssertionError(f"{NAME}: warm-up checksum {bench()!r} != {EXPECTED!r}")
    start = _time.perf_counter()
    for _ in range(ITERATIONS):
        got = bench()
    elapsed = _time.perf_counter() - start
    cpu = _time.process_time() - cpu
    if got != EXPECTED:
        raise AssertionError(f"{NAME}: checksum {got!r} != {EXPECTED!r}")
    print(_json.dumps({"bench": NAME, "iterations": ITERATIONS, "ms_per_iter": round(elapsed * 1000 / ITERATIONS, 4),
                       "cpu_ms_per_iter": round(cpu * 1000 / (ITERATIONS + 2), 4)}))


_main()
