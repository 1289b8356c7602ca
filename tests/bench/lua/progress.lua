-- The progress screen of many members, round-robin (each member's own token), and what each
-- answer was: 200, 304, refused (429) or anything else.
-- args: members file (one "token etag" line per member), mode, query (JSON string), GET path
--   post: POST the query (answered from the member read cache once warm)
--   post_gzip: the same with `Accept-Encoding: gzip`, as mobile apps send it
--   fresh: POST it with `Cache-Control: no-cache` (computed and stored again every time)
--   revalidate: GET the path with `If-None-Match: <the member's ETag>` (304 when unchanged)
function init(args)
  local members_file
  members_file, mode, query, path = args[1], args[2], args[3], args[4]
  tokens, etags = {}, {}
  for line in io.lines(members_file) do
    local token, etag = line:match("^(%S+)%s+(%S+)$")
    table.insert(tokens, token)
    table.insert(etags, etag)
  end
  body = '{"query":' .. query .. '}'
  -- Each thread starts at its own place in the round.
  index = (tid * 7919) % #tokens
  ok, not_modified, refused, other = 0, 0, 0, 0
end

function request()
  index = index % #tokens + 1
  local headers = {["Authorization"] = "Bearer " .. tokens[index]}
  if mode == "revalidate" then
    headers["If-None-Match"] = etags[index]
    headers["Accept"] = "application/json"
    return wrk.format("GET", path, headers)
  end
  headers["Content-Type"] = "application/json"
  if mode == "fresh" then headers["Cache-Control"] = "no-cache" end
  if mode == "post_gzip" then headers["Accept-Encoding"] = "gzip" end
  return wrk.format("POST", nil, headers, body)
end

local counted = response
function response(status, headers, text)
  if status == 200 then ok = ok + 1
  elseif status == 304 then not_modified = not_modified + 1
  elseif status == 429 then refused = refused + 1
  else other = other + 1 end
  counted(status, headers, text)
end

local summarised = done
function done(summary, latency, requests)
  summarised(summary, latency, requests)
  local totals = {ok = 0, not_modified = 0, refused = 0, other = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + (thread:get(name) or 0) end
  end
  io.write(string.format('WRK_EXTRA {"ok":%d,"not_modified":%d,"refused":%d,"other":%d}\n',
    totals.ok, totals.not_modified, totals.refused, totals.other))
end
