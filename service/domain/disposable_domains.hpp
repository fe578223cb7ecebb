#pragma once
// Throwaway-mail domains (mailinator.com and thousands like it): the list
// leadgate ships (data/disposable-domains.txt, compiled in; its source and
// how to update it are in README.md) and forms.disposable_domains_file.
// An address at one of them adds `disposable_domain` to a submission's spam
// score.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

namespace leadgate::domain {

class DisposableDomains {
 public:
  // The shipped list, plus the domains of `extra_file` (one per line, `#`
  // comments, blank lines ignored) when it is not empty. Throws
  // std::runtime_error naming a file that cannot be read.
  static DisposableDomains load(const std::string& extra_file);

  // Whether `domain` (the part of an address after the @, any case) or one
  // of its parent domains is listed: mail.mailinator.com is throwaway too.
  bool contains(std::string_view domain) const;

  std::size_t size() const { return domains_.size(); }

 private:
  std::unordered_set<std::string> domains_;
};

}  // namespace leadgate::domain
