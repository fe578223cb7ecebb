#include "domain/ids.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace leadgate::domain {

namespace {

void fill_random(unsigned char* out, std::size_t size) {
  if (RAND_bytes(out, static_cast<int>(size)) != 1) throw std::runtime_error("the system random generator failed");
}

// Ids are made for every lead: OpenSSL's generator costs thousands of
// instructions a call (locking, reseed checks), so each thread draws 512
// bytes at a time and hands them out. Only ids use this; secret tokens
// (random_hex) come straight from RAND_bytes.
void fill_id_random(unsigned char* out, std::size_t size) {
  thread_local std::array<unsigned char, 512> pool;
  thread_local std::size_t used = pool.size();
  if (pool.size() - used < size) {
    fill_random(pool.data(), pool.size());
    used = 0;
  }
  std::memcpy(out, pool.data() + used, size);
  OPENSSL_cleanse(pool.data() + used, size);  // handed-out bytes do not stay behind
  used += size;
}

void append_hex(std::string& out, const unsigned char* bytes, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0x0F];
  }
}

}  // namespace

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = text[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string new_uuid_v7() {
  std::array<unsigned char, 16> bytes{};
  fill_id_random(bytes.data(), bytes.size());
  auto millis = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(millis >> (40 - 8 * i));
  bytes[6] = static_cast<unsigned char>(0x70 | (bytes[6] & 0x0F));  // version 7
  bytes[8] = static_cast<unsigned char>(0x80 | (bytes[8] & 0x3F));  // RFC 9562 variant
  std::string text;
  text.reserve(36);
  append_hex(text, bytes.data(), 4);
  text += '-';
  append_hex(text, bytes.data() + 4, 2);
  text += '-';
  append_hex(text, bytes.data() + 6, 2);
  text += '-';
  append_hex(text, bytes.data() + 8, 2);
  text += '-';
  append_hex(text, bytes.data() + 10, 6);
  return text;
}

std::string random_hex(std::size_t size) {
  std::vector<unsigned char> bytes(size);
  fill_random(bytes.data(), bytes.size());
  std::string text;
  text.reserve(size * 2);
  append_hex(text, bytes.data(), bytes.size());
  return text;
}

}  // namespace leadgate::domain
