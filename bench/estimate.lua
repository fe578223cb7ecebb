-- wrk script: POST one realistic estimate per request (bench/run,
-- bench/profile). Each request is a different visitor, as on a campaign's
-- launch day: its own e-mail address (the per-address cap on visitor e-mails
-- would otherwise stop queueing confirmations) and its own client address,
-- given in X-Forwarded-For (serve trusts the loopback proxy in the
-- benchmarks), so the rate limiter does its real work instead of answering
-- 429 to one address. Each message is its own too (a campaign's visitors
-- do not all write the same words): the same text from many addresses would
-- be scored as a duplicate.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local template = [[{"name":"Ana Müller","email":"visitor%d-%d@example.com","message":"We need a booking app for our three clinics, with reminders (%d-%d).","company":"Müller Physio","phone":"+49 30 1234567","budget":"25k_50k","timeline":"Q3","services":["web_app","design"],"consent_marketing":true,"page_url":"https://agency.example/estimate","referrer":"https://search.example/","utm_source":"newsletter","utm_medium":"email","utm_campaign":"spring","utm_term":"apps","utm_content":"button"}]]
local thread_id = 0
local counter = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

function init(args)
  counter = 0
end

-- wrk.format uses only these headers when given a table, not wrk.headers.
local headers = {["Content-Type"] = "application/json"}

function request()
  counter = counter + 1
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", id % 256, math.floor(counter / 256) % 256, counter % 256)
  return wrk.format(nil, nil, headers, string.format(template, id, counter, id, counter))
end

function done(summary, latency, requests)
  io.write(string.format("non201 %d\n", summary.errors.status + summary.errors.connect + summary.errors.read +
                         summary.errors.write + summary.errors.timeout))
end
