// Spike 20 (README.md): entering a state's pages into write-tracked memory, as the executor does
// today (lift the write traps on <= 8 spans, copy the pages in, set the traps again) against
// writing them through a second, untracked mapping of the same memfd (no trap changes at all).
//   cc -O2 -pthread -o build/alias alias.c && ./build/alias [rounds=20] [spin=0|1]
// spin=1 keeps a thread of this process busy on the other vCPU, so each trap change's TLB
// flush must reach it (as when the other executor, the daemon or the client runs there).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include "../../runtime/native/src/kernel_abi.h" /* the uffd / PAGEMAP_SCAN ABI Debian 12's headers lack */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGES 9216UL /* the 36 MiB baseline */
#define SIZE (PAGES * PAGE)

static void die(const char *what) { perror(what); exit(1); }
static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }

static int uffd_for(void *base) {
  int fd = syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
  if (fd < 0) die("userfaultfd");
  struct uffdio_api api = {.api = UFFD_API, .features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED};
  if (ioctl(fd, UFFDIO_API, &api)) die("UFFDIO_API");
  struct uffdio_register reg = {.range = {(uintptr_t)base, SIZE}, .mode = UFFDIO_REGISTER_MODE_WP};
  if (ioctl(fd, UFFDIO_REGISTER, &reg)) die("UFFDIO_REGISTER");
  return fd;
}
static void wp(int fd, char *base, size_t first, size_t n, int on) {
  struct uffdio_writeprotect w = {.range = {(uintptr_t)(base + first * PAGE), n * PAGE}, .mode = on ? UFFDIO_WRITEPROTECT_MODE_WP : 0};
  if (ioctl(fd, UFFDIO_WRITEPROTECT, &w)) die("UFFDIO_WRITEPROTECT");
}
/** Pages written (traps lifted) in the whole range, per PAGEMAP_SCAN. */
static size_t written(char *base) {
  static struct page_region r[PAGES];
  struct pm_scan_arg a = {.size = sizeof a, .flags = PM_SCAN_CHECK_WPASYNC, .start = (uintptr_t)base, .end = (uintptr_t)base + SIZE,
                          .vec = (uintptr_t)r, .vec_len = PAGES, .category_mask = PAGE_IS_WRITTEN, .return_mask = PAGE_IS_WRITTEN};
  int pm = open("/proc/self/pagemap", O_RDONLY);
  int n = ioctl(pm, PAGEMAP_SCAN, &a);
  if (n < 0) die("PAGEMAP_SCAN");
  close(pm);
  size_t pages = 0;
  for (int i = 0; i < n; i++) pages += (r[i].end - r[i].start) / PAGE;
  return pages;
}

/* The fork bench's state: ~990 pages in 117 runs over ~4,400 pages, grouped into 8 spans. */
#define RUNS 117
static size_t run_first[RUNS], run_len[RUNS];
static size_t span_first[8], span_len[8];
static void make_state(void) {
  size_t p = 1200;
  unsigned s = 7;
  for (int i = 0; i < RUNS; i++) {
    s = s * 1103515245 + 12345;
    run_first[i] = p;
    run_len[i] = 1 + (s >> 16) % 16; /* mean ~8.5 pages */
    p += run_len[i] + (s >> 8) % 60;
  }
  for (int k = 0; k < 8; k++) {
    int a = k * RUNS / 8, b = (k + 1) * RUNS / 8 - 1;
    span_first[k] = run_first[a];
    span_len[k] = run_first[b] + run_len[b] - run_first[a];
  }
}

static volatile int spinning = 1;
static void *spin(void *x) { (void)x; while (spinning) { } return 0; }
static int cmp(const void *a, const void *b) { double d = *(double *)a - *(double *)b; return (d > 0) - (d < 0); }

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 20, spin_on = argc > 2 && atoi(argv[2]);
  make_state();
  size_t state_pages = 0, span_pages = 0;
  for (int i = 0; i < RUNS; i++) state_pages += run_len[i];
  for (int k = 0; k < 8; k++) span_pages += span_len[k];
  char *src = malloc(SIZE);
  memset(src, 0x5a, SIZE);

  /* Today's memory: anonymous private (V8's wasm memory). */
  char *anon = mmap(0, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  /* The alternative: a memfd mapped twice, the tracked view and an untracked alias. */
  int mfd = memfd_create("wasm-memory", MFD_CLOEXEC);
  if (mfd < 0 || ftruncate(mfd, SIZE)) die("memfd");
  char *shm = mmap(0, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  char *alias = mmap(0, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  if (anon == MAP_FAILED || shm == MAP_FAILED || alias == MAP_FAILED) die("mmap");
  memset(anon, 1, SIZE);
  memset(shm, 1, SIZE);
  int ua = uffd_for(anon), us = uffd_for(shm);
  pthread_t th;
  if (spin_on) pthread_create(&th, 0, spin, 0);

  double t_anon[rounds], t_shm[rounds], t_alias[rounds];
  size_t seen_alias = 0, seen_call = 0;
  for (int r = 0; r < rounds; r++) {
    wp(ua, anon, 0, PAGES, 1);
    wp(us, shm, 0, PAGES, 1);
    /* today: lift on 8 spans, copy the runs in, set the traps again on the same spans */
    for (int pass = 0; pass < 2; pass++) {
      char *m = pass ? shm : anon;
      int fd = pass ? us : ua;
      double t = now_ms();
      for (int k = 0; k < 8; k++) wp(fd, m, span_first[k], span_len[k], 0);
      for (int i = 0; i < RUNS; i++) memcpy(m + run_first[i] * PAGE, src + run_first[i] * PAGE, run_len[i] * PAGE);
      for (int k = 0; k < 8; k++) wp(fd, m, span_first[k], span_len[k], 1);
      (pass ? t_shm : t_anon)[r] = now_ms() - t;
    }
    /* the alias: copy the runs in through the untracked mapping, no trap changes */
    double t = now_ms();
    for (int i = 0; i < RUNS; i++) memcpy(alias + run_first[i] * PAGE, src + run_first[i] * PAGE, run_len[i] * PAGE);
    t_alias[r] = now_ms() - t;
    seen_alias += written(shm);
    if (memcmp(shm + run_first[5] * PAGE, src + run_first[5] * PAGE, PAGE)) { fprintf(stderr, "alias write not visible\n"); return 1; }
    /* a call writing 3 pages through the tracked view: the async traps still report them */
    shm[10 * PAGE] = 2; shm[20 * PAGE] = 2; shm[run_first[3] * PAGE] = 2;
    seen_call += written(shm);
  }
  /* What every call would pay on memfd pages: a write fault on a trapped page, and the reset's
     re-protect of the written pages (PAGEMAP_SCAN with PM_SCAN_WP_MATCHING over 8 spans). */
  double f_anon[rounds], f_shm[rounds], p_anon[rounds], p_shm[rounds];
  for (int r = 0; r < rounds; r++) {
    for (int pass = 0; pass < 2; pass++) {
      char *m = pass ? shm : anon;
      int fd = pass ? us : ua;
      wp(fd, m, 0, PAGES, 1);
      double t = now_ms();
      for (int i = 0; i < RUNS; i++) for (size_t q = 0; q < run_len[i]; q++) m[(run_first[i] + q) * PAGE] += 1;
      (pass ? f_shm : f_anon)[r] = (now_ms() - t) * 1000 / state_pages;
      t = now_ms();
      int pm = open("/proc/self/pagemap", O_RDONLY);
      for (int k = 0; k < 8; k++) {
        struct pm_scan_arg a = {.size = sizeof a, .flags = PM_SCAN_CHECK_WPASYNC | PM_SCAN_WP_MATCHING, .start = (uintptr_t)(m + span_first[k] * PAGE),
                                .end = (uintptr_t)(m + (span_first[k] + span_len[k]) * PAGE), .category_mask = PAGE_IS_WRITTEN, .return_mask = PAGE_IS_WRITTEN};
        if (ioctl(pm, PAGEMAP_SCAN, &a) < 0) die("PAGEMAP_SCAN rearm");
      }
      close(pm);
      (pass ? p_shm : p_anon)[r] = now_ms() - t;
    }
  }
  qsort(f_anon, rounds, sizeof(double), cmp); qsort(f_shm, rounds, sizeof(double), cmp); qsort(p_anon, rounds, sizeof(double), cmp); qsort(p_shm, rounds, sizeof(double), cmp);
  spinning = 0;
  if (spin_on) pthread_join(th, 0);
  qsort(t_anon, rounds, sizeof(double), cmp); qsort(t_shm, rounds, sizeof(double), cmp); qsort(t_alias, rounds, sizeof(double), cmp);
  printf("state %zu pages in %d runs, 8 spans over %zu pages; %d rounds, spinning thread %s\n", state_pages, RUNS, span_pages, rounds, spin_on ? "on" : "off");
  printf("enter, lift + copy + set (anonymous, today): median %.2f ms (min %.2f, max %.2f)\n", t_anon[rounds / 2], t_anon[0], t_anon[rounds - 1]);
  printf("enter, lift + copy + set (memfd):            median %.2f ms (min %.2f, max %.2f)\n", t_shm[rounds / 2], t_shm[0], t_shm[rounds - 1]);
  printf("enter, copy through the alias (memfd):       median %.2f ms (min %.2f, max %.2f)\n", t_alias[rounds / 2], t_alias[0], t_alias[rounds - 1]);
  printf("pages the tracked view reports written after the alias copies: %zu (expect 0); after a call's 3 writes: %.1f per round (expect 3)\n", seen_alias, (double)seen_call / rounds);
  printf("a call's write fault per trapped page: anonymous %.2f us, memfd %.2f us (medians)\n", f_anon[rounds / 2], f_shm[rounds / 2]);
  printf("re-protecting those %zu written pages (8 PAGEMAP_SCAN rearms): anonymous %.2f ms, memfd %.2f ms (medians)\n", state_pages, p_anon[rounds / 2], p_shm[rounds / 2]);
  return 0;
}
