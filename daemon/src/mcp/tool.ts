// The MCP server with Arbor's one tool, `run_python`. Both transports (/mcp over HTTP and
// `arbor mcp` over stdio) build it around a RunPython function, so the tool is defined once.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { evalResponse, type EvalResponse } from "../wire/eval.ts";
import { evalToolResult, refusalToolResult } from "./format.ts";

export interface RunPythonArgs {
  code: string;
  timeout_ms?: number;
}

/** Runs one call; throws (ArborError) when Arbor refuses it. The signal aborts it. */
export type RunPython = (args: RunPythonArgs, signal: AbortSignal) => Promise<EvalResponse>;

export const RUN_PYTHON_DESCRIPTION =
  "Run Python code in a fresh, isolated CPython interpreter (Python standard library). " +
  "Every call starts from a clean interpreter: variables, imports and files from earlier calls " +
  "are gone, so send everything the code needs in one call. Returns what the code printed " +
  "(stdout, stderr) and the repr() of the last expression, like a REPL cell; on failure, the " +
  "exception type, message and traceback.";

// zod 4 shapes: the SDK (>= 1.23) accepts zod 4 and turns them into the tool's JSON Schema.
export const runPythonInput = {
  code: z.string().describe("Python source, run like a REPL cell: the value of the last expression is returned."),
  timeout_ms: z
    .int()
    .positive()
    .optional()
    .describe("Wall-time limit in milliseconds; the server's default and maximum apply."),
};

export function createMcpServer(run: RunPython): McpServer {
  const server = new McpServer({ name: "arbor", version: "0.1.0" });
  server.registerTool(
    "run_python",
    {
      title: "Run Python",
      description: RUN_PYTHON_DESCRIPTION,
      inputSchema: runPythonInput,
      outputSchema: evalResponse,
      // Sandboxed: nothing outside the fresh interpreter is changed unless the operator granted
      // host capabilities.
      annotations: { title: "Run Python", destructiveHint: false, idempotentHint: false },
    },
    async (args, extra) => {
      try {
        return evalToolResult(await run(args, extra.signal));
      } catch (err) {
        return refusalToolResult(err);
      }
    },
  );
  return server;
}
