// What a calendar's URL looks like wherever leadgate shows, logs or keys it:
// the credentials and a secret link's token never appear.
#include <gtest/gtest.h>

#include <string>

#include "calendar/http_client.hpp"

namespace {

using leadgate::calendar::redacted;

TEST(RedactedUrl, DropsUserAndPassword) {
  EXPECT_EQ(redacted("https://ana:s3cret@dav.example.com/ana/calendar/"), "https://dav.example.com/ana/calendar/");
}

TEST(RedactedUrl, KeepsAnOrdinaryCollectionAsItIs) {
  EXPECT_EQ(redacted("http://127.0.0.1:5232/ana/work/"), "http://127.0.0.1:5232/ana/work/");
  EXPECT_EQ(redacted("webcal://feeds.example.com/team/basic.ics"), "webcal://feeds.example.com/team/basic.ics");
}

TEST(RedactedUrl, ShowsAGooglePrivateAddressWithoutItsToken) {
  std::string url =
      "https://calendar.google.com/calendar/ical/ana%40agency.example/private-0a1b2c3d4e5f60718293a4b5c6d7e8f9/basic.ics";
  auto shown = redacted(url);
  EXPECT_EQ(shown.find("0a1b2c3d4e5f"), std::string::npos) << shown;
  EXPECT_TRUE(shown.starts_with("https://calendar.google.com/calendar/ical/ana%40agency.example/redacted-")) << shown;
  EXPECT_TRUE(shown.ends_with("/basic.ics")) << shown;
}

TEST(RedactedUrl, ShowsQueryValuesAsFingerprints) {
  auto shown = redacted("https://cloud.example/remote.php/dav/public-calendars/x?export&token=Zq81kLmQ7vT2xW9pR4sY");
  EXPECT_EQ(shown.find("Zq81kLm"), std::string::npos) << shown;
  EXPECT_NE(shown.find("?export&token=redacted-"), std::string::npos) << shown;
}

// A short secret could be found again by trying every value against its
// fingerprint: it is shown without one.
TEST(RedactedUrl, ShowsAShortQueryValueWithoutAFingerprint) {
  EXPECT_EQ(redacted("https://feeds.example/team.ics?pw=1234"), "https://feeds.example/team.ics?pw=redacted");
}

TEST(RedactedUrl, ShowsATokenNamedAsAFileOrWrittenAloneInTheQuery) {
  auto file = redacted("https://feeds.example/published/4f8e2c1a9b7d6e5f0a1b.ics");
  EXPECT_TRUE(file.starts_with("https://feeds.example/published/redacted-")) << file;
  EXPECT_TRUE(file.ends_with(".ics")) << file;
  auto bare = redacted("https://feeds.example/team.ics?4f8e2c1a9b7d6e5f0a1b");
  EXPECT_EQ(bare.find("4f8e2c1a9b7d"), std::string::npos) << bare;
  EXPECT_TRUE(bare.starts_with("https://feeds.example/team.ics?redacted-")) << bare;
}

TEST(RedactedUrl, KeepsNamesThatAreNotTokens) {
  EXPECT_EQ(redacted("https://dav.example/calendars/johnsmith1985@example.com/work-calendar-2026/"),
            "https://dav.example/calendars/johnsmith1985@example.com/work-calendar-2026/");
}

TEST(RedactedUrl, ShowsAUrlItCannotReadUpToItsHost) {
  EXPECT_EQ(redacted("https://ana:pw@dav.example.com/a b/private-0a1b2c3d4e5f60718293"),
            "https://dav.example.com/(a URL that cannot be read)");
}

TEST(RedactedUrl, TellsTwoSecretLinksApart) {
  auto first = redacted("https://outlook.example/owa/calendar/1f2e3d4c5b6a79881f2e3d4c/calendar.ics");
  auto second = redacted("https://outlook.example/owa/calendar/9a8b7c6d5e4f30219a8b7c6d/calendar.ics");
  EXPECT_NE(first, second);
  EXPECT_EQ(first, redacted("https://outlook.example/owa/calendar/1f2e3d4c5b6a79881f2e3d4c/calendar.ics"));
}

TEST(RedactedUrl, DropsTheFragment) {
  EXPECT_EQ(redacted("https://dav.example.com/ana/#token"), "https://dav.example.com/ana/");
}

}  // namespace
