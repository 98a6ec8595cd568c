// First write to each page of a fresh 64 MiB buffer (a minor fault each): what a fault costs on
// this host now (spike 16 measured ~11 µs per page here; the host moves).
//   node spikes/29-overhead-floor/first-touch.mjs
for (let r = 0; r < 3; r++) {
  const b = new Uint8Array(new ArrayBuffer(64 << 20));
  const t = performance.now();
  for (let i = 0; i < b.length; i += 4096) b[i] = 1;
  const ms = performance.now() - t;
  console.log(`first touch: ${(ms * 1000 / (b.length / 4096)).toFixed(2)} µs per page`);
}
