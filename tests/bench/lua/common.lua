-- Shared by every bench script (prepended by wrk.py): per-thread GraphQL error counting and a
-- machine-readable summary line. A 200 whose body has a non-empty "errors" list is a failure.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

bad = 0
first_error = ""

function response(status, headers, body)
  if status == 200 and body:find('"errors":%s*%[%s*{') then
    bad = bad + 1
    if first_error == "" then first_error = body:sub(1, 400) end
  end
end

function done(summary, latency, requests)
  local graphql_errors, sample = 0, ""
  for _, thread in ipairs(threads) do
    graphql_errors = graphql_errors + (thread:get("bad") or 0)
    local text = thread:get("first_error")
    if sample == "" and text then sample = text end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"graphql_errors":%d,' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    graphql_errors, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
  if sample ~= "" then io.write("WRK_SAMPLE_ERROR ", sample:gsub("\n", " "), "\n") end
end
