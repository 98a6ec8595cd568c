// Encoding and decoding a checkpointed state's pages in the executor. zlib's inflateRawSync always
// returns fresh memory, and on this kind of VM the first write to each fresh page is a fault that
// costs ~11 µs; the kernel populating the same page inside one madvise costs ~0.8 µs. Inflating a
// 1,000-page state took 12.9 ms into zlib's fresh output, 6.6 ms into a buffer made resident first
// (spikes/16-state-pages). So: prefault a buffer, inflate into it, write spans (or XOR pages)
// without JS typed-array stores (slow once the executor freezes its intrinsics). zlib is the copy
// inside Node, whose symbols every Node binary exports.
//
// Capturing one: a page's diff is the spans of 8-byte words where it differs from the page it was
// taken against (format: runtime/src/executor/page-spans.ts). A tree-walk child changes ~112 pages
// but only ~14 KB inside them: deflating whole XOR-ed pages spent 0.4 ms on 448 KB of zeros
// (spikes/21-tree-walk-cpu, spikes/22-page-diff-encoder).
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

#define SPAN_PAGE 4096u
#define SPAN_WORDS (SPAN_PAGE / 8u)

static inline uint16_t rd16(const uint8_t* p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline void wr16(uint8_t* p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static inline bool word_differs(const uint8_t* a, const uint8_t* b, size_t w) {
  uint64_t x, y;
  memcpy(&x, a + 8 * w, 8);
  memcpy(&y, b + 8 * w, 8);
  return x != y;
}

// One page's spans into out (room for SPANS_BOUND_PER_PAGE bytes); returns bytes written. A span is
// a maximal run of 8-byte words that differ: at most 256 of them (alternate words).
static size_t encode_page(const uint8_t* now, const uint8_t* before, uint8_t* out) {
  uint16_t off[SPAN_WORDS / 2], len[SPAN_WORDS / 2];
  size_t n = 0;
  for (size_t w = 0; w < SPAN_WORDS;) {
    if (!word_differs(now, before, w)) {
      w++;
      continue;
    }
    size_t start = w;
    while (w < SPAN_WORDS && word_differs(now, before, w)) w++;
    off[n] = (uint16_t)(start * 8);
    len[n] = (uint16_t)((w - start) * 8);
    n++;
  }
  wr16(out, (uint32_t)n);
  uint8_t* table = out + 2;
  uint8_t* bytes = table + 4 * n;
  for (size_t i = 0; i < n; i++) {
    wr16(table + 4 * i, off[i]);
    wr16(table + 4 * i + 2, len[i]);
    memcpy(bytes, now + off[i], len[i]);
    bytes += len[i];
  }
  return (size_t)(bytes - out);
}

static napi_value spans_corrupt(napi_env env, size_t page, const char* why) {
  char msg[128];
  snprintf(msg, sizeof msg, "page %zu of the state: %s", page, why);
  return fail(env, "ERR_ARBOR_SPANS", msg);
}

// applySpans(raw: Uint8Array, out: Uint8Array): void. `out` holds k pages back to back, each
// already holding the page it was taken against; writes every span of raw into its page. Throws
// ERR_ARBOR_SPANS unless raw describes exactly k pages with spans inside them, ascending and
// apart (hostile input: a stored state may come from anywhere; `out` is then partly written).
napi_value arbor_apply_spans(napi_env env, napi_callback_info info) {
  uint8_t *raw, *out;
  size_t raw_len, out_len;
  if (!two_arrays(env, info, &raw, &raw_len, &out, &out_len)) return NULL;
  if (out_len % SPAN_PAGE != 0) return arbor_throw_arg(env, "applySpans: out must be whole pages");
  size_t at = 0;
  for (size_t p = 0; p < out_len / SPAN_PAGE; p++) {
    if (raw_len - at < 2) return spans_corrupt(env, p, "span count runs past the end");
    const size_t n = rd16(raw + at);
    at += 2;
    if ((raw_len - at) / 4 < n) return spans_corrupt(env, p, "span table runs past the end");
    const uint8_t* table = raw + at;
    at += 4 * n;
    uint8_t* page = out + p * SPAN_PAGE;
    size_t end = 0;
    for (size_t i = 0; i < n; i++) {
      const size_t off = rd16(table + 4 * i), len = rd16(table + 4 * i + 2);
      if (len == 0 || off < end || off + len > SPAN_PAGE) return spans_corrupt(env, p, "spans empty, overlapping or outside the page");
      if (raw_len - at < len) return spans_corrupt(env, p, "span bytes run past the end");
      memcpy(page + off, raw + at, len);
      at += len;
      end = off + len;
    }
  }
  if (at != raw_len) return fail(env, "ERR_ARBOR_SPANS", "span data runs past the last page of the state");
  return NULL;
}

// packPageSpans(now: Uint8Array, before: Uint8Array[], maxBytes: number): Buffer | null. `now`
// holds k pages back to back, before[i] the 4096 bytes page i is taken against. Returns their span
// data as a state carries it (page-spans.ts): the raw length as a u32 LE, then the raw data
// deflated at level 1; or null as soon as that would take more than maxBytes. A state too large
// to keep then costs what it took to find out, not its whole deflate: 300 MiB of random bytes took
// ~21 s to deflate in full before being refused (spikes/23-large-checkpoint).
//
// The spans are encoded a chunk of pages at a time into a small scratch buffer and fed to the
// deflate stream as they come, so no buffer of the whole raw data is made: for a 9,000-page state
// that was 35 MB of fresh memory, ~75 ms of first writes on this kind of VM
// (spikes/23-large-checkpoint). One z_stream and one output buffer (up to 8 MiB) are kept for the
// process's life (deflateReset between uses); the output is copied out once at its size. Node's
// deflateRawSync builds a zlib stream object and zlib's 256 KiB of state for every call: 0.3 ms
// for a child state's 14 KB of spans inside the executor, against ~0.06 ms in a tight loop
// (spikes/22-page-diff-encoder).
static z_stream spans_deflate;
static bool spans_deflate_ready = false;
static uint8_t* spans_out = NULL;
#define SPANS_KEEP_OUT_BYTES (8u << 20)
static size_t spans_out_len = 0;
#define SPANS_CHUNK_PAGES 64u
static uint8_t spans_chunk[SPANS_CHUNK_PAGES * SPANS_BOUND_PER_PAGE];

typedef enum { SPANS_FED, SPANS_TOO_LARGE, SPANS_FAILED } spans_fed;

static void spans_release_large_out(void) {
  // A large state's output buffer is not kept: one huge capture must not pin its size for the
  // executor's life.
  if (spans_out_len > SPANS_KEEP_OUT_BYTES) {
    free(spans_out);
    spans_out = NULL;
    spans_out_len = 0;
  }
}

// Packing stopped early: null for a state over maxBytes, an exception for a zlib failure.
static napi_value spans_end(napi_env env, spans_fed fed) {
  spans_release_large_out();
  if (fed != SPANS_TOO_LARGE) return fail(env, "ERR_ARBOR_DEFLATE", "deflate failed on the span data");
  napi_value null_value;
  return napi_get_null(env, &null_value) == napi_ok ? null_value : NULL;
}

// Feeds n bytes of raw span data to the stream. The output room is the deflate bound or, when
// smaller, one byte past maxBytes: running out of it means the packed data is too large.
static spans_fed spans_feed(const uint8_t* raw, size_t n, int flush) {
  spans_deflate.next_in = (Bytef*)raw;
  spans_deflate.avail_in = (uInt)n;
  const int rc = deflate(&spans_deflate, flush);
  if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) return SPANS_FAILED;
  if (flush == Z_FINISH ? rc == Z_STREAM_END : spans_deflate.avail_in == 0) return SPANS_FED;
  return spans_deflate.avail_out == 0 ? SPANS_TOO_LARGE : SPANS_FAILED;
}

napi_value arbor_pack_page_spans(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  uint8_t* now;
  size_t now_len;
  double max_bytes;
  if (!arbor_get_args(env, info, 3, argv) || !arbor_get_bytes(env, argv[0], &now, &now_len)) return NULL;
  if (napi_get_value_double(env, argv[2], &max_bytes) != napi_ok || !(max_bytes >= 4)) return arbor_throw_arg(env, "packPageSpans: maxBytes must be a number >= 4");
  if (now_len % SPAN_PAGE != 0) return arbor_throw_arg(env, "packPageSpans: now must be whole pages");
  const size_t pages = now_len / SPAN_PAGE;
  uint32_t count;
  if (napi_get_array_length(env, argv[1], &count) != napi_ok) return arbor_throw_arg(env, "packPageSpans: before must be an array");
  if (count != pages) return arbor_throw_arg(env, "packPageSpans: one before page per page of now");
  const size_t raw_bound = pages * SPANS_BOUND_PER_PAGE;
  if (raw_bound > UINT32_MAX / 2) return arbor_throw_arg(env, "packPageSpans: more than 2 GiB of pages");
  if (!spans_deflate_ready) {
    memset(&spans_deflate, 0, sizeof spans_deflate);
    if (deflateInit2(&spans_deflate, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return fail(env, "ERR_ARBOR_DEFLATE", "deflateInit2 failed");
    spans_deflate_ready = true;
  } else if (deflateReset(&spans_deflate) != Z_OK) {
    return fail(env, "ERR_ARBOR_DEFLATE", "deflateReset failed");
  }
  size_t bound = 4 + deflateBound(&spans_deflate, (uLong)raw_bound);
  if (max_bytes < (double)bound) bound = (size_t)max_bytes + 1;
  if (bound > spans_out_len) {
    // With room to spare and without realloc's copy: grown to the exact bound, a state a few
    // bytes larger than the last re-made the whole buffer, ~1,000 faults for a 1,000-page state
    // (13 ms of a 26 ms deflate, spikes/23-large-checkpoint).
    free(spans_out);
    spans_out_len = bound + bound / 4;
    spans_out = malloc(spans_out_len);
    if (!spans_out) {
      spans_out_len = 0;
      return fail(env, "ERR_ARBOR_DEFLATE", "out of memory for the deflated data");
    }
  }
  spans_deflate.next_out = spans_out + 4;
  spans_deflate.avail_out = (uInt)(bound - 4);
  size_t raw_len = 0;
  for (uint32_t first = 0; first < count; first += SPANS_CHUNK_PAGES) {
    const uint32_t last = count - first < SPANS_CHUNK_PAGES ? count : first + SPANS_CHUNK_PAGES;
    size_t at = 0;
    for (uint32_t i = first; i < last; i++) {
      napi_value item;
      uint8_t* before;
      size_t before_len;
      if (napi_get_element(env, argv[1], i, &item) != napi_ok || !arbor_get_bytes(env, item, &before, &before_len)) return NULL;
      if (before_len != SPAN_PAGE) return arbor_throw_arg(env, "packPageSpans: every before page is 4096 bytes");
      at += encode_page(now + (size_t)i * SPAN_PAGE, before, spans_chunk + at);
    }
    const spans_fed fed = spans_feed(spans_chunk, at, Z_NO_FLUSH);
    if (fed != SPANS_FED) return spans_end(env, fed);
    raw_len += at;
  }
  const spans_fed fed = spans_feed(NULL, 0, Z_FINISH);
  const size_t packed = bound - spans_deflate.avail_out;
  if (fed != SPANS_FED || packed > max_bytes) return spans_end(env, fed == SPANS_FED ? SPANS_TOO_LARGE : fed);
  for (int i = 0; i < 4; i++) spans_out[i] = (uint8_t)(raw_len >> (8 * i));
  napi_value out;
  const napi_status made = napi_create_buffer_copy(env, packed, spans_out, NULL, &out);
  spans_release_large_out();
  return made == napi_ok ? out : NULL;
}
