// pino options for the daemon: JSON lines, request ids, and no secrets or user code in logs.
import pino, { type LoggerOptions } from "pino";
import type { LogLevel } from "./config/index.ts";
import { randomIdBytes } from "./util/random-id-bytes.ts";

export const REQUEST_ID_HEADER = "x-request-id";

// Accept a caller's id only if it cannot inject into logs or headers and stays short.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

const ID_BYTES = 10;

/** `req_` + 16 base32 chars (80 random bits). */
export function newRequestId(): string {
  const bytes = randomIdBytes(ID_BYTES);
  let bits = 0;
  let value = 0;
  let out = "req_";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** fastify `genReqId`: reuses a safe incoming x-request-id, else mints one. */
export function genReqId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : newRequestId();
}

/** Log keys that carry user code or program data (request bodies, outputs, files). */
export const USER_DATA_LOG_KEYS = ["body", "code", "stdin", "stdout", "stderr", "result", "files", "traceback"] as const;

function withhold(value: unknown): string {
  return typeof value === "string" ? `[withheld: ${Buffer.byteLength(value)} bytes]` : "[withheld]";
}

interface LoggableRequest {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  tenant?: { name?: unknown } | undefined;
}

/** Requests are logged as id, method, url and tenant only: no headers, no body. */
export function serializeRequest(req: LoggableRequest) {
  return { id: req.id, method: req.method, url: req.url, tenant: req.tenant?.name };
}

export function loggerOptions(log: { readonly level: LogLevel; readonly log_code: boolean }): LoggerOptions {
  const userData = log.log_code ? {} : Object.fromEntries(USER_DATA_LOG_KEYS.map((key) => [key, withhold]));
  return {
    level: log.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { ...userData, req: serializeRequest },
    // Belt and braces for objects logged without going through the req serializer.
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "headers.authorization",
        "headers.cookie",
        "*.headers.authorization",
        "api_key",
        "*.api_key",
        "tenants[*].api_key",
      ],
      censor: "[redacted]",
    },
  };
}

/** How long a buffered log line may wait for more before it is written anyway. */
export const LOG_FLUSH_MS = 200;

/**
 * The daemon's log stream: stdout, written in batches of up to 4 KiB, at least every
 * LOG_FLUSH_MS, and flushed at exit (pino registers that for async destinations). At the
 * default level every request logs two lines, and a synchronous write per line cost a syscall
 * each (10–30 µs on a VM) on the request path.
 */
export function bufferedLogStream(): ReturnType<typeof pino.destination> {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => stream.flush(), LOG_FLUSH_MS).unref();
  return stream;
}
