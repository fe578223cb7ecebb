#pragma once
// A submission's spam score, 0-100, and the reasons that make it up
// (docs/api-behaviour.md, "Spam score"). Each signal adds its points once
// and the sum stops at 100; at or above forms.spam_threshold (50) the
// submission is spam: stored flagged, nothing sent, the visitor's answer
// unchanged. A certain sign of a bot is spam on its own; a doubtful one
// (a throwaway address, links, the same text as someone else's) is not,
// two of them are.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadgate::domain {

enum class SpamReason { honeypot, too_fast, captcha, links, disposable_domain, duplicate, rspamd };

std::string_view to_string(SpamReason reason);

// What one signal adds (rspamd's varies: rspamd_points).
int points_of(SpamReason reason);

class SpamScore {
 public:
  // A reason counts once; adding it again changes nothing.
  void add(SpamReason reason, int points);
  void add(SpamReason reason) { add(reason, points_of(reason)); }

  int score() const { return score_; }
  bool is_spam(int threshold) const { return score_ >= threshold; }
  bool has(SpamReason reason) const;
  const std::vector<SpamReason>& reasons() const { return reasons_; }

  // "{honeypot,links}": the reason codes as a PostgreSQL text[] literal.
  std::string reasons_array() const;
  // The first reason, for the single `spam_reason` older clients read.
  std::optional<std::string> first_reason() const;

 private:
  int score_ = 0;
  std::vector<SpamReason> reasons_;
};

// rspamd's verdict as points: its own reject score maps to 50 (spam at the
// default threshold), half of it to 25; a score below a third of its reject
// score adds nothing.
int rspamd_points(double score, double required_score);

// Lower-case hex SHA-256 of `text` lower-cased with its runs of white space
// made one space and its ends trimmed, so the same message compares equal
// however it was spaced; nothing for a text shorter than 20 characters
// ("Hello", "Call me"), which people do send alike.
std::optional<std::string> message_digest(std::string_view text);

}  // namespace leadgate::domain
