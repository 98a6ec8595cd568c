// A worker thread's end of outgoing HTTP: a request goes to the tool host's main thread (which
// frames it to the daemon); the reply comes back on a MessagePort this thread reads without its
// event loop, because the guest is blocked inside a WASI call while it waits. The main thread
// bumps a shared counter and wakes it (Atomics.notify) after each reply it posts.
import { type MessagePort, parentPort, receiveMessageOnPort } from "node:worker_threads";
import type { ToolHttpReply, ToolHttpRequest } from "./protocol.ts";

/** What the main thread gives each worker: the reply port and the counter it bumps. */
export interface HttpChannelEnds {
  port: MessagePort;
  signal: SharedArrayBuffer;
}

export class HttpChannel {
  private next = 1;
  private readonly arrived = new Map<number, ToolHttpReply>();
  private readonly signal: Int32Array;

  constructor(private readonly port: MessagePort, signal: SharedArrayBuffer) {
    this.signal = new Int32Array(signal);
  }

  /** Sends a request; returns its number. Numbers are never reused in this thread. */
  send(request: ToolHttpRequest): number {
    const req = this.next++;
    parentPort!.postMessage({ http: { req, ...request } });
    return req;
  }

  /** The reply if it has arrived; never blocks. */
  poll(req: number): ToolHttpReply | undefined {
    this.drain();
    const reply = this.arrived.get(req);
    if (reply) this.arrived.delete(req);
    return reply;
  }

  /**
   * Blocks this thread until the reply arrives. The daemon always answers (a refusal is an
   * answer); if it cannot, the call's time limit ends this thread.
   */
  wait(req: number): ToolHttpReply {
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const reply = this.poll(req);
      if (reply) return reply;
      Atomics.wait(this.signal, 0, seen);
    }
  }

  /** Between calls: replies to an earlier call's requests are dropped. */
  reset(): void {
    this.drain();
    this.arrived.clear();
  }

  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const reply = m.message as ToolHttpReply;
      this.arrived.set(reply.req, reply);
    }
  }
}
