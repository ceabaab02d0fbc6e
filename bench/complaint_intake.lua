-- wrk script: POSTs a complaint as JSON (POST /api/v1/complaints/), each request with its own
-- description and phone so no two are the same complaint (the service refuses a repeat), counts
-- the 201s and the answers that are not 2xx, and prints the figures as report.lua does.
-- The agency's id comes after wrk's arguments: wrk ... -- <agency id>
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  agency = tonumber(args[1])
  created = 0
  non_2xx = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  -- a different start per run, so a second run's complaints differ from the first's
  run = os.time() % 100000
end

function request()
  counter = counter + 1
  local serial = id * 10000000 + counter
  local body = string.format(
    '{"agency": %d, "category": "slow", "description": "基准测试：申请材料齐全，超过法定期限仍未作出决定（第 %d-%d 件）。",'
      .. ' "occurred_on": "2026-11-01", "complainant_name": "张三", "phone": "139%08d",'
      .. ' "email": "", "anonymous": false}',
    agency, run, serial, serial % 100000000
  )
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  end
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local total_non_2xx, total_created = 0, 0
  for _, thread in ipairs(threads) do
    total_non_2xx = total_non_2xx + thread:get("non_2xx")
    total_created = total_created + thread:get("created")
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "requests_per_s": %.1f, "bytes": %d, '
      .. '"latency_ms": {"mean": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f}, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, '
      .. '"non_2xx": %d, "created": %d}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    total_non_2xx, total_created
  ))
end
