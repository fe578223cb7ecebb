// http::origin_of and origin_allowed: the allow-list check for `_next`.

#include "http/origin.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using leadgate::http::origin_allowed;
using leadgate::http::origin_of;

const std::vector<std::string> allowed = {"https://studio.example", "http://localhost:3000"};

bool allowed_url(std::string_view url) { return origin_allowed(url, allowed); }

}  // namespace

TEST(origin, origin_is_scheme_and_host_without_path_or_query) {
  EXPECT_EQ(origin_of("https://studio.example/thanks?x=1"), "https://studio.example");
}

TEST(origin, default_ports_are_dropped) {
  EXPECT_EQ(origin_of("https://studio.example:443/"), "https://studio.example");
  EXPECT_EQ(origin_of("http://studio.example:80/"), "http://studio.example");
}

TEST(origin, other_ports_are_kept) {
  EXPECT_EQ(origin_of("https://studio.example:8443/x"), "https://studio.example:8443");
  EXPECT_EQ(origin_of("http://studio.example:443/"), "http://studio.example:443");
  EXPECT_EQ(origin_of("https://studio.example:80/"), "https://studio.example:80");
}

TEST(origin, scheme_and_host_are_lower_cased) {
  EXPECT_EQ(origin_of("HTTPS://Studio.EXAMPLE/Thanks"), "https://studio.example");
}

TEST(origin, userinfo_is_rejected) {
  EXPECT_EQ(origin_of("https://studio.example@evil.example/"), std::nullopt);
  EXPECT_EQ(origin_of("https://user:pass@studio.example/"), std::nullopt);
  EXPECT_EQ(origin_of("https://@studio.example/"), std::nullopt);
}

TEST(origin, relative_and_scheme_relative_urls_have_no_origin) {
  for (std::string_view url : {"/thanks", "thanks", "//evil.example/x", "?next=https://studio.example", ""}) {
    EXPECT_EQ(origin_of(url), std::nullopt) << url;
  }
}

TEST(origin, non_http_schemes_and_hostless_urls_have_no_origin) {
  for (std::string_view url :
       {"javascript:alert(1)", "ftp://studio.example/", "data:text/html,x", "mailto:a@studio.example",
        "https:///thanks", "https:studio.example", "https://studio example/"}) {
    EXPECT_EQ(origin_of(url), std::nullopt) << url;
  }
}

TEST(origin, a_url_on_an_allowed_origin_is_allowed) {
  EXPECT_TRUE(allowed_url("https://studio.example/thanks"));
  EXPECT_TRUE(allowed_url("https://STUDIO.example:443/thanks"));
  EXPECT_TRUE(allowed_url("http://localhost:3000/thanks"));
}

TEST(origin, allow_list_entries_are_compared_as_origins) {
  const std::vector<std::string> written_loosely = {"HTTPS://Studio.Example:443/"};
  EXPECT_TRUE(origin_allowed("https://studio.example/thanks", written_loosely));
}

TEST(origin, lookalike_urls_are_not_allowed) {
  for (std::string_view url :
       {"http://studio.example/thanks", "https://studio.example:8443/", "https://studio.example.evil.example/",
        "https://evil.example/?https://studio.example", "https://evilstudio.example/", "http://localhost:3001/",
        "https://studio.example@evil.example/", "//studio.example/thanks", "/thanks"}) {
    EXPECT_FALSE(allowed_url(url)) << url;
  }
}

TEST(origin, an_empty_allow_list_allows_nothing) {
  EXPECT_FALSE(origin_allowed("https://studio.example/", std::vector<std::string>{}));
}

TEST(origin, a_fragment_does_not_hide_the_origin) {
  EXPECT_EQ(origin_of("https://studio.example/thanks?x=1#top"), "https://studio.example");
  EXPECT_TRUE(allowed_url("https://studio.example/thanks#top"));
}
TEST(origin, an_empty_view_has_no_origin) { EXPECT_EQ(origin_of(std::string_view{}), std::nullopt); }
