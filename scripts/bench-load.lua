-- wrk script for scripts/bench-load: one kind of page per wrk process.
-- wrk -s bench-load.lua URL -- KIND CHILDREN_FILE COOKIE CSRF [DELAY_MS]
--   KIND: child | search | work | front_door | report | note | visit
--   CHILDREN_FILE: lines "uuid<TAB>family name" of children the user may open
-- Prints one line "RESULT kind requests seconds rps p50_ms p95_ms p99_ms bad views" at the end;
-- `views` counts the responses that opened a child's record (each must be one access entry).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local cookie, csrf, delay_ms
kind = nil
local ids, names = {}, {}
ok_count, bad, views = 0, 0, 0
local day, month, year

function init(args)
  kind = args[1]
  cookie = args[3]
  csrf = args[4]
  delay_ms = tonumber(args[5] or "0")
  for line in io.lines(args[2]) do
    local id, name = line:match("^(%S+)\t(.*)$")
    if id then
      ids[#ids + 1] = id
      names[#names + 1] = name
    end
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  wrk.headers["Cookie"] = cookie
  local t = os.date("*t", os.time() - 86400)
  day, month, year = t.day, t.month, t.year
end

local function pick()
  return ids[math.random(#ids)]
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function delay()
  return delay_ms
end

function request()
  if kind == "child" then
    return wrk.format("GET", "/children/" .. pick())
  elseif kind == "search" then
    return wrk.format("GET", "/children?q=" .. urlencode(names[math.random(#names)]))
  elseif kind == "work" then
    return wrk.format("GET", "/work")
  elseif kind == "front_door" then
    return wrk.format("GET", "/front-door")
  elseif kind == "report" then
    return wrk.format("GET", "/report")
  else
    local body
    if kind == "visit" then
      body = "kind=visit&child_seen=yes&seen_alone=no&childs_words=" .. urlencode("Said school was fine")
        .. "&observation=" .. urlencode("Settled and chatty")
        .. "&text=" .. urlencode("Bench visit: home visit, all well")
    else
      body = "kind=case_note&text=" .. urlencode("Bench note: phoned the school")
    end
    body = body .. "&csrf_token=" .. urlencode(csrf) .. "&date-day=" .. day .. "&date-month=" .. month .. "&date-year=" .. year
    return wrk.format("POST", "/children/" .. pick() .. "/notes",
      { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie }, body)
  end
end

function response(status, headers, body)
  -- A note is saved with a redirect (303); a page is a 200.
  local good = (status == 200) or ((kind == "note" or kind == "visit") and status == 303)
  if good then
    ok_count = ok_count + 1
    if kind == "child" or kind == "note" or kind == "visit" then
      views = views + 1
    end
  else
    bad = bad + 1
    -- A form re-shown with its errors (422) has opened the record too.
    if status == 422 and (kind == "note" or kind == "visit") then
      views = views + 1
    end
  end
end

function done(summary, latency, requests)
  local v, b, k = 0, 0, nil
  for _, t in ipairs(threads) do
    v = v + t:get("views")
    b = b + t:get("bad")
    k = t:get("kind")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT %s %d %.1f %.1f %.1f %.1f %.1f %d %d\n",
    k, summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    b + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, v))
end
