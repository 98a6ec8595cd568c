// The Lua scripts of the Redis state store: each one whole operation on a state tree, atomic on
// the server, so daemons sharing one Redis never see half a tree change.
//
// Keys of a state (all of one tenant share the hash tag `{tenant}`, so one slot holds a tenant's
// tree and the scripts touch one slot):
//   <base><id>        hash: tenant, parent ("" for none), depth, bytes, created, hidden, image, fv
//   <base><id>:blob   string: the state envelope
//   <base><id>:kids   sorted set: child id → the child's expiry (ms); live children = score > now
// where <base> = "<prefix>:st:{<tenant>}:". Every key carries a TTL (PEXPIREAT). Using a state
// pushes the expiry of it and its ancestors to now + ttl (never earlier), so an ancestor never
// expires before its descendants. That refresh touches every key of the chain, blobs included
// (which daemons mostly serve from their own cache), so under `maxmemory-policy volatile-lru`
// Redis's idea of "recently used" is ours: least recently used states go first, an ancestor is
// never idler than its descendants, and keys without a TTL (BullMQ's) are never evicted
// (docs/cluster.md).
//
// KEYS[1] is the state's hash (so the script is routed to its slot); ARGV[1] is <base>.

const PRELUDE = `
local base = ARGV[1]

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Pushes a key's expiry to at least exp (a key without a TTL, e.g. a new sorted set, gets one).
local function extend(key, exp)
  if redis.call('PTTL', key) == -1 then
    redis.call('PEXPIREAT', key, exp)
  else
    redis.call('PEXPIREAT', key, exp, 'GT')
  end
end

-- From id up to the root: the ids and their parents, leaf first, and the first id whose hash
-- or blob is missing (false when the chain is whole). Another tenant's hash is a missing one.
local function walk(id, tenant)
  local ids, parents = {}, {}
  local cur = id
  while cur ~= '' do
    local m = base .. cur
    local f = redis.call('HMGET', m, 'tenant', 'parent')
    if f[1] ~= tenant or redis.call('EXISTS', m .. ':blob') == 0 then return ids, parents, cur end
    ids[#ids + 1] = cur
    parents[#parents + 1] = f[2]
    cur = f[2]
    if #ids > 100000 then return ids, parents, cur end
  end
  return ids, parents, false
end

-- Every state of the chain lives until at least exp, and its parent's children set says so.
local function refresh(ids, parents, exp)
  for i = 1, #ids do
    local m = base .. ids[i]
    extend(m, exp)
    extend(m .. ':blob', exp)
    if redis.call('EXISTS', m .. ':kids') == 1 then extend(m .. ':kids', exp) end
    if parents[i] ~= '' then
      local kids = base .. parents[i] .. ':kids'
      redis.call('ZADD', kids, 'GT', exp, ids[i])
      extend(kids, exp)
    end
  end
end
`;

/**
 * ARGV: base, id, parent ("" for none), tenant, ttl_ms, bytes, image, format version, envelope.
 * → {1, depth, created_ms} | {0, missing_id} (the parent or one of its ancestors is gone).
 */
export const ADD = `${PRELUDE}
local id, parent, tenant, ttl = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local m = base .. id
if redis.call('EXISTS', m) == 1 then return redis.error_reply('state ' .. id .. ' already exists') end
local now = now_ms()
local exp = now + ttl
local depth = 1
if parent ~= '' then
  local ids, parents, missing = walk(parent, tenant)
  if missing then return {0, missing} end
  depth = tonumber(redis.call('HGET', base .. parent, 'depth')) + 1
  refresh(ids, parents, exp)
end
redis.call('HSET', m, 'tenant', tenant, 'parent', parent, 'depth', depth, 'bytes', ARGV[6], 'created', now, 'hidden', 0, 'image', ARGV[7], 'fv', ARGV[8])
redis.call('PEXPIREAT', m, exp)
redis.call('SET', m .. ':blob', ARGV[9], 'PXAT', exp)
if parent ~= '' then
  local kids = base .. parent .. ':kids'
  redis.call('ZADD', kids, exp, id)
  extend(kids, exp)
end
return {1, depth, now}
`;

/**
 * ARGV: base, id, tenant, ttl_ms, visible_only ("1": a deleted state is not found).
 * → {0} not found | {2, missing_ancestor} | {1, parent, depth, bytes, created, image, children, expiry, id, parent_id, grandparent_id, ...}
 * Refreshes the chain's TTL only when the chain is whole.
 */
export const LOOKUP = `${PRELUDE}
local id, tenant, ttl, visible_only = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5] == '1'
local ids, parents, missing = walk(id, tenant)
if #ids == 0 then return {0} end
local h = redis.call('HMGET', base .. id, 'hidden', 'depth', 'bytes', 'created', 'image')
if visible_only and h[1] == '1' then return {0} end
if missing then return {2, missing} end
local now = now_ms()
local exp = now + ttl
refresh(ids, parents, exp)
local children = redis.call('ZCOUNT', base .. id .. ':kids', '(' .. now, '+inf')
local out = {1, parents[1], h[2], h[3], h[4], h[5], children, exp}
for i = 1, #ids do out[#out + 1] = ids[i] end
return out
`;

/**
 * ARGV: base, id, tenant. Hides a visible state, then drops it and its hidden ancestors that
 * no longer have live children. → nil when there was no visible state | {dropped ids...}
 */
export const DELETE = `${PRELUDE}
local id, tenant = ARGV[2], ARGV[3]
local f = redis.call('HMGET', base .. id, 'tenant', 'hidden')
if f[1] ~= tenant or f[2] == '1' or redis.call('EXISTS', base .. id .. ':blob') == 0 then return nil end
redis.call('HSET', base .. id, 'hidden', 1)
local now = now_ms()
local dropped = {}
local cur = id
while cur do
  local m = base .. cur
  local h = redis.call('HMGET', m, 'hidden', 'parent')
  if h[1] ~= '1' then break end
  if redis.call('ZCOUNT', m .. ':kids', '(' .. now, '+inf') > 0 then break end
  redis.call('DEL', m, m .. ':blob', m .. ':kids')
  dropped[#dropped + 1] = cur
  if not h[2] or h[2] == '' then break end
  redis.call('ZREM', base .. h[2] .. ':kids', cur)
  cur = h[2]
end
return dropped
`;
