// One JSON request over a keep-alive undici Pool, for the bench sections that drive the API
// step by step (states, forks): the status and the parsed body (the raw text when not JSON).
import type { Pool } from "undici";

export interface Reply {
  status: number;
  body: any;
}

export type JsonCall = (method: "GET" | "POST" | "DELETE", path: string, body?: unknown) => Promise<Reply>;

export function jsonCaller(pool: Pool): JsonCall {
  return async (method, path, body) => {
    const res = await pool.request({
      path,
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.statusCode, body: parsed };
  };
}
