// The Pyodide memory snapshot every executor boots from: made once by a throwaway executor
// (a full boot, ~seconds), kept in the daemon's memory and, when a cache directory is writable,
// on disk for the next start. Booting from it is several times faster than a full load, which
// is what makes spares cheap to keep warm and crashed or retired executors cheap to replace;
// and every executor booted from the same snapshot reaches the same post-init bytes (states
// move between them).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExecutorProcess } from "./executor-process.ts";

/** Bumped when the snapshot's layout changes in a way the sources below do not show. */
const SNAPSHOT_FORMAT = 1;
/** Everything that runs before the snapshot is taken: a change to any of it makes a new snapshot. */
const BOOT_SOURCES = ["../../python", "../engine"].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

export interface Snapshot {
  bytes: Uint8Array;
  /** Where it came from, and how long that took. */
  source: "cache" | "made";
  ms: number;
}

/**
 * Where the snapshot is kept between starts: ARBOR_CACHE_DIR, else the project's own ignored
 * .arbor-cache/ (never a shared temp directory: a snapshot planted there would be what every
 * executor boots). null (memory only) when ARBOR_CACHE_DIR is "off".
 */
export function snapshotCacheDir(): string | null {
  const configured = process.env.ARBOR_CACHE_DIR;
  if (configured === "off") return null;
  return configured ? join(configured, "snapshots") : fileURLToPath(new URL("../../../.arbor-cache/snapshots", import.meta.url));
}

/** The engine the executors run (they get ARBOR_ENGINE from the daemon's environment). */
export function engineName(): string {
  return process.env.ARBOR_ENGINE || "pyodide";
}

function cacheKey(): string {
  const pyodide = (createRequire(import.meta.url)("pyodide/package.json") as { version: string }).version;
  const hash = createHash("sha256").update(`${SNAPSHOT_FORMAT}|${engineName()}|${pyodide}|${process.version}|${process.arch}`);
  for (const dir of BOOT_SOURCES) hashTree(hash, dir);
  return hash.digest("hex").slice(0, 24);
}

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, path);
    else if (entry.isFile()) hash.update(entry.name).update(readFileSync(path));
  }
}

export class SnapshotStore {
  private readonly file: string | null;

  /** `cacheDir`: where to keep the snapshot between starts (null: memory only). */
  constructor(cacheDir: string | null) {
    this.file = cacheDir ? join(cacheDir, `${engineName()}-${cacheKey()}.snapshot`) : null;
  }

  async get(): Promise<Snapshot> {
    const started = performance.now();
    const cached = this.read();
    if (cached) return { bytes: cached, source: "cache", ms: performance.now() - started };
    const bytes = await ExecutorProcess.makeSnapshot();
    this.write(bytes);
    return { bytes, source: "made", ms: performance.now() - started };
  }

  /** The snapshot kept by an earlier start, if there is one (never makes one). */
  cached(): Uint8Array | null {
    return this.read();
  }

  /** A cached snapshot that executors could not boot from (another Pyodide build): gone. */
  discard(): void {
    if (this.file) rmSync(this.file, { force: true });
  }

  private read(): Uint8Array | null {
    if (!this.file) return null;
    try {
      const data = readFileSync(this.file);
      // A trailer holds the digest of the bytes before it: a torn write is not a snapshot.
      const body = data.subarray(0, data.length - 32);
      return createHash("sha256").update(body).digest().equals(data.subarray(data.length - 32)) ? body : null;
    } catch {
      return null;
    }
  }

  private write(bytes: Uint8Array): void {
    if (!this.file) return;
    try {
      mkdirSync(join(this.file, ".."), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.concat([bytes, createHash("sha256").update(bytes).digest()]));
      renameSync(tmp, this.file);
    } catch {
      // A read-only install: the snapshot lives in memory for this run only.
    }
  }
}
