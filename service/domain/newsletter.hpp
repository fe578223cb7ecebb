#pragma once
// "Stay in the loop": the newsletter signup's fields (docs/api-behaviour.md,
// "Newsletter").

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/attribution.hpp"
#include "domain/error.hpp"
#include "domain/form_input.hpp"

namespace leadgate::domain {

enum class SubscriberState { pending, confirmed, unsubscribed };

struct NewsletterSignup {
  std::string email;
  std::optional<std::string> name;  // kept for sales; never put into an e-mail
  std::optional<std::string> consent_version;
  Attribution attribution;
};

using NewsletterParse = std::variant<NewsletterSignup, std::vector<FieldError>>;

NewsletterParse parse_newsletter(const FormInput& input);

// What a signup does to an existing subscriber: a confirmed address is
// never lowered and gets nothing; within the cool-down nothing is sent
// again; otherwise (pending, or unsubscribed and signing up again) it becomes
// pending and a new confirmation goes out.
enum class SignupAction { create, send_confirmation, nothing };

SignupAction signup_action(std::optional<SubscriberState> current, bool within_cooldown);

}  // namespace leadgate::domain
