-- The mixed load of a live app: 70 % progress screens (each a member's own token), 20 %
-- leaderboard top pages, 10 % recordInteraction (a SERVICE token, a fresh key each time).
-- args: tokens file (one member token per line, member i on line i+1), service token, members,
--       member prefix, action, key prefix, progress query, board query, record query (JSON strings)
function init(args)
  local tokens_file, service = args[1], args[2]
  members, member_prefix, action, key_prefix = tonumber(args[3]), args[4], args[5], args[6]
  progress, board, record = args[7], args[8], args[9]
  tokens = {}
  for line in io.lines(tokens_file) do table.insert(tokens, line) end
  service_headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. service}
  math.randomseed(7000 + tid)
  board_body = '{"query":' .. board .. '}'
  sent = 0
end

local function member_headers(index)
  return {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[index]}
end

function request()
  local draw = math.random(100)
  local index = math.random(1, members)
  if draw <= 70 then
    return wrk.format("POST", nil, member_headers(index), '{"query":' .. progress .. '}')
  elseif draw <= 90 then
    return wrk.format("POST", nil, member_headers(index), board_body)
  end
  sent = sent + 1
  local body = '{"query":' .. record .. ',"variables":{"input":{"action":"' .. action ..
    '","memberId":"' .. member_prefix .. (index - 1) .. '","idempotencyKey":"' .. key_prefix ..
    tid .. '-' .. sent .. '"}}}'
  return wrk.format("POST", nil, service_headers, body)
end
