// Decoding a checkpointed state's pages in the executor. zlib's inflateRawSync always returns
// fresh memory, and on this kind of VM the first write to each fresh page is a fault that costs
// ~11 µs; the kernel populating the same page inside one madvise costs ~0.8 µs. Inflating a
// 1,000-page state took 12.9 ms into zlib's fresh output, 6.6 ms into a buffer made resident first
// (spikes/16-state-pages). So: prefault a buffer, inflate into it, XOR pages without JS typed-array
// stores (slow once the executor freezes its intrinsics). zlib is the copy inside Node, whose
// symbols every Node binary exports.
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <zlib.h>

#include <node_api.h>

#include "napi_args.h"
#include "state_pages.h"

static napi_value fail(napi_env env, const char* code, const char* msg) {
  napi_throw_error(env, code, msg);
  return NULL;
}

static bool two_arrays(napi_env env, napi_callback_info info, uint8_t** a, size_t* alen, uint8_t** b, size_t* blen) {
  napi_value argv[2];
  return arbor_get_args(env, info, 2, argv) && arbor_get_bytes(env, argv[0], a, alen) && arbor_get_bytes(env, argv[1], b, blen);
}

// inflateRawInto(src: Uint8Array, dst: Uint8Array): number (an ArrayBuffer is accepted too).
// Inflates the raw-deflate stream src into dst and returns the bytes written. Throws
// ERR_ARBOR_INFLATE when src is not one whole stream and ERR_ARBOR_INFLATE_SIZE when its output
// does not fit in dst: a state's page data must be exactly what its index says.
napi_value arbor_inflate_raw_into(napi_env env, napi_callback_info info) {
  uint8_t *src, *dst;
  size_t src_len, dst_len;
  if (!two_arrays(env, info, &src, &src_len, &dst, &dst_len)) return NULL;
  if (src_len > UINT32_MAX || dst_len > UINT32_MAX) return arbor_throw_arg(env, "buffers larger than 4 GiB");
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, -15) != Z_OK) return fail(env, "ERR_ARBOR_INFLATE", "inflateInit2 failed");
  z.next_in = src;
  z.avail_in = (uInt)src_len;
  z.next_out = dst;
  z.avail_out = (uInt)dst_len;
  int rc = inflate(&z, Z_FINISH);
  size_t written = dst_len - z.avail_out;
  inflateEnd(&z);
  if (rc == Z_BUF_ERROR && z.avail_out == 0) return fail(env, "ERR_ARBOR_INFLATE_SIZE", "inflated data is larger than the destination");
  if (rc != Z_STREAM_END) return fail(env, "ERR_ARBOR_INFLATE", z.msg ? z.msg : "truncated or corrupt deflate stream");
  napi_value out;
  if (napi_create_double(env, (double)written, &out) != napi_ok) return NULL;
  return out;
}

// xorInto(target: Uint8Array, other: Uint8Array): void. target ^= other; equal lengths.
napi_value arbor_xor_into(napi_env env, napi_callback_info info) {
  uint8_t *t, *o;
  size_t tlen, olen;
  if (!two_arrays(env, info, &t, &tlen, &o, &olen)) return NULL;
  if (tlen != olen) return arbor_throw_arg(env, "xorInto: lengths differ");
  size_t i = 0;
  for (; i + 8 <= tlen; i += 8) {
    uint64_t a, b;
    memcpy(&a, t + i, 8);
    memcpy(&b, o + i, 8);
    a ^= b;
    memcpy(t + i, &a, 8);
  }
  for (; i < tlen; i++) t[i] ^= o[i];
  return NULL;
}

// prefault(bytes: Uint8Array): void. Makes every page of bytes resident and writable now, in one
// madvise(MADV_POPULATE_WRITE) for the whole pages inside it instead of one fault per page later;
// the partial pages at either end are written in place (same byte back). Contents are unchanged.
napi_value arbor_prefault(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  uint8_t* p;
  size_t len;
  if (!arbor_get_args(env, info, 1, argv) || !arbor_get_bytes(env, argv[0], &p, &len) || len == 0) return NULL;
  const uintptr_t page = 4096, start = (uintptr_t)p, end = start + len;
  const uintptr_t in_start = (start + page - 1) & ~(page - 1), in_end = end & ~(page - 1);
  if (in_end > in_start && madvise((void*)in_start, in_end - in_start, MADV_POPULATE_WRITE) != 0) {
    // An older kernel (< 5.14): touch every page instead.
    for (uintptr_t a = in_start; a < in_end; a += page) *(volatile uint8_t*)a = *(volatile uint8_t*)a;
  }
  *(volatile uint8_t*)start = *(volatile uint8_t*)start;
  *(volatile uint8_t*)(end - 1) = *(volatile uint8_t*)(end - 1);
  return NULL;
}
