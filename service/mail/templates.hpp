#pragma once
// E-mail templates: templates/email/NAME.subject.mustache, NAME.txt.mustache
// and NAME.html.mustache, all three for every NAME, compiled at start. The
// names the worker needs are those of the payload structs
// (mail::email_template_names() in mail/payloads.hpp).

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "render/template_set.hpp"

namespace leadgate::mail {

struct RenderedEmail {
  std::string subject;  // one line, whitespace collapsed
  std::string text;
  std::string html;
};

class EmailTemplates {
 public:
  // Throws std::runtime_error naming a broken template, a NAME with a part
  // missing, or a required NAME that is absent.
  static std::unique_ptr<EmailTemplates> load(const std::string& directory,
                                              std::span<const std::string_view> required);

  bool contains(std::string_view name) const { return subject_->contains(name); }

  // Subject and text use {{{x}}} (no HTML escaping); HTML uses {{x}}.
  RenderedEmail render(std::string_view name, const nlohmann::json& data) const;

 private:
  EmailTemplates() = default;
  std::unique_ptr<render::TemplateSet> subject_;
  std::unique_ptr<render::TemplateSet> text_;
  std::unique_ptr<render::TemplateSet> html_;
};

}  // namespace leadgate::mail
