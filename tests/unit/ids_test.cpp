// Lead, booking and subscriber ids: well-formed, time-ordered, never repeated
// (ids are drawn from a per-thread buffer of random bytes).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "domain/ids.hpp"

namespace leadgate::domain {
namespace {

TEST(ids, a_uuid_v7_has_its_version_and_variant_and_reads_back) {
  auto id = new_uuid_v7();
  ASSERT_TRUE(is_uuid(id)) << id;
  EXPECT_EQ(id[14], '7');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
}

TEST(ids, ids_never_repeat_across_many_refills_and_threads) {
  std::vector<std::vector<std::string>> made(4);
  std::vector<std::thread> threads;
  for (auto& list : made) {
    threads.emplace_back([&list] {
      for (int i = 0; i < 5000; ++i) list.push_back(new_uuid_v7());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> distinct;
  for (const auto& list : made) distinct.insert(list.begin(), list.end());
  EXPECT_EQ(distinct.size(), 20000u);
}

TEST(ids, later_ids_sort_after_earlier_ones_by_their_millisecond) {
  auto first = new_uuid_v7();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto second = new_uuid_v7();
  EXPECT_LT(first.substr(0, 13), second.substr(0, 13));
}

TEST(ids, random_hex_is_lower_case_hex_of_the_asked_length) {
  auto token = random_hex(16);
  EXPECT_EQ(token.size(), 32u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(random_hex(16), token);
}

}  // namespace
}  // namespace leadgate::domain
