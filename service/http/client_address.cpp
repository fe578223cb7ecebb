#include "http/client_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace leadgate::http {

namespace {

struct Parsed {
  int family = 0;
  unsigned char bytes[16] = {};
};

std::optional<Parsed> parse_address(std::string_view text) {
  std::string address(text);
  Parsed parsed;
  if (inet_pton(AF_INET, address.c_str(), parsed.bytes) == 1) {
    parsed.family = AF_INET;
    return parsed;
  }
  if (inet_pton(AF_INET6, address.c_str(), parsed.bytes) == 1) {
    parsed.family = AF_INET6;
    // An IPv4 address seen through an IPv6 socket (::ffff:a.b.c.d) is that
    // IPv4 address.
    static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::memcmp(parsed.bytes, mapped, 12) == 0) {
      std::memmove(parsed.bytes, parsed.bytes + 12, 4);
      parsed.family = AF_INET;
    }
    return parsed;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Networks::Networks(std::span<const std::string> cidrs) {
  for (const auto& cidr : cidrs) {
    auto slash = cidr.find('/');
    auto address = parse_address(std::string_view(cidr).substr(0, slash));
    if (!address) continue;
    Network network;
    network.family = address->family;
    std::memcpy(network.bytes, address->bytes, sizeof network.bytes);
    network.prefix = address->family == AF_INET ? 32 : 128;
    if (slash != std::string::npos) {
      auto digits = std::string_view(cidr).substr(slash + 1);
      std::from_chars(digits.data(), digits.data() + digits.size(), network.prefix);
    }
    networks_.push_back(network);
  }
}

bool Networks::contains(std::string_view address) const {
  auto parsed = parse_address(trim(address));
  if (!parsed) return false;
  for (const auto& network : networks_) {
    if (network.family != parsed->family) continue;
    int full = network.prefix / 8;
    int rest = network.prefix % 8;
    if (std::memcmp(network.bytes, parsed->bytes, static_cast<std::size_t>(full)) != 0) continue;
    if (rest != 0) {
      unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
      if ((network.bytes[full] & mask) != (parsed->bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string client_address(const std::string& peer, const std::optional<std::string>& forwarded_for,
                           const Networks& trusted) {
  if (!forwarded_for || !trusted.contains(peer)) return peer;
  // From the right: every hop our proxies added, until the first address
  // none of them vouches for.
  std::string_view rest = *forwarded_for;
  std::string candidate = peer;
  while (!rest.empty()) {
    auto comma = rest.rfind(',');
    auto hop = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    if (!parse_address(hop)) break;  // garbage: stop at the last good hop
    candidate = std::string(hop);
    if (!trusted.contains(hop)) break;
  }
  return candidate;
}

std::string client_network(std::string_view address) {
  auto parsed = parse_address(trim(address));
  if (!parsed) return std::string(address);
  char text[INET6_ADDRSTRLEN];
  if (parsed->family == AF_INET) return inet_ntop(AF_INET, parsed->bytes, text, sizeof text);  // also ::ffff:a.b.c.d
  std::memset(parsed->bytes + 8, 0, 8);
  inet_ntop(AF_INET6, parsed->bytes, text, sizeof text);
  return std::string(text) + "/64";
}

}  // namespace leadgate::http
