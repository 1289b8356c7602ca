-- recordInteractions with a SERVICE token: `total` interactions over `members` distinct members,
-- in calls of `per_call` items.
-- args: token, total, members, threads, action, key prefix, member prefix, query (JSON string),
--       per_call
-- Call c (0 <= c < calls) goes to thread c % threads and carries interactions
-- c * per_call .. (c + 1) * per_call - 1; interaction g goes to member g % members with
-- idempotency key prefix..g. A thread that has sent its share stops (delay); a call still
-- generated after that (connections that passed delay() together) carries no items: a no-op
-- that stores nothing (a replay of an earlier call, racing it, would burn sequence values).
function init(args)
  token, total, members = args[1], tonumber(args[2]), tonumber(args[3])
  nthreads, action, key_prefix, member_prefix, query = tonumber(args[4]), args[5], args[6],
    args[7], args[8]
  per_call = tonumber(args[9])
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
  calls = math.floor((total + per_call - 1) / per_call)
  sent = 0
  -- wrk calls thread 0's request() once to verify the script and discards that request.
  verified = tid ~= 0
  share = math.floor((calls - tid + nthreads - 1) / nthreads)
  head = '{"query":' .. query .. ',"variables":{"inputs":['
  item_head = '{"action":"' .. action .. '","memberId":"' .. member_prefix
end

function delay()
  if sent >= share then return 3600000 end
  return 0
end

function request()
  local c = tid + nthreads * sent
  if not verified then
    verified = true
  elseif sent >= share then
    return wrk.format("POST", nil, headers, head .. "]}}")
  else
    sent = sent + 1
  end
  local items, first = {}, c * per_call
  local last = math.min(total, first + per_call) - 1
  for g = first, last do
    items[#items + 1] = item_head .. (g % members) .. '","idempotencyKey":"' .. key_prefix ..
      g .. '"}'
  end
  return wrk.format("POST", nil, headers, head .. table.concat(items, ",") .. "]}}")
end
