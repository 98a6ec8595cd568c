// A fingerprint of the interpreter's state outside linear memory: what the restore must put
// back and a call must never leave behind. Equal before and after a call means the call left
// nothing on the JS side: not a property on Pyodide's objects, not a mount, file, fd or
// counter in the filesystem, not a JS reference, table slot or timer. Taken at the snapshot,
// compared in the tests after hostile calls, and by the executor after a trap (to decide
// whether recovering in place is sound).
import { createHash } from "node:crypto";

interface FsNodeView {
  id: number;
  name: string;
  mode: number;
  usedBytes?: number;
  contents?: unknown;
  link?: string;
  mounted?: { root: FsNodeView } | null;
  mount?: { mountpoint?: string };
}

export interface FingerprintSources {
  publicApi: object;
  api: object;
  module: Record<string, unknown> & { __hiwire_get(i: number): unknown; wasmTable?: WebAssembly.Table };
  fs: {
    root: FsNodeView;
    streams: Array<{ position: number; flags: number; path?: string } | null | undefined>;
    currentPath: string;
    nextInode: number;
    isDir(mode: number): boolean;
  };
  interrupt: Int32Array;
  memory: WebAssembly.Memory;
  /** JS timers registered and not cleared since boot (executor/timers.ts). */
  liveTimers(): number;
}

export interface Fingerprint {
  hash: string;
  /** One hash per part, so a mismatch says where. */
  parts: Record<string, string>;
}

/** Stable tokens for object identities (the same object gets the same token every time). */
class Identities {
  private readonly ids = new WeakMap<object, number>();
  private next = 1;

  of(value: unknown): string {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return `${typeof value}:${String(value).slice(0, 64)}`;
    let id = this.ids.get(value as object);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(value as object, id);
    }
    return `#${id}`;
  }
}

export class StateFingerprint {
  private readonly identities = new Identities();

  constructor(private readonly src: FingerprintSources) {}

  take(): Fingerprint {
    const parts: Record<string, string> = {
      public_api: this.objectPart(this.src.publicApi),
      api: this.objectPart(this.src.api),
      // Emscripten replaces its HEAP views when memory grows (for good: memory never shrinks).
      module: this.objectPart(this.src.module, (key) => /^HEAP/.test(key)),
      fs_tree: digest(this.walkTree()),
      fs_streams: digest(this.src.fs.streams.flatMap((s, fd) => (s ? [`${fd}:${this.identities.of(s)}:${s.position}:${s.flags}`] : [])).join("|")),
      fs_counters: digest(`${this.src.fs.nextInode}|${this.src.fs.currentPath}|${this.counter("PIPEFS")}|${this.counter("SOCKFS")}`),
      js_references: digest(this.hiwire()),
      wasm_table: digest(this.table()),
      timers: String(this.src.liveTimers()),
      interrupt: String(Atomics.load(this.src.interrupt, 0)),
      // Emscripten's views of memory must be on the live buffer (memory-cap.ts, refreshViews).
      heap_views: String(this.heapViewsLive()),
    };
    return { hash: digest(JSON.stringify(parts)), parts };
  }

  /** Own keys, each with its value's identity, extensibility and frozenness. */
  private objectPart(o: object, skip: (key: string) => boolean = () => false): string {
    const rows = [`extensible:${Object.isExtensible(o)}`];
    for (const key of Reflect.ownKeys(o)) {
      if (typeof key === "string" && skip(key)) continue;
      const desc = Object.getOwnPropertyDescriptor(o, key)!;
      const value = "value" in desc ? this.identities.of(desc.value) : `get${this.identities.of(desc.get)}set${this.identities.of(desc.set)}`;
      rows.push(`${String(key)}=${value}:${desc.writable ?? "-"}${desc.configurable}`);
    }
    return digest(rows.join("\n"));
  }

  /** Every node under the root, mounted filesystems included (a new mount shows here). */
  private walkTree(): string {
    const rows: string[] = [];
    const visit = (node: FsNodeView, path: string, depth: number) => {
      const size = node.usedBytes ?? (ArrayBuffer.isView(node.contents) ? node.contents.byteLength : "");
      rows.push(`${path}:${node.id}:${node.mode}:${size}:${node.link ?? ""}:${node.mounted ? "M" : ""}`);
      const dir = node.mounted?.root ?? node;
      if (depth > 64 || !this.src.fs.isDir(dir.mode) || typeof dir.contents !== "object" || dir.contents === null) return;
      for (const [name, child] of Object.entries(dir.contents as Record<string, FsNodeView>).sort(([a], [b]) => (a < b ? -1 : 1))) {
        visit(child, path === "/" ? `/${name}` : `${path}/${name}`, depth + 1);
      }
    };
    visit(this.src.fs.root, "/", 0);
    return rows.join("\n");
  }

  private heapViewsLive(): boolean {
    const live = this.src.memory.buffer;
    return ["HEAP8", "HEAPU8", "HEAP32", "HEAPU32", "HEAPF64"].every((k) => (this.src.module[k] as ArrayBufferView | undefined)?.buffer === live);
  }

  private hiwire(): string {
    const rows: string[] = [];
    for (let i = 0; ; i++) {
      let value: unknown;
      try {
        value = this.src.module.__hiwire_get(i);
      } catch {
        break;
      }
      rows.push(this.identities.of(value));
    }
    return rows.join(",");
  }

  private table(): string {
    const table = this.src.module.wasmTable;
    if (!table) return "none";
    let filledTail = 0;
    // Slots past the initial table are the ones a call could have added (JsState clears them).
    for (let i = table.length - 1; i >= 0 && i >= table.length - 4096; i--) if (table.get(i) !== null) filledTail++;
    return `${table.length}:${filledTail}`;
  }

  private counter(fsName: string): string {
    const holder = (this.src.module[fsName] as { nextname?: { current?: number } } | undefined)?.nextname;
    return String(holder?.current ?? "");
  }
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
