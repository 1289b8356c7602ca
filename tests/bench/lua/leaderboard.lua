-- Leaderboard reads. args: token, mode (top|around), members, member prefix, query (JSON string)
-- top: the same request every time; around: memberId drawn uniformly from prefix1..prefixN.
function init(args)
  token, mode, members, member_prefix, query = args[1], args[2], tonumber(args[3]), args[4],
    args[5]
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
  math.randomseed(1000 + tid)
  fixed = wrk.format("POST", nil, headers, '{"query":' .. query .. '}')
end

function request()
  if mode == "top" then return fixed end
  local body = '{"query":' .. query .. ',"variables":{"memberId":"' .. member_prefix ..
    math.random(1, members) .. '"}}'
  return wrk.format("POST", nil, headers, body)
end
