-- wrk script: POSTs django-helpdesk's public ticket form (url-encoded, as a browser sends it),
-- each request with its own title and text, with the CSRF cookie and the form's token fetched
-- once before the run (Django accepts a token for the same cookie on every request). A ticket
-- created answers 302 to the ticket's public page: those are counted as `created`, every other
-- answer as `unexpected`. Prints the figures as report.lua does, plus those two.
-- Arguments after wrk's: wrk ... -- <queue id> <csrf cookie> <csrf token>
-- report() from report.lua, beside this file.
dofile((debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./") .. "report.lua")
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function urlencode(text)
  return (string.gsub(text, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  queue = tonumber(args[1])
  cookie = args[2]
  token = args[3]
  created = 0
  unexpected = 0
  non_2xx = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. cookie
  run = os.time() % 100000
end

function request()
  counter = counter + 1
  local serial = id * 10000000 + counter
  local fields = {
    "csrfmiddlewaretoken=" .. urlencode(token),
    "queue=" .. queue,
    "title=" .. urlencode(string.format("基准测试：申请超期未决定（第 %d-%d 件）", run, serial)),
    "body=" .. urlencode(string.format(
      "基准测试：申请材料齐全，超过法定期限仍未作出决定（第 %d-%d 件）。", run, serial)),
    "priority=3",
    "due_date=",
    "submitter_email=" .. urlencode(string.format("bench%d@example.com", serial)),
  }
  return wrk.format(nil, nil, nil, table.concat(fields, "&"))
end

function response(status, headers, body)
  if status == 302 then
    created = created + 1
  else
    unexpected = unexpected + 1
  end
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  report(summary, latency, threads, {"non_2xx", "created", "unexpected"})
end
