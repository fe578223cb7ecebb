#pragma once
// SHA-256, for checksums and for storing secrets (tokens) only as hashes.

#include <string>
#include <string_view>

namespace leadgate::domain {

// Lower-case hex of the SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Base64 of the SHA-256 of `data` (as CSP script hashes want it).
std::string sha256_base64(std::string_view data);

// Lower-case hex of HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace leadgate::domain
