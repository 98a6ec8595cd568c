// The executor child process: boot one interpreter, snapshot it, then serve jobs forever on fd 3.
// Order per job: run → send the result → restore (so the restore overlaps the daemon's reply).
// Then, until the next job, a short poll before blocking (idle-spin.ts).
import { execute } from "./execute.ts";
import { Interpreter } from "./interpreter.ts";
import { StateCache } from "./state-cache.ts";
import { statePages } from "./state-pages.ts";
import type { StrategyName } from "../restore/strategy.ts";
import { CHANNEL_FD, SyncChannel } from "./channel.ts";
import { IdleSpin } from "./idle-spin.ts";
import { failedOutcome, type Outcome } from "../protocol/messages.ts";
import { createCallGuard } from "./call-guard.ts";
import { recoverAfterTrap } from "./recovery.ts";
import { disarmTimers } from "./timers.ts";
import { readSnapshot, writeSnapshot } from "./snapshot-pipe.ts";
import { engineFactory } from "../engine/engines.ts";
import { freezeIntrinsics } from "./freeze-intrinsics.ts";
import { applySeccompIfAsked } from "./confine/seccomp.ts"; // [confine]

const pages = statePages();
const channel = new SyncChannel(CHANNEL_FD, pages.fresh);

process.on("uncaughtException", (err) => {
  // Anything escaping the loop means this process can no longer be trusted to be clean.
  try {
    channel.send({ t: "fatal", message: String(err?.stack ?? err) });
  } finally {
    process.exit(70);
  }
});

// ARBOR_BOOT=make-snapshot: this process only makes the engine's snapshot every executor boots
// from, writes it to fd 4 and exits. ARBOR_BOOT=snapshot: boot from the one on fd 4.
if (process.env.ARBOR_BOOT === "make-snapshot") {
  writeSnapshot(await engineFactory().makeSnapshot());
  process.exit(0);
}
const snapshot = process.env.ARBOR_BOOT === "snapshot" ? readSnapshot() : undefined;
const interp = await Interpreter.create({ strategy: (process.env.ARBOR_RESTORE || undefined) as StrategyName | undefined, snapshot });
const engine = interp.engine;
const guard = createCallGuard(engine.interrupt);
const idle = IdleSpin.fromEnv();
const states = new StateCache(interp.baseline, undefined, pages);
// Last init steps: no JS timer is armed from here on, nothing of ours patches an intrinsic,
// and the fingerprint of the state outside linear memory is taken (recovery.ts compares to it).
engine.liveTimers = disarmTimers();
freezeIntrinsics();
const snapshotFingerprint = interp.fingerprint();
// [confine] OS layer from here on: no exec, sockets, writes, foreign signals (runtime/src/executor/confine).
applySeccompIfAsked();
channel.send({
  t: "ready",
  info: {
    pid: process.pid,
    engine: engine.info,
    strategy: interp.strategy.name,
    strategy_reason: [interp.strategyReason, interp.strategy.detail?.()].filter(Boolean).join("; "),
    call_guard: guard.name,
    call_guard_reason: guard.reason,
    idle_spin_us: idle.enabledMicros,
    boot_ms: Math.round(engine.bootMs),
    baseline_bytes: interp.baselineBytes,
    image: interp.image,
    boot: snapshot ? "snapshot" : "full",
    lockdown: engine.lockdown as Record<string, number | string | string[]>,
  },
});

// Python's host calls: forwarded to the daemon, which checks policy and performs them; Python
// blocks until the answer. Pings that arrive meanwhile are answered; nothing else may.
let hostCallId = 0;
/** Set while a host call's exchange is under way; still set after the call means it was cut short. */
let inHostCall = false;
engine.hostTransport.current = (request: Uint8Array): Uint8Array => {
  let call: unknown;
  try {
    call = JSON.parse(Buffer.from(request).toString("utf8"));
  } catch {
    return Buffer.from(JSON.stringify({ ok: false, error: { type: "ValueError", message: "malformed host call" } }));
  }
  const id = ++hostCallId;
  // The exchange is whole or not at all: the call guard holds a deadline termination back until
  // the reply is read (a frame cut in half would leave the pipe out of step for every later call).
  const reply = guard.hostCall(() => {
    inHostCall = true;
    channel.send({ t: "host_call", id, call });
    for (;;) {
      const msg = channel.receive();
      if (!msg) process.exit(0);
      if (msg.t === "host_reply" && msg.id === id) {
        inHostCall = false;
        return msg.reply;
      }
      if (msg.t === "ping") channel.send({ t: "pong", id: msg.id });
      else throw new Error(`protocol: unexpected '${msg.t}' during a host call`);
    }
  });
  return Buffer.from(JSON.stringify(reply));
};

// Hygiene: a long-lived interpreter is recycled after N calls, or when JS-side tables it cannot
// shrink have grown past a bound; the daemon swaps in a warm spare.
const recycleAfter = Number(process.env.ARBOR_RECYCLE_AFTER) || 50_000;
const MAX_MEMORY_GROWTH = 512 * 1024 * 1024;

function retireReason(): string | null {
  if (interp.resetCount + 1 >= recycleAfter) return `recycled after ${interp.resetCount + 1} calls`;
  if (interp.memoryBytes - interp.baselineBytes > MAX_MEMORY_GROWTH) return `linear memory grew to ${interp.memoryBytes} bytes`;
  if (interp.tableGrowth > 1024) return `JS reference tables grew by ${interp.tableGrowth} slots`;
  return null;
}

let lastRestoreMs = 0;
/** When the last restore ended, on the clock the daemon stamps jobs with (sent_at). */
let restoreEndedAt = 0;
/** When it started (after the previous answer was sent), on the same clock. */
let restoreStartedAt = 0;
for (;;) {
  // Between jobs: poll for the next one a while before sleeping (a closely following job then
  // finds this process running, not a halted vCPU to wake).
  const msg = idle.receive(CHANNEL_FD, () => channel.receive());
  if (!msg) process.exit(0); // the daemon went away
  if (msg.t === "run") {
    // The daemon sends the next job as soon as it has a result, maybe while we still restore:
    // that wait is reported apart from the restore itself.
    // A job can be sent while the previous answer's write is still returning: only the reset counts.
    const restoreWaitMs = msg.sent_at === undefined ? 0 : Math.max(0, restoreEndedAt - Math.max(msg.sent_at, restoreStartedAt));
    let outcome: Outcome;
    let disturbed: boolean;
    try {
      ({ outcome, disturbed } = execute(interp, guard, msg.job, lastRestoreMs, states, () => channel.send({ t: "capturing", id: msg.id })));
    } catch (e) {
      outcome = failedOutcome("crashed", { type: "InterpreterCrash", message: "the executor failed to run the call", traceback: "" }, { restoreMs: lastRestoreMs });
      disturbed = true;
    }
    outcome.timing.restore_wait_ms = restoreWaitMs;
    // A trap or a termination is recovered here, before the answer, so the caller pays for it (a
    // few ms); when recovery is not sound the executor retires instead (crashes must be cheap
    // for the service).
    const recoveryStarted = performance.now();
    if (disturbed) channel.send({ t: "recovering", id: msg.id });
    // A termination the guard could not hold back (the vm guard) inside a host call's exchange:
    // a frame may be half read, so this pipe cannot be trusted for another job.
    const cutHostCall = inHostCall ? "terminated inside a host call (the pipe to the daemon may be out of step)" : null;
    inHostCall = false;
    const unsound = cutHostCall ?? (disturbed ? recoverAfterTrap(interp, states, snapshotFingerprint) : null);
    const recoveryMs = performance.now() - recoveryStarted;
    // Retiring is announced before the result, so the daemon never hands this executor another
    // job: it swaps in a spare while we exit.
    const retire = unsound ?? retireReason();
    if (retire) {
      channel.send({ t: "retire", reason: retire });
      channel.send({ t: "result", id: msg.id, outcome });
      process.exit(0);
    }
    channel.send({ t: "result", id: msg.id, outcome });
    // restore_ms is the recovery and the reset, not this send: its write wakes the daemon, and on
    // 2 vCPUs this process may then wait for a CPU (0.5-0.7 ms p50 under load, spikes/17-cpu-split).
    const restoreStarted = performance.now();
    if (!disturbed) {
      // Back to the state this executor rests in (the snapshot, or the last call's base state):
      // the reset puts the state's pages back in the same pass as the snapshot's. A reset that
      // throws leaves an interpreter we cannot vouch for: exit, the daemon replaces us.
      interp.reset(states.overlay);
      states.reenter(interp);
    }
    const restoreEnded = performance.now();
    lastRestoreMs = recoveryMs + (restoreEnded - restoreStarted);
    restoreStartedAt = performance.timeOrigin + restoreStarted;
    restoreEndedAt = performance.timeOrigin + restoreEnded;
  } else if (msg.t === "ping") {
    channel.send({ t: "pong", id: msg.id });
  } else if (msg.t === "fingerprint") {
    channel.send({ t: "fingerprint", id: msg.id, fingerprint: interp.fingerprint() });
  }
}
