// parse_rfc3339 and parse_date on arbitrary text. Whatever they accept must
// survive a round trip: formatting the parsed value (rfc3339_utc,
// rfc3339_local in a few zones, "%F") and parsing that again gives the same
// instant or date.

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "check.hpp"
#include "domain/consultation.hpp"
#include "domain/slots.hpp"

namespace {

using namespace leadgate;

// UTC, a zone with DST, one west of UTC, a half-hour offset and one whose
// local mean time before 1900 was not a whole number of minutes.
const std::array<const date::time_zone*, 5>& zones() {
  static const std::array<const date::time_zone*, 5> list = {
      domain::find_zone("UTC"), domain::find_zone("Europe/Berlin"), domain::find_zone("America/Los_Angeles"),
      domain::find_zone("Asia/Kolkata"), domain::find_zone("Europe/Amsterdam")};
  for (const auto* zone : list) FUZZ_CHECK(zone != nullptr);
  return list;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto instant = domain::parse_rfc3339(text)) {
    auto again = domain::parse_rfc3339(domain::rfc3339_utc(*instant));
    FUZZ_CHECK(again && *again == *instant);
    for (const auto* zone : zones()) {
      auto local = domain::parse_rfc3339(domain::rfc3339_local(*instant, zone));
      FUZZ_CHECK(local && *local == *instant);
    }
  }

  if (auto day = domain::parse_date(text)) {
    auto again = domain::parse_date(date::format("%F", *day));
    FUZZ_CHECK(again && *again == *day);
  }
  return 0;
}
