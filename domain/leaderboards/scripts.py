"""The Lua scripts of the Redis side of leaderboards (`domain.leaderboards.store` runs them).

A board and period is three keys under one hash tag (`BoardKey`): `scores` (a sorted set of
elements, `<inverted reach time>:<member id>`), `elements` (member -> element) and `profiles`
(member -> public profile, `gamification.leaderboards.encode_profile`; a member with the
default profile has no field). Every script but `SET_SCORES` touches one board's keys only,
so it runs unchanged on a Redis Cluster.

A profile argument of a write is `?` to leave the stored profile alone, '' for the default
profile (the field is removed), anything else to store.
"""

from __future__ import annotations

# Many absolute writes in one script: KEYS come in (scores, elements, profiles) triples and
# ARGV in (member, score, element, expire-at or '', profile) quintuples, one per write. A score
# lands only if it raises the member's score, so the script is idempotent and
# order-insensitive, and it is atomic across every board and period of the writes it carries.
# The profile, read after the write's commit, is stored whatever the score did.
SET_SCORES = """
local written = 0
for i = 1, #KEYS, 3 do
  local a = (i - 1) / 3 * 5
  local member, score, element = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local expire, profile = ARGV[a + 4], ARGV[a + 5]
  local old = redis.call('HGET', KEYS[i + 1], member)
  local stale = false
  if old then
    local current = redis.call('ZSCORE', KEYS[i], old)
    if current and tonumber(current) >= tonumber(score) then
      stale = true
    else
      redis.call('ZREM', KEYS[i], old)
    end
  end
  if not stale then
    redis.call('ZADD', KEYS[i], score, element)
    redis.call('HSET', KEYS[i + 1], member, element)
    written = written + 1
  end
  if profile == '' then
    redis.call('HDEL', KEYS[i + 2], member)
  elseif profile ~= '?' then
    redis.call('HSET', KEYS[i + 2], member, profile)
  end
  if expire ~= '' then
    redis.call('EXPIREAT', KEYS[i], expire)
    redis.call('EXPIREAT', KEYS[i + 1], expire)
    redis.call('EXPIREAT', KEYS[i + 2], expire)
  end
end
return written
"""

# A score that may fall (the content board: votes and takedowns move it both ways) is
# replaced outright; the caller writes the value it read after its own commit. 0 takes the
# member off the board, profile included.
REPLACE_SCORE = """
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then redis.call('ZREM', KEYS[1], old) end
if tonumber(ARGV[2]) > 0 then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  if ARGV[5] == '' then
    redis.call('HDEL', KEYS[3], ARGV[1])
  elseif ARGV[5] ~= '?' then
    redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
  end
  if ARGV[4] ~= '' then
    redis.call('EXPIREAT', KEYS[1], ARGV[4])
    redis.call('EXPIREAT', KEYS[2], ARGV[4])
    redis.call('EXPIREAT', KEYS[3], ARGV[4])
  end
else
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
end
return 1
"""

# Takes one member off one board and period (an erasure): the three keys, atomically.
REMOVE_MEMBER = """
redis.call('HDEL', KEYS[3], ARGV[1])
local element = redis.call('HGET', KEYS[2], ARGV[1])
if not element then return 0 end
redis.call('ZREM', KEYS[1], element)
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
"""

# A member's new profile on one board and period, stored only where they have a score (a
# profile change rewrites every board that lists them). ARGV: member, profile ('' = default).
SET_PROFILE = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
return 1
"""

# The member's standing on one board and period: {0-based rank, score}, or nil when they have
# no score there. `me.standings` sends one per board in a single pipeline.
STANDING = """
local element = redis.call('HGET', KEYS[2], ARGV[1])
if not element then return false end
local rank = redis.call('ZREVRANK', KEYS[1], element)
if not rank then return false end
return {rank, redis.call('ZSCORE', KEYS[1], element)}
"""

# Every read a GraphQL request makes of one board, in one script: one round trip whatever the
# mix of `size`, `entries` pages and `around` neighbourhoods (aliases included), profiles
# included. ARGV is a list of operations: `size`; `page <score> <element> <first>` (fetches one
# extra to see a next page); `around <member> <radius>`. One result per operation, in order: a
# size is an integer; a page or a neighbourhood is {start, {element, score, ...}, {profile or
# nil, ...}} (an empty table for a member with no score), the profiles of the standings in order
# (`string.sub(element, 18)`: the member id after the 16-digit time and its colon).
READ = """
local function profiles_of(flat)
  if #flat == 0 then return {} end
  local members = {}
  for j = 1, #flat, 2 do members[#members + 1] = string.sub(flat[j], 18) end
  return redis.call('HMGET', KEYS[3], unpack(members))
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
    if ARGV[i + 2] ~= '' then
      local current = redis.call('ZSCORE', KEYS[1], ARGV[i + 2])
      if current and tonumber(current) == tonumber(ARGV[i + 1]) then
        start = redis.call('ZREVRANK', KEYS[1], ARGV[i + 2]) + 1
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
    local element = redis.call('HGET', KEYS[2], ARGV[i + 1])
    if element then
      local rank = redis.call('ZREVRANK', KEYS[1], element)
      if rank then
        local radius = tonumber(ARGV[i + 2])
        local first = rank - radius
        if first < 0 then first = 0 end
        local flat = redis.call('ZREVRANGE', KEYS[1], first, rank + radius, 'WITHSCORES')
        found = {first, flat, profiles_of(flat)}
      end
    end
    out[#out + 1] = found
    i = i + 3
  else
    return redis.error_reply('unknown read ' .. tostring(op))
  end
end
return out
"""
