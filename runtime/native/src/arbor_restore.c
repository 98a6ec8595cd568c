// arbor_restore: page-granular reset of a wasm linear memory (userfaultfd-WP + PAGEMAP_SCAN,
// memfd copy-on-write). Plain node_api.h. Every entry point validates its arguments (ranges inside
// the buffer, page-aligned) and throws a JS Error carrying errno text instead of crashing.
// Offsets/lengths are bytes relative to the start of an ArrayBuffer; page lists are Uint32Array
// pairs [startPage, endPage) relative to that buffer. The addon also carries awaitInput
// (await_input.c), the executor's busy-poll for its next job, and the decoding of a state's
// pages (state_pages.c).
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <node_api.h>

#include "await_input.h"
#include "napi_args.h"
#include "state_pages.h"
#include "kernel_abi.h"

#define PAGE 4096u
#define SCAN_VEC_LEN 512

// ---------- error helpers ----------

static napi_value throw_errno(napi_env env, const char* what, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s (errno %d)", what, strerror(err), err);
  const char* code = strerrorname_np(err);
  napi_throw_error(env, code ? code : "EUNKNOWN", msg);
  return NULL;
}

napi_value arbor_throw_arg(napi_env env, const char* msg) {
  napi_throw_range_error(env, "ERR_ARBOR_ARG", msg);
  return NULL;
}

#define CHECK_NAPI(call)                                        \
  do {                                                          \
    if ((call) != napi_ok) {                                    \
      bool pending = false;                                     \
      napi_is_exception_pending(env, &pending);                 \
      if (!pending) napi_throw_error(env, NULL, #call " failed"); \
      return NULL;                                              \
    }                                                           \
  } while (0)

// ---------- argument helpers ----------

bool arbor_get_args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  if (argc < want) {
    char msg[96]; // two 20-digit counts fit: the compiler cannot bound `want` now that callers are elsewhere
    snprintf(msg, sizeof msg, "expected %zu arguments, got %zu", want, argc);
    arbor_throw_arg(env, msg);
    return false;
  }
  return true;
}

// A non-detached ArrayBuffer (the wasm memory's `memory.buffer`).
static bool get_arraybuffer(napi_env env, napi_value v, uint8_t** data, size_t* len) {
  bool is_ab = false;
  napi_is_arraybuffer(env, v, &is_ab);
  if (!is_ab) {
    arbor_throw_arg(env, "expected an ArrayBuffer (memory.buffer)");
    return false;
  }
  void* p = NULL;
  if (napi_get_arraybuffer_info(env, v, &p, len) != napi_ok) return false;
  if (p == NULL || *len == 0) {
    arbor_throw_arg(env, "ArrayBuffer is detached or empty (re-read memory.buffer after grow)");
    return false;
  }
  if (((uintptr_t)p) % PAGE != 0) {
    arbor_throw_arg(env, "ArrayBuffer backing store is not page-aligned");
    return false;
  }
  *data = p;
  return true;
}

// Bytes from an ArrayBuffer or a Uint8Array (the baseline).
bool arbor_get_bytes(napi_env env, napi_value v, uint8_t** data, size_t* len) {
  bool is_ab = false, is_ta = false;
  napi_is_arraybuffer(env, v, &is_ab);
  if (is_ab) {
    void* p = NULL;
    if (napi_get_arraybuffer_info(env, v, &p, len) != napi_ok) return false;
    *data = p;
    return true;
  }
  napi_is_typedarray(env, v, &is_ta);
  if (is_ta) {
    napi_typedarray_type type;
    size_t n = 0, off = 0;
    void* p = NULL;
    napi_value ab;
    if (napi_get_typedarray_info(env, v, &type, &n, &p, &ab, &off) != napi_ok) return false;
    if (type != napi_uint8_array) {
      arbor_throw_arg(env, "expected a Uint8Array");
      return false;
    }
    *data = p;
    *len = n;
    return true;
  }
  arbor_throw_arg(env, "expected an ArrayBuffer or Uint8Array");
  return false;
}

static bool get_u64(napi_env env, napi_value v, const char* name, uint64_t* out) {
  double d = 0;
  char msg[96];
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= 0) || d != (double)(uint64_t)d ||
      d > 9007199254740991.0) {
    snprintf(msg, sizeof msg, "%s must be a non-negative integer", name);
    arbor_throw_arg(env, msg);
    return false;
  }
  *out = (uint64_t)d;
  return true;
}

static bool get_fd(napi_env env, napi_value v, int* fd) {
  int32_t x = -1;
  if (napi_get_value_int32(env, v, &x) != napi_ok || x < 0) {
    arbor_throw_arg(env, "fd must be a non-negative integer");
    return false;
  }
  *fd = x;
  return true;
}

// [offset, offset+length) must be page-aligned, non-empty and inside a buffer of buf_len bytes.
static bool get_range(napi_env env, napi_value off_v, napi_value len_v, size_t buf_len, uint64_t* off,
                      uint64_t* len) {
  if (!get_u64(env, off_v, "offset", off) || !get_u64(env, len_v, "length", len)) return false;
  if (*off % PAGE != 0 || *len % PAGE != 0) {
    arbor_throw_arg(env, "offset and length must be multiples of 4096");
    return false;
  }
  if (*len == 0 || *off > buf_len || *len > buf_len - *off) {
    arbor_throw_arg(env, "range must be non-empty and inside the buffer");
    return false;
  }
  return true;
}

// Common prologue for (buffer, offset, length) entry points.
static bool get_buffer_range(napi_env env, napi_value* argv, uint8_t** base, uint64_t* off, uint64_t* len) {
  size_t buf_len = 0;
  return get_arraybuffer(env, argv[0], base, &buf_len) && get_range(env, argv[1], argv[2], buf_len, off, len);
}

// ---------- page list output ----------

typedef struct {
  uint32_t* v;
  size_t n, cap;
} u32vec;

static bool vec_push_pair(u32vec* a, uint32_t s, uint32_t e) {
  if (a->n > 0 && a->v[a->n - 1] == s) {  // coalesce adjacent regions
    a->v[a->n - 1] = e;
    return true;
  }
  if (a->n + 2 > a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 256;
    uint32_t* v = realloc(a->v, cap * sizeof *v);
    if (!v) return false;
    a->v = v;
    a->cap = cap;
  }
  a->v[a->n++] = s;
  a->v[a->n++] = e;
  return true;
}

static napi_value vec_to_uint32array(napi_env env, u32vec* a) {
  napi_value ab, out;
  void* data = NULL;
  napi_status st = napi_create_arraybuffer(env, a->n * sizeof(uint32_t), &data, &ab);
  if (st == napi_ok && a->n) memcpy(data, a->v, a->n * sizeof(uint32_t));
  free(a->v);
  CHECK_NAPI(st);
  CHECK_NAPI(napi_create_typedarray(env, napi_uint32_array, a->n, ab, 0, &out));
  return out;
}

// ---------- basics ----------

static napi_value js_page_size(napi_env env, napi_callback_info info) {
  napi_value out;
  CHECK_NAPI(napi_create_uint32(env, (uint32_t)sysconf(_SC_PAGESIZE), &out));
  return out;
}

// bufferAddress(buf: ArrayBuffer): bigint
static napi_value js_buffer_address(napi_env env, napi_callback_info info) {
  napi_value argv[1], out;
  uint8_t* base;
  size_t len;
  if (!arbor_get_args(env, info, 1, argv) || !get_arraybuffer(env, argv[0], &base, &len)) return NULL;
  CHECK_NAPI(napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)base, &out));
  return out;
}

// closeFd(fd: number): void
static napi_value js_close_fd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!arbor_get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  if (close(fd) != 0) return throw_errno(env, "close", errno);
  return NULL;
}

// madvise(buf, offset, length, advice: "dontneed" | "nohugepage" | "populate_read"): void
static napi_value js_madvise(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  uint8_t* base;
  uint64_t off, len;
  char name[32] = {0};
  size_t n = 0;
  if (!arbor_get_args(env, info, 4, argv) || !get_buffer_range(env, argv, &base, &off, &len)) return NULL;
  if (napi_get_value_string_utf8(env, argv[3], name, sizeof name, &n) != napi_ok)
    return arbor_throw_arg(env, "advice must be a string");
  int advice;
  if (strcmp(name, "dontneed") == 0) advice = MADV_DONTNEED;
  else if (strcmp(name, "nohugepage") == 0) advice = MADV_NOHUGEPAGE;
  else if (strcmp(name, "populate_read") == 0) advice = MADV_POPULATE_READ;
  else return arbor_throw_arg(env, "advice must be \"dontneed\", \"nohugepage\" or \"populate_read\"");
  if (madvise(base + off, len, advice) != 0) return throw_errno(env, "madvise", errno);
  return NULL;
}

// copyPages(dst: ArrayBuffer, src: Uint8Array | ArrayBuffer, ranges: Uint32Array): number
// Copies the listed pages from src into dst; pages at or past src's length are zeroed (memory
// grown past the baseline). src length must be a multiple of 4096. Returns pages written.
static napi_value js_copy_pages(napi_env env, napi_callback_info info) {
  napi_value argv[3], out;
  uint8_t *dst, *src;
  size_t dst_len, src_len;
  if (!arbor_get_args(env, info, 3, argv) || !get_arraybuffer(env, argv[0], &dst, &dst_len) ||
      !arbor_get_bytes(env, argv[1], &src, &src_len))
    return NULL;
  if (src_len % PAGE != 0) return arbor_throw_arg(env, "src length must be a multiple of 4096");
  napi_typedarray_type type;
  size_t n = 0, boff = 0;
  void* p = NULL;
  napi_value ab;
  bool is_ta = false;
  napi_is_typedarray(env, argv[2], &is_ta);
  if (!is_ta) return arbor_throw_arg(env, "ranges must be a Uint32Array");
  CHECK_NAPI(napi_get_typedarray_info(env, argv[2], &type, &n, &p, &ab, &boff));
  if (type != napi_uint32_array || n % 2 != 0) return arbor_throw_arg(env, "ranges must be a Uint32Array of [start, end) pairs");
  const uint32_t* r = p;
  uint64_t dst_pages = dst_len / PAGE, src_pages = src_len / PAGE;
  for (size_t i = 0; i < n; i += 2)  // validate everything before touching memory
    if (r[i] >= r[i + 1] || r[i + 1] > dst_pages) return arbor_throw_arg(env, "page range outside dst or empty");
  uint64_t total = 0;
  for (size_t i = 0; i < n; i += 2) {
    uint64_t s = r[i], e = r[i + 1];
    uint64_t copy_end = e < src_pages ? e : src_pages;
    if (s < copy_end) memcpy(dst + s * PAGE, src + s * PAGE, (copy_end - s) * PAGE);
    uint64_t zero_start = s > src_pages ? s : src_pages;
    if (zero_start < e) memset(dst + zero_start * PAGE, 0, (e - zero_start) * PAGE);
    total += e - s;
  }
  CHECK_NAPI(napi_create_double(env, (double)total, &out));
  return out;
}

// ---------- userfaultfd ----------

static int uffd_open(int* user_mode_only) {
  // Prefer user-mode-only: allowed without privilege even when vm.unprivileged_userfaultfd=0,
  // and async WP faults never reach handle_userfault anyway.
  int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
  *user_mode_only = fd >= 0;
  if (fd < 0) fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
  return fd;
}

// uffdSupportedFeatures(): bigint — features the kernel offers (UFFDIO_API with features=0).
static napi_value js_uffd_supported_features(napi_env env, napi_callback_info info) {
  int umo;
  int fd = uffd_open(&umo);
  if (fd < 0) return throw_errno(env, "userfaultfd", errno);
  struct uffdio_api api = {.api = UFFD_API, .features = 0};
  int rc = ioctl(fd, UFFDIO_API, &api);
  int err = errno;
  close(fd);
  if (rc != 0) return throw_errno(env, "UFFDIO_API", err);
  napi_value out;
  CHECK_NAPI(napi_create_bigint_uint64(env, api.features, &out));
  return out;
}

// uffdOpenAsyncWp(): { fd: number, features: bigint, userModeOnly: boolean }
// A userfaultfd whose write-protect faults the kernel resolves itself (WP_ASYNC), so writes never
// block and PAGEMAP_SCAN reports them. WP_UNPOPULATED is required for anonymous memory to count as
// WP-allowed in PAGEMAP_SCAN (untouched pages get markers), so it is mandatory here.
static napi_value js_uffd_open_async_wp(napi_env env, napi_callback_info info) {
  int umo;
  int fd = uffd_open(&umo);
  if (fd < 0) return throw_errno(env, "userfaultfd", errno);
  struct uffdio_api api = {.api = UFFD_API, .features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED};
  if (ioctl(fd, UFFDIO_API, &api) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "UFFDIO_API(WP_ASYNC|WP_UNPOPULATED)", err);
  }
  napi_value out, v;
  CHECK_NAPI(napi_create_object(env, &out));
  CHECK_NAPI(napi_create_int32(env, fd, &v));
  CHECK_NAPI(napi_set_named_property(env, out, "fd", v));
  CHECK_NAPI(napi_create_bigint_uint64(env, api.features, &v));
  CHECK_NAPI(napi_set_named_property(env, out, "features", v));
  CHECK_NAPI(napi_get_boolean(env, umo != 0, &v));
  CHECK_NAPI(napi_set_named_property(env, out, "userModeOnly", v));
  return out;
}

// uffdRegisterWp(fd, buf, offset, length): void
static napi_value js_uffd_register_wp(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int fd;
  uint8_t* base;
  uint64_t off, len;
  if (!arbor_get_args(env, info, 4, argv) || !get_fd(env, argv[0], &fd) || !get_buffer_range(env, argv + 1, &base, &off, &len))
    return NULL;
  struct uffdio_register reg = {.range = {.start = (uintptr_t)(base + off), .len = len}, .mode = UFFDIO_REGISTER_MODE_WP};
  if (ioctl(fd, UFFDIO_REGISTER, &reg) != 0) return throw_errno(env, "UFFDIO_REGISTER(WP)", errno);
  return NULL;
}

// uffdUnregister(fd, buf, offset, length): void
static napi_value js_uffd_unregister(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int fd;
  uint8_t* base;
  uint64_t off, len;
  if (!arbor_get_args(env, info, 4, argv) || !get_fd(env, argv[0], &fd) || !get_buffer_range(env, argv + 1, &base, &off, &len))
    return NULL;
  struct uffdio_range range = {.start = (uintptr_t)(base + off), .len = len};
  if (ioctl(fd, UFFDIO_UNREGISTER, &range) != 0) return throw_errno(env, "UFFDIO_UNREGISTER", errno);
  return NULL;
}

// uffdWriteProtect(fd, buf, offset, length, protect: boolean): void
static napi_value js_uffd_write_protect(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int fd;
  uint8_t* base;
  uint64_t off, len;
  bool protect = true;
  if (!arbor_get_args(env, info, 5, argv) || !get_fd(env, argv[0], &fd) || !get_buffer_range(env, argv + 1, &base, &off, &len))
    return NULL;
  if (napi_get_value_bool(env, argv[4], &protect) != napi_ok) return arbor_throw_arg(env, "protect must be a boolean");
  struct uffdio_writeprotect wp = {.range = {.start = (uintptr_t)(base + off), .len = len},
                                   .mode = protect ? UFFDIO_WRITEPROTECT_MODE_WP : 0};
  if (ioctl(fd, UFFDIO_WRITEPROTECT, &wp) != 0) return throw_errno(env, "UFFDIO_WRITEPROTECT", errno);
  return NULL;
}

// ---------- PAGEMAP_SCAN ----------

static int pagemap_fd = -1;

static int get_pagemap_fd(void) {
  if (__atomic_load_n(&pagemap_fd, __ATOMIC_ACQUIRE) >= 0) return pagemap_fd;
  int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  int expected = -1;
  if (!__atomic_compare_exchange_n(&pagemap_fd, &expected, fd, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) close(fd);
  return pagemap_fd;
}

// One PAGEMAP_SCAN walk over [base+off, base+off+len), looping while the region vector fills up.
static napi_value scan(napi_env env, uint8_t* base, uint64_t off, uint64_t len, struct pm_scan_arg tmpl) {
  int pm = get_pagemap_fd();
  if (pm < 0) return throw_errno(env, "open /proc/self/pagemap", errno);
  struct page_region regions[SCAN_VEC_LEN];
  u32vec out = {0};
  uint64_t start = (uintptr_t)(base + off), end = start + len;
  while (start < end) {
    struct pm_scan_arg arg = tmpl;
    arg.size = sizeof arg;
    arg.start = start;
    arg.end = end;
    arg.vec = (uintptr_t)regions;
    arg.vec_len = SCAN_VEC_LEN;
    long n = ioctl(pm, PAGEMAP_SCAN, &arg);
    if (n < 0) {
      int err = errno;
      free(out.v);
      return throw_errno(env, "PAGEMAP_SCAN", err);
    }
    for (long i = 0; i < n; i++) {
      uint32_t s = (uint32_t)((regions[i].start - (uintptr_t)base) / PAGE);
      uint32_t e = (uint32_t)((regions[i].end - (uintptr_t)base) / PAGE);
      if (!vec_push_pair(&out, s, e)) {
        free(out.v);
        return throw_errno(env, "PAGEMAP_SCAN output", ENOMEM);
      }
    }
    if (arg.walk_end <= start) break;  // no progress: defensive, should not happen
    start = arg.walk_end;
  }
  return vec_to_uint32array(env, &out);
}

// scanWritten(buf, offset, length, rearm: boolean): Uint32Array of [start, end) page pairs
// Pages written since they were last write-protected. With rearm, the same ioctl write-protects
// them again (atomically with the report). Fails with EPERM if part of the range is not
// registered for async WP (PM_SCAN_CHECK_WPASYNC), instead of silently reporting nothing.
static napi_value js_scan_written(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  uint8_t* base;
  uint64_t off, len;
  bool rearm = false;
  if (!arbor_get_args(env, info, 4, argv) || !get_buffer_range(env, argv, &base, &off, &len)) return NULL;
  if (napi_get_value_bool(env, argv[3], &rearm) != napi_ok) return arbor_throw_arg(env, "rearm must be a boolean");
  struct pm_scan_arg a = {0};
  a.flags = PM_SCAN_CHECK_WPASYNC | (rearm ? PM_SCAN_WP_MATCHING : 0);
  a.category_mask = PAGE_IS_WRITTEN;
  a.return_mask = PAGE_IS_WRITTEN;
  return scan(env, base, off, len, a);
}

// scanPrivatelyModified(buf, offset, length): Uint32Array of [start, end) page pairs
// Present pages that are private anonymous copies and not the shared zero page: in a MAP_PRIVATE
// file mapping these are exactly the pages written since it was mapped (copy-on-write happened);
// in anonymous memory, the pages touched by a write since they were last discarded.
static napi_value js_scan_privately_modified(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  uint8_t* base;
  uint64_t off, len;
  if (!arbor_get_args(env, info, 3, argv) || !get_buffer_range(env, argv, &base, &off, &len)) return NULL;
  struct pm_scan_arg a = {0};
  a.category_mask = PAGE_IS_PRESENT | PAGE_IS_FILE | PAGE_IS_PFNZERO;
  a.category_inverted = PAGE_IS_FILE | PAGE_IS_PFNZERO;
  a.return_mask = PAGE_IS_PRESENT;
  return scan(env, base, off, len, a);
}

// Reads a Uint32Array of [start, end) page pairs, each non-empty and inside `limit_pages`.
static bool get_page_ranges(napi_env env, napi_value v, uint64_t limit_pages, const uint32_t** ranges, size_t* n) {
  napi_typedarray_type type;
  size_t len = 0, boff = 0;
  void* p = NULL;
  napi_value ab;
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (!is_ta) {
    arbor_throw_arg(env, "ranges must be a Uint32Array");
    return false;
  }
  if (napi_get_typedarray_info(env, v, &type, &len, &p, &ab, &boff) != napi_ok) return false;
  if (type != napi_uint32_array || len % 2 != 0) {
    arbor_throw_arg(env, "ranges must be a Uint32Array of [start, end) pairs");
    return false;
  }
  const uint32_t* r = p;
  for (size_t i = 0; i < len; i += 2)
    if (r[i] >= r[i + 1] || r[i + 1] > limit_pages) {
      arbor_throw_arg(env, "page range outside the buffer or empty");
      return false;
    }
  *ranges = r;
  *n = len;
  return true;
}

// rearmRanges(buf, ranges: Uint32Array): number
// Write-protects again the written (not write-protected) pages inside each [start, end) range, with
// one PAGEMAP_SCAN(PM_SCAN_WP_MATCHING) per range; pages already protected are left alone. Used to
// re-arm only the cold written pages, leaving the hot ones (outside every range) writable.
// Returns the number of pages re-protected.
static napi_value js_rearm_ranges(napi_env env, napi_callback_info info) {
  napi_value argv[2], out;
  uint8_t* base;
  size_t buf_len;
  const uint32_t* r;
  size_t n;
  if (!arbor_get_args(env, info, 2, argv) || !get_arraybuffer(env, argv[0], &base, &buf_len) ||
      !get_page_ranges(env, argv[1], buf_len / PAGE, &r, &n))
    return NULL;
  int pm = get_pagemap_fd();
  if (pm < 0) return throw_errno(env, "open /proc/self/pagemap", errno);
  struct page_region regions[SCAN_VEC_LEN];
  uint64_t total = 0;
  for (size_t i = 0; i < n; i += 2) {
    uint64_t start = (uintptr_t)(base + (uint64_t)r[i] * PAGE), end = (uintptr_t)(base + (uint64_t)r[i + 1] * PAGE);
    while (start < end) {
      struct pm_scan_arg arg = {0};
      arg.size = sizeof arg;
      arg.flags = PM_SCAN_CHECK_WPASYNC | PM_SCAN_WP_MATCHING;
      arg.start = start;
      arg.end = end;
      arg.vec = (uintptr_t)regions;
      arg.vec_len = SCAN_VEC_LEN;
      arg.category_mask = PAGE_IS_WRITTEN;
      arg.return_mask = PAGE_IS_WRITTEN;
      long got = ioctl(pm, PAGEMAP_SCAN, &arg);
      if (got < 0) return throw_errno(env, "PAGEMAP_SCAN(WP_MATCHING)", errno);
      for (long k = 0; k < got; k++) total += (regions[k].end - regions[k].start) / PAGE;
      if (arg.walk_end <= start) break;
      start = arg.walk_end;
    }
  }
  CHECK_NAPI(napi_create_double(env, (double)total, &out));
  return out;
}

// diffPages(buf, src: Uint8Array | ArrayBuffer, ranges: Uint32Array): Uint32Array of [start, end) pairs
// The pages inside `ranges` whose bytes differ from src (pages at or past src's length: not all zero).
static napi_value js_diff_pages(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  uint8_t *dst, *src;
  size_t dst_len, src_len;
  const uint32_t* r;
  size_t n;
  if (!arbor_get_args(env, info, 3, argv) || !get_arraybuffer(env, argv[0], &dst, &dst_len) ||
      !arbor_get_bytes(env, argv[1], &src, &src_len) || !get_page_ranges(env, argv[2], dst_len / PAGE, &r, &n))
    return NULL;
  if (src_len % PAGE != 0) return arbor_throw_arg(env, "src length must be a multiple of 4096");
  static const uint8_t zero[PAGE];
  uint64_t src_pages = src_len / PAGE;
  u32vec out = {0};
  for (size_t i = 0; i < n; i += 2) {
    for (uint64_t p = r[i]; p < r[i + 1]; p++) {
      const uint8_t* want = p < src_pages ? src + p * PAGE : zero;
      if (memcmp(dst + p * PAGE, want, PAGE) != 0 && !vec_push_pair(&out, (uint32_t)p, (uint32_t)p + 1)) {
        free(out.v);
        return throw_errno(env, "diffPages output", ENOMEM);
      }
    }
  }
  return vec_to_uint32array(env, &out);
}

// ---------- memfd copy-on-write ----------

// memfdFromBytes(name: string, bytes: Uint8Array | ArrayBuffer): number
// A sealed memfd holding bytes (length must be a multiple of 4096): nothing can change the baseline.
static napi_value js_memfd_from_bytes(napi_env env, napi_callback_info info) {
  napi_value argv[2], out;
  char name[64] = {0};
  size_t n = 0, len;
  uint8_t* data;
  if (!arbor_get_args(env, info, 2, argv)) return NULL;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &n) != napi_ok) return arbor_throw_arg(env, "name must be a string");
  if (!arbor_get_bytes(env, argv[1], &data, &len)) return NULL;
  if (len == 0 || len % PAGE != 0) return arbor_throw_arg(env, "bytes length must be a non-zero multiple of 4096");
  int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return throw_errno(env, "memfd_create", errno);
  const char* what = NULL;
  if (ftruncate(fd, (off_t)len) != 0) what = "ftruncate(memfd)";
  for (size_t done = 0; !what && done < len;) {
    ssize_t w = pwrite(fd, data + done, len - done, (off_t)done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) what = "pwrite(memfd)";
    else done += (size_t)w;
  }
  if (!what && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) what = "F_ADD_SEALS";
  if (what) {
    int err = errno;
    close(fd);
    return throw_errno(env, what, err);
  }
  CHECK_NAPI(napi_create_int32(env, fd, &out));
  return out;
}

// mapPrivateFixed(fd, buf, offset, length): void
// Replaces buf[offset, offset+length) with a MAP_PRIVATE mapping of the file at the same offset:
// reads see the file, writes get private copies, and calling it again discards those copies.
static napi_value js_map_private_fixed(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int fd;
  uint8_t* base;
  uint64_t off, len;
  if (!arbor_get_args(env, info, 4, argv) || !get_fd(env, argv[0], &fd) || !get_buffer_range(env, argv + 1, &base, &off, &len))
    return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0) return throw_errno(env, "fstat", errno);
  if ((uint64_t)st.st_size < off + len) return arbor_throw_arg(env, "file is shorter than offset + length");
  void* p = mmap(base + off, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, (off_t)off);
  if (p == MAP_FAILED) return throw_errno(env, "mmap(MAP_PRIVATE|MAP_FIXED)", errno);
  return NULL;
}

// shareWithAlias(buf, offset, length): ArrayBuffer
// Moves buf[offset, offset+length) onto a memfd mapped MAP_SHARED at the same address (same
// bytes), and returns a second mapping of that memfd: writes through it change the same pages
// without touching the first mapping's page-table entries, so userfaultfd write-protect bits there
// stay set and PAGEMAP_SCAN does not report those pages as written. Entering a state writes its
// pages that way instead of lifting and setting write traps (spikes/20-entry-alias). The alias is
// made resident up front; it is unmapped when the returned ArrayBuffer is collected. Nothing
// changes in buf unless every step succeeded.
static void unmap_alias(napi_env env, void* data, void* hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}
static napi_value js_share_with_alias(napi_env env, napi_callback_info info) {
  napi_value argv[3], out;
  uint8_t* base;
  uint64_t off, len;
  if (!arbor_get_args(env, info, 3, argv) || !get_buffer_range(env, argv, &base, &off, &len)) return NULL;
  int fd = memfd_create("arbor-wasm-memory", MFD_CLOEXEC);
  if (fd < 0) return throw_errno(env, "memfd_create", errno);
  const char* what = NULL;
  void* alias = MAP_FAILED;
  if (ftruncate(fd, (off_t)len) != 0) what = "ftruncate(memfd)";
  for (size_t done = 0; !what && done < len;) {
    ssize_t w = pwrite(fd, base + off + done, len - done, (off_t)done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) what = "pwrite(memfd)";
    else done += (size_t)w;
  }
  if (!what) {
    alias = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (alias == MAP_FAILED) what = "mmap(alias)";
  }
  if (!what && madvise(alias, len, MADV_POPULATE_WRITE) != 0) what = "madvise(alias, MADV_POPULATE_WRITE)";
  if (!what && mmap(base + off, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) what = "mmap(MAP_SHARED|MAP_FIXED)";
  // The new mapping starts without page-table entries: fill them now rather than with one fault
  // per page in the first calls (the bytes are already there; failure here costs only speed).
  if (!what) madvise(base + off, len, MADV_POPULATE_WRITE);
  // A forked child would share these pages instead of copying them: keep both mappings out of
  // any child (executors spawn nothing today; this keeps it so if one ever does).
  if (!what) {
    madvise(alias, len, MADV_DONTFORK);
    madvise(base + off, len, MADV_DONTFORK);
  }
  int err = errno;
  close(fd); // the two mappings keep the file
  if (what) {
    if (alias != MAP_FAILED) munmap(alias, len);
    return throw_errno(env, what, err);
  }
  if (napi_create_external_arraybuffer(env, alias, len, unmap_alias, (void*)(uintptr_t)len, &out) != napi_ok) {
    // V8 refused external buffers: memory stays correct (the shared mapping holds its bytes), only
    // the alias is lost.
    munmap(alias, len);
    return arbor_throw_arg(env, "napi_create_external_arraybuffer failed");
  }
  return out;
}

// ---------- module ----------

NAPI_MODULE_INIT() {
  static const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {
      {"pageSize", js_page_size},
      {"bufferAddress", js_buffer_address},
      {"closeFd", js_close_fd},
      {"awaitInput", arbor_await_input},
      {"madvise", js_madvise},
      {"copyPages", js_copy_pages},
      {"uffdSupportedFeatures", js_uffd_supported_features},
      {"uffdOpenAsyncWp", js_uffd_open_async_wp},
      {"uffdRegisterWp", js_uffd_register_wp},
      {"uffdUnregister", js_uffd_unregister},
      {"uffdWriteProtect", js_uffd_write_protect},
      {"scanWritten", js_scan_written},
      {"scanPrivatelyModified", js_scan_privately_modified},
      {"rearmRanges", js_rearm_ranges},
      {"diffPages", js_diff_pages},
      {"memfdFromBytes", js_memfd_from_bytes},
      {"mapPrivateFixed", js_map_private_fixed},
      {"shareWithAlias", js_share_with_alias},
      {"inflateRawInto", arbor_inflate_raw_into},
      {"xorInto", arbor_xor_into},
      {"prefault", arbor_prefault},
      {"applySpans", arbor_apply_spans},
      {"packPageSpans", arbor_pack_page_spans},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok ||
        napi_set_named_property(env, exports, fns[i].name, f) != napi_ok)
      return NULL;
  }
  return exports;
}
