// One authenticated JSON request against a real daemon over HTTP (undici), answered as status and
// parsed body: the shape the states, batches and cluster tests build their clients on.
import { request } from "undici";

export type HttpCall = (method: "GET" | "POST" | "DELETE", path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export function httpCall(base: string, key: string): HttpCall {
  return async (method, path, body) => {
    const res = await request(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: (text ? JSON.parse(text) : null) as any };
  };
}
