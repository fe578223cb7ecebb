#pragma once
// Reading and checking configuration values, shared by config.cpp and the
// parts of the configuration that have a file of their own (booking hosts).
// A reader throws std::invalid_argument with a message that does not repeat
// the value (it may be a secret); `fail` reports a bad key as ConfigError.

#include <toml++/toml.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace leadgate::config::reading {

[[noreturn]] void fail(std::string_view key, std::string_view problem);

std::string read_text(const toml::node& node);
std::int64_t read_integer(const toml::node& node, std::int64_t min, std::int64_t max);
std::vector<std::string> read_text_list(const toml::node& node);

// One table of a list of tables (a webhook target, a host, an assignee):
// each key is read by its entry in `fields`. Not a table: throws with
// `shape` ("expected a list of {url, secret, events} tables"); a key
// `fields` lacks: throws naming it and `item` ("a target").
using FieldReaders = std::vector<std::pair<std::string_view, std::function<void(const toml::node&)>>>;
void read_table(const toml::node& node, std::string_view shape, std::string_view item, const FieldReaders& fields);

// "HH:MM" (00:00 to 24:00) as minutes after midnight.
int parse_clock(std::string_view text);
// ["09:00-12:00", "13:00-17:00"]: sorted, each ending after it begins, none overlapping.
std::vector<MinuteRange> parse_hours(const std::vector<std::string>& ranges);

bool url_has_password(std::string_view url);
bool is_http_url(std::string_view url);
// Addresses an operator types: "Name <user@host>" or "user@host".
bool is_operator_mailbox(std::string_view text);

}  // namespace leadgate::config::reading
