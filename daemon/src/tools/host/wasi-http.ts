// wasi:http/types and wasi:http/outgoing-handler for tools, without a network: a request is
// collected here (method, URL, headers, the whole body), sent to the daemon through the tool
// host (http-channel.ts), and the daemon checks and performs it under the calling tenant's and
// the call's web_fetch policy (daemon/src/tools/http.ts). A refusal comes back as a wasi:http
// error-code. The answer arrives whole; its body is read from memory.
//
// Streams and pollables are wasi:io resources, which the guest may mix with the shim's own (a
// poll list with a clock in it): the streams here subclass the shim's classes, and every
// pollable is a real shim pollable (an already-elapsed clock, once the answer is in).
// Waiting happens where the guest asks to: subscribe() on a pending response blocks until the
// daemon answers; get() never blocks.
import * as shim from "@bytecodealliance/preview2-shim";
import { validateHeaderName, validateHeaderValue } from "node:http";
import { TOOL_HTTP_LIMITS, type ToolHttpReply, type ToolHttpRequest } from "./protocol.ts";

export interface HttpTransport {
  send(request: ToolHttpRequest): number;
  poll(req: number): ToolHttpReply | undefined;
  wait(req: number): ToolHttpReply;
}

let transport: HttpTransport | null = null;

/** The worker's channel to the daemon; without one every request is refused. */
export function setHttpTransport(t: HttpTransport | null): void {
  transport = t;
}

/** A wasi:http error-code value as jco lowers it. */
type ErrorCode = { tag: string; val?: unknown };

const denied = (why: string): ErrorCode => ({ tag: "internal-error", val: why });

// The shim's wasi:io classes, as bases and values (their typings declare private constructors).
const InputStreamBase = shim.io.streams.InputStream as unknown as new () => object;
const OutputStreamBase = shim.io.streams.OutputStream as unknown as new () => object;
const IoError = shim.io.error.Error as unknown as new (payload: unknown) => Error & { payload: unknown };

/** A pollable that is ready now: the answer (or the data) is already here. */
const ready = (): unknown => shim.clocks.monotonicClock.subscribeDuration(0n);

/** A stream error whose wasi:http error-code the guest can read (http-error-code). */
function streamFailure(code: ErrorCode, message: string): { tag: "last-operation-failed"; val: Error } {
  const err = new IoError(code);
  err.message = message;
  return { tag: "last-operation-failed", val: err };
}

// --- fields -------------------------------------------------------------------------------

// As the shim: these are the transport's business. (The daemon's web_fetch policy refuses more.)
const FORBIDDEN_FIELDS = new Set(["connection", "keep-alive", "host"]);
const latin1 = (v: Uint8Array) => Buffer.from(v).toString("latin1");

function checkField(name: string, value?: Uint8Array): void {
  try {
    validateHeaderName(name);
    if (value) validateHeaderValue(name, latin1(value));
  } catch {
    throw { tag: "invalid-syntax" };
  }
  if (FORBIDDEN_FIELDS.has(name.toLowerCase())) throw { tag: "forbidden" };
}

const immutable = new WeakSet<Fields>();

class Fields {
  #entries: [string, Uint8Array][] = [];

  static fromList(entries: [string, Uint8Array][]): Fields {
    const f = new Fields();
    for (const [name, value] of entries) f.append(name, value);
    return f;
  }

  get(name: string): Uint8Array[] {
    const lower = name.toLowerCase();
    return this.#entries.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  }

  has(name: string): boolean {
    return this.get(name).length > 0;
  }

  set(name: string, values: Uint8Array[]): void {
    this.#mutable();
    for (const v of values) checkField(name, v);
    checkField(name);
    this.#remove(name);
    for (const v of values) this.#entries.push([name, v]);
  }

  delete(name: string): void {
    this.#mutable();
    this.#remove(name);
  }

  append(name: string, value: Uint8Array): void {
    this.#mutable();
    checkField(name, value);
    this.#entries.push([name, value]);
  }

  entries(): [string, Uint8Array][] {
    return this.#entries.map(([n, v]) => [n, v]);
  }

  /** A mutable copy. */
  clone(): Fields {
    const f = new Fields();
    f.#entries = this.entries();
    return f;
  }

  #mutable(): void {
    if (immutable.has(this)) throw { tag: "immutable" };
  }

  #remove(name: string): void {
    const lower = name.toLowerCase();
    this.#entries = this.#entries.filter(([n]) => n.toLowerCase() !== lower);
  }

  static locked(entries: [string, Uint8Array][]): Fields {
    const f = new Fields();
    f.#entries = entries;
    immutable.add(f);
    return f;
  }
}

// --- the request --------------------------------------------------------------------------

/** The request body as the guest writes it, kept whole (up to the wire's cap). */
class BodyWriter extends OutputStreamBase {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  closed = false;

  checkWrite(): bigint {
    if (this.closed) throw { tag: "closed" };
    return BigInt(Math.max(0, Math.min(1 << 20, TOOL_HTTP_LIMITS.max_body_bytes - this.size)) || 1);
  }

  write(contents: Uint8Array): void {
    if (this.closed) throw { tag: "closed" };
    if (this.size + contents.length > TOOL_HTTP_LIMITS.max_body_bytes) {
      throw streamFailure({ tag: "HTTP-request-body-size", val: BigInt(this.size + contents.length) }, `the request body is over ${TOOL_HTTP_LIMITS.max_body_bytes} bytes`);
    }
    this.chunks.push(contents.slice());
    this.size += contents.length;
  }

  blockingWriteAndFlush(contents: Uint8Array): void {
    this.write(contents);
  }

  flush(): void {
    if (this.closed) throw { tag: "closed" };
  }

  blockingFlush(): void {
    this.flush();
  }

  writeZeroes(len: bigint): void {
    this.write(new Uint8Array(Number(len)));
  }

  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }

  splice(src: { read(len: bigint): Uint8Array }, len: bigint): bigint {
    const bytes = src.read(len);
    this.write(bytes);
    return BigInt(bytes.length);
  }

  blockingSplice(src: { blockingRead(len: bigint): Uint8Array }, len: bigint): bigint {
    const bytes = src.blockingRead(len);
    this.write(bytes);
    return BigInt(bytes.length);
  }

  subscribe(): unknown {
    return ready();
  }
}

class OutgoingBody {
  readonly writer = new BodyWriter();
  #streamTaken = false;
  finished = false;
  onFinish: (() => void) | null = null;

  write(): BodyWriter {
    if (this.#streamTaken) throw undefined;
    this.#streamTaken = true;
    return this.writer;
  }

  static finish(body: OutgoingBody, trailers?: Fields): void {
    if (trailers) throw { tag: "internal-error", val: "request trailers are not supported" };
    if (body.finished) throw { tag: "internal-error", val: "the body is already finished" };
    body.finished = true;
    body.writer.closed = true;
    body.onFinish?.();
  }
}

type Method = { tag: string; val?: string };
type Scheme = { tag: "HTTP" } | { tag: "HTTPS" } | { tag: "other"; val: string };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Characters a path and query may not hold raw; the daemon parses the URL again anyway.
const BAD_PATH = /[\u0000-\u0020\u007f#]/;
const BAD_AUTHORITY = /[\u0000-\u0020\u007f/?#@\\]/;

class OutgoingRequest {
  #headers: Fields;
  #method: Method = { tag: "get" };
  #scheme: Scheme | undefined;
  #authority: string | undefined;
  #path: string | undefined;
  readonly outgoing = new OutgoingBody();
  #bodyTaken = false;

  constructor(headers: Fields) {
    // The request owns its headers from here on: they can no longer change.
    this.#headers = Fields.locked(headers.entries());
  }

  body(): OutgoingBody {
    if (this.#bodyTaken) throw undefined;
    this.#bodyTaken = true;
    return this.outgoing;
  }

  get bodyTaken(): boolean {
    return this.#bodyTaken;
  }

  method(): Method {
    return this.#method;
  }

  setMethod(method: Method): void {
    if (method.tag === "other" && !TOKEN.test(method.val ?? "")) throw undefined;
    this.#method = method;
  }

  pathWithQuery(): string | undefined {
    return this.#path;
  }

  setPathWithQuery(path: string | undefined): void {
    if (path !== undefined && BAD_PATH.test(path)) throw undefined;
    this.#path = path;
  }

  scheme(): Scheme | undefined {
    return this.#scheme;
  }

  setScheme(scheme: Scheme | undefined): void {
    if (scheme?.tag === "other" && !/^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(scheme.val)) throw undefined;
    this.#scheme = scheme;
  }

  authority(): string | undefined {
    return this.#authority;
  }

  setAuthority(authority: string | undefined): void {
    if (authority !== undefined && (authority === "" || BAD_AUTHORITY.test(authority))) throw undefined;
    this.#authority = authority;
  }

  headers(): Fields {
    return this.#headers;
  }
}

/** Accepted for the interface's sake; the web_fetch policy's time cap is what applies. */
class RequestOptions {
  #connect: bigint | undefined;
  #firstByte: bigint | undefined;
  #betweenBytes: bigint | undefined;
  connectTimeout() {
    return this.#connect;
  }
  setConnectTimeout(d: bigint | undefined) {
    this.#connect = d;
  }
  firstByteTimeout() {
    return this.#firstByte;
  }
  setFirstByteTimeout(d: bigint | undefined) {
    this.#firstByte = d;
  }
  betweenBytesTimeout() {
    return this.#betweenBytes;
  }
  setBetweenBytesTimeout(d: bigint | undefined) {
    this.#betweenBytes = d;
  }
}

// --- the response -------------------------------------------------------------------------

class BodyReader extends InputStreamBase {
  #pos = 0;

  constructor(private readonly data: Uint8Array) {
    super();
  }

  read(len: bigint): Uint8Array {
    if (this.#pos >= this.data.length) throw { tag: "closed" };
    const n = Math.min(Number(len), this.data.length - this.#pos);
    const out = this.data.slice(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }

  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }

  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }

  subscribe(): unknown {
    return ready();
  }
}

class FutureTrailers {
  #taken = false;
  subscribe(): unknown {
    return ready();
  }
  get() {
    if (this.#taken) return { tag: "err", val: undefined };
    this.#taken = true;
    return { tag: "ok", val: { tag: "ok", val: undefined } };
  }
}

class IncomingBody {
  #reader: BodyReader | null;

  constructor(reader: BodyReader) {
    this.#reader = reader;
  }

  stream(): BodyReader {
    const r = this.#reader;
    if (!r) throw undefined;
    this.#reader = null;
    return r;
  }

  static finish(_body: IncomingBody): FutureTrailers {
    return new FutureTrailers();
  }
}

class IncomingResponse {
  #body: IncomingBody | null;

  constructor(
    private readonly code: number,
    private readonly fields: Fields,
    body: IncomingBody,
  ) {
    this.#body = body;
  }

  status(): number {
    return this.code;
  }

  headers(): Fields {
    return this.fields;
  }

  consume(): IncomingBody {
    const b = this.#body;
    if (!b) throw undefined;
    this.#body = null;
    return b;
  }
}

type Outcome = { tag: "ok"; val: IncomingResponse } | { tag: "err"; val: ErrorCode };

function errorCode(reply: Extract<ToolHttpReply, { ok: false }>): ErrorCode {
  switch (reply.code) {
    case "internal-error":
      return { tag: reply.code, val: reply.message };
    case "HTTP-response-body-size":
      return { tag: reply.code, val: undefined };
    default:
      return { tag: reply.code };
  }
}

function outcomeOf(reply: ToolHttpReply): Outcome {
  if (!reply.ok) return { tag: "err", val: errorCode(reply) };
  const headers = Fields.locked(reply.headers.map(([n, v]) => [n, Buffer.from(v, "latin1")]));
  const body = new Uint8Array(Buffer.from(reply.body_b64, "base64"));
  return { tag: "ok", val: new IncomingResponse(reply.status, headers, new IncomingBody(new BodyReader(body))) };
}

class FutureIncomingResponse {
  #req: number | null = null;
  #outcome: Outcome | null = null;
  #taken = false;
  #waitingForBody = false;

  /** The request left for the daemon (or failed before it could). */
  dispatch(request: ToolHttpRequest | ErrorCode): void {
    this.#waitingForBody = false;
    if ("tag" in request) this.#outcome = { tag: "err", val: request };
    else if (!transport) this.#outcome = { tag: "err", val: denied("outgoing HTTP is not available in this tool host") };
    else this.#req = transport.send(request);
  }

  awaitBody(): void {
    this.#waitingForBody = true;
  }

  subscribe(): unknown {
    this.#settle(true);
    return ready();
  }

  get() {
    if (this.#taken) return { tag: "err", val: undefined };
    this.#settle(false);
    if (!this.#outcome) return undefined;
    this.#taken = true;
    return { tag: "ok", val: this.#outcome };
  }

  #settle(block: boolean): void {
    if (this.#outcome) return;
    if (this.#waitingForBody) {
      // Waiting here would never end: the request leaves only once its body is finished.
      if (block) this.#outcome = { tag: "err", val: denied("the response was awaited before the request body was finished") };
      return;
    }
    if (this.#req === null || !transport) return;
    const reply = block ? transport.wait(this.#req) : transport.poll(this.#req);
    if (reply) this.#outcome = outcomeOf(reply);
  }
}

// --- sending --------------------------------------------------------------------------------

const METHOD_NAMES: Record<string, string> = { get: "GET", head: "HEAD", post: "POST", put: "PUT", delete: "DELETE", connect: "CONNECT", options: "OPTIONS", trace: "TRACE", patch: "PATCH" };

/** The request as the daemon gets it, or the error-code that stops it here. */
function wireRequest(request: OutgoingRequest): ToolHttpRequest | ErrorCode {
  const authority = request.authority();
  if (!authority) return { tag: "HTTP-request-URI-invalid" };
  const scheme = request.scheme();
  const schemeName = scheme === undefined || scheme.tag === "HTTPS" ? "https" : scheme.tag === "HTTP" ? "http" : scheme.val.toLowerCase();
  const url = `${schemeName}://${authority}${request.pathWithQuery() ?? "/"}`;
  if (url.length > TOOL_HTTP_LIMITS.max_url_chars) return { tag: "HTTP-request-URI-too-long" };
  const m = request.method();
  const method = m.tag === "other" ? (m.val ?? "") : (METHOD_NAMES[m.tag] ?? m.tag.toUpperCase());

  const body = request.outgoing.writer;
  const headers: [string, string][] = [];
  for (const [name, value] of request.headers().entries()) {
    if (name.toLowerCase() === "content-length") {
      // The daemon frames the body itself; a declared length must match what was written.
      if (Number(latin1(value)) !== body.size) return { tag: "HTTP-request-body-size", val: BigInt(body.size) };
      continue;
    }
    if (name.length > TOOL_HTTP_LIMITS.max_header_name_chars || value.length > TOOL_HTTP_LIMITS.max_header_value_chars) {
      return { tag: "HTTP-request-header-size", val: { fieldName: name.slice(0, 256), fieldSize: value.length } };
    }
    headers.push([name, latin1(value)]);
  }
  if (headers.length > TOOL_HTTP_LIMITS.max_headers) return { tag: "HTTP-request-header-section-size", val: headers.length };
  const body_b64 = body.size > 0 ? Buffer.concat(body.chunks).toString("base64") : null;
  return { method, url, headers, body_b64 };
}

export const outgoingHandler = {
  handle(request: OutgoingRequest, _options?: RequestOptions): FutureIncomingResponse {
    const future = new FutureIncomingResponse();
    const body = request.outgoing;
    if (!request.bodyTaken || body.finished) future.dispatch(wireRequest(request));
    else {
      // The guest may write the body after handing the request over (wasi:http allows it).
      future.awaitBody();
      body.onFinish = () => future.dispatch(wireRequest(request));
    }
    return future;
  },
};

class NotForTools {
  constructor() {
    throw new Error("incoming HTTP is not available to tools");
  }
}

export const types = {
  Fields,
  FutureIncomingResponse,
  FutureTrailers,
  IncomingBody,
  IncomingRequest: NotForTools,
  IncomingResponse,
  OutgoingBody,
  OutgoingRequest,
  OutgoingResponse: NotForTools,
  ResponseOutparam: NotForTools,
  RequestOptions,
  httpErrorCode(err: { payload?: unknown }): ErrorCode | undefined {
    const p = err?.payload as ErrorCode | undefined;
    return p && typeof p === "object" && typeof p.tag === "string" ? p : undefined;
  },
};
