#pragma once
// The captcha widget on leadgate's own booking page (forms.captcha on):
// the provider's element and script, and the page's Content-Security-Policy
// opened to the provider's origins only, since the widget draws itself in
// the provider's frames with the provider's script.

#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace leadgate::handlers {

struct CaptchaWidget {
  std::string element_class;  // "cf-turnstile" or "h-captcha": what the provider's script looks for
  std::string site_key;
  std::string script_url;
  std::string origins;  // where the widget's script, frames, styles and requests come from
};

// The widget forms.captcha asks for; none when it is off.
std::optional<CaptchaWidget> captcha_widget(const config::Config& config);

// A page's policy: scripts, styles and everything else from leadgate
// itself, posting only to leadgate (`form_origin`), never framed; with a
// widget, also the provider's script, frames, styles and requests.
std::string page_content_security_policy(std::string_view form_origin, const std::optional<CaptchaWidget>& widget);

}  // namespace leadgate::handlers
