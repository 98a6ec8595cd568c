// The Emscripten in-memory filesystem lives in JS objects, not in linear memory, so a memory
// restore does not touch it. This module records the tree at the snapshot and puts it back
// exactly after a call that changed it: new nodes removed, removed or replaced nodes recreated,
// written files refilled from the baseline bytes, modes and times reset, extra fds closed, cwd
// reset. Mutations are seen by wrapping MEMFS's shared op tables, which every path into the FS
// (syscalls, FS.* API, mmap/msync) ends in; a call that touches no file costs one flag check.

import type { FsDelta } from "../../protocol/messages.ts";

export type { FsDelta };

/* The parts of Emscripten's FS and MEMFS node shapes this module relies on. */
export interface FsNode {
  id: number;
  name: string;
  mode: number;
  parent: FsNode;
  mount: { mountpoint: string };
  mounted: unknown;
  contents: unknown;
  usedBytes?: number;
  link?: string;
  atime: number;
  mtime: number;
  ctime: number;
  node_ops: Record<string, unknown>;
  stream_ops: Record<string, unknown>;
}
interface FsStream {
  fd: number | null;
  node: FsNode;
  position: number;
  flags: number;
}
export interface EmscriptenFs {
  root: FsNode;
  streams: Array<FsStream | null | undefined>;
  currentPath: string;
  /** Counter behind every inode number (st_ino, statvfs f_ffree): visible to Python. */
  nextInode: number;
  ignorePermissions: boolean;
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  isLink(mode: number): boolean;
  mkdir(path: string, mode?: number): FsNode;
  rmdir(path: string): void;
  unlink(path: string): void;
  writeFile(path: string, data: Uint8Array): void;
  symlink(target: string, path: string): void;
  chmod(path: string, mode: number): void;
  close(stream: FsStream): void;
  closeStream(fd: number): void;
  readdir(path: string): string[];
  lookupPath(path: string, opts?: object): { node: FsNode };
}

interface BaseEntry {
  node: FsNode;
  /** The node's inode number at the snapshot (a recreated node gets it back). */
  id: number;
  mode: number;
  atime: number;
  mtime: number;
  ctime: number;
  /** Files: the bytes at the snapshot. */
  bytes?: Uint8Array;
  /** Symlinks: the target. */
  link?: string;
  /** MEMFS directories we own and walk (not device nodes or foreign mounts). */
  children?: Map<string, BaseEntry>;
}

const MUTATING_DIR_OPS = ["mknod", "rename", "unlink", "rmdir", "symlink"] as const;

export interface FsRestoreStats {
  changed: boolean;
  removed: number;
  recreated: number;
  refilled: number;
  closedFds: number;
}

/** An fd open at the snapshot (stdin, the capture devices): the same stream, back where it was. */
interface BaseStream {
  stream: FsStream;
  position: number;
  flags: number;
}

export class FsState {
  private readonly base: BaseEntry;
  private readonly baseStreams: Map<number, BaseStream>;
  private readonly baseCwd: string;
  private readonly baseNextInode: number;
  private readonly memfsDirOps: Record<string, unknown>;
  /** Nodes whose bytes or attributes changed since the last restore. */
  private readonly dirtyNodes = new Set<FsNode>();
  /** Set when any directory entry was created, removed or renamed. */
  private treeDirty = false;

  constructor(private readonly fs: EmscriptenFs) {
    this.memfsDirOps = fs.root.node_ops;
    this.base = this.record(fs.root);
    this.baseStreams = new Map(fs.streams.flatMap((s, fd) => (s ? [[fd, { stream: s, position: s.position, flags: s.flags }] as const] : [])));
    this.baseCwd = fs.currentPath;
    this.baseNextInode = fs.nextInode;
    this.installHooks();
  }

  /**
   * True when the last call changed anything in the FS: the tree, a file, an fd (opened,
   * closed, replaced or moved), the cwd, or the inode counter (pipes make nodes outside the tree).
   */
  get dirty(): boolean {
    return (
      this.treeDirty ||
      this.dirtyNodes.size > 0 ||
      this.fs.currentPath !== this.baseCwd ||
      this.fs.nextInode !== this.baseNextInode ||
      this.extraFds().length > 0 ||
      !this.baseStreamsInPlace()
    );
  }

  /** `force`: walk the whole tree even if no mutation was seen (used when leaving a state). */
  restore(force = false): FsRestoreStats {
    if (force) this.treeDirty = true;
    const stats: FsRestoreStats = { changed: false, removed: 0, recreated: 0, refilled: 0, closedFds: 0 };
    for (const fd of this.extraFds()) {
      const stream = this.fs.streams[fd];
      try {
        if (stream) this.fs.close(stream);
      } catch {
        this.fs.closeStream(fd);
      }
      stats.closedFds++;
    }
    // The snapshot's own fds: closed, dup2'ed over or seeked by the call, they come back as they
    // were (a closed fd 1 would otherwise silence every later call's stdout).
    for (const [fd, base] of this.baseStreams) {
      base.stream.fd = fd;
      base.stream.position = base.position;
      base.stream.flags = base.flags;
      this.fs.streams[fd] = base.stream;
    }
    if (this.treeDirty || this.dirtyNodes.size > 0) {
      const saved = this.fs.ignorePermissions;
      this.fs.ignorePermissions = true; // the user may have chmod'ed things to 0
      try {
        this.restoreDir("/", this.fs.root, this.base, this.treeDirty, stats);
      } finally {
        this.fs.ignorePermissions = saved;
      }
    }
    this.fs.currentPath = this.baseCwd;
    // Last: recreating nodes above drew numbers from the counter.
    this.fs.nextInode = this.baseNextInode;
    stats.changed = stats.closedFds > 0 || this.treeDirty || this.dirtyNodes.size > 0;
    this.dirtyNodes.clear();
    this.treeDirty = false;
    return stats;
  }

  /** What differs from the snapshot's tree now (for a checkpoint). */
  diff(): FsDelta {
    const delta: FsDelta = { removed: [], dirs: [], files: [], links: [] };
    const walk = (path: string, live: FsNode, base: BaseEntry | undefined) => {
      const liveChildren = live.contents as Record<string, FsNode>;
      for (const [name, child] of Object.entries(liveChildren)) {
        const childPath = join(path, name);
        const b = base?.children?.get(name);
        const same = b?.node === child && !this.dirtyNodes.has(child);
        if (this.fs.isDir(child.mode) && this.isOwnedDir(child)) {
          if (!b?.children) delta.dirs.push({ path: childPath, mode: child.mode & 0o7777 });
          else if (b.mode !== child.mode) delta.dirs.push({ path: childPath, mode: child.mode & 0o7777 });
          walk(childPath, child, b?.children ? b : undefined);
        } else if (this.fs.isFile(child.mode) && ArrayBuffer.isView(child.contents)) {
          if (same && b.mode === child.mode) continue;
          const bytes = fileBytes(child);
          if (b?.bytes && b.mode === child.mode && Buffer.compare(bytes, b.bytes) === 0) continue;
          delta.files.push({ path: childPath, mode: child.mode & 0o7777, data_b64: Buffer.from(bytes).toString("base64") });
        } else if (this.fs.isLink(child.mode)) {
          if (b?.link !== child.link) delta.links.push({ path: childPath, target: child.link ?? "" });
        }
      }
      for (const name of base?.children?.keys() ?? []) {
        if (!(name in liveChildren)) delta.removed.push(join(path, name));
      }
    };
    walk("/", this.fs.root, this.base);
    return delta;
  }

  /** Makes the tree (now equal to the snapshot's) match a state's delta; the next restore undoes it. */
  apply(delta: FsDelta): void {
    const saved = this.fs.ignorePermissions;
    this.fs.ignorePermissions = true;
    try {
      const stats: FsRestoreStats = { changed: true, removed: 0, recreated: 0, refilled: 0, closedFds: 0 };
      for (const path of delta.removed) this.removeTree(path, stats);
      for (const { path, mode } of delta.dirs) {
        try {
          this.fs.lookupPath(path);
        } catch {
          this.fs.mkdir(path, mode);
        }
        this.fs.chmod(path, mode);
      }
      for (const { path, mode, data_b64 } of delta.files) {
        this.fs.writeFile(path, Buffer.from(data_b64, "base64"));
        this.fs.chmod(path, mode);
      }
      for (const { path, target } of delta.links) this.fs.symlink(target, path);
    } finally {
      this.fs.ignorePermissions = saved;
    }
    this.treeDirty = true;
  }

  /** Open fds that are not the snapshot's own stream in its own slot. */
  private extraFds(): number[] {
    const out: number[] = [];
    this.fs.streams.forEach((s, fd) => {
      if (s && this.baseStreams.get(fd)?.stream !== s) out.push(fd);
    });
    return out;
  }

  private baseStreamsInPlace(): boolean {
    for (const [fd, base] of this.baseStreams) {
      const s = this.fs.streams[fd];
      if (s !== base.stream || s.position !== base.position || s.flags !== base.flags) return false;
    }
    return true;
  }

  private isOwnedDir(node: FsNode): boolean {
    return node.node_ops === this.memfsDirOps && !node.mounted && typeof node.contents === "object" && node.contents !== null;
  }

  private record(node: FsNode): BaseEntry {
    const entry: BaseEntry = { node, id: node.id, mode: node.mode, atime: node.atime, mtime: node.mtime, ctime: node.ctime };
    if (this.fs.isFile(node.mode) && ArrayBuffer.isView(node.contents)) {
      entry.bytes = fileBytes(node).slice();
    } else if (this.fs.isLink(node.mode)) {
      entry.link = node.link ?? "";
    } else if (this.fs.isDir(node.mode) && this.isOwnedDir(node)) {
      entry.children = new Map();
      for (const [name, child] of Object.entries(node.contents as Record<string, FsNode>)) {
        entry.children.set(name, this.record(child));
      }
    }
    return entry;
  }

  private installHooks(): void {
    const markNode = (node: FsNode | undefined) => {
      if (node) this.dirtyNodes.add(node);
    };
    // Directory entry changes: a tree walk at the next restore.
    const dirOps = this.memfsDirOps;
    for (const op of MUTATING_DIR_OPS) {
      const original = dirOps[op];
      if (typeof original !== "function") continue;
      dirOps[op] = (...args: unknown[]) => {
        this.treeDirty = true;
        return (original as (...a: unknown[]) => unknown)(...args);
      };
    }
    // Attribute changes (chmod, utime, truncate) on any kind of node.
    const seen = new Set<Record<string, unknown>>();
    const wrapSetattr = (ops: Record<string, unknown>) => {
      if (seen.has(ops) || typeof ops.setattr !== "function") return;
      seen.add(ops);
      const original = ops.setattr as (node: FsNode, attr: unknown) => unknown;
      ops.setattr = (node: FsNode, attr: unknown) => {
        markNode(node);
        return original(node, attr);
      };
    };
    // Content changes: write, and mmap/msync (a shared mapping written back).
    const wrapStream = (ops: Record<string, unknown>) => {
      for (const op of ["write", "mmap", "msync", "allocate"]) {
        const original = ops[op];
        if (typeof original !== "function" || (original as { arborWrapped?: boolean }).arborWrapped) continue;
        const wrapped = (stream: FsStream, ...rest: unknown[]) => {
          markNode(stream?.node);
          return (original as (...a: unknown[]) => unknown)(stream, ...rest);
        };
        (wrapped as { arborWrapped?: boolean }).arborWrapped = true;
        ops[op] = wrapped;
      }
    };
    const visit = (entry: BaseEntry) => {
      wrapSetattr(entry.node.node_ops);
      if (this.fs.isFile(entry.node.mode)) wrapStream(entry.node.stream_ops);
      entry.children?.forEach(visit);
    };
    visit(this.base);
    // Files created later share the same MEMFS file op tables; make sure they are wrapped even
    // if the baseline had no regular file in a MEMFS directory.
    wrapSetattr(dirOps);
  }

  private restoreDir(path: string, live: FsNode, base: BaseEntry, walkTree: boolean, stats: FsRestoreStats): void {
    const liveChildren = live.contents as Record<string, FsNode>;
    const baseChildren = base.children ?? new Map<string, BaseEntry>();
    if (walkTree) {
      for (const name of Object.keys(liveChildren)) {
        if (!baseChildren.has(name)) {
          this.removeTree(join(path, name), stats);
        }
      }
    }
    for (const [name, entry] of baseChildren) {
      const childPath = join(path, name);
      const current = liveChildren[name];
      if (current !== entry.node) {
        if (!walkTree) continue; // identity only changes through directory ops
        if (current) this.removeTree(childPath, stats);
        this.recreate(childPath, entry, stats);
        continue;
      }
      if (this.dirtyNodes.has(current)) this.resetNode(current, entry, stats);
      if (entry.children) this.restoreDir(childPath, current, entry, walkTree, stats);
    }
    if (this.dirtyNodes.has(live) || walkTree) this.resetAttrs(live, base);
  }

  private resetNode(node: FsNode, entry: BaseEntry, stats: FsRestoreStats): void {
    if (entry.bytes) {
      node.contents = entry.bytes.slice();
      node.usedBytes = entry.bytes.length;
      stats.refilled++;
    }
    this.resetAttrs(node, entry);
  }

  private resetAttrs(node: FsNode, entry: BaseEntry): void {
    node.mode = entry.mode;
    node.atime = entry.atime;
    node.mtime = entry.mtime;
    node.ctime = entry.ctime;
  }

  private removeTree(path: string, stats: FsRestoreStats): void {
    const { node } = this.fs.lookupPath(path, { follow: false });
    if (this.fs.isDir(node.mode) && this.isOwnedDir(node)) {
      for (const name of Object.keys(node.contents as Record<string, FsNode>)) {
        this.removeTree(join(path, name), stats);
      }
      this.fs.rmdir(path);
    } else {
      this.fs.unlink(path);
    }
    stats.removed++;
  }

  /**
   * Makes the snapshot's node again, with its inode number (st_ino must be what a fresh call
   * sees). A directory gets its number back before its children are made: the name table hashes
   * a child under its parent's number.
   */
  private recreate(path: string, entry: BaseEntry, stats: FsRestoreStats): void {
    if (entry.children) {
      this.fs.mkdir(path, entry.mode & 0o7777);
      const node = this.fs.lookupPath(path).node;
      node.id = entry.id;
      for (const [name, child] of entry.children) this.recreate(join(path, name), child, stats);
      entry.node = node;
    } else if (entry.bytes) {
      this.fs.writeFile(path, entry.bytes.slice());
      entry.node = this.fs.lookupPath(path).node;
      entry.node.id = entry.id;
    } else if (entry.link !== undefined) {
      this.fs.symlink(entry.link, path);
      entry.node = this.fs.lookupPath(path, { follow: false }).node;
      entry.node.id = entry.id;
    } else {
      return; // a device node or foreign mount cannot be recreated from here; it was never removable
    }
    this.resetAttrs(entry.node, entry);
    stats.recreated++;
  }
}

/** A file's bytes: MEMFS keeps them in a Uint8Array or, after writes from wasm, an Int8Array. */
function fileBytes(node: FsNode): Uint8Array {
  const view = node.contents as ArrayBufferView;
  return new Uint8Array(view.buffer, view.byteOffset, node.usedBytes ?? view.byteLength);
}

function join(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}
