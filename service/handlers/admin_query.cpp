#include "handlers/admin_query.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "domain/ids.hpp"
#include "domain/slots.hpp"
#include "domain/text.hpp"
#include "http/query.hpp"

namespace leadgate::handlers {

namespace {

constexpr int max_limit = 500;

}  // namespace

nlohmann::json described(std::initializer_list<NamedFilter> filters) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [name, value] : filters) {
    if (*value) json[name] = **value;
  }
  return json;
}

domain::Error no_record(std::string_view record) {
  return domain::Error(domain::ErrorKind::not_found, "There is no " + std::string(record) + " with this id.");
}

std::string record_id(const http::Request& request, std::string_view record) {
  auto id = request.path_param("id").value_or("");
  if (!domain::is_uuid(id)) throw no_record(record);
  return std::string(id);
}

void AdminQuery::fail(std::string_view name, std::string_view code, std::string message) {
  errors_.push_back(domain::FieldError{std::string(name), std::string(code), std::move(message)});
}

std::optional<std::string> AdminQuery::date(std::string_view name) {
  auto value = http::query_value(query_, name);
  if (!value || value->empty()) return std::nullopt;
  if (!domain::parse_date(*value)) {  // a day that exists: 2026-02-30 is refused here, not by PostgreSQL
    fail(name, "invalid_date", "Must be a date, YYYY-MM-DD.");
    return std::nullopt;
  }
  return value;
}

ListQuery AdminQuery::list(domain::CursorIds ids) {
  ListQuery list;
  if (auto limit = http::query_value(query_, "limit"); limit && !limit->empty()) {
    auto [end, error] = std::from_chars(limit->data(), limit->data() + limit->size(), list.limit);
    if (error != std::errc{} || end != limit->data() + limit->size() || list.limit < 1 || list.limit > max_limit) {
      fail("limit", "out_of_range", "Must be a whole number from 1 to " + std::to_string(max_limit) + ".");
      list.limit = 50;
    }
  }
  if (auto cursor = http::query_value(query_, "cursor"); cursor && !cursor->empty()) {
    list.cursor = domain::decode_cursor(*cursor, ids);
    if (!list.cursor) fail("cursor", "invalid_cursor", "Use the next_cursor of a previous page, unchanged.");
  }
  list.from = date("from");
  list.to = date("to");
  return list;
}

std::optional<std::string> AdminQuery::choice(std::string_view name, std::span<const std::string_view> allowed) {
  auto value = http::query_value(query_, name);
  if (!value || value->empty()) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    std::string options;
    for (auto option : allowed) options += (options.empty() ? "" : ", ") + std::string(option);
    fail(name, "not_allowed", "Must be one of " + options + ".");
    return std::nullopt;
  }
  return value;
}

store::ExportFormat AdminQuery::export_format() {
  static constexpr std::array<std::string_view, 2> formats = {"csv", "json"};
  auto format = choice("format", formats);
  return format == "json" ? store::ExportFormat::ndjson : store::ExportFormat::csv;
}

std::optional<std::string> AdminQuery::text(std::string_view name, std::size_t max_chars, std::size_t min_chars) {
  auto value = http::query_value(query_, name);
  if (!value || value->empty()) return std::nullopt;
  if (!domain::is_valid_utf8(*value) || domain::has_control_characters(*value, domain::Lines::single) ||
      domain::count_characters(*value) > max_chars) {
    fail(name, "invalid_text", "Must be one line of at most " + std::to_string(max_chars) + " characters.");
    return std::nullopt;
  }
  if (domain::count_characters(*value) < min_chars) {
    fail(name, "too_short", "Must be at least " + std::to_string(min_chars) + " characters.");
    return std::nullopt;
  }
  return value;
}

void AdminQuery::check() const {
  if (!errors_.empty()) throw domain::Error::validation(errors_);
}

}  // namespace leadgate::handlers
