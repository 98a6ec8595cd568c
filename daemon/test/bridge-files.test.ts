// The files capability against a real temp root: containment, symlinks, write switch, size caps.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile, link } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type CapabilitiesConfigInput, effectivePolicy, parseCapabilitiesConfig, performHostCall } from "../src/bridge/index.ts";

let root: string;
let outside: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "arbor-files-root-"));
  outside = await mkdtemp(join(tmpdir(), "arbor-files-outside-"));
  await writeFile(join(root, "hello.txt"), "hello world");
  await mkdir(join(root, "sub"));
  await writeFile(join(root, "sub", "inner.txt"), "inner");
  await writeFile(join(outside, "secret.txt"), "secret");
});
after(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

function call(raw: unknown, files: Record<string, unknown> = {}) {
  const config = parseCapabilitiesConfig({ files: { root, ...files } } satisfies CapabilitiesConfigInput);
  return performHostCall(raw, { policy: effectivePolicy(config), deadline: Date.now() + 30_000 });
}
const read = (path: string, files?: Record<string, unknown>) => call({ name: "read_file", args: { path } }, files);
const write = (path: string, data: string | Buffer, files: Record<string, unknown> = { write: true }) =>
  call({ name: "write_file", args: { path, data_b64: Buffer.from(data).toString("base64") } }, files);

function errorOf(r: Awaited<ReturnType<typeof call>>) {
  assert.equal(r.reply.ok, false, `expected a failure, got ${JSON.stringify(r.reply)}`);
  if (r.reply.ok) throw new Error("unreachable");
  return r.reply.error;
}

function valueOf<T>(r: Awaited<ReturnType<typeof call>>): T {
  assert.equal(r.reply.ok, true, `expected success, got ${JSON.stringify(r.reply)}`);
  if (!r.reply.ok) throw new Error("unreachable");
  return r.reply.value as T;
}

describe("read_file", () => {
  test("reads a relative path under the root and records it", async () => {
    const r = await read("hello.txt");
    const v = valueOf<{ data_b64: string; size: number }>(r);
    assert.equal(Buffer.from(v.data_b64, "base64").toString(), "hello world");
    assert.equal(v.size, 11);
    assert.equal(r.record.name, "read_file");
    assert.equal(r.record.outcome, "ok");
    assert.equal(r.record.args_summary, "hello.txt");
  });

  test("reads an absolute path inside the root", async () => {
    const v = valueOf<{ data_b64: string }>(await read(join(root, "sub", "inner.txt")));
    assert.equal(Buffer.from(v.data_b64, "base64").toString(), "inner");
  });

  test("refuses ../ traversal even when it would land back inside", async () => {
    for (const p of ["../x", "sub/../hello.txt", `../${join(outside, "secret.txt")}`]) {
      const r = await read(p);
      const e = errorOf(r);
      assert.equal(e.type, "PermissionError");
      assert.match(e.message, /^files: '\.\.' is not allowed/);
      assert.equal(r.record.outcome, "denied");
    }
  });

  test("refuses an absolute path outside the root", async () => {
    const e = errorOf(await read(join(outside, "secret.txt")));
    assert.equal(e.type, "PermissionError");
    assert.match(e.message, /is outside files\.root/);
    assert.doesNotMatch(e.message, /secret"?$/);
  });

  test("refuses a symlink that escapes to /etc, as a file and as a directory", async () => {
    await symlink("/etc/passwd", join(root, "passwd-link"));
    await symlink("/etc", join(root, "etc-link"));
    for (const p of ["passwd-link", "etc-link/passwd"]) {
      const e = errorOf(await read(p));
      assert.equal(e.type, "PermissionError");
      assert.match(e.message, /resolves outside files\.root/);
    }
  });

  test("follows a symlink that stays inside the root", async () => {
    await symlink("hello.txt", join(root, "inside-link"));
    const v = valueOf<{ data_b64: string }>(await read("inside-link"));
    assert.equal(Buffer.from(v.data_b64, "base64").toString(), "hello world");
  });

  test("refuses a hard-linked file (it may alias one outside the root)", async () => {
    await link(join(outside, "secret.txt"), join(root, "hard")).catch(async () => {
      // Cross-device temp dirs: link inside the root instead; the rule is the same.
      await link(join(root, "hello.txt"), join(root, "hard"));
    });
    const e = errorOf(await read("hard"));
    assert.equal(e.type, "PermissionError");
    assert.match(e.message, /hard links/);
  });

  test("a missing file is an OSError naming the caller's path only", async () => {
    const e = errorOf(await read("nope.txt"));
    assert.equal(e.type, "OSError");
    assert.equal(e.message, "files: [Errno 2] No such file or directory: 'nope.txt'");
  });

  test("a directory is an OSError", async () => {
    const e = errorOf(await read("sub"));
    assert.equal(e.type, "OSError");
    assert.match(e.message, /Is a directory/);
  });

  test("a file over files.max_read_bytes is refused", async () => {
    await writeFile(join(root, "big.bin"), Buffer.alloc(2048, 1));
    const e = errorOf(await read("big.bin", { max_read_bytes: 1024 }));
    assert.equal(e.type, "PermissionError");
    assert.match(e.message, /files\.max_read_bytes \(1024\)/);
    assert.equal(valueOf<{ size: number }>(await read("big.bin", { max_read_bytes: 2048 })).size, 2048);
  });

  test("a NUL byte in the path is invalid", async () => {
    const e = errorOf(await read("hello.txt\0.png"));
    assert.equal(e.type, "ValueError");
  });
});

describe("write_file", () => {
  test("writes under the root and replaces existing content", async () => {
    const r = await write("out.txt", "first version, longer");
    assert.deepEqual(valueOf(r), { path: "out.txt", size: 21 });
    valueOf(await write("out.txt", "second"));
    assert.equal(await readFile(join(root, "out.txt"), "utf8"), "second");
    assert.equal(r.record.args_summary, "out.txt (21 bytes)");
  });

  test("is refused when files.write is false, the default", async () => {
    for (const files of [{}, { write: false }]) {
      const e = errorOf(await write("nope.txt", "x", files));
      assert.equal(e.type, "PermissionError");
      assert.equal(e.message, "files: writing is disabled (files.write is false)");
    }
    await assert.rejects(readFile(join(root, "nope.txt")), { code: "ENOENT" });
  });

  test("refuses traversal and absolute paths outside the root", async () => {
    assert.equal(errorOf(await write("../escape.txt", "x")).type, "PermissionError");
    assert.equal(errorOf(await write(join(outside, "escape.txt"), "x")).type, "PermissionError");
    await assert.rejects(readFile(join(outside, "escape.txt")), { code: "ENOENT" });
  });

  test("refuses writing through a directory symlink that leaves the root", async () => {
    await symlink(outside, join(root, "out-dir"));
    const e = errorOf(await write("out-dir/planted.txt", "x"));
    assert.equal(e.type, "PermissionError");
    assert.match(e.message, /resolves outside files\.root/);
    await assert.rejects(readFile(join(outside, "planted.txt")), { code: "ENOENT" });
  });

  test("refuses writing through a final-component symlink, leaving its target untouched", async () => {
    await symlink(join(outside, "secret.txt"), join(root, "secret-link"));
    const e = errorOf(await write("secret-link", "overwritten"));
    assert.equal(e.type, "PermissionError");
    assert.match(e.message, /symbolic link/);
    assert.equal(await readFile(join(outside, "secret.txt"), "utf8"), "secret");
  });

  test("refuses data over files.max_write_bytes and writes nothing", async () => {
    const e = errorOf(await write("big.txt", Buffer.alloc(100), { write: true, max_write_bytes: 99 }));
    assert.equal(e.type, "PermissionError");
    assert.match(e.message, /files\.max_write_bytes \(99\)/);
    await assert.rejects(readFile(join(root, "big.txt")), { code: "ENOENT" });
  });

  test("a missing parent directory is an OSError", async () => {
    const e = errorOf(await write("no-such-dir/file.txt", "x"));
    assert.equal(e.type, "OSError");
    assert.match(e.message, /No such file or directory/);
  });

  test("refuses invalid base64", async () => {
    const r = await call({ name: "write_file", args: { path: "x.txt", data_b64: "not base64!" } }, { write: true });
    assert.equal(errorOf(r).type, "ValueError");
  });

  test("the root given through a symlink still contains its own absolute paths", async () => {
    const alias = join(outside, "root-alias");
    await symlink(root, alias);
    const config = parseCapabilitiesConfig({ files: { root: alias, write: true } });
    const r = await performHostCall(
      { name: "read_file", args: { path: join(alias, "hello.txt") } },
      { policy: effectivePolicy(config), deadline: Date.now() + 30_000 },
    );
    assert.equal(valueOf<{ size: number }>(r).size, 11);
    const real = await realpath(root);
    const r2 = await performHostCall(
      { name: "read_file", args: { path: join(real, "hello.txt") } },
      { policy: effectivePolicy(config), deadline: Date.now() + 30_000 },
    );
    assert.equal(valueOf<{ size: number }>(r2).size, 11);
  });
});
