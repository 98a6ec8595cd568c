// What the wall-time guard around each call costs: a fork branch (the branching bench's state and
// cell) run with execute() + the executor's restore, under
//   none    no guard at all (the floor)
//   vm      the watchdog worker + node:vm's `timeout` (what the executor used before)
//   native  the deadline thread of runtime/native/src/arbor_deadline.cc
// Rounds alternate the variants so machine noise hits all three alike. CPU is the whole process
// (every thread), per call.
// Run: node --import tsx spikes/08-call-guard/run.mjs   (ITER=calls per round, ROUNDS=rounds)
import { execute } from "../../runtime/src/executor/execute.ts";
import { createCallGuard } from "../../runtime/src/executor/call-guard.ts";
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
import { iterations, now, percentiles } from "../lib.mjs";

const SETUP = "big = list(range(10**5))\nd = {i: str(i) for i in range(10**4)}";
const CODE = "print(len(big) + len(d))";
const limits = { timeout_ms: 10_000, memory_mb: 256, max_output_bytes: 1 << 20 };

const interp = await Interpreter.create({});
const states = new StateCache(interp.baseline);
const restore = () => {
  interp.reset(states.overlay);
  states.reenter(interp);
};
execute(interp, null, { code: SETUP, ...limits, checkpoint_id: "s" }, 0, states);
restore();

process.env.ARBOR_CALL_GUARD = "vm";
const vmGuard = createCallGuard(interp.booted.interrupt);
delete process.env.ARBOR_CALL_GUARD;
const nativeGuard = createCallGuard(interp.booted.interrupt);
if (nativeGuard.name !== "native") throw new Error(`native guard unavailable: ${nativeGuard.reason}`);
const variants = { none: null, vm: vmGuard, native: nativeGuard };

const job = { code: CODE, ...limits, base_state: "s" };
const branch = (guard) => {
  const out = execute(interp, guard, job, 0, states);
  if (out.stdout !== "110000\n") throw new Error(`wrong answer: ${JSON.stringify(out)}`);
  restore();
};
// Warm-up: Pyodide's hot wasm functions tier up to TurboFan over the first few thousand calls.
for (let i = 0; i < 3000; i++) branch(nativeGuard);

const N = iterations(500);
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, { ms: [], cpuUs: 0, calls: 0 }]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, guard] of Object.entries(variants)) {
    const s = samples[name];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const t = now();
      branch(guard);
      s.ms.push(now() - t);
    }
    const cpu = process.cpuUsage(cpu0);
    s.cpuUs += cpu.user + cpu.system;
    s.calls += N;
  }
}
const floor = percentiles(samples.none.ms).p50;
console.log(`branch = execute + restore of ${JSON.stringify(CODE)} on a state (${SETUP.replace("\n", "; ")}); ${ROUNDS}×${N} calls per variant`);
for (const [name, s] of Object.entries(samples)) {
  const p = percentiles(s.ms);
  console.log(
    `${name.padEnd(7)} p50 ${p.p50.toFixed(3)} ms  p99 ${p.p99.toFixed(3)} ms  ÷floor ${(p.p50 / floor).toFixed(2)}  CPU ${(s.cpuUs / s.calls).toFixed(0)} µs/call`,
  );
}
process.exit(0);
