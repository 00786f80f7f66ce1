-- wrk script: POST /api/v1/residents with a new valid national ID on every request.
-- Each wrk thread takes its own area code (330113 + thread) so that ids never repeat.
local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local checks = "10X98765432"
local counter = 0
area = "330113"
local threads = 0

function setup(thread)
  thread:set("area", tostring(330113 + threads))
  threads = threads + 1
end

local function national_id(i)
  local year = 1930 + math.floor(i / 336000)
  local rest = i % 336000
  local month = math.floor(rest / 28000) + 1
  local day = math.floor((rest % 28000) / 1000) + 1
  local first17 = string.format("%s%04d%02d%02d%03d", area, year, month, day, i % 1000)
  local total = 0
  for k = 1, 17 do total = total + tonumber(first17:sub(k, k)) * weights[k] end
  local m = total % 11 + 1
  return first17 .. checks:sub(m, m)
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"national_id":"%s","name":"李娜","phone":"13900000000","home_region":"330111001900"}',
    national_id(counter + (tonumber(os.getenv("WRK_OFFSET") or "0"))))
  return wrk.format("POST", "/api/v1/residents", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN"),
  }, body)
end

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
