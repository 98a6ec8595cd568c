// The external programs the cluster tests start (redis-server, haproxy). Found on PATH; when one
// is missing and the tests run as root on a machine with apt-get, Debian's package is installed
// (and the tests say so on stderr); otherwise the tests fail naming what to install. Never a
// silent skip: a cluster test that did not run must not look like one that passed.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Program → the Debian package that ships it. */
export const PACKAGES = { "redis-server": "redis-server", haproxy: "haproxy" } as const;
export type Program = keyof typeof PACKAGES;

export function which(program: string, path = process.env.PATH ?? ""): string | undefined {
  // Debian puts haproxy in /usr/sbin, which a non-login PATH may lack.
  for (const dir of [...path.split(delimiter), "/usr/sbin", "/usr/local/sbin"]) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const found = new Map<Program, string>();

/**
 * Absolute paths of the programs, installing the missing ones with apt-get when allowed.
 * Throws an Error naming the packages to install when they are missing and cannot be installed.
 */
export function requirePrograms(...programs: Program[]): Record<Program, string> {
  const missing = programs.filter((p) => !found.has(p) && !remember(p));
  if (missing.length) install(missing);
  return Object.fromEntries(programs.map((p) => [p, found.get(p)!])) as Record<Program, string>;
}

function remember(program: Program): boolean {
  const path = which(program);
  if (path) found.set(program, path);
  return path !== undefined;
}

/** Why the programs cannot be installed here, or null when apt-get may install them. */
export function cannotInstall(missing: readonly Program[], isRoot: boolean, hasAptGet: boolean): string | null {
  if (isRoot && hasAptGet) return null;
  const packages = [...new Set(missing.map((p) => PACKAGES[p]))];
  return (
    `the cluster tests need ${missing.join(" and ")} on PATH; install Debian's ${packages.join(" ")} ` +
    `(apt-get install ${packages.join(" ")}) or your platform's equivalent` +
    (isRoot ? " (apt-get is not available here)" : " (not root, so the tests cannot install it themselves)")
  );
}

function install(missing: Program[]): void {
  const packages = [...new Set(missing.map((p) => PACKAGES[p]))];
  const aptGet = which("apt-get");
  const refusal = cannotInstall(missing, process.getuid?.() === 0, aptGet !== undefined);
  if (refusal || !aptGet) throw new Error(refusal ?? "apt-get is not available");
  process.stderr.write(`cluster tests: ${missing.join(", ")} not on PATH; installing Debian's ${packages.join(" ")} with apt-get\n`);
  const args = ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", ...packages];
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let result = spawnSync(aptGet, args, { env, encoding: "utf8" });
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    execFileSync(aptGet, ["-o", "DPkg::Lock::Timeout=300", "update"], { env, stdio: ["ignore", "ignore", "pipe"] });
    result = spawnSync(aptGet, args, { env, encoding: "utf8" });
  }
  if (result.status !== 0) {
    throw new Error(`apt-get install ${packages.join(" ")} failed (exit ${result.status}): ${result.stderr.slice(-2000)}`);
  }
  for (const program of missing) {
    if (!remember(program)) throw new Error(`apt-get installed ${PACKAGES[program]} but ${program} is still not on PATH`);
  }
  process.stderr.write(`cluster tests: installed ${packages.join(" ")}\n`);
}
