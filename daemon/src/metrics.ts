// Daemon metrics rendered in the Prometheus text exposition format (0.0.4). Pure: no server
// imports; the server records into it and serves render() at GET /metrics.
import { build, type Histogram } from "hdr-histogram-js";

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export const STAGES = ["queue", "restore", "exec", "checkpoint", "total"] as const;
export type Stage = (typeof STAGES)[number];

export const QUANTILES = [0.5, 0.9, 0.99, 0.999] as const;

/** Current values read at scrape time; a missing or throwing source omits its sample. */
export interface GaugeSources {
  pool_size?: () => number;
  busy_workers?: () => number;
  queue_depth?: () => number;
  states_count?: () => number;
  states_bytes?: () => number;
}

const GAUGES: Record<keyof GaugeSources, { name: string; help: string }> = {
  pool_size: { name: "arbor_pool_workers", help: "Interpreter worker processes in the pool." },
  busy_workers: { name: "arbor_pool_busy_workers", help: "Workers currently running a call." },
  queue_depth: { name: "arbor_queue_depth", help: "Calls waiting for a worker." },
  states_count: { name: "arbor_states", help: "Stored states." },
  states_bytes: { name: "arbor_states_bytes", help: "Bytes held by stored states." },
};

// Past this many series a family folds new label values into "_overflow", so a caller that
// passes raw URLs instead of route patterns cannot grow memory without bound.
const MAX_SERIES_PER_FAMILY = 1000;
const OVERFLOW = "_overflow";

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function labelText(names: readonly string[], values: readonly string[]): string {
  if (names.length === 0) return "";
  return `{${names.map((n, i) => `${n}="${escapeLabelValue(values[i] ?? "")}"`).join(",")}}`;
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
}

class CounterFamily {
  private readonly series = new Map<string, { labels: string[]; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    // A counter without labels exists from the start, reading 0.
    if (labelNames.length === 0) this.series.set("[]", { labels: [], value: 0 });
  }

  inc(labels: readonly string[], by = 1): void {
    let key = JSON.stringify(labels);
    let entry = this.series.get(key);
    if (!entry && this.series.size >= MAX_SERIES_PER_FAMILY) {
      const folded = labels.map(() => OVERFLOW);
      key = JSON.stringify(folded);
      entry = this.series.get(key);
      labels = folded;
    }
    if (!entry) {
      entry = { labels: [...labels], value: 0 };
      this.series.set(key, entry);
    }
    entry.value += by;
  }

  render(): string {
    let out = header(this.name, this.help, "counter");
    for (const { labels, value } of this.series.values()) {
      out += `${this.name}${labelText(this.labelNames, labels)} ${formatValue(value)}\n`;
    }
    return out;
  }
}

class StageSummary {
  private readonly histogram: Histogram;
  private sumSeconds = 0;

  constructor() {
    // Microsecond resolution, 3 significant digits; grows past 1 h instead of dropping values.
    this.histogram = build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
      autoResize: true,
    });
  }

  observe(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.histogram.recordValue(Math.round(ms * 1000));
    this.sumSeconds += ms / 1000;
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  get sum(): number {
    return this.sumSeconds;
  }

  quantileSeconds(q: number): number {
    return this.count === 0 ? Number.NaN : this.histogram.getValueAtPercentile(q * 100) / 1e6;
  }
}

export interface CallTiming {
  queue_ms: number;
  restore_ms: number;
  restore_wait_ms?: number;
  exec_ms: number;
  checkpoint_ms?: number;
  total_ms: number;
}

export class Metrics {
  private readonly calls = new CounterFamily("arbor_calls_total", "Calls finished, by tenant and eval status.", [
    "tenant",
    "status",
  ]);
  private readonly http = new CounterFamily(
    "arbor_http_responses_total",
    "HTTP responses, by route pattern and status code.",
    ["route", "code"],
  );
  private readonly hardKills = new CounterFamily(
    "arbor_executor_hard_kills_total",
    "Executor processes killed from outside (e.g. timeout or memory limit), by reason.",
    ["reason"],
  );
  private readonly crashes = new CounterFamily("arbor_executor_crashes_total", "Executor processes that died unexpectedly.", []);
  private readonly respawns = new CounterFamily("arbor_executor_respawns_total", "Executor processes started to replace one.", []);
  private readonly hostCalls = new CounterFamily(
    "arbor_host_calls_total",
    "Sandbox host calls (host.shell, host.read_file, ...), by name and outcome.",
    ["name", "outcome"],
  );
  private readonly stages = new Map<Stage, StageSummary>(STAGES.map((s) => [s, new StageSummary()]));
  private readonly gaugeSources: GaugeSources;

  constructor(gauges: GaugeSources = {}) {
    this.gaugeSources = { ...gauges };
  }

  /** For sources created after the Metrics object (the pool, the state store). */
  setGaugeSource(gauge: keyof GaugeSources, read: () => number): void {
    this.gaugeSources[gauge] = read;
  }

  recordCall(tenant: string, status: string): void {
    this.calls.inc([tenant, status]);
  }

  /** `route` must be the route pattern (e.g. `/v1/states/:state_id/eval`), not the raw URL. */
  recordHttpResponse(route: string, statusCode: number): void {
    this.http.inc([route, String(statusCode)]);
  }

  recordHardKill(reason: string): void {
    this.hardKills.inc([reason]);
  }

  recordExecutorCrash(): void {
    this.crashes.inc([]);
  }

  recordExecutorRespawn(): void {
    this.respawns.inc([]);
  }

  recordHostCall(name: string, outcome: string): void {
    this.hostCalls.inc([name, outcome]);
  }

  observeStage(stage: Stage, ms: number): void {
    this.stages.get(stage)?.observe(ms);
  }

  /** Records the stages from an eval response's `timing`; `checkpoint` only for calls that captured a state. */
  observeTiming(timing: CallTiming): void {
    this.observeStage("queue", timing.queue_ms);
    this.observeStage("restore", timing.restore_ms);
    this.observeStage("exec", timing.exec_ms);
    if (timing.checkpoint_ms) this.observeStage("checkpoint", timing.checkpoint_ms);
    this.observeStage("total", timing.total_ms);
  }

  render(): string {
    const parts = [this.calls, this.http, this.hardKills, this.crashes, this.respawns, this.hostCalls].map((c) =>
      c.render(),
    );
    parts.push(this.renderGauges(), this.renderStages());
    return parts.join("");
  }

  private renderGauges(): string {
    let out = "";
    for (const [key, { name, help }] of Object.entries(GAUGES) as Array<[keyof GaugeSources, { name: string; help: string }]>) {
      out += header(name, help, "gauge");
      const value = readGauge(this.gaugeSources[key]);
      if (value !== undefined) out += `${name} ${formatValue(value)}\n`;
    }
    return out;
  }

  private renderStages(): string {
    const name = "arbor_call_stage_seconds";
    let out = header(name, "Call latency per stage (queue, restore, exec, total), in seconds, since start.", "summary");
    for (const [stage, summary] of this.stages) {
      for (const q of QUANTILES) {
        out += `${name}${labelText(["stage", "quantile"], [stage, String(q)])} ${formatValue(summary.quantileSeconds(q))}\n`;
      }
      out += `${name}_sum${labelText(["stage"], [stage])} ${formatValue(summary.sum)}\n`;
      out += `${name}_count${labelText(["stage"], [stage])} ${formatValue(summary.count)}\n`;
    }
    return out;
  }
}

function readGauge(read: (() => number) | undefined): number | undefined {
  if (!read) return undefined;
  try {
    const value = read();
    return typeof value === "number" ? value : undefined;
  } catch {
    return undefined; // a broken source must not take /metrics down
  }
}
