// What a mail client would turn into a link, in a name a visitor typed
// (domain::contains_url): the ways round a naive check that a security
// review tried (issue 16 item 2), and names that must still pass.

#include <gtest/gtest.h>

#include "domain/links.hpp"

namespace {

using leadgate::domain::contains_url;

TEST(links, realistic_names_do_not_count_as_links) {
  for (std::string_view name : {"J.R.R. Tolkien", "Ana Mar\u00EDa", "Dr. O'Neil", "Mary-Jane Watson", "St. John Smith",
                                "A. B. Smith", "Jean-Luc Picard", "Acme Co.", "Prof. Dr. M\u00FCller", "john.smith",
                                "Ms. Lee (CEO)", "Smith, J.", "\xE5\xB1\xB1\xE7\x94\xB0 \xE5\xA4\xAA\xE9\x83\x8E",
                                "Version 1.2.3", "Room 10.4", "O.K. Corral", "Z\u00E9 d'Almeida", "Dept. 4/5",
                                "\u0645\u06cc\u200c\u0631\u0648\u062f", "Anna-Lena K.", "Sch\u00F6n & S\u00F6hne"}) {
    EXPECT_FALSE(contains_url(name)) << name;
  }
}

TEST(links, schemes_www_and_host_names_count_as_links) {
  for (std::string_view spam :
       {"visit bit.ly/x", "cheap-pills.com", "http://x", "HTTPS://EXAMPLE.ORG", "ftp://files", "www.casino",
        "WWW.Example", "Win big at CHEAP-PILLS.COM now", "example.net", "sub.domain.example.xyz",
        "shop.example.de/offer", "(example.io)", "Bob <promo.ru>", "foo.top, bar", "Buy at cheap-pills.com.",
        "cheap-pills.com!", "see example.net?"}) {
    EXPECT_TRUE(contains_url(spam)) << spam;
  }
}

TEST(links, the_bypasses_of_a_naive_check_are_links_too) {
  struct Case {
    std::string_view text;
    std::string_view how;
  };
  for (const auto& bypass : std::initializer_list<Case>{
           {"prize.casino", "a top-level domain outside a short list"},
           {"claim.money now", "another real TLD"},
           {"best.deals.pharmacy", "a long one"},
           {"spam.co.uk", "a two-label public suffix"},
           {"bucks.vercel.app", "a private suffix on the list"},
           {"example.com?ref=1", "a query after the host"},
           {"example.com#win", "a fragment after the host"},
           {"promo@win-now.biz", "user@host"},
           {"win-now.biz:8080", "a port"},
           {"cheap\xE3\x80\x82pills\xE3\x80\x82" "com", "ideographic full stops (U+3002)"},
           {"cheap\xEF\xBC\x8Epills\xEF\xBC\x8E" "com", "full-width full stops (U+FF0E)"},
           {"cheap\xEF\xBD\xA1pills\xEF\xBD\xA1" "com", "halfwidth ideographic full stops (U+FF61)"},
           {"cheap\xE2\x80\xA4pills\xE2\x80\xA4" "com", "one dot leaders (U+2024)"},
           {"\xEF\xBD\x83\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x81\xEF\xBD\x90.com", "full-width letters"},
           {"cheap\xC2\xADpills.c\xC2\xADom", "soft hyphens inside"},
           {"cheap\xE2\x80\x8Bpills.com", "a zero-width space inside"},
           {"cheap\xE2\x80\x8Cpills.co\xE2\x80\x8Dm", "zero-width (non-)joiners inside"},
           {"CHEAP-PILLS.CoM", "mixed case"},
           {"192.0.2.7/win", "an IPv4 address with a path"},
           {"me@192.0.2.7", "an IPv4 address with a user"},
           {"mailto:me", "a mailto: scheme"},
           {"http:example", "a scheme without slashes"},
           {"b\xC3\xBC" "cher.de", "an internationalised host"},
           {"cheap-pills.shop\xE2\x84\xA2", "a trade mark sign after the host"},
           {"cheap.com\xE2\x80\xA6", "an ellipsis after the host"},
           {"\xE2\x80\x9E" "cheap.com\xE2\x80\x9C", "typographic quotes round the host"},
           {"cheap.com\xE2\x80\x99s", "a typographic apostrophe"},
           {"cheap.com's", "an apostrophe"},
           {"cheap.com*", "an asterisk"},
           {"cheap.com-", "a trailing hyphen"},
           {"cheap.com=", "an equals sign"},
       }) {
    EXPECT_TRUE(contains_url(bypass.text)) << bypass.how << ": " << bypass.text;
  }
}

}  // namespace
