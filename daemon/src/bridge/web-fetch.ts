// The `web_fetch` capability: one HTTP(S) request with the allowlist checked on every redirect
// hop and every resolved address, a response size cap (the body is cut and `truncated` set) and
// a time cap covering the whole exchange, redirects included.
import type { Readable } from "node:stream";
import { Agent, request } from "undici";
import { denied, type HostCallError, osError, quote, timeoutError, valueError } from "./errors.ts";
import { guardedLookup } from "./guarded-lookup.ts";
import type { WebFetchCall, WebFetchValue } from "./messages.ts";
import type { WebFetchPolicy } from "./policy.ts";
import { checkDestination, parseUrl } from "./web-destination.ts";
import { CROSS_ORIGIN_DROPPED, flattenResponseHeaders, requestHeaders } from "./web-headers.ts";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface WebFetchContext {
  deadline: number;
  signal?: AbortSignal;
}

type Method = WebFetchCall["args"]["method"];

interface Hop {
  url: URL;
  method: Method;
  headers: Record<string, string>;
  body: Buffer | null;
}

/** A response as fetched: the body as bytes (cut at max_response_bytes, then `truncated`). */
export interface FetchedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
  url: string;
}

/** host.web_fetch: the response with its body as text when it is UTF-8, else base64. */
export async function webFetch(policy: WebFetchPolicy, args: WebFetchCall["args"], ctx: WebFetchContext): Promise<WebFetchValue> {
  const { body, truncated, ...rest } = await fetchUnderPolicy(policy, args, ctx);
  const text = decodeUtf8(body, truncated);
  return { ...rest, body: text ?? body.toString("base64"), encoding: text === null ? "base64" : "utf-8", truncated };
}

/**
 * The request under a web_fetch policy, every check included; the body stays bytes. Shared by
 * host.web_fetch and by tools' outgoing HTTP (daemon/src/tools/http.ts).
 */
export async function fetchUnderPolicy(policy: WebFetchPolicy, args: WebFetchCall["args"], ctx: WebFetchContext): Promise<FetchedResponse> {
  let hop = prepare(policy, args);
  const timeoutMs = Math.min(policy.timeout_ms, ctx.deadline - Date.now());
  if (timeoutMs <= 0) throw timeoutError("web_fetch", "no time left before the eval deadline");
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;
  const timedOut = () =>
    timeout.aborted
      ? timeoutError("web_fetch", `timed out after ${timeoutMs} ms (web_fetch.timeout_ms or the eval deadline)`)
      : timeoutError("web_fetch", "cancelled");

  for (let redirects = 0; ; redirects++) {
    const dest = checkDestination(policy, hop.url);
    checkMethod(policy, hop.method);
    let lookupDenial: HostCallError | null = null;
    const agent = new Agent({
      connect: {
        lookup: guardedLookup(dest.explicit, (e) => {
          lookupDenial = e;
        }),
        timeout: timeoutMs,
      },
      connections: 1,
    });
    try {
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(hop.url, {
          dispatcher: agent,
          method: hop.method,
          headers: hop.headers,
          body: hop.body,
          signal,
        });
      } catch (e) {
        if (lookupDenial) throw lookupDenial;
        if (signal.aborted) throw timedOut();
        throw osError("web_fetch", `request to ${quote(hop.url.origin)} failed: ${errorCode(e)}`);
      }
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode) && typeof location === "string") {
        // Discard the redirect's body. Destroying emits an AbortError; without a listener it
        // would be an uncaught exception in the daemon.
        res.body.on("error", () => undefined).destroy();
        if (redirects >= policy.max_redirects) {
          throw osError("web_fetch", `too many redirects (more than web_fetch.max_redirects = ${policy.max_redirects})`);
        }
        hop = nextHop(hop, res.statusCode, location);
        continue;
      }
      const { body, truncated } = await readCapped(res.body, policy.max_response_bytes).catch((e: unknown) => {
        throw signal.aborted ? timedOut() : osError("web_fetch", `reading the response failed: ${errorCode(e)}`);
      });
      return { status: res.statusCode, headers: flattenResponseHeaders(res.headers), body, truncated, url: hop.url.href };
    } finally {
      agent.destroy().catch(() => undefined);
    }
  }
}

/** Everything checkable before the network: URL, method, headers, body. */
function prepare(policy: WebFetchPolicy, args: WebFetchCall["args"]): Hop {
  const url = parseUrl(args.url);
  checkDestination(policy, url);
  checkMethod(policy, args.method);
  const headers = requestHeaders(policy, args.headers);
  const body = args.body_b64 != null ? Buffer.from(args.body_b64, "base64") : null;
  if (body !== null) {
    if (args.method === "GET" || args.method === "HEAD") {
      throw valueError("web_fetch", `a ${args.method} request cannot have a body`);
    }
    if (body.length > policy.max_request_bytes) {
      throw denied("web_fetch", `request body of ${body.length} bytes is over web_fetch.max_request_bytes (${policy.max_request_bytes})`);
    }
  }
  return { url, method: args.method, headers, body };
}

function checkMethod(policy: WebFetchPolicy, method: string): void {
  if (!(policy.methods as readonly string[]).includes(method)) {
    throw denied("web_fetch", `method ${quote(method)} is not in web_fetch.methods`);
  }
}

/** Follow one redirect the way browsers do: 303 (and 301/302 after POST) become GET without a body. */
function nextHop(prev: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = new URL(location, prev.url);
  } catch {
    throw osError("web_fetch", `redirect to an invalid URL ${quote(location)}`);
  }
  let { method, body } = prev;
  const headers = { ...prev.headers };
  if ((status === 303 && method !== "HEAD") || ((status === 301 || status === 302) && method === "POST")) {
    method = "GET";
    body = null;
    for (const h of Object.keys(headers)) if (h.startsWith("content-")) delete headers[h];
  }
  if (url.origin !== prev.url.origin) for (const h of CROSS_ORIGIN_DROPPED) delete headers[h];
  return { url, method, headers, body };
}

async function readCapped(body: Readable, cap: number) {
  body.on("error", () => undefined); // errors surface through the iterator; never as uncaught
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const take = Math.min(chunk.length, cap - size);
    if (take > 0) chunks.push(take === chunk.length ? chunk : chunk.subarray(0, take));
    size += take;
    if (take < chunk.length) {
      // Stop the transfer instead of downloading what we would throw away.
      truncated = true;
      body.destroy();
      break;
    }
  }
  return { body: Buffer.concat(chunks), truncated };
}

/** UTF-8 text, or null when the body is not UTF-8. A cut body may end mid-character: drop that tail. */
function decodeUtf8(b: Buffer, truncated: boolean): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(b, { stream: truncated });
  } catch {
    return null;
  }
}

function errorCode(e: unknown): string {
  if (typeof e === "object" && e !== null) {
    const cause = "cause" in e ? (e as { cause?: unknown }).cause : undefined;
    const code = "code" in e ? String((e as { code: unknown }).code) : undefined;
    const causeCode = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined;
    return causeCode ?? code ?? (e instanceof Error ? e.name : "error");
  }
  return "error";
}
