// domain::DisposableDomains: the shipped throwaway-mail list (from
// data/disposable-domains.txt) and forms.disposable_domains_file.

#include "domain/disposable_domains.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

namespace {

using leadgate::domain::DisposableDomains;

// A file of the given lines in the temporary directory, removed at the end.
class ExtraFile {
 public:
  explicit ExtraFile(const std::string& content) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("leadgate_disposable_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".txt");
    std::ofstream(path_) << content;
  }
  ~ExtraFile() { std::filesystem::remove(path_); }
  ExtraFile(const ExtraFile&) = delete;
  ExtraFile& operator=(const ExtraFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

const DisposableDomains& shipped() {
  static const DisposableDomains list = DisposableDomains::load("");
  return list;
}

// The message of the std::runtime_error that loading `path` throws.
std::optional<std::string> load_error(const std::string& path) {
  try {
    DisposableDomains::load(path);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return std::nullopt;
}

}  // namespace

// --- the shipped list --------------------------------------------------------

TEST(disposable_domains, the_shipped_list_flags_known_throwaway_domains) {
  EXPECT_GT(shipped().size(), 100'000u);
  for (const char* domain : {"mailinator.com", "guerrillamail.com", "yopmail.com", "10minutemail.com"}) {
    EXPECT_TRUE(shipped().contains(domain)) << domain;
  }
}

TEST(disposable_domains, common_mailbox_providers_are_not_flagged) {
  for (const char* domain : {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com", "gmx.de",
                             "gmx.net", "web.de", "t-online.de", "icloud.com", "proton.me", "protonmail.com",
                             "fastmail.com", "posteo.de", "mailbox.org"}) {
    EXPECT_FALSE(shipped().contains(domain)) << domain;
  }
}

TEST(disposable_domains, a_subdomain_of_a_listed_domain_is_flagged) {
  EXPECT_TRUE(shipped().contains("mail.mailinator.com"));
  EXPECT_TRUE(shipped().contains("a.b.c.mailinator.com"));
}

TEST(disposable_domains, a_domain_that_only_ends_like_a_listed_one_is_not_flagged) {
  EXPECT_FALSE(shipped().contains("xmailinator.com"));
  EXPECT_FALSE(shipped().contains("mailinator.com.au"));
  EXPECT_FALSE(shipped().contains("com"));
}

TEST(disposable_domains, upper_and_mixed_case_match) {
  EXPECT_TRUE(shipped().contains("MAILINATOR.COM"));
  EXPECT_TRUE(shipped().contains("Mail.MailInator.Com"));
}

TEST(disposable_domains, an_internationalised_throwaway_domain_matches_as_typed_and_as_xn) {
  // gmaıl.net, with a dotless ı, is listed upstream in both forms.
  EXPECT_TRUE(shipped().contains("xn--gmal-nza.net"));
  EXPECT_TRUE(shipped().contains("gma\u0131l.net"));
  EXPECT_TRUE(shipped().contains("GMA\u0131L.NET"));
}

TEST(disposable_domains, addresses_under_a_public_suffix_listed_upstream_for_itself_are_not_flagged) {
  // Upstream lists edu.pl (and za.com) for the name itself; taken with its
  // subdomains it would flag every Polish university.
  EXPECT_FALSE(shipped().contains("uw.edu.pl"));
  EXPECT_TRUE(shipped().contains("dmtc.edu.pl"));
}

TEST(disposable_domains, empty_or_overlong_domains_are_not_flagged) {
  EXPECT_FALSE(shipped().contains(""));
  EXPECT_FALSE(shipped().contains(std::string(300, 'a') + ".mailinator.com"));
  EXPECT_FALSE(shipped().contains("not a domain"));
}

// --- forms.disposable_domains_file --------------------------------------------

TEST(disposable_domains, the_extra_file_adds_its_domains_and_ignores_comments_and_blank_lines) {
  ExtraFile file(
      "# Domains sales asked us to block\n"
      "\n"
      "spam-corp.example   # seen in March\n"
      "  Other.Example\t\r\n"
      "b\u00FCcher-spam.example\n"
      "   \n");
  auto list = DisposableDomains::load(file.path());
  EXPECT_EQ(list.size(), shipped().size() + 3);
  EXPECT_TRUE(list.contains("spam-corp.example"));
  EXPECT_TRUE(list.contains("other.example"));
  EXPECT_TRUE(list.contains("mail.other.example"));
  EXPECT_TRUE(list.contains("xn--bcher-spam-9db.example"));
  EXPECT_TRUE(list.contains("mailinator.com"));
  EXPECT_FALSE(list.contains("example"));
  EXPECT_FALSE(list.contains("gmail.com"));
}

TEST(disposable_domains, a_copy_keeps_the_extra_domains_after_the_original_is_gone) {
  ExtraFile file("spam-corp.example\n");
  std::optional<DisposableDomains> original = DisposableDomains::load(file.path());
  DisposableDomains copy = *original;
  original.reset();
  EXPECT_TRUE(copy.contains("spam-corp.example"));
}

TEST(disposable_domains, a_line_that_is_not_a_domain_fails_naming_the_file_and_line) {
  for (const char* line : {"spam corp.example", "localhost", "*.spam-corp.example", "user@spam-corp.example"}) {
    ExtraFile file(std::string("# ok\nfine.example\n") + line + "\n");
    auto error = load_error(file.path());
    ASSERT_TRUE(error) << line;
    EXPECT_NE(error->find(file.path() + " line 3"), std::string::npos) << *error;
    EXPECT_NE(error->find(line), std::string::npos) << *error;
  }
}

TEST(disposable_domains, an_unreadable_extra_file_fails_naming_it) {
  std::string missing = (std::filesystem::temp_directory_path() / "leadgate_no_such_list.txt").string();
  auto error = load_error(missing);
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("forms.disposable_domains_file " + missing), std::string::npos) << *error;

  std::string directory = std::filesystem::temp_directory_path().string();
  error = load_error(directory);
  ASSERT_TRUE(error);
  EXPECT_NE(error->find(directory), std::string::npos) << *error;
}
