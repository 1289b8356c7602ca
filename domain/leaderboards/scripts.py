"""The Lua scripts of the Redis side of leaderboards (`domain.leaderboards.store` runs them).

A board and period is four keys under one hash tag (`BoardKey`): `scores` (a sorted set of
elements, `<inverted reach time>:<member id>`, of the members others may see), `hidden` (the
same for HIDDEN members, kept apart so every rank, page and size others read counts the visible
members only), `elements` (member -> element, both sets' members) and `profiles` (member ->
public profile, `gamification.leaderboards.encode_profile`; a member with the default profile
has no field; a member who is not PUBLIC has their visibility's mark first). Every script but
`SET_SCORES` touches one board's keys only, so it runs unchanged on a Redis Cluster.

A profile argument of a write is `?` to leave the stored profile alone, '' for the default
profile (the field is removed), anything else to store. Its first byte says which set the member
belongs in: 29 (U+001D, `HIDDEN_MARK`) the hidden set, anything else the ranked one.
"""

from __future__ import annotations

# Shared Lua: whether a stored profile is a HIDDEN member's or an ANONYMOUS one's, and how many
# members of a ranked set rank ahead of a (score, element) that need not be in it: those with a
# higher score, and those with the same score whose element is larger bytewise (the tie rule:
# Redis orders equal scores by element, bytewise). The equal scores are a contiguous run of
# the reversed order, searched by halves: O(log^2 n), read-only.
HELPERS = """
local function is_hidden(profile)
  return profile and string.byte(profile, 1) == 29
end
local function is_anonymous(profile)
  return profile and string.byte(profile, 1) == 30
end
local function greater(a, b)
  local n = math.min(#a, #b)
  for k = 1, n do
    local x, y = string.byte(a, k), string.byte(b, k)
    if x ~= y then return x > y end
  end
  return #a > #b
end
local function ahead(key, score, element)
  local above = redis.call('ZCOUNT', key, '(' .. score, '+inf')
  local lo, hi = 0, redis.call('ZCOUNT', key, score, score)
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local found = redis.call('ZREVRANGE', key, above + mid, above + mid)[1]
    if greater(found, element) then lo = mid + 1 else hi = mid end
  end
  return above + lo
end
"""

# Many absolute writes to one board in one script: KEYS are the board's (scores, elements,
# profiles, hidden), ARGV[1] its expire-at (or ''), then one (member, score, element, profile)
# quad per write. A score lands only if it raises the member's score, so the script is
# idempotent and order-insensitive. The profile, read after the write's commit, is stored
# whatever the score did, and the member's element moves to the set their visibility says (`?`:
# the stored profile's). One board per call keeps each call in one hash slot, and sends each
# key name and the expiry once, not once per write.
SET_SCORES = (
    HELPERS
    + """
local written = 0
local expire = ARGV[1]
for a = 2, #ARGV, 4 do
  local member, score, element, profile = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local hidden
  if profile == '?' then
    hidden = is_hidden(redis.call('HGET', KEYS[3], member))
  else
    hidden = is_hidden(profile)
  end
  local target, other = KEYS[1], KEYS[4]
  if hidden then target, other = KEYS[4], KEYS[1] end
  local old = redis.call('HGET', KEYS[2], member)
  local stale = false
  if old then
    local current = redis.call('ZSCORE', target, old)
    if not current then
      current = redis.call('ZSCORE', other, old)
      if current then
        redis.call('ZREM', other, old)
        redis.call('ZADD', target, current, old)
      end
    end
    if current and tonumber(current) >= tonumber(score) then
      stale = true
    elseif current then
      redis.call('ZREM', target, old)
    end
  end
  if not stale then
    redis.call('ZADD', target, score, element)
    redis.call('HSET', KEYS[2], member, element)
    written = written + 1
  end
  if profile == '' then
    redis.call('HDEL', KEYS[3], member)
  elseif profile ~= '?' then
    redis.call('HSET', KEYS[3], member, profile)
  end
end
if expire ~= '' then
  for k = 1, 4 do redis.call('EXPIREAT', KEYS[k], expire) end
end
return written
"""
)

# A score that may fall (the content board: votes and takedowns move it both ways) is
# replaced outright; the caller writes the value it read after its own commit. 0 takes the
# member off the board, profile included. KEYS: scores, elements, profiles, hidden.
REPLACE_SCORE = (
    HELPERS
    + """
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then
  redis.call('ZREM', KEYS[1], old)
  redis.call('ZREM', KEYS[4], old)
end
if tonumber(ARGV[2]) > 0 then
  if ARGV[5] == '' then
    redis.call('HDEL', KEYS[3], ARGV[1])
  elseif ARGV[5] ~= '?' then
    redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
  end
  local target = KEYS[1]
  if is_hidden(redis.call('HGET', KEYS[3], ARGV[1])) then target = KEYS[4] end
  redis.call('ZADD', target, ARGV[2], ARGV[3])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  if ARGV[4] ~= '' then
    for k = 1, 4 do redis.call('EXPIREAT', KEYS[k], ARGV[4]) end
  end
else
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
end
return 1
"""
)

# Takes one member off one board and period (an erasure): the four keys, atomically.
REMOVE_MEMBER = """
redis.call('HDEL', KEYS[3], ARGV[1])
local element = redis.call('HGET', KEYS[2], ARGV[1])
if not element then return 0 end
redis.call('ZREM', KEYS[1], element)
redis.call('ZREM', KEYS[4], element)
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
"""

# A member's new profile on one board and period, stored only where they have a score (a
# profile or visibility change rewrites every board that lists them); the member's element moves
# between the ranked and the hidden set when their visibility says so, keeping the board's
# expiry. KEYS: elements, profiles, scores, hidden. ARGV: member, profile ('' = default).
# Returns 0 (not on the board), 1 (stored), 2 (stored and moved: the ranks others see changed).
SET_PROFILE = (
    HELPERS
    + """
local element = redis.call('HGET', KEYS[1], ARGV[1])
if not element then return 0 end
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
local from, to = KEYS[4], KEYS[3]
if is_hidden(ARGV[2]) then from, to = KEYS[3], KEYS[4] end
local score = redis.call('ZSCORE', from, element)
if not score then return 1 end
redis.call('ZREM', from, element)
redis.call('ZADD', to, score, element)
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', to, ttl) end
return 2
"""
)

# The member's standing on one board and period: {0-based rank, score}, or nil when they have
# no score there. `me.standings` sends one per board in a single pipeline. A HIDDEN member's
# rank is where they would stand among the visible members (those ahead of them, counted).
# KEYS: scores, elements, hidden.
STANDING = (
    HELPERS
    + """
local element = redis.call('HGET', KEYS[2], ARGV[1])
if not element then return false end
local rank = redis.call('ZREVRANK', KEYS[1], element)
if rank then return {rank, redis.call('ZSCORE', KEYS[1], element)} end
local score = redis.call('ZSCORE', KEYS[3], element)
if not score then return false end
return {ahead(KEYS[1], score, element), score}
"""
)

# Every read a GraphQL request makes of one board, in one script: one round trip whatever the
# mix of `size`, `entries` pages and `around` neighbourhoods (aliases included), profiles
# included. KEYS: scores, elements, profiles, hidden. ARGV is a list of operations: `size` (the
# visible members); `page <score> <element> <first>` (fetches one extra to see a next page; an
# anonymous entry's cursor element is the reach time and a colon only: the page resumes after
# every member ranking ahead of or level with it); `around <member> <radius> <own>` (`own` is
# 1 when the reader is that member: only they find themselves when they are not PUBLIC). One
# result per operation, in order: a size is an integer; a page or a neighbourhood is {start,
# {element, score, ...}, {profile or nil, ...}} (an empty table for a member with no score, or
# one the reader may not find), the profiles of the standings in order (`string.sub(element,
# 18)`: the member id after the 16-digit time and its colon). A HIDDEN member's own
# neighbourhood has a fourth item: the 0-based index of the member in it (the visible members
# around them keep their own ranks, the member has the rank of where they would stand).
READ = (
    HELPERS
    + """
local function profiles_of(flat)
  if #flat == 0 then return {} end
  local members = {}
  for j = 1, #flat, 2 do members[#members + 1] = string.sub(flat[j], 18) end
  return redis.call('HMGET', KEYS[3], unpack(members))
end
local function range(first, last)
  if last < first then return {} end
  return redis.call('ZREVRANGE', KEYS[1], first, last, 'WITHSCORES')
end
local out = {}
local i = 1
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'size' then
    out[#out + 1] = redis.call('ZCARD', KEYS[1])
    i = i + 1
  elseif op == 'page' then
    local start = 0
    local cursor = ARGV[i + 2]
    if #cursor == 17 and string.sub(cursor, 17) == ':' then
      start = ahead(KEYS[1], ARGV[i + 1], cursor)
    elseif cursor ~= '' then
      local current = redis.call('ZSCORE', KEYS[1], cursor)
      if current and tonumber(current) == tonumber(ARGV[i + 1]) then
        start = redis.call('ZREVRANK', KEYS[1], cursor) + 1
      else
        -- The cursor's member has moved since: resume after everyone still above its old score.
        start = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[i + 1], '+inf')
      end
    end
    local last = start + tonumber(ARGV[i + 3])
    local flat = redis.call('ZREVRANGE', KEYS[1], start, last, 'WITHSCORES')
    out[#out + 1] = {start, flat, profiles_of(flat)}
    i = i + 4
  elseif op == 'around' then
    local found = {}
    local member, own = ARGV[i + 1], ARGV[i + 3] == '1'
    local radius = tonumber(ARGV[i + 2])
    local element = redis.call('HGET', KEYS[2], member)
    if element then
      local rank = redis.call('ZREVRANK', KEYS[1], element)
      if rank then
        if own or not is_anonymous(redis.call('HGET', KEYS[3], member)) then
          local first = rank - radius
          if first < 0 then first = 0 end
          local flat = range(first, rank + radius)
          found = {first, flat, profiles_of(flat)}
        end
      elseif own then
        local score = redis.call('ZSCORE', KEYS[4], element)
        if score then
          local at = ahead(KEYS[1], score, element)
          local first = at - radius
          if first < 0 then first = 0 end
          local flat = range(first, at - 1)
          local index = #flat / 2
          flat[#flat + 1] = element
          flat[#flat + 1] = score
          for _, value in ipairs(range(at, at + radius - 1)) do flat[#flat + 1] = value end
          found = {first, flat, profiles_of(flat), index}
        end
      end
    end
    out[#out + 1] = found
    i = i + 4
  else
    return redis.error_reply('unknown read ' .. tostring(op))
  end
end
return out
"""
)
