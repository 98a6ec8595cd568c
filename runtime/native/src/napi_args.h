// Argument helpers of arbor_restore.c that state_pages.c shares.
#ifndef ARBOR_NAPI_ARGS_H
#define ARBOR_NAPI_ARGS_H
#include <stdbool.h>
#include <stdint.h>
#include <node_api.h>

/** The first `want` arguments into argv; false with an exception pending when fewer were passed. */
bool arbor_get_args(napi_env env, napi_callback_info info, size_t want, napi_value* argv);
/** Throws a RangeError with code ERR_ARBOR_ARG; returns NULL for `return arbor_throw_arg(...)`. */
napi_value arbor_throw_arg(napi_env env, const char* msg);
/** The bytes of an ArrayBuffer or a Uint8Array (at its offset); false with an exception pending otherwise. */
bool arbor_get_bytes(napi_env env, napi_value v, uint8_t** data, size_t* len);

#endif
