// Redis scripts for contact state, kept as strings so the build needs no asset copying.
// Each runs atomically: one event or one timer changes a contact and its queue indexes together.

export const APPLY_EVENT_LUA = `
-- Apply one contact event to the contact's state, atomically and at most once per event id.
-- KEYS: 1 contact hash, 2 processed-event marker, 3 waiting zset, 4 waiting-on-channel key prefix
--       (the stored channel is appended: a later event may name another), 5 due zset,
--       6 breached zset, 7 generation counter
-- ARGV: 1 kind (open|reply|resolve|other), 2 occurredAt ms, 3 channel, 4 source, 5 priority,
--       6 policy id, 7 policy version, 8 first-response due ms, 9 dedupe ttl s, 10 customer json,
--       11 contact id, 12 ttl s of an answered contact (so one never resolved does not live forever)
-- Returns the outcome as JSON; a redelivered event returns the outcome stored the first time, so the
-- caller can re-publish it (downstream dedupes by the deterministic SLA event id).
local stored = redis.call('GET', KEYS[2])
if stored then return stored end

local kind = ARGV[1]
local at = tonumber(ARGV[2])
local outcome

local state = redis.call('HMGET', KEYS[1], 'st', 'gen', 'os', 'fd', 'fb', 'ch', 'src', 'pr', 'pid', 'pv', 'cu')
local exists = state[1] ~= false

if kind == 'open' then
  if exists then
    outcome = { a = 'noop', why = 'already open' }
  else
    local gen = redis.call('INCR', KEYS[7])
    redis.call('HSET', KEYS[1], 'st', 'w', 'gen', gen, 'os', at, 'fd', ARGV[8], 'fb', 0, 'ch', ARGV[3],
      'src', ARGV[4], 'pr', ARGV[5], 'pid', ARGV[6], 'pv', ARGV[7], 'cu', ARGV[10])
    redis.call('ZADD', KEYS[3], at, ARGV[11])
    redis.call('ZADD', KEYS[4] .. ARGV[3], at, ARGV[11])
    redis.call('ZADD', KEYS[5], ARGV[8], ARGV[11])
    outcome = { a = 'opened', gen = gen, due = tonumber(ARGV[8]) }
  end
elseif kind == 'reply' or kind == 'resolve' then
  if not exists then
    outcome = { a = 'noop', why = 'no open contact' }
  elseif state[1] ~= 'w' then
    if kind == 'resolve' then redis.call('DEL', KEYS[1]) end
    outcome = { a = 'noop', why = 'already answered' }
  else
    outcome = { a = (kind == 'reply') and 'met' or 'cancelled', gen = tonumber(state[2]), os = tonumber(state[3]),
      fd = tonumber(state[4]), fb = tonumber(state[5]), ch = state[6], src = state[7], pr = state[8],
      pid = state[9], pv = tonumber(state[10]), cu = state[11], at = at }
    redis.call('ZREM', KEYS[3], ARGV[11])
    redis.call('ZREM', KEYS[4] .. state[6], ARGV[11])
    redis.call('ZREM', KEYS[5], ARGV[11])
    redis.call('ZREM', KEYS[6], ARGV[11])
    if kind == 'reply' then
      redis.call('HSET', KEYS[1], 'st', 'a', 'fr', at)
      redis.call('EXPIRE', KEYS[1], ARGV[12])
    else
      redis.call('DEL', KEYS[1])
    end
  end
else
  outcome = { a = 'noop', why = 'not tracked yet' }
end

local encoded = cjson.encode(outcome)
redis.call('SET', KEYS[2], encoded, 'EX', ARGV[9])
return encoded
`;

export const CHECK_DEADLINE_LUA = `
-- Is this timer (contact, generation) still due? Read-only: the breach is marked only after the
-- sla.breached event was published, so a crash in between re-publishes instead of losing it.
-- KEYS: 1 contact hash. ARGV: 1 generation, 2 now ms.
local s = redis.call('HMGET', KEYS[1], 'st', 'gen', 'os', 'fd', 'fb', 'ch', 'src', 'pr', 'pid', 'pv', 'cu')
if s[1] ~= 'w' or s[2] ~= ARGV[1] or s[5] == '1' then return false end
if tonumber(s[4]) > tonumber(ARGV[2]) then return cjson.encode({ a = 'early', fd = tonumber(s[4]) }) end
return cjson.encode({ a = 'due', gen = tonumber(s[2]), os = tonumber(s[3]), fd = tonumber(s[4]), ch = s[6],
  src = s[7], pr = s[8], pid = s[9], pv = tonumber(s[10]), cu = s[11] })
`;

export const MARK_BREACHED_LUA = `
-- Record a published breach. KEYS: 1 contact hash, 2 due zset, 3 breached zset. ARGV: 1 generation, 2 contact id.
local s = redis.call('HMGET', KEYS[1], 'st', 'gen', 'fd')
if s[1] ~= 'w' or s[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'fb', 1)
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], s[3], ARGV[2])
return 1
`;
