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

// `peer` is the socket's address; `forwarded_for` the X-Forwarded-For value,
// every line of it (Request::combined_header).
std::string client_address(const std::string& peer, const std::optional<std::string>& forwarded_for,
                           const Networks& trusted);

// What a client is counted as (rate limits): an IPv4 address itself, an IPv6
// address's /64, since one subscriber is given a whole /64 and can walk
// through it at will. Anything that is not an address is returned as it is.
std::string client_network(std::string_view address);

}  // namespace leadgate::http
