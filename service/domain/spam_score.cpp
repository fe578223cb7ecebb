#include "domain/spam_score.hpp"

#include <algorithm>
#include <cmath>

#include "domain/digest.hpp"

namespace leadgate::domain {

namespace {

constexpr std::size_t min_digest_length = 20;

}  // namespace

std::string_view to_string(SpamReason reason) {
  switch (reason) {
    case SpamReason::honeypot: return "honeypot";
    case SpamReason::too_fast: return "too_fast";
    case SpamReason::captcha: return "captcha";
    case SpamReason::links: return "links";
    case SpamReason::disposable_domain: return "disposable_domain";
    case SpamReason::duplicate: return "duplicate";
    case SpamReason::rspamd: return "rspamd";
  }
  return "unknown";
}

int points_of(SpamReason reason) {
  switch (reason) {
    case SpamReason::honeypot:
    case SpamReason::captcha: return 100;
    case SpamReason::too_fast: return 60;
    case SpamReason::disposable_domain:
    case SpamReason::duplicate: return 40;
    case SpamReason::links: return 30;
    case SpamReason::rspamd: return 50;
  }
  return 0;
}

void SpamScore::add(SpamReason reason, int points) {
  if (has(reason) || points <= 0) return;
  reasons_.push_back(reason);
  score_ = std::min(100, score_ + points);
}

bool SpamScore::has(SpamReason reason) const {
  return std::find(reasons_.begin(), reasons_.end(), reason) != reasons_.end();
}

std::string SpamScore::reasons_array() const {
  std::string array = "{";
  for (auto reason : reasons_) {
    if (array.size() > 1) array += ',';
    array += to_string(reason);
  }
  return array + "}";
}

std::optional<std::string> SpamScore::first_reason() const {
  if (reasons_.empty()) return std::nullopt;
  return std::string(to_string(reasons_.front()));
}

int rspamd_points(double score, double required_score) {
  if (!(score > 0) || !(required_score > 0) || !std::isfinite(score) || !std::isfinite(required_score)) return 0;
  // rspamd gives ordinary mail a point or two (an accented name in a
  // Latin text is "mixed charset"): below a third of its reject score the
  // verdict is noise, not a reason sales should read.
  if (score < required_score / 3) return 0;
  return static_cast<int>(std::lround(std::min(100.0, 50.0 * score / required_score)));
}

std::optional<std::string> message_digest(std::string_view text) {
  std::string normal;
  normal.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !normal.empty();
      continue;
    }
    if (space) normal += ' ';
    space = false;
    normal += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (normal.size() < min_digest_length) return std::nullopt;
  return sha256_hex(normal);
}

}  // namespace leadgate::domain
