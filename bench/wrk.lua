-- wrk script of the ContactGate benchmark harness (bench/main.go writes the
-- request file and runs: wrk -s bench/wrk.lua ... with CG_REQUESTS set).
--
-- CG_REQUESTS names a Lua file returning a list of { cookie, body } pairs;
-- each connection replays them round-robin from its own starting point as
-- POST /graphql. A response counts as an error when its status is not 200
-- or its body holds GraphQL "errors". done() prints one CGRESULT line of
-- JSON that the harness parses.

local reqs = dofile(os.getenv("CG_REQUESTS"))
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  formatted = {}
  for k, r in ipairs(reqs) do
    formatted[k] = wrk.format("POST", "/graphql", {
      ["Content-Type"] = "application/json",
      ["Cookie"] = "cg_session=" .. r[1],
    }, r[2])
  end
  n = (id * 7919) % #formatted
  failed = 0
  sample = ""
end

function request()
  n = n % #formatted + 1
  return formatted[n]
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failed = failed + 1
    if sample == "" then sample = string.sub(body, 1, 200) end
  end
end

function done(summary, latency, requests)
  local failures, sample = 0, ""
  for _, t in ipairs(threads) do
    failures = failures + t:get("failed")
    if sample == "" then sample = t:get("sample") end
  end
  local e = summary.errors
  io.write(string.format(
    'CGRESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"socket_errors":%d,"failed":%d,"sample":"%s"}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect + e.read + e.write + e.timeout, failures, (string.gsub(sample, '[%c"\\]', ' '))))
end
