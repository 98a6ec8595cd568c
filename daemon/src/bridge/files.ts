// The `files` capability: read and write real host files under one root.
// Containment is checked on resolved paths (realpath) and again on the opened descriptor
// (/proc/self/fd), so a symlink swapped in between the check and the open is caught.
import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, open, readlink, realpath, unlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, normalize, relative } from "node:path";
import { denied, osError, quote } from "./errors.ts";
import { toFsError } from "./fs-errors.ts";
import type { ReadFileValue, WriteFileValue } from "./messages.ts";
import type { FilesPolicy } from "./policy.ts";

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`);
}

async function realRoot(policy: FilesPolicy): Promise<string> {
  try {
    return await realpath(policy.root);
  } catch {
    throw osError("files", "files.root is not accessible on the host");
  }
}

/** The caller's path as a path relative to the root, refusing `..` and absolute paths outside it. */
function relativeToRoot(policy: FilesPolicy, rootReal: string, p: string): string {
  if (p.split(/\/+/).includes("..")) throw denied("files", `'..' is not allowed in paths (${quote(p)})`);
  if (!isAbsolute(p)) return normalize(p);
  const abs = normalize(p);
  for (const root of [policy.root, rootReal]) if (within(root, abs)) return relative(root, abs) || ".";
  throw denied("files", `${quote(p)} is outside files.root`);
}

/** Where the descriptor really points, so the containment check covers what we actually opened. */
async function openedInside(fh: FileHandle, rootReal: string, expected: string): Promise<{ ok: boolean; path: string }> {
  try {
    const actual = await readlink(`/proc/self/fd/${fh.fd}`);
    return { ok: within(rootReal, actual), path: actual };
  } catch {
    // No /proc: fall back to comparing the inode with the path we meant to open.
    const [a, b] = await Promise.all([fh.stat(), lstat(expected).catch(() => null)]);
    return { ok: b !== null && a.dev === b.dev && a.ino === b.ino, path: expected };
  }
}

function checkRegular(st: Stats, shown: string): void {
  if (st.isDirectory()) throw osError("files", `[Errno 21] Is a directory: ${quote(shown)}`);
  if (!st.isFile()) throw osError("files", `${quote(shown)} is not a regular file`);
  // A hard link inside the root can alias a file outside it; realpath cannot tell.
  if (st.nlink > 1) throw denied("files", `${quote(shown)} has several hard links (hard-linked files are refused)`);
}

export async function readHostFile(policy: FilesPolicy, path: string): Promise<ReadFileValue> {
  const rootReal = await realRoot(policy);
  const rel = relativeToRoot(policy, rootReal, path);
  let fh: FileHandle | undefined;
  try {
    const real = await realpath(join(rootReal, rel));
    if (!within(rootReal, real)) throw denied("files", `${quote(path)} resolves outside files.root`);
    // O_NONBLOCK: a FIFO planted in the root must not hang the daemon.
    fh = await open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    if (!(await openedInside(fh, rootReal, real)).ok) throw denied("files", `${quote(path)} resolves outside files.root`);
    const st = await fh.stat();
    checkRegular(st, path);
    const cap = policy.max_read_bytes;
    const overCap = () => denied("files", `${quote(path)} is larger than files.max_read_bytes (${cap})`);
    if (st.size > cap) throw overCap();
    // Read at most cap+1 bytes whatever fstat said: the file may grow while we read.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(256 * 1024, cap + 1 - total);
      if (want === 0) break;
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(chunk, 0, want, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > cap) throw overCap();
    return { data_b64: Buffer.concat(chunks).toString("base64"), size: total };
  } catch (e) {
    throw symlinkOrFsError(e, path);
  } finally {
    await fh?.close();
  }
}

/** ELOOP from O_NOFOLLOW means the last component is a symlink: a refusal, not an I/O failure. */
function symlinkOrFsError(e: unknown, path: string): Error {
  if ((e as NodeJS.ErrnoException).code === "ELOOP") {
    return denied("files", `${quote(path)} is a symbolic link here (symlinks are not followed at open)`);
  }
  return toFsError(e, path);
}

export async function writeHostFile(policy: FilesPolicy, path: string, data: Buffer): Promise<WriteFileValue> {
  if (!policy.write) throw denied("files", "writing is disabled (files.write is false)");
  if (data.length > policy.max_write_bytes) {
    throw denied("files", `${data.length} bytes is over files.max_write_bytes (${policy.max_write_bytes})`);
  }
  const rootReal = await realRoot(policy);
  const rel = relativeToRoot(policy, rootReal, path);
  if (rel === "." || path.endsWith("/")) throw osError("files", `[Errno 21] Is a directory: ${quote(path)}`);
  let fh: FileHandle | undefined;
  let created = false;
  try {
    // The file may not exist yet, so resolve its parent directory and keep the last name as given.
    const parentReal = await realpath(dirname(join(rootReal, rel)));
    if (!within(rootReal, parentReal)) throw denied("files", `${quote(path)} resolves outside files.root`);
    const target = join(parentReal, basename(rel));
    // O_NOFOLLOW: never write through a symlink. O_EXCL first so we know whether we created it.
    const flags = O_WRONLY | O_NOFOLLOW | O_NONBLOCK;
    try {
      fh = await open(target, flags | O_CREAT | O_EXCL, 0o644);
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      fh = await open(target, flags);
    }
    const where = await openedInside(fh, rootReal, target);
    if (!where.ok) {
      // A directory was swapped for a symlink after the check; undo what we created out there.
      if (created) await unlink(where.path).catch(() => undefined);
      throw denied("files", `${quote(path)} resolves outside files.root`);
    }
    checkRegular(await fh.stat(), path);
    await fh.truncate(0);
    await fh.writeFile(data);
    return { path: relative(rootReal, target), size: data.length };
  } catch (e) {
    throw symlinkOrFsError(e, path);
  } finally {
    await fh?.close();
  }
}
