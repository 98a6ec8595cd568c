// A cap on host calls per eval, so a loop in untrusted code cannot hammer the host.

export class HostCallBudget {
  readonly max: number;
  #used = 0;

  constructor(max = 256) {
    this.max = max;
  }

  /** Take one call from the budget; false when it is spent. */
  take(): boolean {
    if (this.#used >= this.max) return false;
    this.#used++;
    return true;
  }

  get used(): number {
    return this.#used;
  }

  get remaining(): number {
    return this.max - this.#used;
  }
}
