-- wrk script: POST one realistic estimate per request (bench/run).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"name":"Ana Müller","email":"ana@example.com","message":"We need a booking app for our three clinics, with reminders.","company":"Müller Physio","phone":"+49 30 1234567","budget":"25k_50k","timeline":"Q3","services":["web_app","design"],"consent_marketing":true,"page_url":"https://agency.example/estimate","referrer":"https://search.example/","utm_source":"newsletter","utm_medium":"email","utm_campaign":"spring","utm_term":"apps","utm_content":"button"}]]

local failures = 0
function response(status, headers, body)
  if status ~= 201 then failures = failures + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("non201 %d\n", summary.errors.status + summary.errors.connect + summary.errors.read +
                         summary.errors.write + summary.errors.timeout))
end
