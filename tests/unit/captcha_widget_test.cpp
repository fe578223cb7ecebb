// Which widget the booking page shows for forms.captcha, and the policy that
// lets only that provider's script, frames, styles and requests in.
#include <gtest/gtest.h>

#include <string>

#include "config/config.hpp"
#include "handlers/captcha_widget.hpp"

namespace {

using leadgate::handlers::captcha_widget;
using leadgate::handlers::page_content_security_policy;

leadgate::config::Config with_captcha(const std::string& provider, const std::string& script_url = "") {
  leadgate::config::Config config;
  config.forms.captcha = provider;
  config.forms.captcha_site_key = "site-key";
  config.forms.captcha_script_url = script_url;
  return config;
}

TEST(CaptchaWidget, NoneWhenTheCaptchaIsOff) {
  EXPECT_FALSE(captcha_widget(with_captcha("off")).has_value());
  EXPECT_EQ(page_content_security_policy("https://leads.example", std::nullopt),
            "default-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; "
            "form-action 'self' https://leads.example");
}

TEST(CaptchaWidget, TurnstileComesFromCloudflare) {
  auto widget = captcha_widget(with_captcha("turnstile"));
  ASSERT_TRUE(widget.has_value());
  EXPECT_EQ(widget->element_class, "cf-turnstile");
  EXPECT_EQ(widget->site_key, "site-key");
  EXPECT_EQ(widget->script_url, "https://challenges.cloudflare.com/turnstile/v0/api.js");
  EXPECT_EQ(page_content_security_policy("https://leads.example", widget),
            "default-src 'self'; script-src 'self' https://challenges.cloudflare.com; "
            "frame-src https://challenges.cloudflare.com; style-src 'self' https://challenges.cloudflare.com; "
            "connect-src 'self' https://challenges.cloudflare.com; img-src 'self' data:; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self' https://leads.example");
}

TEST(CaptchaWidget, HcaptchaComesFromItsDomains) {
  auto widget = captcha_widget(with_captcha("hcaptcha"));
  ASSERT_TRUE(widget.has_value());
  EXPECT_EQ(widget->element_class, "h-captcha");
  EXPECT_EQ(widget->script_url, "https://js.hcaptcha.com/1/api.js");
  EXPECT_EQ(widget->origins, "https://hcaptcha.com https://*.hcaptcha.com");
}

TEST(CaptchaWidget, AProvidersScriptWithAQueryIsStillThatProvidersWidget) {
  auto widget = captcha_widget(with_captcha("hcaptcha", "https://js.hcaptcha.com/1/api.js?hl=de"));
  ASSERT_TRUE(widget.has_value());
  EXPECT_EQ(widget->script_url, "https://js.hcaptcha.com/1/api.js?hl=de");
  EXPECT_EQ(widget->origins, "https://hcaptcha.com https://*.hcaptcha.com");
}

TEST(CaptchaWidget, AnotherScriptIsTrustedForItsOwnOriginOnly) {
  auto widget = captcha_widget(with_captcha("turnstile", "https://captcha.proxy.example:8443/widget/api.js"));
  ASSERT_TRUE(widget.has_value());
  EXPECT_EQ(widget->origins, "https://captcha.proxy.example:8443");
}

}  // namespace
