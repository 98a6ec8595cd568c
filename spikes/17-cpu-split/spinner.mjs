// Spike 17 (README.md, section 6): a neighbour process that polls like an idle executor: the
// addon's awaitInput (recv MSG_PEEK + sched_yield) on a socket that never has input, for N seconds.
//   node --import tsx spikes/17-cpu-split/spinner.mjs [seconds=120]
import { loadNative } from "../../runtime/src/restore/native.ts";
const { addon } = loadNative();
const net = await import("node:net");
// A connected UNIX socket (a server on an abstract path) that nothing ever writes to.
const srv = net.createServer(() => {}).listen("\0arbor-spin-" + process.pid);
await new Promise((r) => srv.on("listening", r));
const c = net.connect("\0arbor-spin-" + process.pid);
await new Promise((r) => c.on("connect", r));
const fd = c._handle.fd;
const t = Date.now();
let n = 0;
while (Date.now() - t < Number(process.argv[2] ?? 120) * 1000) { addon.awaitInput(fd, 1000); n++; }
console.error(`spinner: ${n} polls`);
process.exit(0);
