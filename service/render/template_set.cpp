#include "render/template_set.hpp"

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace leadgate::render {

namespace mustache = kainjow::mustache;

struct TemplateSet::Compiled {
  explicit Compiled(const std::string& text) : view(text) {}
  // kainjow's render() is not const: one render at a time per template.
  std::mutex mutex;
  mustache::mustache view;
};

namespace {

mustache::data to_data(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data object{mustache::data::type::object};
      for (const auto& [key, item] : value.items()) object.set(key, to_data(item));
      return object;
    }
    case nlohmann::json::value_t::array: {
      mustache::data list{mustache::data::type::list};
      for (const auto& item : value) list.push_back(to_data(item));
      return list;
    }
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? mustache::data{mustache::data::type::bool_true}
                               : mustache::data{mustache::data::type::bool_false};
    case nlohmann::json::value_t::string:
      return mustache::data{value.get<std::string>()};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return mustache::data{mustache::data::type::bool_false};
    default:
      return mustache::data{value.dump()};
  }
}

}  // namespace

TemplateSet::~TemplateSet() = default;

std::unique_ptr<TemplateSet> TemplateSet::load(const std::string& directory, std::string_view suffix,
                                               std::span<const std::string_view> required) {
  auto set = std::unique_ptr<TemplateSet>(new TemplateSet());
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    auto file = entry.path().filename().string();
    if (!file.ends_with(suffix)) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto compiled = std::make_unique<Compiled>(text.str());
    if (!compiled->view.is_valid()) {
      throw std::runtime_error("template " + entry.path().string() + " is broken: " + compiled->view.error_message());
    }
    set->templates_.emplace(file.substr(0, file.size() - suffix.size()), std::move(compiled));
  }
  if (error) throw std::runtime_error("cannot read the templates in " + directory + ": " + error.message());
  for (auto name : required) {
    if (!set->contains(name)) {
      throw std::runtime_error("template " + directory + "/" + std::string(name) + std::string(suffix) +
                               " is missing");
    }
  }
  return set;
}

bool TemplateSet::contains(std::string_view name) const { return templates_.find(name) != templates_.end(); }

std::string TemplateSet::render(std::string_view name, const nlohmann::json& data) const {
  auto found = templates_.find(name);
  if (found == templates_.end()) throw std::logic_error("no template " + std::string(name));
  auto converted = to_data(data);
  std::lock_guard lock(found->second->mutex);
  return found->second->view.render(converted);
}

}  // namespace leadgate::render
