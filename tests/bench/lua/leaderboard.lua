-- Leaderboard reads. args: token, mode (top|fresh|around), members, member prefix, query (JSON
-- string). top: the same request every time; fresh: the same, with `Cache-Control: no-store` (a
-- member's read executed every time, not answered from the member read cache); around: memberId
-- drawn uniformly from prefix1..prefixN.
function init(args)
  token, mode, members, member_prefix, query = args[1], args[2], tonumber(args[3]), args[4],
    args[5]
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
  if mode == "fresh" then headers["Cache-Control"] = "no-store" end
  math.randomseed(1000 + tid)
  fixed = wrk.format("POST", nil, headers, '{"query":' .. query .. '}')
end

function request()
  if mode ~= "around" then return fixed end
  local body = '{"query":' .. query .. ',"variables":{"memberId":"' .. member_prefix ..
    math.random(1, members) .. '"}}'
  return wrk.format("POST", nil, headers, body)
end
