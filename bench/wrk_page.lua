-- wrk script for bench/pages_bench.py: rotates through the given paths,
-- counts every response that is not the real page (status other than 200,
-- the login form, or the page's marker missing) and prints one JSON line.
--
--   wrk -t2 -c8 -d10s -s bench/wrk_page.lua -H "Cookie: ..." URL -- MARKER PATH...

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  marker = args[1]
  paths = {}
  for i = 2, #args do
    paths[#paths + 1] = args[i]
  end
  index = math.random(#paths)
  bad = 0
  first_bad = ""
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  local reason = nil
  if status ~= 200 then
    reason = "HTTP " .. status
  elseif body:find('name="password"', 1, true) then
    reason = "login form"
  elseif not body:find(marker, 1, true) then
    reason = "marker missing"
  end
  if reason then
    bad = bad + 1
    if first_bad == "" then
      first_bad = reason
    end
  end
end

function done(summary, latency, requests)
  local n_bad, why = 0, ""
  for _, thread in ipairs(threads) do
    n_bad = n_bad + thread:get("bad")
    local reason = thread:get("first_bad")
    if why == "" and reason ~= "" then
      why = reason
    end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "bad": %d, "why": "%s", '
      .. '"socket_errors": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, n_bad, why,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
