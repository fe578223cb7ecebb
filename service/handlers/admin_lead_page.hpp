#pragma once
// A lead's own page on the admin page, GET /admin/leads/{id}
// (docs/sales-api.md, "Admin page"): every field, attribution,
// consent, one timeline newest first (received, status changes and notes
// with who and when, each e-mail and webhook with its delivery state,
// bookings), the same person's other submissions, the status and a note
// box. admin_page.cpp signs in, checks the CSRF token and renders; this
// file reads the lead and shapes it for templates/pages/admin_lead.html.mustache.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "async/task.hpp"
#include "domain/form_input.hpp"
#include "handlers/services.hpp"

namespace leadgate::handlers {

// What the page shows of lead `id`, times in booking.timezone. Throws the
// 404 for an unknown lead. The caller adds what every admin page has (the
// signed-in name, the CSRF token) and the e-mail link and spam summary the
// leads list shows too.
async::Task<nlohmann::json> lead_page_view(Services& services, std::string id);

// The note box's text: required, up to 5000 characters, line breaks kept
// (as PATCH /v1/admin/leads/{id}'s note). Throws the 422 otherwise.
std::string read_lead_note(const domain::FormInput& input);

// The lead page's owner box: a name (one line, at most 100 characters), or
// nothing for "nobody". Throws a 422 on `owner`.
std::optional<std::string> read_lead_owner(const domain::FormInput& input);

}  // namespace leadgate::handlers
