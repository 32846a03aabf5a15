-- wrk script: optional POST body from the environment, and a JSON line of the results at the end. A "{token}" in
-- the body becomes a new one-time submission token for each request (core.views.OnceOnlyMixin), as a browser's.
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("prefix", string.format("bench-%d-%d-", os.time(), threads))
end

local sent = 0
if body and body:find("{token}", 1, true) then
  request = function()
    sent = sent + 1
    local this = body:gsub("{token}", string.format("%s%010d", prefix, sent))
    return wrk.format(nil, nil, nil, this)
  end
end

local errors = 0
response = function(status, headers, body)
  if status >= 400 then errors = errors + 1 end
end

done = function(summary, latency, requests)
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, failed))
end
