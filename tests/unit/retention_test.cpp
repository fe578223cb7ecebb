// Retention (store/retention.hpp): what a purge run counts back from its
// start, and the statements it runs as the service loads them.

#include "store/retention.hpp"

#include <gtest/gtest.h>

#include "store/queries.hpp"

using namespace std::chrono;
using leadgate::store::Queries;
using leadgate::store::retention_cutoffs;

namespace {

const sys_seconds started = sys_days(year(2026) / 3 / 29) + hours(1) + minutes(30);

}  // namespace

TEST(retention, cutoffs_are_whole_days_back_from_the_runs_start) {
  auto cutoffs = retention_cutoffs(started, 30, 365);
  ASSERT_TRUE(cutoffs.spam && cutoffs.leads);
  // Across a daylight-saving change in Europe: the database's clock is UTC,
  // and a day is 24 hours.
  EXPECT_EQ(*cutoffs.spam, sys_days(year(2026) / 2 / 27) + hours(1) + minutes(30));
  EXPECT_EQ(started - *cutoffs.leads, hours(24 * 365));
}

TEST(retention, zero_days_keeps_what_it_covers) {
  auto spam_only = retention_cutoffs(started, 30, 0);
  EXPECT_TRUE(spam_only.spam);
  EXPECT_FALSE(spam_only.leads);
  auto leads_only = retention_cutoffs(started, 0, 90);
  EXPECT_FALSE(leads_only.spam);
  EXPECT_TRUE(leads_only.leads);
}

TEST(retention, the_purge_of_leads_queues_the_calendar_removals_the_erasure_does) {
  auto queries = Queries::load(std::string(LEADGATE_SOURCE_DIR) + "/db/queries");
  const auto& all = queries.all();
  // The fragment lives in privacy.sql; both statements are expanded with it.
  for (const char* name : {"purge-leads", "erase-subject"}) {
    const auto& sql = all.at(name);
    EXPECT_NE(sql.find("'calendar_delete'"), std::string::npos) << name;
    EXPECT_EQ(sql.find("-- include:"), std::string::npos) << name;
  }
  for (const char* name : {"pick-spam-leads", "pick-old-leads"}) {
    EXPECT_NE(all.at(name).find("b.ends_at > now()"), std::string::npos) << name << ": a meeting ahead keeps its lead";
  }
}
