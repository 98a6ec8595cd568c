// setslice <slice_us> <tid>...: EEVDF custom slice (Linux >= 6.12) for SCHED_OTHER threads.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/resource.h>
struct sched_attr { uint32_t size, sched_policy; uint64_t sched_flags; int32_t sched_nice; uint32_t sched_priority; uint64_t sched_runtime, sched_deadline, sched_period; uint32_t util_min, util_max; };
int main(int argc, char **argv) {
  uint64_t us = strtoull(argv[1], 0, 10); int bad = 0;
  for (int i = 2; i < argc; i++) {
    int tid = atoi(argv[i]);
    struct sched_attr a = { .size = sizeof a, .sched_policy = 0, .sched_nice = getpriority(PRIO_PROCESS, tid), .sched_runtime = us * 1000 };
    if (syscall(SYS_sched_setattr, tid, &a, 0) != 0) { perror("sched_setattr"); bad = 1; }
    struct sched_attr g = {0};
    syscall(SYS_sched_getattr, tid, &g, sizeof g, 0);
    fprintf(stderr, "tid %d slice %llu ns\n", tid, (unsigned long long)g.sched_runtime);
  }
  return bad;
}
