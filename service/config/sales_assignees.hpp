#pragma once
// sales.assignees and sales.assign: who new leads go to in turn.
//   [sales]
//   assign = "round_robin"
//   assignees = [{name = "Ana", email = "ana@studio.example"},
//                {name = "Ben", email = "ben@studio.example"}]
// A name is what the lead's owner becomes (and what "My leads" matches: the
// admin token's person); the address is where that lead's notification goes,
// with the sales inbox copied.

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "config/config.hpp"

namespace leadgate::config {

// A TOML array of {name, email} tables (throws std::invalid_argument).
std::vector<Assignee> read_assignees(const toml::node& node);

// The names new leads are owned by in turn, as a PostgreSQL text[] literal
// ("{}" unless sales.assign is "round_robin").
std::string assignment_turns(const Config::Sales& sales);

// Names of 1-100 characters, unique; e-mail addresses; `assign` "none" or
// "round_robin", which needs at least one assignee. Fails with ConfigError.
void validate_sales(const Config::Sales& sales);

}  // namespace leadgate::config
