// Small scripted HTTP servers for what a healthy daemon will not do on demand: 429s with
// chosen Retry-After values, silence past a deadline, a keep-alive socket dropped under us, a
// batch at chosen moments of its run.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface SeenRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** The parsed JSON body; null without one. */
  body: unknown;
}

export interface FakeServer {
  baseUrl: string;
  /** Requests seen, in order. */
  readonly requests: number;
  /** Every request (fakeServer only), in order. */
  readonly seen: SeenRequest[];
  /** TCP connections accepted. */
  readonly connections: number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, n: number, seen: SeenRequest) => void;

interface Counts {
  requests: number;
  connections: number;
  seen: SeenRequest[];
}

/** Listens on a free loopback port; the handle reads `counts` live and destroys open sockets on close. */
async function listening(server: Server, counts: Counts, sockets: Set<Socket>): Promise<FakeServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get requests() {
      return counts.requests;
    },
    get connections() {
      return counts.connections;
    },
    get seen() {
      return counts.seen;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function fakeServer(handler: Handler): Promise<FakeServer> {
  const counts: Counts = { requests: 0, connections: 0, seen: [] };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const n = ++counts.requests;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const seen: SeenRequest = { method: req.method ?? "", path: req.url ?? "", body: text === "" ? null : (JSON.parse(text) as unknown) };
      counts.seen.push(seen);
      handler(req, res, n, seen);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", (socket) => {
    counts.connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return listening(server, counts, sockets);
}

/** Answers with `body` as JSON; with body null, no body at all (e.g. 204). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === null) {
    res.writeHead(status, { "content-length": 0, ...headers });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function errorBody(code: string, message = `fake ${code}`): unknown {
  return { error: { code, message } };
}

export const OK_EVAL = {
  id: "req-fake",
  status: "ok",
  stdout: "",
  stderr: "",
  result: "1",
  error: null,
  host_calls: [],
  timing: { queue_ms: 0, restore_ms: 0, restore_wait_ms: 0, exec_ms: 0, checkpoint_ms: 0, total_ms: 0 },
};

/**
 * A raw HTTP/1.1 server that answers GET requests with `{"status":"ok"}` and keep-alive, but
 * drops the first connection, unanswered, when its second request arrives: what a client sees
 * when the server closed an idle pooled socket just as the client reused it.
 */
export async function droppingServer(): Promise<FakeServer> {
  const counts: Counts = { requests: 0, connections: 0, seen: [] };
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    const connection = ++counts.connections;
    let onThisSocket = 0;
    let buffered = "";
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1");
      while (buffered.includes("\r\n\r\n")) {
        buffered = buffered.slice(buffered.indexOf("\r\n\r\n") + 4);
        counts.requests += 1;
        onThisSocket += 1;
        if (connection === 1 && onThisSocket === 2) {
          socket.destroy();
          return;
        }
        const body = '{"status":"ok"}';
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n` +
            `connection: keep-alive\r\nkeep-alive: timeout=60\r\n\r\n${body}`,
        );
      }
    });
  });
  return listening(server, counts, sockets);
}

/** One moment of a scripted batch: its status and the wire results recorded by then. */
export interface BatchMoment {
  status: string;
  total: number;
  results: Array<{ index: number } & Record<string, unknown>>;
}

/**
 * The body of GET /v1/batches/{id}?from&limit for a batch at `moment`, as the daemon answers it:
 * `done` counts every recorded result, `results` only those in the index range, by index.
 */
export function batchView(batchId: string, moment: BatchMoment, path: string): unknown {
  const query = new URL(path, "http://x").searchParams;
  const from = Number(query.get("from") ?? 0);
  const end = query.has("limit") ? from + Number(query.get("limit")) : moment.total;
  return {
    batch_id: batchId,
    status: moment.status,
    total: moment.total,
    done: moment.results.length,
    created_at: "2030-01-01T00:00:00.000Z",
    results: moment.results.filter((r) => r.index >= from && r.index < end).sort((a, b) => a.index - b.index),
  };
}

/** A recorded job result: an eval response whose `result` is the index. */
export function okResult(index: number): { index: number; response: unknown } {
  return { index, response: { ...OK_EVAL, id: `req-${index}`, result: String(index) } };
}
