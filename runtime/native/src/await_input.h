// The executor's busy-poll for its next job (await_input.c), registered by arbor_restore.c.
#ifndef ARBOR_AWAIT_INPUT_H
#define ARBOR_AWAIT_INPUT_H
#include <node_api.h>

napi_value arbor_await_input(napi_env env, napi_callback_info info);

#endif
