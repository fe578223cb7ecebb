#pragma once
// Whether visitor text carries something a mail client would turn into a
// link. A name is quoted in the e-mails leadgate sends to the address the
// visitor typed: a name with a link in it turns the forms into a way to mail
// spam to strangers, so such a name is refused.

#include <cstddef>
#include <string_view>

namespace leadgate::domain {

// True for a scheme ("http:", "https://", "mailto:"), "www.", a host whose
// top-level domain is on the Public Suffix List (libpsl: every real one,
// "cheap-pills.anything-real", "user@host", "host/path", "host?q", "host#x",
// "host:8080"), or an IPv4 address with a path or a user. The text is read
// the way a reader sees it first: full-width letters and Unicode full stops
// as their ASCII forms, invisible characters (soft hyphen, zero-width
// joiners and spaces) dropped, case ignored. `text` must be valid UTF-8.
bool contains_url(std::string_view text);

// How many words of `text` are links, by the same rules: the `links` spam
// signal counts them.
std::size_t count_urls(std::string_view text);

}  // namespace leadgate::domain
