// The reader of Mustache names that payloads_test relies on: if it missed a
// kind of tag, a template's variable could escape the payload checks.

#include "mustache_names.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

using leadgate::testing::names_used;
using leadgate::testing::NameUse;

std::vector<std::string> names(const std::vector<NameUse>& uses) {
  std::vector<std::string> result;
  for (const auto& use : uses) result.push_back(use.name);
  return result;
}

}  // namespace

TEST(mustache_names, finds_every_kind_of_variable_and_section) {
  auto uses = names_used("{{a}} {{{b}}} {{& c }} {{ d.e }} {{#f}}x{{/f}} {{^g}}y{{/g}} {{! not a name }}");
  EXPECT_EQ(names(uses), (std::vector<std::string>{"a", "b", "c", "d.e", "f", "g"}));
}

TEST(mustache_names, names_inside_sections_know_their_sections) {
  auto uses = names_used("{{#list}}{{.}}{{item}}{{^empty}}{{other}}{{/empty}}{{/list}}{{after}}");
  ASSERT_EQ(names(uses), (std::vector<std::string>{"list", "item", "empty", "other", "after"}));
  ASSERT_EQ(uses[1].sections.size(), 1u);
  EXPECT_EQ(uses[1].sections[0].name, "list");
  ASSERT_EQ(uses[3].sections.size(), 2u);
  EXPECT_TRUE(uses[3].sections[1].inverted);
  EXPECT_TRUE(uses[4].sections.empty());
}

TEST(mustache_names, what_it_cannot_read_throws) {
  for (const char* text : {"{{> partial}}", "{{=<% %>=}}", "{{#open}}", "{{/close}}", "{{unclosed", "{{#a}}{{/b}}"}) {
    EXPECT_THROW(names_used(text), std::invalid_argument) << text;
  }
}
