// mail::addressees: a sales notification about a lead owned by one of
// sales.assignees goes to that person with the sales inbox copied; every
// other message goes to its job's recipient alone.

#include <gtest/gtest.h>

#include "mail/addressing.hpp"

namespace {

using leadgate::mail::addressees;
using leadgate::mail::SalesRouting;

const SalesRouting routing{"sales@studio.example",
                           {{"Ana Lima", "ana@studio.example"}, {"Ben", "ben@studio.example"}}};

TEST(addressees, a_sales_notification_of_an_assignees_lead_goes_to_them_with_the_inbox_copied) {
  auto to = addressees(routing, "sales@studio.example", "Ben");
  EXPECT_EQ(to.to, "ben@studio.example");
  EXPECT_EQ(to.cc, std::vector<std::string>{"sales@studio.example"});
  EXPECT_EQ(to.all(), (std::vector<std::string>{"ben@studio.example", "sales@studio.example"}));
}

TEST(addressees, without_an_owner_or_with_one_who_is_no_assignee_the_inbox_alone_gets_it) {
  EXPECT_EQ(addressees(routing, "sales@studio.example", std::nullopt).all(),
            std::vector<std::string>{"sales@studio.example"});
  EXPECT_EQ(addressees(routing, "sales@studio.example", "Carla").all(),
            std::vector<std::string>{"sales@studio.example"});
  // Names are compared exactly, as the owner filter compares them.
  EXPECT_EQ(addressees(routing, "sales@studio.example", "ben").all(),
            std::vector<std::string>{"sales@studio.example"});
}

TEST(addressees, a_message_to_the_visitor_is_never_redirected_to_the_owner) {
  auto to = addressees(routing, "visitor@example.com", "Ana Lima");
  EXPECT_EQ(to.to, "visitor@example.com");
  EXPECT_TRUE(to.cc.empty());
}

TEST(addressees, an_assignee_whose_address_is_the_inbox_gets_it_once) {
  SalesRouting shared{"sales@studio.example", {{"Desk", "sales@studio.example"}}};
  EXPECT_EQ(addressees(shared, "sales@studio.example", "Desk").all(), std::vector<std::string>{"sales@studio.example"});
}

}  // namespace
