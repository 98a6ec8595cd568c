// Turn Node fs errors into Python-style OSError messages that do not leak host paths.
import { HostCallError, osError, quote } from "./errors.ts";

const STRERROR: Record<string, [number, string]> = {
  ENOENT: [2, "No such file or directory"],
  EACCES: [13, "Permission denied"],
  EPERM: [1, "Operation not permitted"],
  EEXIST: [17, "File exists"],
  ENOTDIR: [20, "Not a directory"],
  EISDIR: [21, "Is a directory"],
  ENOSPC: [28, "No space left on device"],
  EROFS: [30, "Read-only file system"],
  ELOOP: [40, "Too many levels of symbolic links"],
  ENAMETOOLONG: [36, "File name too long"],
  ENXIO: [6, "No such device or address"],
  EMFILE: [24, "Too many open files"],
  EFBIG: [27, "File too large"],
};

export function fsErrorCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : undefined;
}

/** `files: [Errno 2] No such file or directory: 'data.csv'` — names the caller's path, not the host's. */
export function toFsError(e: unknown, shownPath: string): HostCallError {
  if (e instanceof HostCallError) return e;
  const code = fsErrorCode(e) ?? "EIO";
  const [errno, text] = STRERROR[code] ?? [5, `I/O error (${code})`];
  return osError("files", `[Errno ${errno}] ${text}: ${quote(shownPath)}`);
}
