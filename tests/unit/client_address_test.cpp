// Who the client is (X-Forwarded-For is believed only from trusted proxies)
// and what it is counted as by the rate limits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/client_address.hpp"
#include "http/message.hpp"

namespace leadgate::http {
namespace {

const std::vector<std::string> proxy_cidrs{"127.0.0.1/32", "10.0.0.0/8"};

std::string client_of(const std::string& peer, const std::vector<Header>& headers) {
  Request request;
  request.headers = headers;
  return client_address(peer, request.combined_header("x-forwarded-for"), Networks(proxy_cidrs));
}

TEST(client_address, a_peer_that_is_no_proxy_is_the_client_whatever_it_forwards) {
  EXPECT_EQ(client_of("203.0.113.9", {{"x-forwarded-for", "198.51.100.1"}}), "203.0.113.9");
}

TEST(client_address, behind_proxies_the_rightmost_hop_they_did_not_add_is_the_client) {
  EXPECT_EQ(client_of("127.0.0.1", {{"x-forwarded-for", "1.2.3.4, 203.0.113.2, 10.1.2.3"}}), "203.0.113.2");
  EXPECT_EQ(client_of("127.0.0.1", {}), "127.0.0.1");
}

// A proxy may add a line of its own rather than extend the client's: the
// client's line comes first and must not win.
TEST(client_address, every_line_of_a_repeated_header_counts_in_order) {
  EXPECT_EQ(client_of("127.0.0.1", {{"x-forwarded-for", "192.0.2.77"}, {"x-forwarded-for", "198.51.100.50"}}),
            "198.51.100.50");
}

TEST(client_network, an_ipv4_client_is_its_address) {
  EXPECT_EQ(client_network("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(client_network("::ffff:203.0.113.7"), "203.0.113.7");  // the same client through an IPv6 socket
}

TEST(client_network, an_ipv6_client_is_its_slash_64) {
  EXPECT_EQ(client_network("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(client_network("2001:db8:1:2::1"), client_network("2001:db8:1:2:ffff::9"));
  EXPECT_NE(client_network("2001:db8:1:2::1"), client_network("2001:db8:1:3::1"));
}

TEST(client_network, what_is_not_an_address_is_kept_as_it_is) { EXPECT_EQ(client_network("unknown"), "unknown"); }

}  // namespace
}  // namespace leadgate::http
