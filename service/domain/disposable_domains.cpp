#include "domain/disposable_domains.hpp"

// Placeholder: the shipped list and the loader are being written (issue 21).
namespace leadgate::domain {

DisposableDomains DisposableDomains::load(const std::string&) { return {}; }

bool DisposableDomains::contains(std::string_view) const { return false; }

}  // namespace leadgate::domain
