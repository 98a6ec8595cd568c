// /dev/arbor_host: the byte channel behind Python's `host` module. Python writes one JSON
// request and reads the reply; the read makes the (synchronous) round trip to the daemon. A
// device file keeps the boundary at plain bytes: Python never holds a JS object or function.

/** Sends one raw request (bytes as the sandbox wrote them) and blocks until the reply bytes. */
export type HostTransport = (request: Uint8Array) => Uint8Array;

export const HOST_DEVICE = "/dev/arbor_host";
const MAX_REQUEST_BYTES = 24 * 1024 * 1024;

interface DeviceStream {
  arborRequest?: Uint8Array[];
  arborRequestBytes?: number;
  arborReply?: Uint8Array | null;
  arborReplyPos?: number;
}

interface DeviceFs {
  makedev(major: number, minor: number): number;
  registerDevice(dev: number, ops: object): void;
  mkdev(path: string, mode: number, dev: number): unknown;
  ErrnoError: new (errno: number) => Error;
}

const EFBIG = 22; // Emscripten errno numbers: EINVAL=28, EFBIG=22
const EIO = 29;

/** Installs the device once, before the snapshot; `transport()` is read at call time. */
export function installHostDevice(fs: DeviceFs, transport: () => HostTransport | null): void {
  const dev = fs.makedev(64, 0);
  fs.registerDevice(dev, {
    open(stream: DeviceStream) {
      stream.arborRequest = [];
      stream.arborRequestBytes = 0;
      stream.arborReply = null;
      stream.arborReplyPos = 0;
    },
    close() {},
    // `buffer` is Emscripten's HEAP8 (an Int8Array): view the same bytes as unsigned.
    write(stream: DeviceStream, buffer: Int8Array, offset: number, length: number) {
      if (stream.arborReply) throw new fs.ErrnoError(EIO); // one request per open
      const total = (stream.arborRequestBytes ?? 0) + length;
      if (total > MAX_REQUEST_BYTES) throw new fs.ErrnoError(EFBIG);
      stream.arborRequest!.push(new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length).slice());
      stream.arborRequestBytes = total;
      return length;
    },
    read(stream: DeviceStream, buffer: Int8Array, offset: number, length: number) {
      if (!stream.arborReply) {
        const send = transport();
        const request = Buffer.concat(stream.arborRequest ?? []);
        stream.arborReply = send
          ? send(request)
          : Buffer.from(JSON.stringify({ ok: false, error: { type: "PermissionError", message: "host calls are not available here" } }));
        stream.arborReplyPos = 0;
      }
      const reply = stream.arborReply;
      const pos = stream.arborReplyPos ?? 0;
      const n = Math.min(length, reply.length - pos);
      new Uint8Array(buffer.buffer, buffer.byteOffset + offset, n).set(reply.subarray(pos, pos + n));
      stream.arborReplyPos = pos + n;
      return n;
    },
  });
  fs.mkdev(HOST_DEVICE, 0o666, dev);
}
