#include "domain/newsletter.hpp"

#include "domain/consent.hpp"
#include "domain/field_reader.hpp"

namespace leadgate::domain {

NewsletterParse parse_newsletter(const FormInput& input) {
  FieldReader reader(input);
  NewsletterSignup signup;
  auto email = reader.email("email", true);
  signup.name = reader.name("name", TextRule{.max_chars = 200});
  signup.consent_version = read_consent_version(reader);
  signup.attribution = read_attribution(reader);
  if (!reader.ok()) return reader.errors();
  signup.email = std::move(*email);
  return signup;
}

SignupAction signup_action(std::optional<SubscriberState> current, bool within_cooldown) {
  if (!current) return SignupAction::create;
  if (*current == SubscriberState::confirmed || within_cooldown) return SignupAction::nothing;
  return SignupAction::send_confirmation;
}

}  // namespace leadgate::domain
