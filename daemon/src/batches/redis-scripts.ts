// Lua scripts of the batch records in Redis. A batch is two keys sharing the hash tag {batchId}:
//   <base>:m  hash: tenant, total, done, status, created, finished, kind, state_id
//   <base>:r  hash: job index → result JSON
// BullMQ owns the jobs; these keys own the outcome. A job may run more than once (its worker
// died after running it; a stalled lock), but its result is recorded once: HSETNX on its index,
// and `done` counts only first writes. Keys get a TTL (the retention) only once the batch is
// finished, so under `volatile-lru` a batch in flight is never evicted.

/**
 * KEYS: meta, results. ARGV: index. Before running a job: marks the batch running and says
 * whether to run it. → "run" | "skip" (cancelled, or its result is already recorded) | "gone".
 */
export const CLAIM = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'gone' end
if status == 'cancelled' or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 'skip' end
if status == 'queued' then redis.call('HSET', KEYS[1], 'status', 'running') end
return 'run'
`;

/**
 * KEYS: meta, results. ARGV: index, result JSON, retention ms, now ms.
 * → 1 recorded | 0 already recorded (this write is dropped) | -1 no such batch.
 */
export const RECORD = `
local total = redis.call('HGET', KEYS[1], 'total')
if not total then return -1 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
local done = redis.call('HINCRBY', KEYS[1], 'done', 1)
local status = redis.call('HGET', KEYS[1], 'status')
if done >= tonumber(total) and status ~= 'cancelled' then
  redis.call('HSET', KEYS[1], 'status', 'done', 'finished', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
elseif status == 'queued' then
  redis.call('HSET', KEYS[1], 'status', 'running')
elseif status == 'cancelled' then
  -- A job that was running when the batch was cancelled: its result expires with the batch.
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
end
return 1
`;

/**
 * KEYS: meta, results. ARGV: tenant, retention ms, now ms. → the status after the call, or
 * nil for no batch of this tenant.
 */
export const CANCEL = `
local f = redis.call('HMGET', KEYS[1], 'tenant', 'status')
if f[1] ~= ARGV[1] then return nil end
if f[2] == 'queued' or f[2] == 'running' then
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finished', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
  return 'cancelled'
end
return f[2]
`;
