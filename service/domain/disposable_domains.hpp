#pragma once
// Throwaway-mail domains (mailinator.com and thousands like it): the list
// leadgate ships (data/disposable-domains.txt, compiled in; its source and
// how to update it are in README.md) and forms.disposable_domains_file.
// An address at one of them adds `disposable_domain` to a submission's spam
// score.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace leadgate::domain {

class DisposableDomains {
 public:
  // The shipped list, plus the domains of `extra_file` when it is not empty:
  // one domain a line, any case, Unicode or xn--; `#` starts a comment;
  // blank lines are ignored. Throws std::runtime_error naming a file that
  // cannot be read, and naming the file and line of anything else (spaces
  // inside, no dot, `*.`): a line that is not a domain is a typo in what the
  // operator meant to block, and start-up is the time to say so, not never.
  static DisposableDomains load(const std::string& extra_file);

  // Whether `domain` (the part of an address after the @, any case, Unicode
  // or xn--) or one of its parent domains is listed: mail.mailinator.com is
  // throwaway too. Allocates nothing for an ASCII domain (this runs on every
  // form post).
  bool contains(std::string_view domain) const;

  std::size_t size() const { return shipped_->size() + extra_.size(); }

 private:
  DisposableDomains() = default;  // load() is the way to get one: never an empty list by mistake

  // Looks up a std::string_view without making a std::string of it.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const noexcept { return std::hash<std::string_view>{}(name); }
  };
  using Names = std::unordered_set<std::string, NameHash, std::equal_to<>>;

  bool listed(std::string_view name) const;

  // The compiled-in list, indexed once per process however often it is
  // loaded: views into its text, 120,000 of them.
  const std::unordered_set<std::string_view>* shipped_ = nullptr;
  // The extra file's domains that the shipped list does not have.
  Names extra_;
};

}  // namespace leadgate::domain
