// The MCP transport answers a request it refuses (wrong Accept or Content-Type, a body that is no
// JSON-RPC message, ...) with a JSON-RPC error object and an HTTP error status. Every non-2xx
// answer of the daemon has the API's envelope instead (docs/errors.md), so those answers are
// mapped to it here; the transport's JSON-RPC error travels along in `details.jsonrpc_error`.
// MCP clients do not read the body of an HTTP error (they report the status and text), and
// JSON-RPC errors inside a 200 answer (a failed tool call) are left alone.
import { ArborError, type ErrorCode } from "../errors.ts";

const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: "invalid_request",
  404: "not_found",
  405: "method_not_allowed",
  406: "not_acceptable",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

interface JsonRpcError {
  code: unknown;
  message: unknown;
}

/** Returns the API error for a transport answer with an error status, or undefined for any other. */
export async function transportRefusal(response: Response): Promise<ArborError | undefined> {
  if (response.status < 400) return undefined;
  const jsonrpcError = await jsonRpcErrorOf(response);
  const code = CODE_OF_STATUS[response.status];
  // Anything else (a 500, or statuses this stateless route cannot produce) is not the client's
  // doing: the generic internal error, with the transport's text kept for the log as the cause.
  if (code === undefined) return new ArborError("internal", { cause: new Error(`MCP transport answered ${response.status}: ${String(jsonrpcError?.message)}`) });
  const message = typeof jsonrpcError?.message === "string" ? jsonrpcError.message : undefined;
  return new ArborError(code, { message, details: jsonrpcError ? { jsonrpc_error: { code: jsonrpcError.code, message } } : undefined });
}

async function jsonRpcErrorOf(response: Response): Promise<JsonRpcError | undefined> {
  try {
    const body = (await response.json()) as { error?: JsonRpcError };
    return typeof body?.error === "object" && body.error !== null ? body.error : undefined;
  } catch {
    return undefined;
  }
}
