import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeLabelValue, Metrics, QUANTILES, STAGES } from "../src/metrics.ts";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Parsed {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: Sample[];
}

// A strict reader of the text exposition format: fails on any line it does not understand.
function parse(text: string): Parsed {
  assert.ok(text.endsWith("\n"), "exposition ends with a newline");
  const out: Parsed = { help: new Map(), type: new Map(), samples: [] };
  for (const line of text.slice(0, -1).split("\n")) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      const map = kind === "HELP" ? out.help : out.type;
      assert.ok(!map.has(name!), `duplicate ${kind} for ${name}`);
      map.set(name!, kind === "HELP" ? rest!.replace(/\\n/g, "\n").replace(/\\\\/g, "\\") : rest!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    assert.ok(m, `unparseable line: ${JSON.stringify(line)}`);
    out.samples.push({ name: m[1]!, labels: parseLabels(m[2] ?? ""), value: Number(m[3] === "+Inf" ? Infinity : m[3]) });
  }
  return out;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!text) return labels;
  let i = 1;
  while (i < text.length - 1) {
    const eq = text.indexOf("=", i);
    const name = text.slice(i, eq);
    assert.match(name, /^[a-zA-Z_][a-zA-Z0-9_]*$/);
    assert.equal(text[eq + 1], '"');
    let value = "";
    let j = eq + 2;
    for (; text[j] !== '"'; j++) {
      assert.ok(j < text.length, "unterminated label value");
      if (text[j] === "\\") {
        const next = text[++j];
        value += next === "n" ? "\n" : next;
      } else {
        assert.notEqual(text[j], "\n");
        value += text[j];
      }
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
  }
  return labels;
}

function family(samples: Sample[], name: string) {
  return samples.filter((s) => s.name === name);
}

function find(samples: Sample[], name: string, labels: Record<string, string>) {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

test("counters count by their labels and every family has HELP and TYPE with the arbor_ prefix", () => {
  const m = new Metrics();
  m.recordCall("acme", "ok");
  m.recordCall("acme", "ok");
  m.recordCall("acme", "timeout");
  m.recordCall("globex", "ok");
  m.recordHttpResponse("/v1/eval", 200);
  m.recordHttpResponse("/v1/eval", 429);
  m.recordHardKill("timeout");
  m.recordExecutorCrash();
  m.recordExecutorRespawn();
  m.recordExecutorRespawn();
  m.recordHostCall("shell", "denied");

  const { help, type, samples } = parse(m.render());
  assert.equal(find(samples, "arbor_calls_total", { tenant: "acme", status: "ok" })?.value, 2);
  assert.equal(find(samples, "arbor_calls_total", { tenant: "acme", status: "timeout" })?.value, 1);
  assert.equal(find(samples, "arbor_calls_total", { tenant: "globex", status: "ok" })?.value, 1);
  assert.equal(find(samples, "arbor_http_responses_total", { route: "/v1/eval", code: "429" })?.value, 1);
  assert.equal(find(samples, "arbor_executor_hard_kills_total", { reason: "timeout" })?.value, 1);
  assert.equal(find(samples, "arbor_executor_crashes_total", {})?.value, 1);
  assert.equal(find(samples, "arbor_executor_respawns_total", {})?.value, 2);
  assert.equal(find(samples, "arbor_host_calls_total", { name: "shell", outcome: "denied" })?.value, 1);

  for (const name of ["arbor_calls_total", "arbor_http_responses_total", "arbor_host_calls_total"]) {
    assert.equal(type.get(name), "counter", name);
  }
  for (const s of samples) {
    assert.ok(s.name.startsWith("arbor_"), s.name);
    const base = s.name.replace(/_(sum|count)$/, "");
    const fam = type.has(s.name) ? s.name : base;
    assert.ok(type.has(fam), `TYPE for ${s.name}`);
    assert.ok(help.get(fam), `HELP for ${s.name}`);
  }
});

test("unlabelled counters are exported as 0 before anything happens", () => {
  const { samples } = parse(new Metrics().render());
  assert.equal(find(samples, "arbor_executor_crashes_total", {})?.value, 0);
  assert.equal(find(samples, "arbor_executor_respawns_total", {})?.value, 0);
  assert.equal(family(samples, "arbor_calls_total").length, 0);
});

test("stage latencies render as summaries with 0.5/0.9/0.99/0.999 quantiles, _sum and _count in seconds", () => {
  const m = new Metrics();
  for (let i = 1; i <= 1000; i++) m.observeStage("exec", i); // 1..1000 ms
  m.observeTiming({ queue_ms: 0.25, restore_ms: 3, exec_ms: 1000, checkpoint_ms: 0, total_ms: 1004.25 });

  const { type, samples } = parse(m.render());
  assert.equal(type.get("arbor_call_stage_seconds"), "summary");
  for (const stage of STAGES) {
    const quantiles = family(samples, "arbor_call_stage_seconds").filter((s) => s.labels.stage === stage);
    assert.deepEqual(quantiles.map((s) => s.labels.quantile), QUANTILES.map(String), stage);
    assert.ok(find(samples, "arbor_call_stage_seconds_sum", { stage }), `${stage} _sum`);
    assert.ok(find(samples, "arbor_call_stage_seconds_count", { stage }), `${stage} _count`);
  }

  const q = (quantile: string) => find(samples, "arbor_call_stage_seconds", { stage: "exec", quantile })!.value;
  // hdr-histogram keeps 3 significant digits: allow 0.1% error.
  assert.ok(Math.abs(q("0.5") - 0.5) <= 0.0005 + 0.001, `p50 ${q("0.5")}`);
  assert.ok(Math.abs(q("0.9") - 0.9) <= 0.001 + 0.001, `p90 ${q("0.9")}`);
  assert.ok(Math.abs(q("0.99") - 0.99) <= 0.001 + 0.001, `p99 ${q("0.99")}`);
  assert.ok(q("0.5") < q("0.9") && q("0.9") < q("0.99") && q("0.99") <= q("0.999"));
  assert.equal(find(samples, "arbor_call_stage_seconds_count", { stage: "exec" })?.value, 1001);
  assert.ok(Math.abs(find(samples, "arbor_call_stage_seconds_sum", { stage: "exec" })!.value - (500.5 + 1)) < 1e-9);

  // Microsecond resolution: a 250 µs queue wait is not rounded to 0 or to a millisecond.
  assert.equal(find(samples, "arbor_call_stage_seconds", { stage: "queue", quantile: "0.5" })?.value, 0.00025);
  assert.equal(find(samples, "arbor_call_stage_seconds_count", { stage: "restore" })?.value, 1);
});

test("the checkpoint stage counts only calls that kept a state", () => {
  const m = new Metrics();
  m.observeTiming({ queue_ms: 0, restore_ms: 1, exec_ms: 1, checkpoint_ms: 0, total_ms: 2 });
  m.observeTiming({ queue_ms: 0, restore_ms: 1, exec_ms: 1, checkpoint_ms: 1.5, total_ms: 3.5 });
  const { samples } = parse(m.render());
  assert.equal(find(samples, "arbor_call_stage_seconds_count", { stage: "exec" })?.value, 2);
  assert.equal(find(samples, "arbor_call_stage_seconds_count", { stage: "checkpoint" })?.value, 1);
  assert.equal(find(samples, "arbor_call_stage_seconds_sum", { stage: "checkpoint" })?.value, 0.0015);
});

test("an empty summary reports NaN quantiles and zero count", () => {
  const { samples } = parse(new Metrics().render());
  const p50 = find(samples, "arbor_call_stage_seconds", { stage: "total", quantile: "0.5" });
  assert.ok(p50 && Number.isNaN(p50.value));
  assert.equal(find(samples, "arbor_call_stage_seconds_count", { stage: "total" })?.value, 0);
});

test("invalid durations are ignored instead of corrupting the histogram", () => {
  const m = new Metrics();
  m.observeStage("exec", -1);
  m.observeStage("exec", Number.NaN);
  m.observeStage("exec", Infinity);
  const { samples } = parse(m.render());
  assert.equal(find(samples, "arbor_call_stage_seconds_count", { stage: "exec" })?.value, 0);
});

test("label values with quotes, backslashes and newlines are escaped and round-trip", () => {
  const nasty = 'we"ird\\ten\nant';
  assert.equal(escapeLabelValue(nasty), 'we\\"ird\\\\ten\\nant');
  const m = new Metrics();
  m.recordCall(nasty, "ok");
  const text = m.render();
  const { samples } = parse(text);
  assert.equal(find(samples, "arbor_calls_total", { status: "ok" })?.labels.tenant, nasty);
  assert.ok(!text.includes("ten\nant"), "no raw newline inside a label");
});

test("gauges are read from callbacks at render time; missing or throwing sources are omitted", () => {
  let depth = 3;
  const m = new Metrics({ pool_size: () => 4, queue_depth: () => depth, states_bytes: () => { throw new Error("x"); } });
  m.setGaugeSource("busy_workers", () => 2);
  depth = 5;
  const { type, samples } = parse(m.render());
  assert.equal(find(samples, "arbor_pool_workers", {})?.value, 4);
  assert.equal(find(samples, "arbor_pool_busy_workers", {})?.value, 2);
  assert.equal(find(samples, "arbor_queue_depth", {})?.value, 5);
  assert.equal(family(samples, "arbor_states_bytes").length, 0);
  assert.equal(family(samples, "arbor_states").length, 0);
  assert.equal(type.get("arbor_states_bytes"), "gauge");
});

test("series per family are capped; overflow folds into one _overflow series", () => {
  const m = new Metrics();
  for (let i = 0; i < 1005; i++) m.recordHttpResponse(`/raw/${i}`, 200);
  const http = family(parse(m.render()).samples, "arbor_http_responses_total");
  assert.equal(http.length, 1001);
  assert.equal(find(http, "arbor_http_responses_total", { route: "_overflow" })?.value, 5);
});
