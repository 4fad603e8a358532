/**
 * One page of the queue view: a k-way merge of the matching segment sets after a cursor, done in
 * Redis so a page costs a few reads per segment however many contacts wait.
 * KEYS: 1..n the segments' sets in the page's order, n+1..2n the same segments' other order.
 * ARGV: 1 cursor score ('-inf' for the first page), 2 cursor contact id ('' for the first page),
 *       3 page size, 4 contact hash key prefix.
 * Returns a flat list: contact id, score, other order's score, segment index (1-based), state JSON.
 */
export const QUEUE_PAGE_LUA = `
local n = #KEYS / 2
local cursorScore = ARGV[1]
local cursorId = ARGV[2]
local limit = tonumber(ARGV[3])
-- Read each segment a few entries at a time: with many segments a page needs only the heads.
local batch = math.max(2, math.min(32, math.ceil(limit / n) + 1))
local function num(raw)
  if raw == 'inf' or raw == '+inf' then return math.huge end
  if raw == '-inf' then return -math.huge end
  return tonumber(raw)
end
local after = num(cursorScore)
local heads = {}
-- Members tied with the cursor's score sort by id, as Redis orders them.
local function fill(head)
  local raw = redis.call('ZRANGEBYSCORE', KEYS[head.index], cursorScore, '+inf', 'WITHSCORES', 'LIMIT', head.offset, batch)
  head.offset = head.offset + batch
  head.items = {}
  head.pos = 1
  for j = 1, #raw, 2 do
    local score = num(raw[j + 1])
    if score > after or (score == after and raw[j] > cursorId) then
      table.insert(head.items, { raw[j], score, raw[j + 1] })
    end
  end
  if #raw < 2 * batch then head.done = true end
end
local function peek(head)
  while head.pos > #head.items and not head.done do fill(head) end
  return head.items[head.pos]
end
-- A binary min-heap of segments by their next (score, id): a page costs log(segments) per entry.
local heap = {}
local function less(a, b)
  local x, y = a.item, b.item
  return x[2] < y[2] or (x[2] == y[2] and x[1] < y[1])
end
local function up(i)
  while i > 1 do
    local parent = math.floor(i / 2)
    if not less(heap[i], heap[parent]) then break end
    heap[i], heap[parent] = heap[parent], heap[i]
    i = parent
  end
end
local function down(i)
  local size = #heap
  while true do
    local smallest, left, right = i, 2 * i, 2 * i + 1
    if left <= size and less(heap[left], heap[smallest]) then smallest = left end
    if right <= size and less(heap[right], heap[smallest]) then smallest = right end
    if smallest == i then break end
    heap[i], heap[smallest] = heap[smallest], heap[i]
    i = smallest
  end
end
for i = 1, n do
  local head = { index = i, offset = 0, items = {}, pos = 1, done = false }
  local item = peek(head)
  if item then
    head.item = item
    table.insert(heap, head)
    up(#heap)
  end
end
local out = {}
while #out < 5 * limit and #heap > 0 do
  local head = heap[1]
  local best = head.item
  head.pos = head.pos + 1
  local following = peek(head)
  if following then
    head.item = following
  else
    heap[1] = heap[#heap]
    heap[#heap] = nil
  end
  if #heap > 0 then down(1) end
  local other = redis.call('ZSCORE', KEYS[n + head.index], best[1]) or ''
  local state = redis.call('HGET', ARGV[4] .. best[1], 'd') or ''
  table.insert(out, best[1])
  table.insert(out, best[3])
  table.insert(out, other)
  table.insert(out, head.index)
  table.insert(out, state)
end
return out
`;
