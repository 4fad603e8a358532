// Redis scripts for contact state, kept as strings so the build needs no asset copying.
// Each runs atomically, so one contact's state, its queue indexes and its outbox change together.

/**
 * Compare-and-set a contact's state. The SLA consumer and the timer worker (on any instance) may
 * both change a contact; the version makes the second writer reload and recompute, never overwrite.
 * KEYS: 1 contact hash, 2 waiting, 3 at-risk, 4 breached, 5 paused, 6 due, 7 outbox index,
 *       8 waiting-on-channel key prefix (the channel is appended)
 * ARGV: 1 expected version ('' when new), 2 state JSON ('' deletes), 3 outbox JSON ('' when empty),
 *       4 contact id, 5 channel, 6 waiting since, 7 at-risk due, 8 breached due, 9 paused since,
 *       10 next deadline (index scores, '' = not in that index), 11 expire after s (0 = keep),
 *       12 now ms, 13 processed-marker ttl s, 14.. processed-marker keys
 * Returns 1, or 0 when the version moved (nothing written).
 */
export const SAVE_CONTACT_LUA = `
local current = redis.call('HGET', KEYS[1], 'v')
if (current or '') ~= ARGV[1] then return 0 end
local id = ARGV[4]
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'v', (tonumber(current) or 0) + 1, 'd', ARGV[2])
  if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'o') else redis.call('HSET', KEYS[1], 'o', ARGV[3]) end
  if tonumber(ARGV[11]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[11]) else redis.call('PERSIST', KEYS[1]) end
end
local function place(key, score)
  if score == '' then redis.call('ZREM', key, id) else redis.call('ZADD', key, score, id) end
end
place(KEYS[2], ARGV[6])
place(KEYS[8] .. ARGV[5], ARGV[6])
place(KEYS[3], ARGV[7])
place(KEYS[4], ARGV[8])
place(KEYS[5], ARGV[9])
place(KEYS[6], ARGV[10])
if ARGV[3] == '' then redis.call('ZREM', KEYS[7], id) else redis.call('ZADD', KEYS[7], 'NX', ARGV[12], id) end
for i = 14, #ARGV do redis.call('SET', ARGV[i], '1', 'EX', ARGV[13]) end
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
