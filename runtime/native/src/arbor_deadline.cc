// The executor's wall-time guard: one long-lived thread that, when a call passes its deadline,
// raises KeyboardInterrupt through Pyodide's interrupt buffer (every 5 ms until the call ends),
// and past deadline + grace terminates V8 execution, which also stops code that never checks
// the buffer (C-level loops, a swallowed KeyboardInterrupt, time.sleep).
//
// Why native: Node's vm `timeout` starts (and joins) a new thread for every call, and the
// thread's stack mmap/munmap costs ~200 µs per call plus TLB shootdowns that slow the rest of
// the process. This thread is started once and, while calls end long before their deadline,
// wakes about once per timeout period: arming a call never needs to wake it, because the new
// deadline is later than the one it already sleeps towards.
//
// call(fn, softMs, graceMs) arms, calls fn(), and disarms in C++, with no JS in between, so a
// termination can never land outside the guarded call. A terminated call throws an Error with
// code "ERR_ARBOR_TERMINATED"; deadlinePassed() reports whether the last call's deadline passed.
#include <node.h>
#include <v8.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int32_t kSigint = 2;
constexpr auto kRepeat = std::chrono::milliseconds(5);

struct Guard {
  v8::Isolate* isolate = nullptr;
  std::shared_ptr<v8::BackingStore> interruptStore;
  std::atomic<int32_t>* interrupt = nullptr;
  std::mutex mu;
  std::condition_variable cv;
  uint64_t counter = 0;
  uint64_t armed = 0;  // generation of the running call, 0 when idle
  Clock::time_point softAt;
  Clock::time_point hardAt;
  Clock::time_point sleepingUntil = Clock::time_point::max();
  uint64_t fired = 0;       // generation whose soft deadline passed
  uint64_t terminated = 0;  // generation whose execution was terminated
  // The call is inside a host call (a message to the daemon and its reply on the pipe): a
  // termination there could cut a frame in half and leave the pipe out of step, so it waits
  // until the host call returns. A host call that never returns is the daemon's SIGKILL's job.
  bool inHostCall = false;
};

// Leaked on purpose: the thread may still be waiting on it while the process exits.
Guard* guard = nullptr;

void Loop() {
  std::unique_lock<std::mutex> lock(guard->mu);
  for (;;) {
    const uint64_t gen = guard->armed;
    if (gen == 0 || guard->terminated == gen) {
      guard->sleepingUntil = Clock::time_point::max();
      guard->cv.wait(lock);
      continue;
    }
    const auto now = Clock::now();
    if (now >= guard->hardAt) {
      if (guard->inHostCall) {
        guard->sleepingUntil = Clock::time_point::max();
        guard->cv.wait(lock);  // woken by leaveHostCall
        continue;
      }
      guard->terminated = gen;
      guard->isolate->TerminateExecution();
      continue;
    }
    Clock::time_point next = guard->softAt;
    if (now >= guard->softAt) {
      guard->fired = gen;
      guard->interrupt->store(kSigint);
      next = std::min(now + kRepeat, guard->hardAt);
    }
    guard->sleepingUntil = next;
    guard->cv.wait_until(lock, next);
  }
}

void Throw(v8::Isolate* isolate, const char* message, const char* code) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> error = v8::Exception::Error(v8::String::NewFromUtf8(isolate, message).ToLocalChecked());
  error.As<v8::Object>()
      ->Set(context, v8::String::NewFromUtf8Literal(isolate, "code"), v8::String::NewFromUtf8(isolate, code).ToLocalChecked())
      .Check();
  isolate->ThrowException(error);
}

// start(interrupt: SharedArrayBuffer): the buffer whose first Int32 is Pyodide's interrupt slot.
void Start(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (guard != nullptr) return Throw(isolate, "the deadline guard is already started", "ERR_ARBOR_ARG");
  if (args.Length() < 1 || !args[0]->IsSharedArrayBuffer()) return Throw(isolate, "start(interrupt: SharedArrayBuffer)", "ERR_ARBOR_ARG");
  auto store = args[0].As<v8::SharedArrayBuffer>()->GetBackingStore();
  if (store->ByteLength() < sizeof(int32_t)) return Throw(isolate, "the interrupt buffer is smaller than an Int32", "ERR_ARBOR_ARG");
  guard = new Guard();
  guard->isolate = isolate;
  guard->interruptStore = store;
  guard->interrupt = reinterpret_cast<std::atomic<int32_t>*>(store->Data());
  std::thread(Loop).detach();
}

// call(fn, softMs, graceMs): fn's return value; throws ERR_ARBOR_TERMINATED if the call was
// terminated, and rethrows whatever fn threw.
void Call(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (guard == nullptr) return Throw(isolate, "the deadline guard is not started", "ERR_ARBOR_ARG");
  if (args.Length() < 3 || !args[0]->IsFunction() || !args[1]->IsNumber() || !args[2]->IsNumber()) {
    return Throw(isolate, "call(fn: Function, softMs: number, graceMs: number)", "ERR_ARBOR_ARG");
  }
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  const double softMs = std::max(0.0, args[1].As<v8::Number>()->Value());
  const double graceMs = std::max(0.0, args[2].As<v8::Number>()->Value());
  uint64_t gen;
  {
    std::lock_guard<std::mutex> lock(guard->mu);
    gen = ++guard->counter;
    const auto now = Clock::now();
    guard->softAt = now + std::chrono::microseconds(static_cast<int64_t>(softMs * 1000));
    guard->hardAt = guard->softAt + std::chrono::microseconds(static_cast<int64_t>(graceMs * 1000));
    guard->armed = gen;
    guard->inHostCall = false;
    guard->interrupt->store(0);
    // Only when the thread would otherwise sleep past this call's deadline (it is idle, or the
    // timeout is shorter than the last one's).
    if (guard->softAt < guard->sleepingUntil) guard->cv.notify_one();
  }
  bool terminated;
  {
    // Scoped: an exception thrown while a TryCatch is alive would be swallowed by it.
    v8::TryCatch tryCatch(isolate);
    v8::MaybeLocal<v8::Value> result = args[0].As<v8::Function>()->Call(context, v8::Undefined(isolate), 0, nullptr);
    {
      std::lock_guard<std::mutex> lock(guard->mu);
      guard->armed = 0;
      terminated = guard->terminated == gen;
      guard->interrupt->store(0);
    }
    terminated = terminated || tryCatch.HasTerminated();
    if (terminated) {
      // The termination belongs to this call only: clear it before any other JS runs.
      isolate->CancelTerminateExecution();
    } else if (tryCatch.HasCaught()) {
      tryCatch.ReThrow();
      return;
    } else {
      args.GetReturnValue().Set(result.FromMaybe(v8::Local<v8::Value>(v8::Undefined(isolate))));
      return;
    }
  }
  Throw(isolate, "the call passed its deadline and was terminated", "ERR_ARBOR_TERMINATED");
}

// enterHostCall(): false if the running call is already being terminated (the caller must not
// start a host call then); otherwise the termination waits until leaveHostCall().
void EnterHostCall(const v8::FunctionCallbackInfo<v8::Value>& args) {
  bool ok = true;
  if (guard != nullptr) {
    std::lock_guard<std::mutex> lock(guard->mu);
    ok = guard->armed == 0 || guard->terminated != guard->armed;
    if (ok) guard->inHostCall = true;
  }
  args.GetReturnValue().Set(ok);
}

// leaveHostCall(): a termination held back meanwhile happens now (the deadline thread wakes).
void LeaveHostCall(const v8::FunctionCallbackInfo<v8::Value>& args) {
  if (guard == nullptr) return;
  std::lock_guard<std::mutex> lock(guard->mu);
  guard->inHostCall = false;
  guard->cv.notify_one();
}

// deadlinePassed(): whether the last call's soft deadline passed (the interrupt was raised).
void DeadlinePassed(const v8::FunctionCallbackInfo<v8::Value>& args) {
  bool passed = false;
  if (guard != nullptr) {
    std::lock_guard<std::mutex> lock(guard->mu);
    passed = guard->fired != 0 && guard->fired == guard->counter;
  }
  args.GetReturnValue().Set(passed);
}

}  // namespace

NODE_MODULE_INIT(/* exports, module, context */) {
  NODE_SET_METHOD(exports, "start", Start);
  NODE_SET_METHOD(exports, "call", Call);
  NODE_SET_METHOD(exports, "deadlinePassed", DeadlinePassed);
  NODE_SET_METHOD(exports, "enterHostCall", EnterHostCall);
  NODE_SET_METHOD(exports, "leaveHostCall", LeaveHostCall);
}
