// Between jobs, an executor polls its pipe for a short while before it blocks in read(). On a VM a
// blocked executor's vCPU halts, and waking it costs ~80 µs each way (spikes/12-idle-spin): for a
// job that follows closely (a client's next call, the next fork branch) the poll saves that wake-up.
// The budget adapts, as the kernel's haltpoll does: a job that came within the maximum keeps
// it; one that did not halves it, down to nothing, so an executor whose calls are far apart soon
// stops polling (at most ~2 × the maximum of CPU per quiet spell), and one short gap turns it back on.
import { loadNative } from "../restore/native.ts";

/** Polls fd for input for up to spinMicros without consuming it; true when input is there. */
export type AwaitInput = (fd: number, spinMicros: number) => boolean;

/** Budgets under an eighth of the maximum are not worth a poll: the spin turns off until a short gap. */
const FLOOR_FRACTION = 8;

export class IdleSpin {
  private budget: number;
  /** Jobs that arrived while polling, and polls that ran out (for tests and diagnosis). */
  hits = 0;
  misses = 0;

  constructor(
    readonly maxMicros: number,
    private readonly awaitInput: AwaitInput | null,
  ) {
    if (!Number.isInteger(maxMicros) || maxMicros < 0) throw new RangeError(`idle spin must be a non-negative integer of microseconds, got ${maxMicros}`);
    this.budget = awaitInput ? maxMicros : 0;
  }

  /** The spin this machine can do: ARBOR_IDLE_SPIN_US (set by the daemon), off without the addon. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): IdleSpin {
    const max = Number(env.ARBOR_IDLE_SPIN_US ?? 0);
    const addon = max > 0 ? loadNative().addon : null;
    return new IdleSpin(max, typeof addon?.awaitInput === "function" ? addon.awaitInput.bind(addon) : null);
  }

  /** The maximum poll when this machine can poll (the addon has awaitInput), else 0. */
  get enabledMicros(): number {
    return this.awaitInput ? this.maxMicros : 0;
  }

  /** The poll the next wait starts with, in microseconds (0: it blocks at once). */
  get currentMicros(): number {
    return this.budget;
  }

  /** Runs `receive` (a blocking read of fd), polling fd first within the budget; adapts the budget. */
  receive<T>(fd: number, receive: () => T): T {
    if (!this.awaitInput) return receive();
    const started = performance.now();
    if (this.budget > 0) {
      if (this.awaitInput(fd, this.budget)) this.hits++;
      else this.misses++;
    }
    const message = receive();
    this.learn((performance.now() - started) * 1000);
    return message;
  }

  /** Adapts the budget to how long the last wait for a job took, in microseconds. */
  learn(waitedMicros: number): void {
    if (!this.awaitInput) return;
    if (waitedMicros <= this.maxMicros) this.budget = this.maxMicros;
    else {
      const half = Math.floor(this.budget / 2);
      this.budget = half * FLOOR_FRACTION < this.maxMicros ? 0 : half;
    }
  }
}
