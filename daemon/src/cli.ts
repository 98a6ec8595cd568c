// `npx arbor <serve|eval|bench|mcp>`. Each command has --help; exit codes: 0 ok, 1 the Python
// code failed (eval), 2 usage or config error.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { availableParallelism } from "node:os";
import { ConfigError, loadConfig } from "./config/index.ts";
import { serve } from "./commands/serve.ts";
import { evalCommand } from "./commands/eval.ts";
import { mcpCommand } from "./commands/mcp.ts";

const USAGE = `arbor — a fresh CPython interpreter for every call

Usage: arbor <command> [options]

Commands:
  serve            run the HTTP daemon (default 127.0.0.1:8787)
  eval FILE|-      run a Python file (or stdin) in a fresh interpreter; print stdout and result
  mcp              serve the run_python tool over MCP on stdio (for agent hosts)
  bench            run the benchmarks (same as npm run bench)

Run 'arbor <command> --help' for the options of one command.`;

const HELP: Record<string, string> = {
  serve: `Usage: arbor serve [--config FILE] [--host HOST] [--port PORT] [--workers N]

Runs the daemon. Environment: ARBOR_CONFIG, ARBOR_HOST, ARBOR_PORT, ARBOR_WORKERS, ARBOR_LOG_LEVEL.
Without a config file an embedded default is used (open, loopback only). See docs/configuration.md.`,
  eval: `Usage: arbor eval FILE|- [--config FILE] [--timeout-ms N] [--json]

Runs the file (or standard input with '-') in a fresh interpreter and prints its stdout,
stderr (to stderr) and the repr of the last expression. Exit code 1 if the code raised.
Limits (timeout_ms, memory_mb, max_output_bytes) come from the config, as for serve
(--config FILE or ARBOR_CONFIG); --timeout-ms overrides the timeout.
--json prints the whole eval response as JSON instead.`,
  mcp: `Usage: arbor mcp [--config FILE] [--workers N]

Serves the MCP tool run_python over stdio (stdout is the protocol; messages go to stderr).
Boots its own interpreters (2 unless --workers or ARBOR_WORKERS says otherwise), or with
ARBOR_URL set forwards every call to that daemon. ARBOR_API_KEY: the tenant's key, when the
config (or the daemon at ARBOR_URL) has tenants. The daemon serves the same tool at /mcp.
See docs/agent-tool-backend.md.`,
  bench: `Usage: arbor bench [--quick]

Runs bench/run.ts: side-by-side benchmarks, results in bench/results/.`,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    const help = HELP[command];
    if (!help) return unknown(command);
    console.log(help);
    return 0;
  }
  try {
    switch (command) {
      case "serve":
        return await serve(loadConfig({ argv: rest }));
      case "eval":
        return await evalCommand(rest, (path) => (path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8")), loadConfig({ argv: rest }));
      case "mcp":
        // A tool process sits beside an editor or agent: a few interpreters, not one per core.
        return await mcpCommand(() => loadConfig({ argv: rest, cpuCount: Math.min(2, availableParallelism()) }));
      case "bench":
        return await benchCommand(rest);
      default:
        return unknown(command);
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

/** The bench is its own program (bench/run.ts, `npm run bench`): run it, do not import it. */
function benchCommand(args: string[]): Promise<number> {
  const script = fileURLToPath(new URL("../../bench/run.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: "inherit" });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

function unknown(command: string): number {
  console.error(`arbor: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}
