// Small scripted HTTP servers for what a healthy daemon will not do on demand: 429s with
// chosen Retry-After values, silence past a deadline, a keep-alive socket dropped under us.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface FakeServer {
  baseUrl: string;
  /** Requests seen, in order. */
  readonly requests: number;
  /** TCP connections accepted. */
  readonly connections: number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

interface Counts {
  requests: number;
  connections: number;
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function fakeServer(handler: Handler): Promise<FakeServer> {
  const counts: Counts = { requests: 0, connections: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    counts.requests += 1;
    req.resume();
    req.on("end", () => handler(req, res, counts.requests));
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", (socket) => {
    counts.connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return listening(server, counts, sockets);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
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
  timing: { queue_ms: 0, restore_ms: 0, exec_ms: 0, total_ms: 0 },
};

/**
 * A raw HTTP/1.1 server that answers GET requests with `{"status":"ok"}` and keep-alive, but
 * drops the first connection, unanswered, when its second request arrives: what a client sees
 * when the server closed an idle pooled socket just as the client reused it.
 */
export async function droppingServer(): Promise<FakeServer> {
  const counts: Counts = { requests: 0, connections: 0 };
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
