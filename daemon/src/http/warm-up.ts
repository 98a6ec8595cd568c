// The warm-up before `arbor serve` listens: fork requests (and a few evals) on a state of our own,
// through the real routes (fastify's inject: routing, validation, scheduler, executors,
// serialization). V8 optimizes the call path only by running it, and a daemon fresh from boot
// ran forks at half speed for its first ~10 requests of 256 branches (spikes/15-fork-warm-up).
//
// Its requests belong to an internal tenant that only this process can name (a random token in
// a header, accepted only while the warm-up runs), count in no metric and leave nothing behind:
// its state is deleted, and the executors it used count as having served nobody.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Tenant } from "../auth.ts";
import type { ArborConfig } from "../config/index.ts";
import { capabilitiesSchema, openTenant } from "../config/index.ts";
import { MAX_BRANCHES } from "../wire/states.ts";

export const WARM_UP_HEADER = "x-arbor-warm-up";
/** Not a valid configured tenant name (parentheses), so it can never be a real tenant's. */
export const WARM_UP_TENANT_NAME = "(warm-up)";
/** Branches per fork request, per worker: the shape of the K = 256 requests on 2 workers. */
const BRANCHES_PER_WORKER_PER_REQUEST = 128;
const EVALS = 32;

const STATE_CODE = `import json, re
rows = [{"id": i, "name": f"item-{i}", "tags": ["a", "b"][: i % 3]} for i in range(400)]
index = {r["name"]: r for r in rows}
def score(xs):
    return sum(len(x["tags"]) * (x["id"] % 7) for x in xs)`;

/** A branch: small work over the state, a regex, json and a result, like an RL step's check. */
const branchCode = (i: number) => `picked = [r for r in rows if r["id"] % ${(i % 9) + 2} == 0]
s = score(picked) + len(index)
assert re.fullmatch(r"item-\\d+", picked[0]["name"])
print(json.dumps({"branch": ${i}, "score": s}))
s`;

export interface WarmUpReport {
  branches: number;
  evals: number;
  ms: number;
}

export class WarmUp {
  readonly tenant: Tenant;
  #token: Buffer | null = null;

  constructor(config: ArborConfig) {
    // The open tenant's limits with none of its capabilities: warm-up code needs no host power.
    const open = openTenant(config);
    this.tenant = Object.freeze({ ...open, name: WARM_UP_TENANT_NAME, capabilities: capabilitiesSchema.parse({}) });
  }

  /** The warm-up tenant when the request carries this run's token; null otherwise (and always after the run). */
  tenantOf(headers: Record<string, string | string[] | undefined>): Tenant | null {
    const presented = headers[WARM_UP_HEADER];
    if (this.#token === null || typeof presented !== "string") return null;
    const given = Buffer.from(presented, "utf8");
    return given.length === this.#token.length && timingSafeEqual(given, this.#token) ? this.tenant : null;
  }

  /**
   * Runs `branchesPerWorker` fork branches per worker (in requests of 128 per worker) and a few
   * evals. Throws when a request does not answer as expected: a daemon that cannot run its own
   * warm-up should not start serving.
   */
  async run(app: FastifyInstance, workers: number, branchesPerWorker: number, progress: (done: number, total: number) => void = () => {}): Promise<WarmUpReport> {
    const started = performance.now();
    const token = randomBytes(32).toString("hex");
    this.#token = Buffer.from(token, "utf8");
    const call = async (method: "POST" | "DELETE", url: string, payload?: unknown) => {
      const res = await app.inject({ method, url, payload: payload as object | undefined, headers: { [WARM_UP_HEADER]: token } });
      if (res.statusCode >= 300) throw new Error(`warm-up: ${method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      return res.statusCode === 204 ? null : (res.json() as Record<string, unknown>);
    };
    let branches = 0;
    let evals = 0;
    try {
      const perRequest = Math.min(BRANCHES_PER_WORKER_PER_REQUEST * workers, MAX_BRANCHES);
      const requests = Math.ceil((branchesPerWorker * workers) / perRequest);
      // An eval is the state's program and one branch in one cell.
      for (; evals < EVALS; evals++) await expectOk(call("POST", "/v1/eval", { code: `${STATE_CODE}\n${branchCode(evals)}` }));
      const created = await call("POST", "/v1/states", { code: STATE_CODE });
      const id = encodeURIComponent(String(created?.state_id));
      try {
        for (let r = 0; r < requests; r++) {
          const fork = await call("POST", `/v1/states/${id}/fork`, { branches: Array.from({ length: perRequest }, (_, i) => ({ code: branchCode(i) })) });
          const results = fork?.results as Array<{ status: string }> | undefined;
          const bad = results?.find((b) => b.status !== "ok");
          if (!results || results.length !== perRequest || bad) throw new Error(`warm-up: a fork branch answered ${JSON.stringify(bad ?? fork).slice(0, 300)}`);
          branches += perRequest;
          progress(r + 1, requests);
        }
      } finally {
        await call("DELETE", `/v1/states/${id}`);
      }
    } finally {
      this.#token = null;
    }
    return { branches, evals, ms: Math.round(performance.now() - started) };
  }
}

async function expectOk(reply: Promise<Record<string, unknown> | null>): Promise<void> {
  const body = await reply;
  if (body?.status !== "ok") throw new Error(`warm-up: an eval answered ${JSON.stringify(body).slice(0, 300)}`);
}
