#include "domain/disposable_domains.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "domain/text.hpp"

namespace leadgate::domain {

// data/disposable-domains.txt without its comments: lower-case ASCII domains,
// one a line, sorted, each once (tools/embed_domain_list.py checks that when
// it generates the definition at build time).
extern const std::string_view shipped_disposable_domains;

namespace {

// A domain name is at most 253 characters; a longer one is in no list.
constexpr std::size_t max_domain_size = 253;

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// `domain` as an address's domain is stored: lower case, and the ASCII form
// of an internationalised name. normalize_email holds that rule (with
// libidn2), so a domain is asked about as the domain of an address; what it
// refuses no address can have.
std::optional<std::string> address_domain(std::string_view domain) {
  std::string address = "x@";
  address += domain;
  auto normalized = normalize_email(address);
  if (!normalized) return std::nullopt;
  return normalized->substr(2);
}

// The shipped text indexed, built the first time a list is loaded and kept
// for the process: it is constant data, and each load (every test's service)
// would otherwise spend tens of milliseconds and megabytes on it again.
const std::unordered_set<std::string_view>& shipped_index() {
  static const std::unordered_set<std::string_view> index = [] {
    std::string_view text = shipped_disposable_domains;
    std::unordered_set<std::string_view> domains;
    domains.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
    while (!text.empty()) {
      auto end = text.find('\n');
      domains.insert(text.substr(0, end));
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
    return domains;
  }();
  return index;
}

std::vector<std::string> read_extra_file(const std::string& path) {
  const std::string key = "forms.disposable_domains_file " + path;
  std::ifstream in(path);
  if (!in) throw std::runtime_error(key + ": cannot be read (" + std::strerror(errno) + ")");
  std::vector<std::string> domains;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    std::string_view entry = line;
    entry = trim(entry.substr(0, entry.find('#')));
    if (entry.empty()) continue;
    auto domain = address_domain(entry);
    if (!domain) {
      throw std::runtime_error(key + " line " + std::to_string(number) + ": \"" + std::string(entry) +
                               "\" is not a domain (one domain a line, # starts a comment)");
    }
    domains.push_back(std::move(*domain));
  }
  // A directory opens but does not read; neither does a file on a failing disk.
  if (in.bad()) throw std::runtime_error(key + ": cannot be read");
  return domains;
}

}  // namespace

DisposableDomains DisposableDomains::load(const std::string& extra_file) {
  DisposableDomains list;
  list.shipped_ = &shipped_index();
  if (!extra_file.empty()) {
    for (auto& domain : read_extra_file(extra_file)) {
      if (!list.shipped_->contains(domain)) list.extra_.insert(std::move(domain));
    }
  }
  return list;
}

// `name` (lower-case ASCII) or one of its parents, down to the last two
// labels: every listed domain has a dot, so the top-level label alone is
// never looked up.
bool DisposableDomains::listed(std::string_view name) const {
  while (true) {
    if (shipped_->contains(name) || (!extra_.empty() && extra_.contains(name))) return true;
    auto dot = name.find('.');
    if (dot == std::string_view::npos || name.find('.', dot + 1) == std::string_view::npos) return false;
    name.remove_prefix(dot + 1);
  }
}

bool DisposableDomains::contains(std::string_view domain) const {
  if (domain.empty() || domain.size() > max_domain_size) return false;
  if (!is_ascii(domain)) {
    // Rare (an internationalised domain as the visitor typed it), so the
    // conversion may allocate.
    auto ascii = address_domain(domain);
    return ascii && listed(*ascii);
  }
  char lowered[max_domain_size];
  std::transform(domain.begin(), domain.end(), lowered, [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return listed(std::string_view(lowered, domain.size()));
}

}  // namespace leadgate::domain
