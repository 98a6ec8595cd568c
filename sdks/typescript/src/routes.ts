// Every route the SDK calls, spelled once as in sdks/openapi.json (test/openapi.test.ts checks
// each against the document), and how a call fills in its path parameters and query.

export type Method = "GET" | "POST" | "DELETE";

export interface Route {
  method: Method;
  /** OpenAPI path template, e.g. "/v1/states/{state_id}". */
  path: string;
}

export const ROUTES = {
  health: { method: "GET", path: "/healthz" },
  eval: { method: "POST", path: "/v1/eval" },
  createState: { method: "POST", path: "/v1/states" },
  stateEval: { method: "POST", path: "/v1/states/{state_id}/eval" },
  stateFork: { method: "POST", path: "/v1/states/{state_id}/fork" },
  stateInfo: { method: "GET", path: "/v1/states/{state_id}" },
  stateDelete: { method: "DELETE", path: "/v1/states/{state_id}" },
  tools: { method: "GET", path: "/v1/tools" },
  submitBatch: { method: "POST", path: "/v1/batches" },
  batchGet: { method: "GET", path: "/v1/batches/{batch_id}" },
  batchCancel: { method: "DELETE", path: "/v1/batches/{batch_id}" },
} as const satisfies Record<string, Route>;

/** The method and concrete path of `route`: `{name}` filled from `params` (URL-encoded), then `query`. */
export function routeTo(
  route: Route,
  params: Record<string, string> = {},
  query: Record<string, number | string | undefined> = {},
): { method: Method; path: string } {
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${route.path}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, String(v));
  const qs = search.toString();
  return { method: route.method, path: qs === "" ? path : `${path}?${qs}` };
}
