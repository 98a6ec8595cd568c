// awaitInput: an executor's bounded busy-poll for its next job. On a VM, waking a halted vCPU
// costs ~80 µs each way (a C pipe ping-pong here: 22 µs per round trip on one vCPU, 184 µs
// across two with the receiver idle; spikes/12-idle-spin). An executor that polls its pipe for
// a short while after a call is still running when a closely following job arrives, and no wake-up
// is paid. Between polls it yields, so a runnable daemon or executor on the same vCPU goes first.
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include <node_api.h>

#include "await_input.h"

// Far above any sensible poll (the daemon allows 0.1 s): a larger value is a bug, not a wish.
#define MAX_SPIN_US 10000000

static int64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

// awaitInput(fd: number, spinMicros: number): boolean. True as soon as the socket has input, is
// at EOF, or fails in a way the read that follows will report (ENOTSOCK for a pipe included);
// false when spinMicros passed with none. Never consumes a byte (MSG_PEEK) and never blocks
// (MSG_DONTWAIT, whatever the fd's own flags).
napi_value arbor_await_input(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  int32_t fd = -1;
  int64_t spin_us = -1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      napi_get_value_int64(env, argv[1], &spin_us) != napi_ok || spin_us < 0 || spin_us > MAX_SPIN_US) {
    napi_throw_range_error(env, "ERR_ARBOR_ARG", "awaitInput(fd, spinMicros): expected an fd and 0 to 10000000 microseconds");
    return NULL;
  }
  const int64_t until = now_us() + spin_us;
  bool ready = false;
  for (;;) {
    char byte;
    if (recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      ready = true;
      break;
    }
    if (now_us() >= until) break;
    sched_yield();
  }
  if (napi_get_boolean(env, ready, &out) != napi_ok) return NULL;
  return out;
}
