-- wrk script: POST /api/v1/checkpoints/ID/scans with pre-generated health-code tokens read from
-- the file WRK_TOKENS (one payload a line); every request has a new idempotency key.
local payloads = {}
for line in io.lines(os.getenv("WRK_TOKENS")) do payloads[#payloads + 1] = line end
local path = "/api/v1/checkpoints/" .. os.getenv("WRK_CHECKPOINT") .. "/scans"
local scanned_at = os.getenv("WRK_SCANNED_AT")
local counter = 0
local threads = 0
thread_id = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

request = function()
  counter = counter + 1
  local payload = payloads[(counter + thread_id * 7919) % #payloads + 1]
  local body = string.format(
    '{"payload":"%s","temperature_c":"36.6","direction":"in","device_id":"bench-%d-%s",' ..
    '"scanned_at":"%s","idempotency_key":"k%d"}',
    payload, thread_id, os.getenv("WRK_RUN"), scanned_at, counter)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN"),
  }, body)
end
