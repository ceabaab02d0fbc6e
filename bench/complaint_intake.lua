-- wrk script: POSTs a complaint as JSON (POST /api/v1/complaints/), each request with its own
-- description and phone so no two are the same complaint (the service refuses a repeat), counts
-- the 201s and the answers that are not 2xx, and prints the figures as report.lua does.
-- The agency's id comes after wrk's arguments: wrk ... -- <agency id>
-- report() from report.lua, beside this file.
dofile((debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./") .. "report.lua")
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
  report(summary, latency, threads, {"non_2xx", "created"})
end
