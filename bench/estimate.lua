-- wrk script: POST one realistic estimate per request (bench/run). Each
-- request has its own address, as real visitors do (the per-address cap on
-- visitor e-mails would otherwise stop queueing confirmations).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local template = [[{"name":"Ana Müller","email":"visitor%d-%d@example.com","message":"We need a booking app for our three clinics, with reminders.","company":"Müller Physio","phone":"+49 30 1234567","budget":"25k_50k","timeline":"Q3","services":["web_app","design"],"consent_marketing":true,"page_url":"https://agency.example/estimate","referrer":"https://search.example/","utm_source":"newsletter","utm_medium":"email","utm_campaign":"spring","utm_term":"apps","utm_content":"button"}]]
local thread_id = 0
local counter = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, string.format(template, id, counter))
end

function done(summary, latency, requests)
  io.write(string.format("non201 %d\n", summary.errors.status + summary.errors.connect + summary.errors.read +
                         summary.errors.write + summary.errors.timeout))
end
