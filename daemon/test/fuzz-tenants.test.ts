// Random interleavings of hostile and normal calls from two tenants, over real HTTP on real
// executors: every normal call must answer exactly what it answered on a fresh daemon, and no
// hostile call may end in anything but its own (expected) outcome.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { request } from "undici";
import { createArbor, type Arbor } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";
import { HOSTILE, NORMAL } from "../../runtime/test/support/hostile.ts";
import type { Outcome } from "../../runtime/src/protocol/messages.ts";

const SEED = Number(process.env.ARBOR_FUZZ_SEED) || 20261130;
const CALLS = 48;
const KEYS = { a: "fuzz-key-a", b: "fuzz-key-b" } as const;

let arbor: Arbor;
let base: string;

before(async () => {
  const config = loadConfig({
    argv: ["--config", "arbor.json"],
    env: {},
    readFile: () =>
      JSON.stringify({
        workers: 2,
        spares: 1,
        limits: { crashes_per_minute: null },
        tenants: [
          { name: "a", api_key: KEYS.a },
          { name: "b", api_key: KEYS.b },
        ],
      }),
  });
  arbor = await createArbor({ config });
  await arbor.ready();
  base = await arbor.app.listen({ host: "127.0.0.1", port: 0 });
});
after(() => arbor.close());

async function call(tenant: keyof typeof KEYS, body: object): Promise<Outcome & { id: string }> {
  const res = await request(`${base}/v1/eval`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS[tenant]}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  assert.equal(res.statusCode, 200, text.slice(0, 300));
  return JSON.parse(text) as Outcome & { id: string };
}

const answer = (o: Outcome) => ({ status: o.status, stdout: o.stdout, stderr: o.stderr, result: o.result, error: o.error });
const normalBody = (i: number) => ({ code: NORMAL[i]!.code, seed: NORMAL[i]!.seed, stdin: "hello\n" });

/** mulberry32: a seeded stream, so a failing sequence can be replayed (ARBOR_FUZZ_SEED). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(`${CALLS} random hostile and normal calls from two tenants: every normal answer is a fresh interpreter's (seed ${SEED})`, async () => {
  const fresh = await Promise.all(NORMAL.map(async (_, i) => answer(await call("a", normalBody(i)))));
  for (const [i, expected] of fresh.entries()) assert.deepEqual(answer(await call("b", normalBody(i))), expected, "the tenants' fresh answers agree");

  const next = rng(SEED);
  const plan = Array.from({ length: CALLS }, () => ({
    tenant: next() < 0.5 ? ("a" as const) : ("b" as const),
    hostile: next() < 0.5 ? HOSTILE[Math.floor(next() * HOSTILE.length)]! : null,
    normal: Math.floor(next() * NORMAL.length),
  }));
  let cursor = 0;
  const failures: string[] = [];
  const worker = async () => {
    while (cursor < plan.length) {
      const step = plan[cursor++]!;
      if (step.hostile) {
        const o = await call(step.tenant, { code: step.hostile.code, ...step.hostile.job });
        try {
          step.hostile.expect(o);
        } catch (e) {
          failures.push(`hostile "${step.hostile.name}" (${step.tenant}): ${(e as Error).message.slice(0, 200)}`);
        }
      } else {
        const o = answer(await call(step.tenant, normalBody(step.normal)));
        try {
          assert.deepEqual(o, fresh[step.normal]);
        } catch {
          failures.push(`normal #${step.normal} (${step.tenant}) answered ${JSON.stringify(o).slice(0, 300)}`);
        }
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  assert.deepEqual(failures, []);
});
