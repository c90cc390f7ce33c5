-- wrk script for the feedback benchmark (bench/feedback.sh). One mode per run:
--
--   FEEDBACK_KEEP=1 wrk ... -s bench/feedback.lua URL -- submit  DIR
--       POST /api/v1/feedback, a small complaint about area 120101; the receipts of the
--       201s are appended to DIR/receipts.N (N: the wrk thread)
--   FEEDBACK_KEEP=1 wrk ... -- receipt DIR
--       POST /api/v1/track/session with the receipts of DIR/receipts.txt, in turn; the
--       tokens are appended to DIR/tokens.N
--   wrk ... -- message DIR
--       POST /api/v1/track/messages as the citizens of DIR/tokens.txt, in turn
--   wrk ... -- note DIR COOKIE CSRF
--       POST /api/v1/cases/NUMBER/actions {"action":"note"} over the case numbers of
--       DIR/cases.txt, in turn, with a staff session
--   wrk ... -- get DIR COOKIE PATH
--       GET PATH with a staff session
--
-- At the end it prints one line for bench/feedback.sh:
--   FEEDBACK requests=R seconds=S non2xx=E socket_errors=X p50_ms=A p99_ms=B
-- (the latency is wrk's: from the request written to the whole answer read).

local mode, dir, a1, a2
local list, pos = {}, 0
local out
local n = 0

local function lines(path)
  local t = {}
  local f = io.open(path, "r")
  if not f then error("cannot read " .. path) end
  for l in f:lines() do
    if l ~= "" then t[#t + 1] = l end
  end
  f:close()
  if #t == 0 then error(path .. " is empty") end
  return t
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  mode, dir, a1, a2 = args[1], args[2], args[3], args[4]
  if not mode or not dir then error("usage: -- MODE DIR [...]") end
  math.randomseed(tid * 7919)
  if mode == "submit" then
    out = io.open(dir .. "/receipts." .. tid, "a")
  elseif mode == "receipt" then
    list = lines(dir .. "/receipts.txt")
    out = io.open(dir .. "/tokens." .. tid, "a")
  elseif mode == "message" then
    list = lines(dir .. "/tokens.txt")
  elseif mode == "note" then
    list = lines(dir .. "/cases.txt")
  elseif mode ~= "get" then
    error("unknown mode " .. mode)
  end
  -- each thread starts at its own place in the list
  if #list > 0 then pos = math.random(#list) - 1 end
  wrk.headers["Content-Type"] = "application/json"
  if mode == "note" then
    wrk.headers["Cookie"] = a1
    wrk.headers["X-CSRF-Token"] = a2
  elseif mode == "get" then
    wrk.headers["Cookie"] = a1
    wrk.headers["Content-Type"] = nil
  end
end

local function nextitem()
  pos = pos % #list + 1
  return list[pos]
end

function request()
  n = n + 1
  if mode == "submit" then
    return wrk.format("POST", "/api/v1/feedback", nil, string.format(
      '{"kind":"complaint","area":"120101","language":"en","text":"Benchmark %d-%d: the clerk asked me for an unofficial fee for a birth certificate."}',
      tid, n))
  elseif mode == "receipt" then
    return wrk.format("POST", "/api/v1/track/session", nil,
      '{"receipt":"' .. nextitem() .. '"}')
  elseif mode == "message" then
    -- headers given to wrk.format replace wrk.headers: copy them
    local h = {}
    for k, v in pairs(wrk.headers) do h[k] = v end
    h["Authorization"] = "Bearer " .. nextitem()
    return wrk.format("POST", "/api/v1/track/messages", h,
      '{"text":"More details: it happened again this morning."}')
  elseif mode == "note" then
    return wrk.format("POST", "/api/v1/cases/" .. nextitem() .. "/actions", nil,
      '{"action":"note","text":"Checked the fee table with the clerk."}')
  else
    return wrk.format("GET", a2)
  end
end

-- wrk reads the answers' bodies into Lua only when `response` exists when the script is
-- loaded (before init sees the arguments): feedback.sh sets FEEDBACK_KEEP=1 for the modes
-- that keep something from the answers
if os.getenv("FEEDBACK_KEEP") == "1" then
  response = function(status, headers, body)
    if not out then return end
    local v
    if mode == "submit" and status == 201 then
      v = body:match('"receipt":"([0-9-]+)"')
    elseif mode == "receipt" and status == 200 then
      v = body:match('"token":"([^"]+)"')
    end
    if v then
      out:write(v, "\n")
      out:flush()
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "FEEDBACK requests=%d seconds=%.3f non2xx=%d socket_errors=%d p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
