// Test components, built offline during the test run and cached by source hash in the project's
// ignored cache dir (.arbor-cache/test-components/), so each is built once per machine (a
// componentize-js build takes ~15–40 s; a WAT one milliseconds). Nothing here is committed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const CACHE = fileURLToPath(new URL("../../.arbor-cache/test-components", import.meta.url));
// The package exports no package.json: read it next to its entry point.
const CJS_VERSION = (JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.resolve("@bytecodealliance/componentize-js"))), "../package.json"), "utf8")) as { version: string }).version;

export interface Built {
  path: string;
  sha256: string;
}

function cached(key: string, build: () => Promise<Uint8Array>): Promise<Built> {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, `${key}.wasm`);
  const done = (): Built => ({ path, sha256: createHash("sha256").update(readFileSync(path)).digest("hex") });
  if (existsSync(path)) return Promise.resolve(done());
  return build().then((bytes) => {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
    return done();
  });
}

const inFlight = new Map<string, Promise<Built>>();

/** A JavaScript function compiled to a component by componentize-js (WIT passed as a string). */
export function jsComponent(name: string, source: string, wit: string, disableFeatures: string[]): Promise<Built> {
  const key = `${name}-${createHash("sha256").update(JSON.stringify([source, wit, disableFeatures, CJS_VERSION])).digest("hex").slice(0, 16)}`;
  let p = inFlight.get(key);
  if (!p) {
    p = cached(key, async () => {
      const { componentize } = (await import("@bytecodealliance/componentize-js")) as unknown as {
        componentize(opts: { sourcePath: string; witWorld: string; disableFeatures: string[] }): Promise<{ component: Uint8Array }>;
      };
      const dir = join(CACHE, `src-${key}`);
      mkdirSync(dir, { recursive: true });
      const sourcePath = join(dir, "tool.js");
      writeFileSync(sourcePath, source);
      process.stderr.write(`tools tests: building test component '${name}' with componentize-js (cached afterwards)\n`);
      const { component } = await componentize({ sourcePath, witWorld: wit, disableFeatures });
      return component;
    });
    inFlight.set(key, p);
  }
  return p;
}

/** A component from WebAssembly text, assembled by jco. */
export function watComponent(name: string, wat: string): Promise<Built> {
  const key = `${name}-${createHash("sha256").update(wat).digest("hex").slice(0, 16)}`;
  return cached(key, async () => {
    const { parse } = await import("@bytecodealliance/jco");
    return parse(wat);
  });
}

// --- The components the tool tests use -----------------------------------------------------

const SUMMARIZE_WIT = `package test:summarize;
world summarize {
  record item { label: string, qty: u32, price: f64 }
  record summary { greeting: string, count: u32, total: f64, tags: list<string>, note: option<string> }
  export summarize: func(name: string, items: list<item>, note: option<string>) -> result<summary, string>;
}`;

const SUMMARIZE_JS = `export function summarize(name, items, note) {
  if (items.length === 0) throw "no items";
  let total = 0;
  for (const it of items) total += it.qty * it.price;
  return { greeting: "hello " + name, count: items.length, total, tags: items.map((i) => i.label), note };
}`;

/** A pure function over strings, records, lists, option and result: no WASI imports at all. */
export const summarizeComponent = () => jsComponent("summarize", SUMMARIZE_JS, SUMMARIZE_WIT, ["stdio", "random", "clocks", "http", "fetch-event"]);

// Only the parts of wasi:filesystem the reader uses, as this test's own WIT (the types must
// match WASI's, since the engine's adapter imports the same interface).
const READER_WIT = `package test:reader;
world reader {
  import wasi:filesystem/preopens@0.2.3;
  export read-text: func(path: string) -> result<string, string>;
  export write-text: func(path: string, text: string) -> result<u32, string>;
}
package wasi:filesystem@0.2.3 {
  interface types {
    type filesize = u64;
    enum error-code {
      access, would-block, already, bad-descriptor, busy, deadlock, quota, exist, file-too-large,
      illegal-byte-sequence, in-progress, interrupted, invalid, io, is-directory, loop, too-many-links,
      message-size, name-too-long, no-device, no-entry, no-lock, insufficient-memory, insufficient-space,
      not-directory, not-empty, not-recoverable, unsupported, no-tty, no-such-device, overflow,
      not-permitted, pipe, read-only, invalid-seek, text-file-busy, cross-device,
    }
    flags path-flags { symlink-follow }
    flags open-flags { create, directory, exclusive, truncate }
    flags descriptor-flags { read, write, file-integrity-sync, data-integrity-sync, requested-write-sync, mutate-directory }
    resource descriptor {
      read: func(length: filesize, offset: filesize) -> result<tuple<list<u8>, bool>, error-code>;
      write: func(buffer: list<u8>, offset: filesize) -> result<filesize, error-code>;
      open-at: func(path-flags: path-flags, path: string, open-flags: open-flags, %flags: descriptor-flags) -> result<descriptor, error-code>;
    }
  }
  interface preopens {
    use types.{descriptor};
    get-directories: func() -> list<tuple<descriptor, string>>;
  }
}`;

const READER_JS = `import { getDirectories } from "wasi:filesystem/preopens@0.2.3";
export function readText(path) {
  console.log("reading " + path);
  const dirs = getDirectories();
  if (dirs.length === 0) throw "no preopened directory";
  const [dir] = dirs[0];
  let fd;
  try {
    fd = dir.openAt({ symlinkFollow: false }, path, {}, { read: true });
  } catch (e) {
    throw "cannot open " + path + ": " + (e && e.payload !== undefined ? e.payload : e);
  }
  const [bytes] = fd.read(1048576n, 0n);
  return new TextDecoder().decode(bytes);
}
export function writeText(path, text) {
  const dirs = getDirectories();
  if (dirs.length === 0) throw "no preopened directory";
  const [dir] = dirs[0];
  const bytes = new TextEncoder().encode(text);
  try {
    const fd = dir.openAt({ symlinkFollow: false }, path, { create: true, truncate: true }, { write: true });
    fd.write(bytes, 0n);
  } catch (e) {
    throw "cannot write " + path + ": " + (e && e.payload !== undefined ? e.payload : e);
  }
  return bytes.length;
}`;

/** Reads (read-text) or writes (write-text) a file under its one preopened directory (the tenant's files.root). */
export const readerComponent = () => jsComponent("files", READER_JS, READER_WIT, ["random", "http", "fetch-event"]);

/** The reader's manifest: its adapter also imports stdio, clocks and I/O streams. */
export const READER_WASI = ["wasi:filesystem/*", "wasi:io/*", "wasi:cli/*", "wasi:clocks/*"];

/** Misbehaving functions: a trap, an endless loop, and a memory hog (grows until refused, then traps). */
export const misbehaveComponent = () =>
  watComponent(
    "misbehave",
    `(component
  (core module $m
    (memory (export "memory") 1)
    (func (export "boom") unreachable)
    (func (export "spin") (loop $l (br $l)))
    (func (export "hog") (result i32)
      (loop $l (br_if $l (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
      unreachable)
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (core instance $i (instantiate $m))
  (func (export "boom") (canon lift (core func $i "boom")))
  (func (export "spin") (canon lift (core func $i "spin")))
  (func (export "hog") (result u32) (canon lift (core func $i "hog")))
  (func (export "add") (param "a" s32) (param "b" s32) (result s32) (canon lift (core func $i "add"))))`,
  );

/** Imports one WASI function (monotonic-clock.now) and starts with 40 pages (2.5 MiB) of memory. */
export const clockComponent = () =>
  watComponent(
    "clock",
    `(component
  (import "wasi:clocks/monotonic-clock@0.2.3" (instance $clock (export "now" (func (result u64)))))
  (core func $now (canon lower (func $clock "now")))
  (core module $m
    (import "clock" "now" (func $now (result i64)))
    (memory (export "memory") 40)
    (func (export "now") (result i64) (call $now)))
  (core instance $ci (instantiate $m (with "clock" (instance (export "now" (func $now))))))
  (func (export "now") (result u64) (canon lift (core func $ci "now"))))`,
  );

/** Imports an interface of wasi:sockets (whatever its shape, the name alone refuses it). */
export const socketsComponent = () =>
  watComponent(
    "sockets",
    `(component
  (import "wasi:sockets/instance-network@0.2.3" (instance $net (export "ping" (func (result u32)))))
  (core func $ping (canon lower (func $net "ping")))
  (core module $m
    (import "net" "ping" (func $ping (result i32)))
    (func (export "ping") (result i32) (call $ping)))
  (core instance $ci (instantiate $m (with "net" (instance (export "ping" (func $ping))))))
  (func (export "ping") (result u32) (canon lift (core func $ci "ping"))))`,
  );

// wasi:http as jco ships it (0.2.12, with the packages it uses), as nested packages of the
// tool's inline WIT: componentize-js reads no WIT directory outside its own sandbox.
const JCO_WIT = fileURLToPath(new URL("../lib/wit/builtin/0.2.12/", import.meta.resolve("@bytecodealliance/jco")));
const nestedWasiPackage = (dir: string): string =>
  `${readFileSync(join(JCO_WIT, dir, "package.wit"), "utf8").replace(/^package ([^;]+);/m, "package $1 {")}\n}\n`;

const HTTP_GET_WIT = () => `package test:httpget;
world httpget {
  import wasi:http/outgoing-handler@0.2.12;
  export get: func(url: string) -> result<string, string>;
}
${["wasi-io", "wasi-clocks", "wasi-random", "wasi-cli", "wasi-filesystem", "wasi-sockets", "wasi-http"].map(nestedWasiPackage).join("\n")}`;

// wasi:http used directly (not fetch(), which turns every error-code into "NetworkError"), so the
// test sees the error-code the tool got.
const HTTP_GET_JS = `import { handle } from "wasi:http/outgoing-handler@0.2.12";
import { Fields, OutgoingRequest } from "wasi:http/types@0.2.12";
export function get(url) {
  const u = new URL(url);
  const req = new OutgoingRequest(new Fields());
  req.setScheme({ tag: u.protocol === "https:" ? "HTTPS" : "HTTP" });
  req.setAuthority(u.host);
  req.setPathWithQuery(u.pathname + u.search);
  let future;
  try {
    future = handle(req, undefined);
  } catch (e) {
    throw "error-code " + (e && e.payload ? e.payload.tag : String(e));
  }
  future.subscribe().block();
  const got = future.get();
  if (!got || got.tag !== "ok") throw "no response";
  if (got.val.tag === "err") throw "error-code " + got.val.val.tag;
  const res = got.val.val;
  const stream = res.consume().stream();
  const parts = [];
  for (;;) {
    try {
      parts.push(stream.blockingRead(65536n));
    } catch (e) {
      break;
    }
  }
  let n = 0;
  for (const p of parts) n += p.length;
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { all.set(p, o); o += p.length; }
  return res.status() + " " + new TextDecoder().decode(all);
}`;

/** GETs a URL through wasi:http/outgoing-handler: "<status> <body>", or "error-code <case>". */
export const httpGetComponent = () => jsComponent("httpget", HTTP_GET_JS, HTTP_GET_WIT(), ["fetch-event", "stdio", "random", "clocks"]);

/** The http tool's manifest (its engine also imports streams, clocks and stdio). */
export const HTTP_WASI = ["wasi:http/*", "wasi:io/*", "wasi:clocks/*", "wasi:cli/*", "wasi:random/*"];
