// The executor child process: boot one interpreter, snapshot it, then serve jobs forever on fd 3.
// Order per job: run → send the result → restore (so the restore overlaps the daemon's reply).
import { crashedOutcome, execute } from "../execute.ts";
import { Interpreter } from "../interpreter/interpreter.ts";
import type { StrategyName } from "../restore/strategy.ts";
import { SyncChannel } from "./channel.ts";
import { Watchdog } from "./watchdog.ts";

const channel = new SyncChannel();

process.on("uncaughtException", (err) => {
  // Anything escaping the loop means this process can no longer be trusted to be clean.
  try {
    channel.send({ t: "fatal", message: String(err?.stack ?? err) });
  } finally {
    process.exit(70);
  }
});

const interp = await Interpreter.create({ strategy: (process.env.ARBOR_RESTORE || undefined) as StrategyName | undefined });
const watchdog = new Watchdog(interp.booted.interrupt);
channel.send({
  t: "ready",
  info: {
    pid: process.pid,
    strategy: interp.strategy.name,
    strategy_reason: interp.strategyReason,
    boot_ms: Math.round(interp.booted.bootMs),
    baseline_bytes: interp.baselineBytes,
    pyodide_version: interp.pyodide.version,
  },
});

let lastRestoreMs = 0;
for (;;) {
  const msg = channel.receive();
  if (!msg) process.exit(0); // the daemon went away
  if (msg.t === "run") {
    let outcome;
    try {
      outcome = execute(interp, watchdog, msg.job, lastRestoreMs);
    } catch (e) {
      outcome = crashedOutcome(e, lastRestoreMs);
    }
    channel.send({ t: "result", id: msg.id, outcome });
    // A reset that throws leaves an interpreter we cannot vouch for: exit, the daemon replaces us.
    lastRestoreMs = interp.reset().ms;
  } else if (msg.t === "ping") {
    channel.send({ t: "pong", id: msg.id });
  }
}
