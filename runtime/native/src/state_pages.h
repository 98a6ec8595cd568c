// Decoding a checkpointed state's pages in the executor (state_pages.c), registered by arbor_restore.c.
#ifndef ARBOR_STATE_PAGES_H
#define ARBOR_STATE_PAGES_H
#include <node_api.h>

napi_value arbor_inflate_raw_into(napi_env env, napi_callback_info info);
napi_value arbor_xor_into(napi_env env, napi_callback_info info);
napi_value arbor_prefault(napi_env env, napi_callback_info info);

#endif
