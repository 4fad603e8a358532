// Redis scripts for contact state, kept as strings so the build needs no asset copying.
// Each runs atomically, so one contact's state, its queue indexes and its outbox change together.

/**
 * Compare-and-set a contact's state. The SLA consumer and the timer worker (on any instance) may
 * both change a contact; the version makes the second writer reload and recompute, never overwrite.
 * KEYS: 1 contact hash, 2 due, 3 outbox index, 4 queue-view set prefix, 5 queue-view segment
 *       registry, 6 queue-view change counter, 7 opened-per-day prefix
 * ARGV: 1 expected version ('' when new), 2 state JSON ('' deletes), 3 outbox JSON ('' when empty),
 *       4 contact id, 5 queue-view segment ('' = not in the view), 6 next deadline ('' = none),
 *       7 expire after s (0 = keep), 8 now ms, 9 processed-marker ttl s, 10 view wait score,
 *       11 view time-left score, 12 opened day index and 13 its `<hour>:<channel>` field ('' when
 *       this write does not open a contact), 14.. processed-marker keys
 * Returns 1, or 0 when the version moved (nothing written).
 */
export const SAVE_CONTACT_LUA = `
local current = redis.call('HGET', KEYS[1], 'v')
if (current or '') ~= ARGV[1] then return 0 end
local id = ARGV[4]
local segment = ARGV[5]
local previous = redis.call('HGET', KEYS[1], 'q') or ''
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'v', (tonumber(current) or 0) + 1, 'd', ARGV[2])
  if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'o') else redis.call('HSET', KEYS[1], 'o', ARGV[3]) end
  if segment == '' then redis.call('HDEL', KEYS[1], 'q') else redis.call('HSET', KEYS[1], 'q', segment) end
  if tonumber(ARGV[7]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[7]) else redis.call('PERSIST', KEYS[1]) end
  if not current and ARGV[12] ~= '' then
    local opened = KEYS[7] .. ARGV[12]
    redis.call('HINCRBY', opened, ARGV[13], 1)
    redis.call('EXPIRE', opened, 259200)
  end
end
if ARGV[6] == '' then redis.call('ZREM', KEYS[2], id) else redis.call('ZADD', KEYS[2], ARGV[6], id) end
local changed = false
if previous ~= '' and previous ~= segment then
  redis.call('ZREM', KEYS[4] .. 'w:' .. previous, id)
  redis.call('ZREM', KEYS[4] .. 'd:' .. previous, id)
  if redis.call('HINCRBY', KEYS[5], previous, -1) <= 0 then redis.call('HDEL', KEYS[5], previous) end
  changed = true
end
if segment ~= '' then
  if redis.call('ZADD', KEYS[4] .. 'w:' .. segment, 'CH', ARGV[10], id) > 0 then changed = true end
  if redis.call('ZADD', KEYS[4] .. 'd:' .. segment, 'CH', ARGV[11], id) > 0 then changed = true end
  if previous ~= segment then redis.call('HINCRBY', KEYS[5], segment, 1) end
end
if changed then redis.call('INCR', KEYS[6]) end
if ARGV[3] == '' then redis.call('ZREM', KEYS[3], id) else redis.call('ZADD', KEYS[3], 'NX', ARGV[8], id) end
for i = 14, #ARGV do redis.call('SET', ARGV[i], '1', 'EX', ARGV[9]) end
return 1
`;

/**
 * Drop published events from a contact's outbox (others may have been added meanwhile), and bump
 * the version so no writer can put them back from a stale read.
 * KEYS: 1 contact hash, 2 outbox index. ARGV: 1 contact id, 2.. published event ids.
 */
export const CLEAR_OUTBOX_LUA = `
local raw = redis.call('HGET', KEYS[1], 'o')
if not raw then redis.call('ZREM', KEYS[2], ARGV[1]) return 0 end
-- A new version: a writer that loaded the outbox before this clear must reload, not write it back.
redis.call('HINCRBY', KEYS[1], 'v', 1)
local published = {}
for i = 2, #ARGV do published[ARGV[i]] = true end
local kept = {}
for _, event in ipairs(cjson.decode(raw)) do
  if not published[event.eventId] then table.insert(kept, event) end
end
if #kept == 0 then
  redis.call('HDEL', KEYS[1], 'o')
  redis.call('ZREM', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[1], 'o', cjson.encode(kept))
end
return #kept
`;
