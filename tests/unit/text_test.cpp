// domain/text: the character-level rules every form field goes through.

#include "domain/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using leadgate::domain::count_characters;
using leadgate::domain::first_characters;
using leadgate::domain::has_control_characters;
using leadgate::domain::is_valid_phone;
using leadgate::domain::is_valid_utf8;
using leadgate::domain::Lines;
using leadgate::domain::normalize_email;
using leadgate::domain::trim;

bool single_line_ok(std::string_view text) { return !has_control_characters(text, Lines::single); }
bool multi_line_ok(std::string_view text) { return !has_control_characters(text, Lines::multiple); }

}  // namespace

// --- UTF-8 validity ---------------------------------------------------------

TEST(text, ascii_and_well_formed_multibyte_text_is_valid_utf8) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("Ana Mar\u00EDa"));    // 2 bytes: í
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC 100"));  // 3 bytes: €
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));  // 4 bytes: 😀
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBD"));      // U+FFFD
}

TEST(text, an_invalid_byte_is_found_at_any_place_in_long_ascii_text) {
  for (std::size_t at = 0; at < 40; ++at) {
    std::string text(40, 'a');
    text[at] = '\xFF';
    EXPECT_FALSE(is_valid_utf8(text)) << "invalid byte at " << at;
    text[at] = 'b';
    text.replace(at, 1, "\xC3\xA9");  // é, two bytes
    EXPECT_TRUE(is_valid_utf8(text)) << "é at " << at;
    EXPECT_FALSE(is_valid_utf8(text.substr(0, at + 1))) << "é cut after its first byte at " << at;
  }
}

TEST(text, overlong_encodings_are_invalid_utf8) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));  // "/" in two bytes
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // "/" in three bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // "/" in four bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(text, utf16_surrogates_encoded_as_utf8_are_invalid) {
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));   // U+D7FF, just below
}

TEST(text, code_points_beyond_u10ffff_are_invalid_utf8) {
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));  // old 5-byte form
}

TEST(text, truncated_sequences_are_invalid_utf8) {
  EXPECT_FALSE(is_valid_utf8("\xC3"));
  EXPECT_FALSE(is_valid_utf8("abc\xE2\x82"));
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98"));
  EXPECT_FALSE(is_valid_utf8("\xE2\x82 x"));  // a non-continuation byte cuts it short
}

TEST(text, stray_continuation_and_impossible_bytes_are_invalid_utf8) {
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("a\xBF z"));
  EXPECT_FALSE(is_valid_utf8("\xFE"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("caf\xE9"));  // Latin-1 é
}

// --- control characters -----------------------------------------------------

TEST(text, printable_text_has_no_control_characters) {
  EXPECT_TRUE(single_line_ok("Ana Mar\u00EDa, Dr. O'Neil \u20AC"));
  EXPECT_TRUE(single_line_ok("\xC2\xA0non-breaking space (U+00A0)"));
}

TEST(text, cr_lf_and_tab_are_rejected_in_single_line_text) {
  EXPECT_FALSE(single_line_ok("name\r\nBcc: victim@example.com"));
  EXPECT_FALSE(single_line_ok("a\nb"));
  EXPECT_FALSE(single_line_ok("a\rb"));
  EXPECT_FALSE(single_line_ok("a\tb"));
}

TEST(text, cr_lf_and_tab_are_allowed_in_multi_line_text) {
  EXPECT_TRUE(multi_line_ok("line one\r\nline two\n\tindented"));
}

TEST(text, other_c0_controls_are_rejected_even_in_multi_line_text) {
  EXPECT_FALSE(multi_line_ok(std::string("nul\0byte", 8)));
  EXPECT_FALSE(multi_line_ok("bell\x07"));
  EXPECT_FALSE(multi_line_ok("escape\x1B[31m"));
  EXPECT_FALSE(multi_line_ok("vertical\x0Btab"));
}

TEST(text, del_is_a_control_character) {
  EXPECT_FALSE(single_line_ok("a\x7F z"));
  EXPECT_FALSE(multi_line_ok("a\x7F z"));
}

TEST(text, c1_controls_are_control_characters) {
  EXPECT_FALSE(single_line_ok("a\xC2\x80 z"));  // U+0080
  EXPECT_FALSE(multi_line_ok("a\xC2\x85 z"));   // U+0085 NEXT LINE
  EXPECT_FALSE(multi_line_ok("a\xC2\x9F z"));   // U+009F
}

// --- counting and trimming --------------------------------------------------

TEST(text, characters_are_counted_as_code_points_not_bytes) {
  EXPECT_EQ(count_characters(""), 0u);
  EXPECT_EQ(count_characters("abc"), 3u);
  EXPECT_EQ(count_characters("Mar\u00EDa"), 5u);
  EXPECT_EQ(count_characters("\xE2\x82\xAC\xE2\x82\xAC"), 2u);
  EXPECT_EQ(count_characters("\xF0\x9F\x98\x80!"), 2u);
}

TEST(text, the_first_characters_never_cut_one_in_half) {
  EXPECT_EQ(first_characters("abc", 2), "ab");
  EXPECT_EQ(first_characters("abc", 5), "abc");
  EXPECT_EQ(first_characters("abc", 0), "");
  EXPECT_EQ(first_characters("M\u00FCller", 2), "M\u00FC");
  EXPECT_EQ(first_characters("\xE2\x82\xAC\xE2\x82\xAC", 1), "\xE2\x82\xAC");
  EXPECT_EQ(first_characters("\xF0\x9F\x98\x80!", 1), "\xF0\x9F\x98\x80");
}

TEST(text, trim_strips_ascii_whitespace_at_both_ends_only) {
  EXPECT_EQ(trim(" \t\r\n Ana  Maria \n"), "Ana  Maria");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim("x"), "x");
}

// --- e-mail -----------------------------------------------------------------

TEST(text, email_domain_is_lower_cased_and_local_part_kept) {
  EXPECT_EQ(normalize_email("Ana.Maria@Example.COM"), "Ana.Maria@example.com");
}

TEST(text, realistic_email_addresses_are_accepted) {
  for (std::string_view address : {"a@example.com", "first.last+tag@sub.example.co.uk", "o'neil@example.ie",
                                   "x_y-z@my-host.example.org", "user@xn--bcher-kva.de"}) {
    EXPECT_EQ(normalize_email(address), std::string(address)) << address;
  }
}

// Headers and the SMTP envelope carry ASCII only: an internationalised domain
// is kept in its ASCII form, whatever form or case it was typed in.
TEST(text, an_internationalised_domain_is_kept_in_its_ascii_form) {
  EXPECT_EQ(normalize_email("user@b\u00FCcher.de"), "user@xn--bcher-kva.de");
  EXPECT_EQ(normalize_email("zoe@B\u00DCCHER.De"), "zoe@xn--bcher-kva.de");
  EXPECT_EQ(normalize_email("zoe@bu\u0308cher.de"), "zoe@xn--bcher-kva.de");  // u + combining diaeresis
  EXPECT_EQ(normalize_email("ivan@\u043F\u0440\u0438\u043C\u0435\u0440.\u0440\u0444"), "ivan@xn--e1afmkfd.xn--p1ai");
  EXPECT_EQ(normalize_email("ivan@XN--E1AFMKFD.XN--P1AI"), "ivan@xn--e1afmkfd.xn--p1ai");
  EXPECT_FALSE(normalize_email("zoe@\u00FC\u200Dx.de").has_value());        // a joiner is not allowed there
}

TEST(text, malformed_email_addresses_are_rejected) {
  for (std::string_view address : {"",
                                   "plainaddress",
                                   "@example.com",
                                   "user@",
                                   "user@@example.com",
                                   "a@b@example.com",
                                   "user@localhost",
                                   "user@example",
                                   "user@example.c",
                                   "user@example.123",
                                   "user@-example.com",
                                   "user@example-.com",
                                   "user@example..com",
                                   "user@.example.com",
                                   "user@example.com.",
                                   ".user@example.com",
                                   "user.@example.com",
                                   "us..er@example.com",
                                   "us er@example.com",
                                   "user@exa mple.com",
                                   "\"quoted\"@example.com",
                                   "user@[127.0.0.1]",
                                   "user@exam_ple.com"}) {
    EXPECT_FALSE(normalize_email(address).has_value()) << address;
  }
}

TEST(text, email_local_part_is_limited_to_64_bytes) {
  EXPECT_TRUE(normalize_email(std::string(64, 'a') + "@example.com").has_value());
  EXPECT_FALSE(normalize_email(std::string(65, 'a') + "@example.com").has_value());
}

TEST(text, email_is_limited_to_254_bytes) {
  // A 64-byte local part and labels of 60 letters: long but well formed.
  auto address_of_size = [](std::size_t size) {
    std::string address = std::string(64, 'a') + "@";
    while (address.size() + 61 + 4 <= size) address += std::string(60, 'b') + ".";
    address += std::string(size - address.size() - 4, 'c') + ".com";
    return address;
  };
  ASSERT_EQ(address_of_size(254).size(), 254u);
  EXPECT_TRUE(normalize_email(address_of_size(254)).has_value());
  EXPECT_FALSE(normalize_email(address_of_size(255)).has_value());
}

// --- phone ------------------------------------------------------------------

TEST(text, phone_numbers_in_common_notations_are_valid) {
  for (std::string_view phone : {"+49 30 1234567", "(555) 123-4567", "030.123.456", "0"}) {
    EXPECT_TRUE(is_valid_phone(phone)) << phone;
  }
}

TEST(text, phone_with_letters_or_other_symbols_or_no_digit_is_invalid) {
  for (std::string_view phone : {"", "   ", "+()-.", "+1-800-FLOWERS", "555 1234 ext 5", "555/1234", "#123", "12\t34",
                                 "\xEF\xBC\x91"}) {  // last: fullwidth digit one
    EXPECT_FALSE(is_valid_phone(phone)) << phone;
  }
}

