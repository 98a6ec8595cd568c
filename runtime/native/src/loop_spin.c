// arbor_loop_spin: the daemon's bounded busy-poll for its executors' answers. On a VM, waking a
// halted vCPU costs ~80 µs each way (spikes/12-idle-spin); an executor already polls for its
// next job, but the daemon blocked in epoll_wait while Python ran, and the answer of a short call
// paid that wake-up (~150 µs from the executor's write to the daemon's onData).
//
// A libuv prepare handle runs right before the loop would block. While a job is out on an
// executor, it polls the loop's own epoll fd (readable as soon as *any* watched fd has an event:
// an executor's answer, a new HTTP request, a worker thread's completion) for up to the budget,
// yielding between polls, and never past the loop's next timer (uv_backend_timeout). So the spin
// holds up no I/O and no timer: it only keeps the vCPU awake through a wait the loop would have
// slept through. It consumes nothing: libuv's epoll_wait that follows returns the same events.
//
// The budget adapts as the kernel's haltpoll does: an event within it keeps the maximum; a spin
// that ran out halves it, and below an eighth of the maximum it turns off, so a daemon whose
// calls run long soon stops spinning. A wait that ended within the maximum after the loop
// blocked (measured by a check handle) turns it back on.
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <node_api.h>
#include <uv.h>

#define MAX_SPIN_US 100000
#define FLOOR_FRACTION 8

static uv_loop_t* loop;
static uv_prepare_t prepare;
static uv_check_t check;
static bool started;
static int64_t max_us;
static int64_t budget_us;
static int64_t in_flight;
// Spin only while fewer jobs are out than the machine has CPUs: with every CPU running an
// executor, a spinning daemon takes their time (forks on 2 vCPUs ran ~10 % slower) instead of
// a CPU that would have idled.
static int64_t cpus = 1;
// When the loop went to block without a spin (or after one that ran out): the check handle
// learns from how long that block lasted.
static int64_t blocked_at_us = -1;
static double hits, misses, spun_us;
// The bound of the last poll: the budget, or less when a timer was due sooner.
static int64_t last_limit_us;

static int64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void on_prepare(uv_prepare_t* handle) {
  (void)handle;
  blocked_at_us = -1;
  if (in_flight <= 0 || in_flight >= cpus) return;
  const int timeout_ms = uv_backend_timeout(loop);
  if (timeout_ms == 0) return;  // work is pending: the loop will not block
  if (budget_us <= 0) {
    blocked_at_us = now_us();
    return;
  }
  int64_t limit = budget_us;
  if (timeout_ms > 0 && (int64_t)timeout_ms * 1000 < limit) limit = (int64_t)timeout_ms * 1000;
  last_limit_us = limit;
  struct pollfd p = {.fd = uv_backend_fd(loop), .events = POLLIN, .revents = 0};
  const int64_t start = now_us();
  for (;;) {
    if (poll(&p, 1, 0) > 0) {
      hits++;
      budget_us = max_us;
      spun_us += (double)(now_us() - start);
      return;
    }
    const int64_t now = now_us();
    if (now - start >= limit) {
      spun_us += (double)(now - start);
      break;
    }
    sched_yield();
  }
  misses++;
  const int64_t half = budget_us / 2;
  budget_us = half * FLOOR_FRACTION < max_us ? 0 : half;
  blocked_at_us = now_us();
}

static void on_check(uv_check_t* handle) {
  (void)handle;
  if (blocked_at_us < 0) return;
  // The loop blocked and woke: had a full spin covered that wait, spin again next time.
  if (now_us() - blocked_at_us <= max_us) budget_us = max_us;
  blocked_at_us = -1;
}

static bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= want;
}

static napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// start(maxMicros, cpus): installs the handles on this thread's loop (once); later calls set the
// maximum and the CPU count.
static napi_value loop_spin_start(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int64_t us = -1, n = 0;
  if (!get_args(env, info, 2, argv) || napi_get_value_int64(env, argv[0], &us) != napi_ok || us < 0 || us > MAX_SPIN_US ||
      napi_get_value_int64(env, argv[1], &n) != napi_ok || n < 1 || n > 65536) {
    napi_throw_range_error(env, "ERR_ARBOR_ARG", "start(maxMicros, cpus): expected 0 to 100000 microseconds and 1 to 65536 CPUs");
    return NULL;
  }
  uv_loop_t* mine = NULL;
  if (napi_get_uv_event_loop(env, &mine) != napi_ok || mine == NULL) {
    napi_throw_error(env, "ERR_ARBOR_LOOP", "no libuv loop for this thread");
    return NULL;
  }
  // One spin per process, on the loop that started it (the daemon's main thread).
  if (started && mine != loop) {
    napi_throw_error(env, "ERR_ARBOR_LOOP", "the loop spin already runs on another thread's loop");
    return NULL;
  }
  if (!started) {
    loop = mine;
    uv_prepare_init(loop, &prepare);
    uv_check_init(loop, &check);
    uv_prepare_start(&prepare, on_prepare);
    uv_check_start(&check, on_check);
    // Neither keeps the process alive.
    uv_unref((uv_handle_t*)&prepare);
    uv_unref((uv_handle_t*)&check);
    started = true;
  }
  max_us = us;
  budget_us = us;
  cpus = n;
  return undefined(env);
}

// jobs(delta): jobs out on executors, +1 when one is sent and -1 when it ends; spins only while > 0.
static napi_value loop_spin_jobs(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t delta = 0;
  if (!get_args(env, info, 1, argv) || napi_get_value_int32(env, argv[0], &delta) != napi_ok) {
    napi_throw_range_error(env, "ERR_ARBOR_ARG", "jobs(delta): expected an integer");
    return NULL;
  }
  in_flight += delta;
  if (in_flight < 0) in_flight = 0;
  return undefined(env);
}

static napi_value number(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

// stats(): { maxMicros, budgetMicros, cpus, jobs, hits, misses, spunMicros, lastLimitMicros }.
static napi_value loop_spin_stats(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "maxMicros", number(env, (double)max_us));
  napi_set_named_property(env, out, "budgetMicros", number(env, (double)budget_us));
  napi_set_named_property(env, out, "cpus", number(env, (double)cpus));
  napi_set_named_property(env, out, "jobs", number(env, (double)in_flight));
  napi_set_named_property(env, out, "hits", number(env, hits));
  napi_set_named_property(env, out, "misses", number(env, misses));
  napi_set_named_property(env, out, "spunMicros", number(env, spun_us));
  napi_set_named_property(env, out, "lastLimitMicros", number(env, (double)last_limit_us));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"start", NULL, loop_spin_start, NULL, NULL, NULL, napi_default, NULL},
      {"jobs", NULL, loop_spin_jobs, NULL, NULL, NULL, napi_default, NULL},
      {"stats", NULL, loop_spin_stats, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
