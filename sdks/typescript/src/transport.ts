// One HTTP exchange with the daemon over a keep-alive undici Pool: auth header, client-side
// deadline, JSON in and out, and non-2xx answers turned into typed errors. Retries of 429s
// live in client.ts; the one retry here is for a pooled connection the server already closed.
import { Pool, errors as undiciErrors } from "undici";
import { ArborError, ConnectionError, errorFromResponse, invalidResponse } from "./errors.ts";
import { parseRetryAfter } from "./retry.ts";

export interface RawRequest {
  method: "GET" | "POST" | "DELETE";
  /** Path under the base URL, e.g. "/v1/eval". */
  path: string;
  /** A JSON body. */
  json?: unknown;
  /** A body sent as is (with content-type application/json); for tests of malformed input. */
  raw?: string;
  /** Client-side deadline for this exchange; the client's `timeoutMs` when unset. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or null for an empty body (204). */
  body: unknown;
  requestId: string | undefined;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
  connections: number;
  userAgent: string;
}

// A request on a pooled socket the server had already closed fails with one of these before
// any response byte; the request never reached the daemon, so sending it again is safe.
const STALE_SOCKET_CODES: ReadonlySet<string> = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);

export class Transport {
  private readonly pool: Pool;
  private readonly prefix: string;
  private closed = false;

  constructor(private readonly options: TransportOptions) {
    const url = new URL(options.baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, "");
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      // The deadline below covers headers and body together.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  async send(req: RawRequest): Promise<RawResponse> {
    if (this.closed) throw new ConnectionError("The client is closed.");
    try {
      return await this.once(req);
    } catch (err) {
      if (!isStaleSocket(err)) throw err;
      return await this.once(req);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
  }

  private async once(req: RawRequest): Promise<RawResponse> {
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
    try {
      const res = await this.pool.request({
        method: req.method,
        path: this.prefix + req.path,
        headers: this.headers(req),
        body: req.raw ?? (req.json === undefined ? undefined : JSON.stringify(req.json)),
        signal,
      });
      const text = await res.body.text();
      const requestId = header(res.headers["x-request-id"]);
      const body = parseBody(text, res.statusCode, requestId);
      if (res.statusCode < 200 || res.statusCode >= 300) {
        throw errorFromResponse(res.statusCode, body, {
          requestId,
          retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
        });
      }
      return { status: res.statusCode, headers: res.headers, body, requestId };
    } catch (err) {
      if (err instanceof ArborError) throw err;
      if (deadline.signal.aborted && !req.signal?.aborted) {
        throw new ConnectionError(`No response within ${timeoutMs} ms.`, { timedOut: true, cause: err });
      }
      if (req.signal?.aborted) throw err;
      throw new ConnectionError(`Cannot reach Arbor at ${this.options.baseUrl}: ${describe(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  private headers(req: RawRequest): Record<string, string> {
    const headers: Record<string, string> = { accept: "application/json", "user-agent": this.options.userAgent };
    if (req.json !== undefined || req.raw !== undefined) headers["content-type"] = "application/json";
    if (this.options.apiKey !== undefined) headers.authorization = `Bearer ${this.options.apiKey}`;
    return headers;
  }
}

function parseBody(text: string, status: number, requestId: string | undefined): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    // A non-JSON error body still becomes a typed error, by status; a non-JSON success is a bug.
    if (status >= 300) return text;
    throw invalidResponse(`a response that is not JSON (HTTP ${status})`, requestId, { status, cause });
  }
}

function isStaleSocket(err: unknown): boolean {
  if (!(err instanceof ConnectionError) || err.timedOut) return false;
  const cause = err.cause;
  if (cause instanceof undiciErrors.SocketError) return true;
  const code = typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === "string" && STALE_SOCKET_CODES.has(code);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" ? `${code} ${err.message}` : err.message;
  }
  return String(err);
}
