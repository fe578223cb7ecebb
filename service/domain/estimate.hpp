#pragma once
// "Get a free estimate": its fields and their rules (docs/api-behaviour.md,
// "Fields").

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/attribution.hpp"
#include "domain/error.hpp"
#include "domain/form_input.hpp"

namespace leadgate::domain {

// The options the agency offers; configured, not hard-coded.
struct EstimateOptions {
  std::vector<std::string> budgets;
  std::vector<std::string> services;
};

struct EstimateSubmission {
  std::string name;
  std::string email;
  std::string message;
  std::optional<std::string> company;
  std::optional<std::string> phone;
  std::optional<std::string> budget;
  std::optional<std::string> timeline;
  std::vector<std::string> services;
  bool consent_marketing = false;
  std::optional<std::string> consent_version;
  Attribution attribution;
};

using EstimateParse = std::variant<EstimateSubmission, std::vector<FieldError>>;

EstimateParse parse_estimate(const FormInput& input, const EstimateOptions& options);

}  // namespace leadgate::domain
