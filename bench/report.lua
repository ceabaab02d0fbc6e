-- wrk script: counts the responses that are not 2xx, and prints the run's figures as one JSON line.
-- Each wrk thread runs its own Lua state, so done() adds up the threads' counters.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

-- The run's figures as one JSON line, with each named counter summed over the threads. The
-- other scripts load this file (dofile) and call it from their own done().
function report(summary, latency, threads, counters)
  local extra = ""
  for _, name in ipairs(counters) do
    local total = 0
    for _, thread in ipairs(threads) do
      total = total + thread:get(name)
    end
    extra = extra .. string.format(', "%s": %d', name, total)
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  -- wrk measures latency in microseconds; the report is in milliseconds.
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "requests_per_s": %.1f, "bytes": %d, '
      .. '"latency_ms": {"mean": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f}, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}'
      .. '%s}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    extra
  ))
end

function done(summary, latency, requests)
  report(summary, latency, threads, {"non_2xx"})
end
