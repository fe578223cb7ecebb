#include "config/sales_assignees.hpp"

#include <set>
#include <stdexcept>

#include "config/toml_reading.hpp"
#include "domain/text.hpp"
#include "store/pg_array.hpp"

namespace leadgate::config {

using namespace reading;

namespace {

constexpr std::string_view assignee_shape = "expected a list of {name, email} tables";

Assignee read_assignee(const toml::node& node) {
  Assignee assignee;
  read_table(node, assignee_shape, "an assignee",
             {{"name", [&](const toml::node& value) { assignee.name = read_text(value); }},
              {"email", [&](const toml::node& value) { assignee.email = read_text(value); }}});
  return assignee;
}

}  // namespace

std::vector<Assignee> read_assignees(const toml::node& node) {
  const toml::array* array = node.as_array();
  if (array == nullptr) throw std::invalid_argument(std::string(assignee_shape));
  std::vector<Assignee> assignees;
  for (const auto& element : *array) assignees.push_back(read_assignee(element));
  return assignees;
}

std::string assignment_turns(const Config::Sales& sales) {
  std::vector<std::string> names;
  if (sales.assign == "round_robin") {
    for (const auto& assignee : sales.assignees) names.push_back(assignee.name);
  }
  return store::text_array(names);
}

void validate_sales(const Config::Sales& sales) {
  std::set<std::string> names;
  for (const auto& assignee : sales.assignees) {
    // The limits of a lead's owner, which the name becomes.
    const auto& name = assignee.name;
    if (name.empty() || !domain::is_valid_utf8(name) || domain::count_characters(name) > 100 ||
        domain::has_control_characters(name, domain::Lines::single)) {
      fail("sales.assignees", "each assignee needs a name of 1-100 characters");
    }
    if (!names.insert(assignee.name).second) fail("sales.assignees", "two assignees are named \"" + assignee.name + "\"");
    if (!is_operator_mailbox(assignee.email) || assignee.email.find('<') != std::string::npos) {
      fail("sales.assignees", "each assignee needs an e-mail address");
    }
  }
  if (sales.assign != "none" && sales.assign != "round_robin") {
    fail("sales.assign", "must be \"none\" or \"round_robin\"");
  }
  if (sales.assign == "round_robin" && sales.assignees.empty()) {
    fail("sales.assign", "round_robin needs sales.assignees");
  }
}

}  // namespace leadgate::config
