#include "http/message.hpp"

#include <algorithm>
#include <cctype>

namespace leadgate::http {

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Header names compare without regard to case (RFC 9110 §5.1).
template <typename Headers>
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  auto it = std::find_if(headers.begin(), headers.end(), [name](const Header& h) { return same_name(h.name, name); });
  if (it == headers.end()) return std::nullopt;
  return std::string_view(it->value);
}

}  // namespace

std::string_view to_string(Method method) {
  switch (method) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::delete_: return "DELETE";
    case Method::options: return "OPTIONS";
    case Method::other: return "OTHER";
  }
  return "OTHER";
}

std::string_view Request::path() const {
  std::string_view whole(target);
  return whole.substr(0, whole.find('?'));
}

std::string_view Request::query() const {
  std::string_view whole(target);
  auto mark = whole.find('?');
  // An empty view into the target rather than a default one: some libraries
  // treat a null data pointer as a C string.
  return mark == std::string_view::npos ? whole.substr(whole.size()) : whole.substr(mark + 1);
}

std::optional<std::string_view> Request::header(std::string_view name) const { return find_header(headers, name); }

std::optional<std::string> Request::combined_header(std::string_view name) const {
  std::optional<std::string> combined;
  for (const auto& header : headers) {
    if (!same_name(header.name, name)) continue;
    if (combined) {
      *combined += ", ";
      *combined += header.value;
    } else {
      combined = header.value;
    }
  }
  return combined;
}

std::optional<std::string_view> Request::path_param(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

Response Response::json(int status, std::string body) {
  return text(status, std::move(body), "application/json");
}

Response Response::html(int status, std::string body) {
  return text(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.push_back(Header{"content-type", std::move(content_type)});
  return response;
}

Response Response::see_other(std::string location) {
  Response response;
  response.status = 303;
  response.headers.push_back(Header{"location", std::move(location)});
  return response;
}

std::optional<std::string_view> Response::header(std::string_view name) const { return find_header(headers, name); }

}  // namespace leadgate::http
