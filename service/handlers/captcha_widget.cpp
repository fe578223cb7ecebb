#include "handlers/captcha_widget.hpp"

#include "http/origin.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::string_view turnstile_script = "https://challenges.cloudflare.com/turnstile/v0/api.js";
constexpr std::string_view hcaptcha_script = "https://js.hcaptcha.com/1/api.js";

// Where the widget comes from, whatever the script's path or query
// (?hl=de): hCaptcha's script draws its frames and loads its styles from
// hcaptcha.com and its subdomains, as its documented policy says;
// Turnstile's (and a test's stand-in's) come from the script's own origin.
std::string provider_origins(const std::string& script_url) {
  auto origin = http::origin_of(script_url).value_or("");
  return origin == "https://js.hcaptcha.com" ? "https://hcaptcha.com https://*.hcaptcha.com" : origin;
}

}  // namespace

std::optional<CaptchaWidget> captcha_widget(const config::Config& config) {
  const auto& forms = config.forms;
  if (forms.captcha == "off") return std::nullopt;
  bool turnstile = forms.captcha == "turnstile";
  std::string script_url = forms.captcha_script_url;
  if (script_url.empty()) script_url = turnstile ? turnstile_script : hcaptcha_script;
  auto origins = provider_origins(script_url);
  return CaptchaWidget{turnstile ? "cf-turnstile" : "h-captcha", forms.captcha_site_key, std::move(script_url),
                       std::move(origins)};
}

std::string page_content_security_policy(std::string_view form_origin, const std::optional<CaptchaWidget>& widget) {
  std::string provider = widget ? " " + widget->origins : "";
  std::string policy = "default-src 'self'; script-src 'self'" + provider + "; ";
  if (widget) {
    policy += "frame-src" + provider + "; style-src 'self'" + provider + "; connect-src 'self'" + provider + "; ";
  }
  return policy + "img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; form-action 'self' " +
         std::string(form_origin);
}

}  // namespace leadgate::handlers
