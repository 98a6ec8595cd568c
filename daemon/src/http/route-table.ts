// The registered routes by path pattern, so that a known path with the wrong method can answer
// 405 with an Allow header instead of a 404.
import type { FastifyInstance } from "fastify";

interface Entry {
  pattern: RegExp;
  methods: Set<string>;
}

export class RouteTable {
  private readonly entries = new Map<string, Entry>();

  /** Must run before the routes are registered. */
  collect(app: FastifyInstance): void {
    app.addHook("onRoute", (route) => {
      let entry = this.entries.get(route.url);
      if (!entry) {
        entry = { pattern: patternToRegExp(route.url), methods: new Set() };
        this.entries.set(route.url, entry);
      }
      for (const m of [route.method].flat()) entry.methods.add(m.toUpperCase());
    });
  }

  /** Methods some route accepts at this concrete path (sorted), empty if the path is unknown. */
  allowedMethods(path: string): string[] {
    const methods = new Set<string>();
    for (const { pattern, methods: own } of this.entries.values()) {
      if (pattern.test(path)) for (const m of own) methods.add(m);
    }
    return [...methods].sort();
  }
}

// `/v1/states/:state_id/eval` → ^/v1/states/[^/]+/eval$; a trailing `*` matches the rest.
function patternToRegExp(url: string): RegExp {
  const source = url
    .split("/")
    .map((part) => {
      if (part === "*") return ".*";
      if (part.startsWith(":")) return "[^/]+";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}$`);
}
