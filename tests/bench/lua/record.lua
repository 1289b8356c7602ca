-- recordInteraction with a SERVICE token on behalf of `members` distinct members.
-- args: token, total, members, threads, action, key prefix, member prefix, query (JSON string)
-- Interaction g (0 <= g < total) goes to thread g % threads, member g % members, key prefix..g.
-- A thread that has sent its share stops (delay); a request still generated after that replays
-- its first key, which the idempotency key makes a no-op.
function init(args)
  token, total, members = args[1], tonumber(args[2]), tonumber(args[3])
  nthreads, action, key_prefix, member_prefix, query = tonumber(args[4]), args[5], args[6],
    args[7], args[8]
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
  sent = 0
  -- wrk calls thread 0's request() once to verify the script and discards that request.
  verified = tid ~= 0
  share = math.floor((total - tid + nthreads - 1) / nthreads)
end

function delay()
  if sent >= share then return 3600000 end
  return 0
end

function request()
  local g = tid + nthreads * sent
  if not verified then
    verified = true
  else
    if sent >= share then g = tid end
    sent = sent + 1
  end
  local body = '{"query":' .. query .. ',"variables":{"input":{"action":"' .. action ..
    '","memberId":"' .. member_prefix .. (g % members) .. '","idempotencyKey":"' .. key_prefix ..
    g .. '"}}}'
  return wrk.format("POST", nil, headers, body)
end
