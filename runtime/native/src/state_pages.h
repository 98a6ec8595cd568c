// Encoding and decoding a checkpointed state's pages in the executor (state_pages.c), registered by arbor_restore.c.
#ifndef ARBOR_STATE_PAGES_H
#define ARBOR_STATE_PAGES_H
#include <node_api.h>

napi_value arbor_inflate_raw_into(napi_env env, napi_callback_info info);
napi_value arbor_xor_into(napi_env env, napi_callback_info info);
napi_value arbor_prefault(napi_env env, napi_callback_info info);
napi_value arbor_apply_spans(napi_env env, napi_callback_info info);
napi_value arbor_pack_page_spans(napi_env env, napi_callback_info info);

/**
 * Bytes one page's spans take at most: the count, and per span 4 bytes of table and its bytes.
 * Spans are runs of differing 8-byte words, so n spans leave n - 1 gaps of at least 8 bytes:
 * 2 + 4n + (4096 - 8(n - 1)) <= 4102.
 */
#define SPANS_BOUND_PER_PAGE (2u + 4u + 4096u)

#endif
