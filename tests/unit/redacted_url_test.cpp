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
  auto shown = redacted("https://cloud.example/remote.php/dav/public-calendars/x?export&token=Zq81kLm");
  EXPECT_EQ(shown.find("Zq81kLm"), std::string::npos) << shown;
  EXPECT_NE(shown.find("?export&token=redacted-"), std::string::npos) << shown;
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
