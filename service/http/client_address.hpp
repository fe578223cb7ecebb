#pragma once
// Who the client is: the socket's peer, or, when the peer is one of our
// trusted proxies (http.trusted_proxies), the rightmost address in
// X-Forwarded-For that is not one of them. Anything a client could write
// itself (the leftmost entries) is never believed.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leadgate::http {

class Networks {
 public:
  // CIDRs or single addresses, IPv4 or IPv6; invalid entries are skipped
  // (configuration validated them already).
  explicit Networks(std::span<const std::string> cidrs);

  bool contains(std::string_view address) const;

 private:
  struct Network {
    int family = 0;
    unsigned char bytes[16] = {};
    int prefix = 0;
  };
  std::vector<Network> networks_;
};

// `peer` is the socket's address; `forwarded_for` the X-Forwarded-For value.
std::string client_address(const std::string& peer, std::optional<std::string_view> forwarded_for,
                           const Networks& trusted);

}  // namespace leadgate::http
