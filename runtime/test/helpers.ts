import type { Job } from "../src/protocol/messages.ts";

export function job(code: string, extra: Partial<Job> = {}): Job {
  return { code, timeout_ms: 10_000, memory_mb: 256, max_output_bytes: 1 << 20, ...extra };
}

export function b64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

export function unb64(data: string): string {
  return Buffer.from(data, "base64").toString("utf8");
}
