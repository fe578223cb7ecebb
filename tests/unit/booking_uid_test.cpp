#include "domain/booking_uid.hpp"

#include <gtest/gtest.h>

namespace leadgate::domain {
namespace {

constexpr const char* sample_booking_id = "01937a4e-5b1c-7d2e-8f3a-4b5c6d7e8f90";

TEST(booking_uid, is_the_booking_id_at_the_domain_of_mail_from) {
  EXPECT_EQ(booking_uid(sample_booking_id, "hello@studio.example"), std::string(sample_booking_id) + "@studio.example");
  EXPECT_EQ(booking_uid(sample_booking_id, "nobody"), std::string(sample_booking_id) + "@localhost");
}

TEST(booking_uid, a_uid_of_ours_is_recognised_in_any_case_of_the_domain) {
  EXPECT_TRUE(is_booking_uid(booking_uid(sample_booking_id, "hello@studio.example"), "hello@studio.example"));
  EXPECT_TRUE(is_booking_uid(std::string(sample_booking_id) + "@Studio.Example", "sales@studio.example"));
}

TEST(booking_uid, a_hosts_own_events_and_other_domains_are_not_ours) {
  const char* from = "hello@studio.example";
  EXPECT_FALSE(is_booking_uid("dentist", from));
  EXPECT_FALSE(is_booking_uid("", from));
  EXPECT_FALSE(is_booking_uid(std::string(sample_booking_id) + "@other.example", from));
  EXPECT_FALSE(is_booking_uid(std::string(sample_booking_id) + "@studio.example.evil", from));
  EXPECT_FALSE(is_booking_uid(std::string(sample_booking_id) + "studio.example", from));
  EXPECT_FALSE(is_booking_uid("not-a-uuid-but-thirty-six-characters@studio.example", from));
  EXPECT_FALSE(is_booking_uid("01937A4E-5B1C-7D2E-8F3A-4B5C6D7E8F90@studio.example", from))
      << "leadgate writes booking ids in lower case";
}

}  // namespace
}  // namespace leadgate::domain
