#include "mail/templates.hpp"

#include <filesystem>
#include <stdexcept>

namespace leadgate::mail {

namespace {

constexpr std::string_view subject_suffix = ".subject.mustache";
constexpr std::string_view text_suffix = ".txt.mustache";
constexpr std::string_view html_suffix = ".html.mustache";

// Every NAME that has one part must have all three.
void check_complete(const std::string& directory) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    auto file = entry.path().filename().string();
    for (auto suffix : {subject_suffix, text_suffix, html_suffix}) {
      if (!file.ends_with(suffix)) continue;
      auto name = file.substr(0, file.size() - suffix.size());
      for (auto part : {subject_suffix, text_suffix, html_suffix}) {
        if (!std::filesystem::exists(std::filesystem::path(directory) / (name + std::string(part)))) {
          throw std::runtime_error("template " + directory + "/" + name + std::string(part) + " is missing");
        }
      }
    }
  }
}

// A subject is one line: template line breaks and runs of spaces collapse.
std::string one_line(const std::string& text) {
  std::string line;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  return line;
}

}  // namespace

std::unique_ptr<EmailTemplates> EmailTemplates::load(const std::string& directory,
                                                     std::span<const std::string_view> required) {
  check_complete(directory);
  auto templates = std::unique_ptr<EmailTemplates>(new EmailTemplates());
  templates->subject_ = render::TemplateSet::load(directory, subject_suffix, required);
  templates->text_ = render::TemplateSet::load(directory, text_suffix, required);
  templates->html_ = render::TemplateSet::load(directory, html_suffix, required);
  return templates;
}

RenderedEmail EmailTemplates::render(std::string_view name, const nlohmann::json& data) const {
  return RenderedEmail{one_line(subject_->render(name, data)), text_->render(name, data), html_->render(name, data)};
}

}  // namespace leadgate::mail
