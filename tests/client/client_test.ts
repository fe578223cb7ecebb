// What an integrator does with docs/openapi.yaml: generate types with
// openapi-typescript, call the API through openapi-fetch. Every call below
// must type-check against the generated `paths` (test_typed_client.py
// compiles this with tsc, strict) and then behave so against a real server.
//   BASE_URL  the server, e.g. http://127.0.0.1:8080
//   TOKEN     a sales API token
import assert from "node:assert/strict";
import createClient from "openapi-fetch";

import type { paths } from "./api.js"; // generated from docs/openapi.yaml at test time

const baseUrl = process.env.BASE_URL;
const token = process.env.TOKEN;
assert.ok(baseUrl && token, "BASE_URL and TOKEN must be set");

const website = createClient<paths>({ baseUrl });
const sales = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const email = `typed-client-${Date.now()}@example.org`;

// A website posts an estimate request.
const posted = await website.POST("/v1/forms/estimate", {
  body: {
    name: "Ada Lovelace",
    email,
    message: "We need a booking app for our clinic.",
    company: "Analytical Engines Ltd",
    services: ["web_app", "design"],
    consent_marketing: false,
  },
});
assert.equal(posted.response.status, 201, JSON.stringify(posted.error));
assert.ok(posted.data);
const received = posted.data;
assert.match(received.id, UUID);
assert.equal(received.status, "received");

// Sales find it in the listing.
const listed = await sales.GET("/v1/admin/leads", { params: { query: { form: "estimate", limit: 50 } } });
assert.equal(listed.response.status, 200, JSON.stringify(listed.error));
assert.ok(listed.data);
const lead = listed.data.items.find((item) => item.id === received.id);
assert.ok(lead, `lead ${received.id} is not in the listing`);
assert.equal(lead.email, email);
assert.equal(lead.form, "estimate");
assert.equal(lead.status, "new");
assert.deepEqual(lead.services, ["web_app", "design"]);

// ... and in the CSV export.
const exported = await sales.GET("/v1/admin/leads/export.csv", {
  params: { query: { format: "csv" } },
  parseAs: "text",
});
assert.equal(exported.response.status, 200, JSON.stringify(exported.error));
assert.match(exported.response.headers.get("content-type") ?? "", /^text\/csv/);
assert.ok(exported.data !== undefined);
const [header, ...rows] = exported.data.split(/\r?\n/);
assert.ok(header?.startsWith("id,form,status,"), `CSV header: ${header}`);
assert.ok(rows.some((row) => row.startsWith(`${received.id},estimate,new,`)), exported.data);

// A post without the e-mail address: the types refuse it, and so does the server.
const invalid = await website.POST("/v1/forms/estimate", {
  // @ts-expect-error the document requires `email`
  body: { name: "Ada Lovelace", message: "No address given." },
});
assert.equal(invalid.response.status, 422);
assert.equal(invalid.data, undefined);
assert.match(invalid.response.headers.get("content-type") ?? "", /^application\/problem\+json/);
const problem = invalid.error;
assert.ok(problem && typeof problem === "object", `not a problem+json body: ${problem}`);
assert.equal(problem.status, 422);
assert.ok(problem.errors?.some((entry) => entry.field === "email" && entry.code === "required"),
          JSON.stringify(problem));

console.log(`ok: estimate ${received.id} posted, listed and exported; a missing email gets 422`);
