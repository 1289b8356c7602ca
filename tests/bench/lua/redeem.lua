-- redeemReward with MEMBER tokens: each request picks a member at random and a fresh key.
-- args: tokens file (one bearer token a line), reward key, key prefix, query (JSON string)
-- The payload's UserErrors are answers, not failures: they are counted by code (the query
-- selects `errors { code }`, so they read `"errors":[{"code":…`), while GraphQL errors, whose
-- objects open with "message", count as failures in common.lua's summary.
function init(args)
  local tokens_file, query = args[1], args[4]
  reward_key, key_prefix = args[2], args[3] .. tid .. "-"
  all_headers = {}
  for line in io.lines(tokens_file) do
    if line ~= "" then
      table.insert(all_headers,
        {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. line})
    end
  end
  head = '{"query":' .. query .. ',"variables":{"input":{"rewardKey":"' .. reward_key ..
    '","idempotencyKey":"'
  math.randomseed(3000 + tid)
  sent = 0
end

function request()
  sent = sent + 1
  local headers = all_headers[math.random(1, #all_headers)]
  return wrk.format("POST", nil, headers, head .. key_prefix .. sent .. '"}}}')
end

completed = 0
user_errors = {}

function response(status, headers, body)
  if status ~= 200 then return end
  if body:find('"errors":%s*%[%s*{%s*"message"') then
    bad = bad + 1
    if first_error == "" then first_error = body:sub(1, 400) end
  elseif body:find('"status":%s*"COMPLETED"') then
    completed = completed + 1
  else
    local code = body:match('"errors":%s*%[%s*{%s*"code":%s*"([%w_]+)"') or "UNRECOGNISED"
    user_errors[code] = (user_errors[code] or 0) + 1
  end
end

local common_done = done

function done(summary, latency, requests)
  common_done(summary, latency, requests)
  local total, codes = 0, {}
  for _, thread in ipairs(threads) do
    total = total + (thread:get("completed") or 0)
    for code, count in pairs(thread:get("user_errors") or {}) do
      codes[code] = (codes[code] or 0) + count
    end
  end
  local parts = {}
  for code, count in pairs(codes) do
    table.insert(parts, string.format('"%s":%d', code, count))
  end
  io.write(string.format('WRK_EXTRA {"completed":%d,"user_errors":{%s}}\n', total,
    table.concat(parts, ",")))
end
