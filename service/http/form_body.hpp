#pragma once
// Request bodies → domain::FormInput. JSON (a flat object whose values are
// strings, booleans, numbers or arrays of strings) and
// application/x-www-form-urlencoded are accepted; anything else is 415.

#include <string_view>

#include "domain/form_input.hpp"

namespace leadgate::http {

// More fields than any form has: a body with more is an attack, not a form.
inline constexpr std::size_t max_form_fields = 200;

// Throws domain::Error: unsupported_media_type for other content types or
// charsets, bad_request for a body that does not parse.
domain::FormInput decode_form_body(std::string_view content_type, std::string_view body);

domain::FormInput decode_urlencoded(std::string_view body);
domain::FormInput decode_json_object(std::string_view body);

enum class BodyType { json, urlencoded, other };

// The media type of a Content-Type value, ignoring case and parameters.
BodyType body_type(std::string_view content_type);

}  // namespace leadgate::http
