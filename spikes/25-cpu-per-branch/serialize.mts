// What serializing one answer costs in the daemon: fastify-type-provider-zod's serializer (zod
// encode of the whole answer, then JSON.stringify) against fast-json-stringify compiled from the
// same schema's JSON Schema, and plain JSON.stringify as the floor. Alternating blocks, in process.
// node --import tsx spikes/25-cpu-per-branch/serialize.mts [blocks]
import fastJson from "fast-json-stringify";
import { serializerCompiler } from "fastify-type-provider-zod";
import { z } from "zod";
import { readyResponse } from "../../daemon/src/http/health-schemas.ts";
import { evalResponse } from "../../daemon/src/wire/eval.ts";
import { forkResponse } from "../../daemon/src/wire/states.ts";

const blocks = Number(process.argv[2] ?? 8);

function evalAnswer(i: number) {
  return {
    id: `req-${i.toString(36)}abcdefgh`,
    status: "ok",
    stdout: "4\n",
    stderr: "",
    result: null,
    error: null,
    host_calls: [],
    timing: { queue_ms: 0.004, restore_ms: 0.21, restore_wait_ms: 0, exec_ms: 0.14, checkpoint_ms: 0, total_ms: 0.33 },
  };
}
const corpusAnswer = {
  ...evalAnswer(1),
  status: "error",
  stdout: "running 12 checks\n".repeat(3),
  error: { type: "AssertionError", message: "expected 3", traceback: 'Traceback (most recent call last):\n  File "<cell>", line 40, in <module>\nAssertionError: expected 3\n' },
};
const forkAnswer = { results: Array.from({ length: 256 }, (_, i) => evalAnswer(i)) };
const ready = { status: "ready", workers: { size: 2, ready: 2, booting: 0 }, shutting_down: false };

interface Case { name: string; schema: z.ZodType; data: unknown; iters: number }
const cases: Case[] = [
  { name: "GET /readyz", schema: readyResponse, data: ready, iters: 20_000 },
  { name: "eval print(2+2)", schema: evalResponse, data: evalAnswer(7), iters: 20_000 },
  { name: "eval, corpus-like failure", schema: evalResponse, data: corpusAnswer, iters: 20_000 },
  { name: "fork K=256", schema: forkResponse, data: forkAnswer, iters: 200 },
];

type Serialize = (data: unknown) => string;
function serializers(schema: z.ZodType): Record<string, Serialize> {
  const zodSer = serializerCompiler({ schema, method: "POST", url: "/x" } as never) as Serialize;
  const fjs = fastJson(z.toJSONSchema(schema, { io: "output", target: "draft-7", unrepresentable: "any" }) as never) as Serialize;
  return { zod: zodSer, fjs, "JSON.stringify": (d) => JSON.stringify(d) };
}

for (const c of cases) {
  const s = serializers(c.schema);
  const same = s.zod(c.data) === s.fjs(c.data);
  const times: Record<string, number[]> = {};
  for (let b = 0; b < blocks; b++) {
    for (const [name, fn] of Object.entries(s)) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < c.iters; i++) fn(c.data);
      (times[name] ??= []).push(Number(process.hrtime.bigint() - t0) / 1000 / c.iters);
    }
  }
  const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
  const cells = Object.entries(times).map(([n, xs]) => `${n} ${med(xs).toFixed(2)} µs`);
  console.log(`${c.name}: ${cells.join(", ")}; zod and fjs give the same bytes: ${same}`);
}
