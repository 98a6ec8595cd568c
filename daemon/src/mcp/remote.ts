// run_python against a running daemon (ARBOR_URL): POST /v1/eval with the tenant's key. Used by
// `arbor mcp` when the interpreters live elsewhere; the daemon enforces limits and policy.
import { ArborError, isErrorCode } from "../errors.ts";
import { evalResponse } from "../wire/eval.ts";
import type { RunPython } from "./tool.ts";

export function remoteRunPython(baseUrl: string, apiKey: string | undefined): RunPython {
  const url = new URL("v1/eval", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  return async (args, signal) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify(args),
      signal,
    });
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) return evalResponse.parse(body); // drops fields this version does not know
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = isErrorCode(error?.code) ? error.code : "internal";
    const message = typeof error?.message === "string" ? error.message : `${url.origin} answered HTTP ${res.status}`;
    throw new ArborError(code, { message });
  };
}
